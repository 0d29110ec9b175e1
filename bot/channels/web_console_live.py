"""Live desk pages: the ticket list and a ticket page follow every change without a reload.

A desk page is drawn at a desk revision (the change counter bot/console_notes.py keeps with
triggers). Its script asks ``GET /console/live?since=R``, which answers as soon as the
revision differs, else after ``LIVE_SECONDS`` with the same one (long polling, as the
resident's chat page does, with the same loop: static/poll.js). The script then fetches
its own page again and swaps the parts marked ``data-live`` that are drawn differently, keeping
what was typed in them; a page with nothing new is drawn the same, so a reply being typed keeps
its focus.

A console action in this process wakes the waiting pages at once; a change written anywhere
else (a chat desk, the web chat, reminders, ``lawbot tickets`` in another process) is seen
at the next re-read, at most ``RECHECK_SECONDS`` later.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import TYPE_CHECKING

import sqlite_utils
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.accounts import DESK
from bot.channels.web_console import ConsoleRefused, Form, Staff
from bot.console_notes import desk_revision
from bot.texts import console as t

if TYPE_CHECKING:
    from bot.channels.web_console import Console

LIVE_SECONDS = 25.0  # under the 30–60 s idle timeouts of proxies, as the web chat's poll
# One read of a one-row table (microseconds): twice a second per waiting page is nothing,
# and a claim made in a Telegram desk shows in the console within half a second.
RECHECK_SECONDS = 0.5
MAX_WAITS = 6  # per session: a few tabs; a script opening more at once is refused (429)


class DeskFeed:
    """The desk's revision, and the pages waiting for it to move on."""

    def __init__(
        self, db: sqlite_utils.Database, stop: asyncio.Event, recheck: float = RECHECK_SECONDS
    ) -> None:
        self.db = db
        self.stop = stop
        self.recheck = recheck
        self._changed = asyncio.Event()
        self._waits: Counter[str] = Counter()

    def revision(self) -> int:
        """The desk's change counter now."""
        return desk_revision(self.db)

    def notify(self) -> None:
        """Wake every waiting page now (a console action changed something)."""
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait(self, since: int, timeout: float) -> int:
        """The revision once it differs from ``since``, or after ``timeout`` seconds, or at
        once when the server is stopping."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            revision = self.revision()
            left = deadline - loop.time()
            if revision != since or left <= 0 or self.stop.is_set():
                return revision
            waiters = [
                asyncio.ensure_future(self._changed.wait()),
                asyncio.ensure_future(self.stop.wait()),
            ]
            try:
                await asyncio.wait(
                    waiters, timeout=min(left, self.recheck),
                    return_when=asyncio.FIRST_COMPLETED,
                )
            finally:
                for waiter in waiters:
                    waiter.cancel()

    async def live(self, request: Request, staff: Staff, form: Form) -> Response:
        """``GET /console/live?since=R[&wait=S]``: ``{"revision": N}`` once it is not R."""
        query = request.query_params
        since, wait = query.get("since", ""), query.get("wait", "")
        if not since.isdigit() or (wait and not wait.isdigit()):
            raise ConsoleRefused(400, t.LIVE_BAD_QUERY)
        key = staff.session.token
        if self._waits[key] >= MAX_WAITS:
            raise ConsoleRefused(429, t.LIVE_TOO_MANY)
        self._waits[key] += 1
        try:
            timeout = min(float(wait), LIVE_SECONDS) if wait else LIVE_SECONDS
            revision = await self.wait(int(since), timeout)
        finally:
            self._waits[key] -= 1
            if not self._waits[key]:
                del self._waits[key]
        return JSONResponse({"revision": revision}, headers={"cache-control": "no-store"})


def live_routes(console: Console) -> list[Route]:
    """The long poll of the desk pages (anyone of the desk)."""
    return [Route("/console/live", console.guard(DESK, console.feed.live))]
