"""The web chat's pages and endpoints (Starlette): what the resident's phone talks to.

``GET /c/<code>`` is the chat page; ``POST /c/<code>/send`` hands a message or a button press
to the core (``Service.handle``); ``GET /c/<code>/poll?after=N`` returns the messages numbered
above ``N``, waiting up to ``poll_seconds`` for one (long polling: works in WeChat's browser and
through proxies; a page that slept asks again with the last number it holds).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, cast
from urllib.parse import parse_qsl, urlsplit

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from bot.channel_core import Community, Core
from bot.channels.web_guard import (
    DEFAULT_LIMITS,
    MESSAGE_ID,
    TOKEN,
    GuardMiddleware,
    RateLimit,
    WebLimits,
    csrf_ok,
    csrf_secret,
    csrf_token,
    new_resident_token,
)
from bot.channels.web_store import CHANNEL, WebMessage, WebStore
from bot.conversation import parse_command
from bot.messages import Incoming
from bot.texts import resident as rt
from bot.texts import web as texts

ASSETS = Path(__file__).resolve().parent / "web_assets"
COOKIE = "lawbot_resident"
COOKIE_MAX_AGE = 365 * 24 * 3600
BASIS_PREFIX = rt.LEGAL_BASIS.split("{", 1)[0]
# The communities are read again at most this often (seconds): every request needs its
# community, and `lawbot org import` in another process changes them rarely.
COMMUNITIES_TTL = 30.0


class Refused(Exception):
    """A request the resident must be told about (status and a text from bot/texts/web.py)."""

    def __init__(self, status: int, text: str) -> None:
        super().__init__(text)
        self.status = status
        self.text = text


def templates() -> Jinja2Templates:
    """The page templates (autoescaped: a ``<script>`` in any text shows as text)."""
    return Jinja2Templates(directory=str(ASSETS / "templates"))


class WebChat:
    """The resident-facing web app over one core, one history store and one clock."""

    def __init__(
        self,
        service: Core,
        store: WebStore,
        clock: Callable[[], datetime],
        stop: asyncio.Event,
        limits: WebLimits = DEFAULT_LIMITS,
        health: Callable[[], dict[str, Any]] | None = None,
    ) -> None:
        self.service = service
        self.health = health
        self.store = store
        self.clock = clock
        self.stop = stop
        self.limits = limits
        self.secret = csrf_secret(service.channel_state(CHANNEL))
        self.per_resident = RateLimit(limits.resident_per_minute, 60.0)
        self.per_ip = RateLimit(limits.ip_per_minute, 60.0)
        self.templates = templates()
        self.message_template = self.templates.get_template("message.html")
        self._communities: Mapping[str, Community] = {}
        self._communities_at = -COMMUNITIES_TTL

    def app(self) -> Starlette:
        """The ASGI application."""
        routes = [
            Route("/", self.index),
            Route("/c/{code}", self.page),
            Route("/c/{code}/send", self.send, methods=["POST"]),
            Route("/c/{code}/poll", self.poll),
            Route("/healthz", self.healthz),
            Mount("/static", StaticFiles(directory=str(ASSETS / "static")), name="static"),
        ]
        handlers: dict[Any, Any] = {
            HTTPException: self.http_error,
            Refused: self.refused,
            Exception: self.server_error,
        }
        # The staff console is served by the same app (imported here: it builds on this module).
        from bot.channels.web_console import Console, ConsoleCore, ConsoleRefused

        core = cast("ConsoleCore", self.service)  # the real Service is both
        console = Console(core, self.clock, self.secret, self.templates, self._form, self.stop)
        routes[-1:-1] = console.routes()
        handlers[ConsoleRefused] = console.refused
        app = Starlette(routes=routes, exception_handlers=handlers)
        app.add_middleware(GuardMiddleware)
        return app

    # --- pages ----------------------------------------------------------------------------

    async def healthz(self, request: Request) -> Response:
        """The health report for a monitor: JSON, 200 when healthy, 503 when not."""
        if self.health is None:
            raise HTTPException(404)
        report = await run_in_threadpool(self.health)
        return JSONResponse(report, status_code=200 if report["healthy"] else 503)

    async def index(self, request: Request) -> Response:
        """The list of communities (what `make run` points a newcomer to)."""
        communities = list(self.service.communities().values())
        return self.templates.TemplateResponse(
            request, "index.html", {"t": texts, "communities": communities}
        )

    async def page(self, request: Request) -> Response:
        """The chat page of one community: history, the question box, the buttons."""
        community = self._community(request)
        token = _token(request)
        fresh = token is None
        resident = token or new_resident_token()
        shown = self.store.latest(resident, self.limits.history_shown + 1)
        earlier = len(shown) > self.limits.history_shown
        shown = shown[-self.limits.history_shown :]
        csrf = csrf_token(self.secret, resident)
        response = self.templates.TemplateResponse(
            request,
            "chat.html",
            {
                "t": texts,
                "community": community,
                "messages": [self._view(m) for m in shown],
                "earlier": earlier,
                "cursor": shown[-1].id if shown else 0,
                "csrf": csrf,
                "action": f"/c/{community.code}/send",
                "basis_prefix": BASIS_PREFIX,
            },
        )
        response.headers["cache-control"] = "no-store"
        if fresh:
            response.set_cookie(
                COOKIE, resident, max_age=COOKIE_MAX_AGE, httponly=True, samesite="lax",
                secure=request.url.scheme == "https",
            )
        return response

    # --- sending --------------------------------------------------------------------------

    async def send(self, request: Request) -> Response:
        """A typed message or a pressed button: store it, hand it to the core."""
        community = self._community(request)
        form = await self._form(request)
        resident = _token(request)
        if resident is None or not csrf_ok(self.secret, resident, form.get("csrf", "")):
            raise Refused(403, texts.STALE_PAGE)
        if not _same_origin(request):
            raise Refused(403, texts.STALE_PAGE)
        if not self.per_resident.allow(resident):
            raise Refused(429, texts.TOO_FAST)
        if not self.per_ip.allow(request.client.host if request.client else "?"):
            raise Refused(429, texts.TOO_FAST_NETWORK)
        message_id = form.get("mid", "")
        if not MESSAGE_ID.match(message_id):
            message_id = uuid.uuid4().hex
        label, data = self._choice(resident, form.get("choice", ""))
        text = label if data is not None else form.get("text", "").strip()
        if not text:
            raise Refused(400, texts.EMPTY)
        if len(text) > self.limits.max_text:
            raise Refused(400, texts.TOO_LONG.format(limit=self.limits.max_text, length=len(text)))
        now = self.clock()
        added = self.store.add_resident(resident, text, message_id, now)
        cleared = False
        if added is not None:
            self._bind(resident, community, message_id, now)
            incoming = Incoming(
                channel=CHANNEL, chat_id=resident, sender_id=resident, text=data or text,
                message_id=message_id, callback=data,
                kind="button" if data is not None else "text",
            )
            self.service.handle(incoming, now)
            command = parse_command(data or text)
            if command is not None and command[0] == "forget":
                self.store.forget(resident)  # before the pump delivers the confirmation
                cleared = True
        if "application/json" not in request.headers.get("accept", ""):
            return RedirectResponse(f"/c/{community.code}", status_code=303)
        mine = [] if cleared or added is None else self.store.after(resident, added - 1, 1)
        return JSONResponse(
            {"messages": [self._rendered(m, community, resident) for m in mine],
             "cleared": cleared}
        )

    def _bind(self, resident: str, community: Community, message_id: str, now: datetime) -> None:
        """Tell the core which community this page is for, as ``/start <code>`` does."""
        if self.service.community_of(CHANNEL, resident) == community.code:
            return
        self.service.handle(
            Incoming(
                channel=CHANNEL, chat_id=resident, sender_id=resident,
                text=f"/start {community.code}", message_id=f"{message_id}:start",
            ),
            now,
        )

    def _choice(self, resident: str, value: str) -> tuple[str, str | None]:
        """A pressed button ``"<message number>:<button number>"`` → (label, command)."""
        number, _, position = value.partition(":")
        if not (number.isdigit() and position.isdigit()):
            return "", None
        found = self.store.after(resident, int(number) - 1, 1)
        if not found or found[0].id != int(number):
            return "", None
        buttons = [b for row in found[0].buttons for b in row]
        if int(position) >= len(buttons):
            return "", None
        return buttons[int(position)].label, buttons[int(position)].data

    async def _form(self, request: Request) -> dict[str, str]:
        """The url-encoded form, refused when larger than ``max_body`` (never read whole)."""
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > self.limits.max_body:
                raise Refused(413, texts.TOO_LARGE)
        try:
            pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True)
        except UnicodeDecodeError:
            raise Refused(400, texts.EMPTY) from None
        return dict(pairs)

    # --- receiving ------------------------------------------------------------------------

    async def poll(self, request: Request) -> Response:
        """Messages numbered above ``after``; waits for one when there is none yet."""
        community = self._community(request)
        resident = _token(request)
        if resident is None:
            raise Refused(403, texts.STALE_PAGE)
        after = request.query_params.get("after", "0")
        if not after.isdigit():
            raise Refused(400, texts.NOT_FOUND)
        cursor = int(after)
        found = self.store.after(resident, cursor)
        if not found:
            if self.store.waiting(resident) >= self.limits.polls_per_resident:
                raise Refused(429, texts.TOO_MANY_PAGES)
            await self.store.wait(resident, self.limits.poll_seconds, self.stop)
            found = self.store.after(resident, cursor)
        return JSONResponse(
            {
                "messages": [self._rendered(m, community, resident) for m in found],
                "cursor": found[-1].id if found else cursor,
            },
            headers={"cache-control": "no-store"},
        )

    # --- helpers --------------------------------------------------------------------------

    def _community(self, request: Request) -> Community:
        code = request.path_params["code"]
        now = time.monotonic()
        if now - self._communities_at > COMMUNITIES_TTL:
            self._communities = self.service.communities()
            self._communities_at = now
        community = self._communities.get(code)
        if community is None:
            raise Refused(404, texts.NO_COMMUNITY.format(code=code))
        return community

    def _view(self, message: WebMessage) -> dict[str, Any]:
        flat = [b for row in message.buttons for b in row]
        return {
            "id": message.id,
            "role": message.role,
            "paragraphs": message.text.split("\n\n"),
            "buttons": [(f"{message.id}:{n}", b.label) for n, b in enumerate(flat)],
        }

    def _rendered(self, message: WebMessage, community: Community, resident: str) -> dict[str, Any]:
        html = self.message_template.render(
            m=self._view(message),
            csrf=csrf_token(self.secret, resident),
            action=f"/c/{community.code}/send",
            basis_prefix=BASIS_PREFIX,
            t=texts,
        )
        return {"id": message.id, "html": html}

    # --- errors ---------------------------------------------------------------------------

    async def refused(self, request: Request, exc: Exception) -> Response:
        """A refusal the resident reads: JSON for the page's script, else an error page."""
        assert isinstance(exc, Refused)
        return self._error(request, exc.status, exc.text)

    async def http_error(self, request: Request, exc: Exception) -> Response:
        """404 and 405 in Chinese."""
        assert isinstance(exc, HTTPException)
        text = texts.NOT_ALLOWED if exc.status_code == 405 else texts.NOT_FOUND
        return self._error(request, exc.status_code, text)

    async def server_error(self, request: Request, exc: Exception) -> Response:
        """Anything else: logged with its traceback, an apology to the resident, no trace."""
        return self._error(request, 500, texts.SERVER_ERROR)

    def _error(self, request: Request, status: int, text: str) -> Response:
        if "application/json" in request.headers.get("accept", ""):
            return JSONResponse({"error": text}, status_code=status)
        return self.templates.TemplateResponse(
            request, "error.html", {"t": texts, "text": text}, status_code=status
        )


def _token(request: Request) -> str | None:
    value = request.cookies.get(COOKIE, "")
    return value if TOKEN.match(value) else None


def _same_origin(request: Request) -> bool:
    """A browser's Origin header, when sent, names this host (a second CSRF check)."""
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == request.headers.get("host", "")
