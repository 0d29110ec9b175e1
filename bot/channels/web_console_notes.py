"""Private notes on a ticket (any desk role) and canned replies per team (advisers, leads)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.accounts import DESK, FAQ
from bot.channels.web_console import ConsoleRefused, Form, Staff
from bot.texts import console as t

if TYPE_CHECKING:
    from bot.channels.web_console import Console

TICKET_PAGE = re.compile(r"/console/tickets/\d{1,9}")


def note_routes(console: Console) -> list[Route]:
    """Adding a note; adding and removing canned replies."""
    pages = NotePages(console)
    return [
        Route(
            "/console/tickets/{number:int}/note", console.guard(DESK, pages.note),
            methods=["POST"],
        ),
        Route("/console/canned", console.guard(FAQ, pages.canned_add), methods=["POST"]),
        Route(
            "/console/canned/{id:int}/delete", console.guard(FAQ, pages.canned_remove),
            methods=["POST"],
        ),
    ]


class NotePages:
    """The form handlers of notes and canned replies."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.notes = console.notes

    async def note(self, request: Request, staff: Staff, form: Form) -> Response:
        """A private note on the ticket (shown to the desk only, never sent to the resident)."""
        ticket = self.console.ticket_of(request, staff)
        back = f"/console/tickets/{ticket.number}"
        text = form.get("text", "").strip()
        if not text:
            return self.console.done(staff, t.NOTE_EMPTY, back)
        now = self.console.clock()
        self.notes.add_note(ticket.number, staff.name, text, now)
        self.console.accounts.audit(staff.name, "note", now, f"ticket:{ticket.number}", text)
        return self.console.done(staff, t.NOTE_ADDED, back)

    async def canned_add(self, request: Request, staff: Staff, form: Form) -> Response:
        """A canned reply for the person's team (the administrator's: any team)."""
        team, back = _team(staff, form)
        text = form.get("text", "").strip()
        if not text:
            return self.console.done(staff, t.CANNED_EMPTY, back)
        now = self.console.clock()
        self.notes.add_canned(team, staff.name, text, now)
        self.console.accounts.audit(staff.name, "canned-add", now, f"team:{team}", text)
        return self.console.done(staff, t.CANNED_ADDED, back)

    async def canned_remove(self, request: Request, staff: Staff, form: Form) -> Response:
        """Remove a canned reply of the person's team."""
        team, back = _team(staff, form)
        now = self.console.clock()
        removed = self.notes.remove_canned(team, int(request.path_params["id"]))
        if removed:
            self.console.accounts.audit(staff.name, "canned-remove", now, f"team:{team}")
        return self.console.done(staff, t.CANNED_REMOVED if removed else t.CANNED_MISSING, back)


def _team(staff: Staff, form: Form) -> tuple[str, str]:
    """The form's team (refused unless the person's own) and the page to go back to."""
    team, back = form.get("team", ""), form.get("back", "")
    if team not in staff.org.teams or staff.person.team not in ("", team):
        raise ConsoleRefused(403, t.CANNED_NOT_YOUR_TEAM.format(team=team))
    return team, back if TICKET_PAGE.fullmatch(back) else "/console/tickets"
