"""The staff console under ``/console``: logins, roles, and the desk's shared inbox.

Every page and form goes through :meth:`Console.guard`: no session → the login page (a POST:
403), a role below the page's → 403, a POST without this session's CSRF token → 403. Desk
actions are ``Service.desk_command`` as in every chat, so who may do what, and the relay to
the resident's channel through the outbox, are the same everywhere. The FAQ pages are in
web_console_faq.py, the organisation and statistics in web_console_admin.py.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol
from zoneinfo import ZoneInfo

import sqlite_utils
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from bot.accounts import ADMIN, DESK, FAQ, Accounts, Session, level, staff_person
from bot.channels.web_app import Refused, _same_origin
from bot.channels.web_guard import RateLimit, csrf_ok, csrf_token
from bot.clock import parse_iso
from bot.console_notes import Notes
from bot.desk.commands import DeskResult, may_claim, may_handle, may_reply
from bot.desk.masking import mask
from bot.desk.notices import community_name
from bot.desk.org import Organisation, Person
from bot.desk.org_cache import OrgCache
from bot.desk.tickets import OPEN_STATUSES, Event, Ticket, TicketNotFound, Tickets
from bot.service import UnknownPerson
from bot.texts import console as t
from bot.texts import desk as dt
from bot.texts import resident as rt
from knowledge.faq import FaqStore

if TYPE_CHECKING:
    from bot.desk.staff import Staff as StaffCommands
    from matcher.types import MatchResult

COOKIE = "lawbot_staff"
LOGIN_COOKIE = "lawbot_staff_login"  # binds the login form's CSRF token before a session
ACTIONS = ("claim", "reply", "adviser", "close", "addfaq")
# Sent by a page's script on the requests it makes by itself (web_console_live.py): they
# neither restart the idle clock nor use up the one-time notice.
LIVE_HEADER = "x-console-live"
TRIGGER_PREFIX = dt.TRIGGER.split("{", 1)[0]
Form = dict[str, str]


class Index(Protocol):
    """The live FAQ index (:class:`bot.faq_index.FaqIndex`)."""

    def match(self, text: str, community: str | None = None, explain: bool = False) -> MatchResult:
        """Match ``text``."""
        ...


class ConsoleCore(Protocol):
    """What the console needs of :class:`bot.service.Service`."""

    db: sqlite_utils.Database
    tz: ZoneInfo
    tickets: Tickets
    faq: FaqStore
    index: Index
    staff: StaffCommands  # /review's source: the question log
    org: OrgCache  # the organisation, read again only after it changed

    def desk_command(self, name: str, text: str, now: datetime) -> DeskResult:
        """Run a desk command as ``name``."""
        ...


class ConsoleRefused(Refused):
    """A refusal a staff member reads on a console page (403 for a role, a token, a login)."""


@dataclass(frozen=True)
class Staff:
    """Who is asking: their session, who they are in the organisation, the organisation."""

    session: Session
    person: Person
    org: Organisation

    @property
    def name(self) -> str:
        """The person's name."""
        return self.person.name


Handler = Callable[[Request, Staff, Form], Awaitable[Response]]


class Console:
    """The console's routes over one core, one clock and the web chat's form reader."""

    def __init__(
        self,
        service: ConsoleCore,
        clock: Callable[[], datetime],
        secret: bytes,
        templates: Jinja2Templates,
        read_form: Callable[[Request], Awaitable[Form]],
        stop: asyncio.Event | None = None,
    ) -> None:
        from bot.channels.web_console_live import DeskFeed

        self.service = service
        self.clock = clock
        self.secret = secret
        self.templates = templates
        self.read_form = read_form
        self.accounts = Accounts(service.db)
        self.notes = Notes(service.db)
        self.login_limit = RateLimit(10, 60.0)  # per address: a script cannot try many names
        self.feed = DeskFeed(service.db, stop or asyncio.Event())

    def routes(self) -> list[Route]:
        """Every console route (the FAQ's and the administration's included)."""
        from bot.channels.web_console_admin import admin_routes
        from bot.channels.web_console_faq import faq_routes
        from bot.channels.web_console_live import live_routes
        from bot.channels.web_console_notes import note_routes

        return [
            Route("/console", self.home),
            Route("/console/login", self.login_page),
            Route("/console/login", self.login, methods=["POST"]),
            Route("/console/logout", self.guard(DESK, self.logout), methods=["POST"]),
            Route("/console/tickets", self.guard(DESK, self.ticket_list)),
            Route("/console/tickets/{number:int}", self.guard(DESK, self.ticket_page)),
            *live_routes(self),
            *note_routes(self),  # before the ticket actions: /note is not a desk command
            Route(
                "/console/tickets/{number:int}/{action}", self.guard(DESK, self.ticket_action),
                methods=["POST"],
            ),
            *faq_routes(self),
            *admin_routes(self),
        ]

    # --- the guard ------------------------------------------------------------------------

    def guard(
        self,
        need: int,
        handler: Handler,
        reader: Callable[[Request], Awaitable[Form]] | None = None,
    ) -> Callable[[Request], Awaitable[Response]]:
        """``handler`` for a logged-in person of level ``need`` or above, CSRF-checked.

        ``reader``: how a POST's form is read (the url-encoded reader of the web chat unless
        given: a file upload reads multipart).
        """
        read_form = reader or self.read_form

        async def endpoint(request: Request) -> Response:
            now = self.clock()
            token = request.cookies.get(COOKIE, "")
            touch = LIVE_HEADER not in request.headers
            session = self.accounts.session(token, now, touch) if token else None
            org = self.service.org.current()
            person = staff_person(org, session.name) if session else None
            if session is None or person is None:
                if request.method == "POST":
                    raise ConsoleRefused(403, t.LOGIN_NEEDED)
                return RedirectResponse("/console/login", status_code=303)
            staff = Staff(session, person, org)
            if level(person) < need:  # before the form is read: an upload is not even stored
                self.accounts.audit(staff.name, "refused-role", now, request.url.path)
                raise ConsoleRefused(403, t.NO_RIGHT.format(role=t.ROLES.get(person.role, "")))
            form: Form = {}
            if request.method == "POST":
                form = await read_form(request)
                if not self.csrf_ok(request, form) or not _same_origin(request):
                    self.accounts.audit(staff.name, "refused-csrf", now, request.url.path)
                    raise ConsoleRefused(403, t.BAD_CSRF)
            return await handler(request, staff, form)

        return endpoint

    def csrf_ok(self, request: Request, form: Form) -> bool:
        """True when ``form`` carries the CSRF token of the request's session."""
        return csrf_ok(self.secret, request.cookies.get(COOKIE, ""), form.get("csrf", ""))

    def render(
        self, request: Request, staff: Staff | None, name: str, status: int = 200, **ctx: Any
    ) -> Response:
        """A console page with the navigation its reader may use and their one-time notice."""
        ctx.update(
            t=t, staff=staff, DESK=DESK, FAQ=FAQ, ADMIN=ADMIN,
            level=level(staff.person) if staff else 0,
            csrf=csrf_token(self.secret, staff.session.token) if staff else "",
            flash=staff.session.flash if staff else "",
        )
        response = self.templates.TemplateResponse(request, name, ctx, status_code=status)
        response.headers["cache-control"] = "no-store"
        return response

    def done(self, staff: Staff, text: str, to: str) -> Response:
        """After an action: remember what it answered, wake the live pages, show ``to`` (303)."""
        self.accounts.flash(staff.session.token, text)
        self.feed.notify()
        return RedirectResponse(to, status_code=303)

    async def refused(self, request: Request, exc: Exception) -> Response:
        """A console refusal as a console page (as JSON to a page's script that asks JSON)."""
        assert isinstance(exc, ConsoleRefused)
        if "application/json" in request.headers.get("accept", ""):
            return JSONResponse({"error": exc.text}, status_code=exc.status)
        return self.render(request, None, "console_error.html", exc.status, text=exc.text)

    # --- logging in -----------------------------------------------------------------------

    async def home(self, request: Request) -> Response:
        """``/console``: the desk."""
        return RedirectResponse("/console/tickets", status_code=303)

    async def login_page(self, request: Request, error: str = "", status: int = 200) -> Response:
        """The login form; its CSRF token is bound to a random cookie of this browser."""
        nonce = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(24)
        response = self.render(
            request, None, "console_login.html", status,
            login_csrf=csrf_token(self.secret, "login:" + nonce), error=error,
        )
        response.set_cookie(
            LOGIN_COOKIE, nonce, httponly=True, samesite="strict", path="/console",
            secure=request.url.scheme == "https",
        )
        return response

    async def login(self, request: Request) -> Response:
        """Check the name and password; refuse a forged form, a flood, a locked name."""
        now = self.clock()
        form = await self.read_form(request)
        nonce = request.cookies.get(LOGIN_COOKIE, "")
        if not nonce or not csrf_ok(self.secret, "login:" + nonce, form.get("csrf", "")):
            raise ConsoleRefused(403, t.BAD_CSRF)
        if not self.login_limit.allow(request.client.host if request.client else "?"):
            raise ConsoleRefused(429, t.TOO_MANY_LOGINS)
        name, password = form.get("name", "").strip(), form.get("password", "")
        if self.accounts.locked(name, now):
            self.accounts.audit(name, "login-locked", now)
            return await self.login_page(request, t.LOCKED, 403)
        org = self.service.org.current()
        session = self.accounts.login(name, password, now) if staff_person(org, name) else None
        if session is None:
            return await self.login_page(request, t.BAD_LOGIN, 403)
        response = RedirectResponse("/console/tickets", status_code=303)
        response.set_cookie(
            COOKIE, session.token, httponly=True, samesite="strict", path="/",
            secure=request.url.scheme == "https",
        )
        return response

    async def logout(self, request: Request, staff: Staff, form: Form) -> Response:
        """End the session."""
        self.accounts.logout(staff.session, self.clock())
        response = RedirectResponse("/console/login", status_code=303)
        response.delete_cookie(COOKIE, path="/")
        return response

    # --- the desk -------------------------------------------------------------------------

    async def ticket_list(self, request: Request, staff: Staff, form: Form) -> Response:
        """The tickets ``staff`` may handle: urgent first, then oldest; filters and counts."""
        revision = self.feed.revision()  # before reading: a change meanwhile shows next time
        query = request.query_params
        status = query.get("status", "active")
        mine = [t_ for t_ in self.service.tickets.by_status() if may_handle(staff.person, t_)]
        counts = {s: sum(1 for x in mine if x.status == s) for s in rt.STATUS}
        wanted = OPEN_STATUSES if status == "active" else (status,) if status else None
        shown = [
            x for x in mine
            if (wanted is None or x.status in wanted)
            and _matches(x.community, query.get("community"))
            and _matches(x.team, query.get("team"))
            and _matches(x.assignee or "", query.get("assignee"))
        ]
        shown.sort(key=lambda x: (-x.urgent, x.created_at))
        rows = [self._row(staff.org, x) for x in shown]
        return self.render(
            request, staff, "console_tickets.html", rows=rows, counts=counts,
            chosen=status, statuses=rt.STATUS, query=query, org=staff.org,
            assignees=sorted({x.assignee for x in mine if x.assignee}),
            revision=revision,
        )

    async def ticket_page(self, request: Request, staff: Staff, form: Form) -> Response:
        """One ticket: its masked thread, the bot's last answer, the actions."""
        revision = self.feed.revision()
        ticket = self.ticket_of(request, staff)
        events = self.service.tickets.events(ticket.number)
        answers = [
            e.text for e in events
            if e.author == dt.BOT and e.text and not e.text.startswith(TRIGGER_PREFIX)
        ]
        thread = [
            {
                "at": self._time(e.at),
                "who": e.author or dt.ROLE.get(e.role, e.role),
                "role": e.role,
                "text": mask(e.text) if e.text else dt.REDACTED,
            }
            for e in events
        ]
        notes = [
            {"at": self._time(n.at), "who": n.author, "text": mask(n.text)}
            for n in self.notes.notes(ticket.number)
        ]
        return self.render(
            request, staff, "console_ticket.html", ticket=self._row(staff.org, ticket),
            thread=thread, last_answer=mask(answers[-1]) if answers else "",
            open=ticket.is_open, notes=notes, canned=self.notes.canned(ticket.team or ""),
            claimable=may_claim(staff.person, ticket),
            replying=_may_answer(staff.person, ticket),
            state=_state(ticket, events, staff.person), revision=revision,
        )

    async def ticket_action(self, request: Request, staff: Staff, form: Form) -> Response:
        """claim / reply / adviser / close / addfaq, as the desk command of every chat."""
        action = request.path_params["action"]
        ticket = self.ticket_of(request, staff)
        if action not in ACTIONS:
            raise ConsoleRefused(404, t.NO_SUCH_ACTION.format(action=action))
        text = " ".join(form.get("text", "").split()) if action == "reply" else ""
        if action == "reply" and form.get("canned", "").isdigit():
            wanted = int(form["canned"])
            chosen = [c for c in self.notes.canned(ticket.team or "") if c.id == wanted]
            text = " ".join(chosen[0].text.split()) if chosen else ""
        if action == "reply" and not text:
            return self.done(staff, t.REPLY_EMPTY, f"/console/tickets/{ticket.number}")
        now = self.clock()
        try:
            ack = self.service.desk_command(
                staff.name, f"/{action} {ticket.number} {text}".strip(), now
            ).ack
        except UnknownPerson:  # the administrator, who is in no team, may only close
            ack = t.ADMIN_CLOSE_ONLY
        if action == "reply" and not _may_answer(staff.person, ticket):
            # sent from a page drawn before it closed or someone else claimed it
            ack += "\n" + t.REPLY_NOT_SENT.format(text=text)
        self.accounts.audit(staff.name, action, now, f"ticket:{ticket.number}", text)
        return self.done(staff, ack, f"/console/tickets/{ticket.number}")

    def ticket_of(self, request: Request, staff: Staff) -> Ticket:
        number = int(request.path_params["number"])
        try:
            ticket = self.service.tickets.get(number)
        except TicketNotFound:
            raise ConsoleRefused(404, dt.NOT_FOUND.format(number=number)) from None
        if not may_handle(staff.person, ticket):
            raise ConsoleRefused(403, dt.NOT_YOUR_TEAM.format(number=number))
        return ticket

    def _row(self, org: Organisation, ticket: Ticket) -> dict[str, Any]:
        return {
            "number": ticket.number,
            "status": ticket.status,
            "status_text": rt.STATUS.get(ticket.status, ticket.status),
            "urgent": bool(ticket.urgent),
            "community": community_name(org, ticket.community),
            "team": ticket.team or "",
            "category": ticket.category,
            "assignee": ticket.assignee or "",
            "question": mask(ticket.question) if ticket.question else dt.REDACTED,
            "created": self._time(ticket.created_at),
        }

    def _time(self, at: str) -> str:
        return parse_iso(at).astimezone(self.service.tz).strftime("%m-%d %H:%M")


def _may_answer(person: Person, ticket: Ticket) -> bool:
    """Whether ``person``'s reply to ``ticket`` would be sent: it is open and theirs to answer."""
    return ticket.is_open and may_reply(person, ticket)


def _state(ticket: Ticket, events: list[Event], me: Person) -> str:
    """What a ticket page says above the actions: who closed it, or who else holds it."""
    if not ticket.is_open:
        closers = [e.author for e in events if e.role == "bot" and e.text == dt.BTN_CLOSE]
        if ticket.status == "closed" and closers:
            return t.CLOSED_BY.format(name=closers[-1])
        return t.FINISHED.format(status=rt.STATUS.get(ticket.status, ticket.status))
    if ticket.assignee and ticket.assignee != me.name:
        held = t.CLAIMED_BY if may_reply(me, ticket) else t.CLAIMED_BY_NO_REPLY
        return held.format(name=ticket.assignee)
    return ""


def _matches(value: str | None, wanted: str | None) -> bool:
    return not wanted or (value or "") == wanted
