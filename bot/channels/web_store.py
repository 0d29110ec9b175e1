"""What a web resident's page shows: their messages and the bot's, in one numbered history.

The web channel has no network to deliver to: :class:`WebSender` "delivers" an outbox item by
storing it here, and the resident's page fetches everything after the last number it holds
(its cursor). Numbers come from an AUTOINCREMENT key, so they only grow, also after a
resident's history is deleted: a page that slept through a reconnect asks for ``id > cursor``
and gets each message exactly once.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import sqlite_utils

from bot.clock import iso
from bot.messages import Button, Outgoing
from knowledge.db import Migrations

CHANNEL = "web"

migrations = Migrations("web")


@migrations
def create_web_messages(db: sqlite_utils.Database) -> None:
    """The per-resident history of the web chat."""
    db.executescript(
        """
        CREATE TABLE web_messages (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            chat_id TEXT NOT NULL,
            role TEXT NOT NULL,
            text TEXT NOT NULL,
            buttons TEXT NOT NULL DEFAULT '[]',
            message_id TEXT,
            at TEXT NOT NULL,
            UNIQUE (chat_id, message_id)
        );
        CREATE INDEX web_messages_chat ON web_messages (chat_id, id);
        """
    )


@dataclass(frozen=True)
class WebMessage:
    """One line of a resident's page: ``role`` is ``"bot"`` or ``"resident"``."""

    id: int
    role: str
    text: str
    buttons: tuple[tuple[Button, ...], ...]


class WebStore:
    """The ``web_messages`` table, and the pages waiting for a resident's next message."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self._waiting: dict[str, set[asyncio.Event]] = {}

    def add_resident(self, chat_id: str, text: str, message_id: str, now: datetime) -> int | None:
        """Store what the resident sent; None when this message id was stored before."""
        cursor = self.db.execute(
            "INSERT OR IGNORE INTO web_messages (chat_id, role, text, message_id, at)"
            " VALUES (?, 'resident', ?, ?, ?)",
            [chat_id, text, message_id, iso(now)],
        )
        if cursor.rowcount != 1:
            return None
        # No wake: the sending page shows it from the POST's answer, and a waiting poll
        # returning now would cost the page one more request before the bot's reply.
        return int(cursor.lastrowid or 0)

    def add_bot(self, out: Outgoing, now: datetime) -> int:
        """Store a message to the resident (what the sender does) and wake their pages."""
        buttons = json.dumps(
            [[[b.label, b.data] for b in row] for row in out.buttons], ensure_ascii=False
        )
        cursor = self.db.execute(
            "INSERT INTO web_messages (chat_id, role, text, buttons, at)"
            " VALUES (?, 'bot', ?, ?, ?)",
            [out.chat_id, out.text, buttons, iso(now)],
        )
        self._wake(out.chat_id)
        return int(cursor.lastrowid or 0)

    def after(self, chat_id: str, cursor: int, limit: int = 100) -> list[WebMessage]:
        """The resident's messages numbered above ``cursor``, oldest first (at most ``limit``)."""
        rows = self.db.execute(
            "SELECT id, role, text, buttons FROM web_messages WHERE chat_id = ? AND id > ?"
            " ORDER BY id LIMIT ?",
            [chat_id, cursor, limit],
        ).fetchall()
        return [_message(row) for row in rows]

    def latest(self, chat_id: str, limit: int) -> list[WebMessage]:
        """The resident's last ``limit`` messages, oldest first (what a page load shows)."""
        rows = self.db.execute(
            "SELECT id, role, text, buttons FROM web_messages WHERE chat_id = ?"
            " ORDER BY id DESC LIMIT ?",
            [chat_id, limit],
        ).fetchall()
        return [_message(row) for row in reversed(rows)]

    def forget(self, chat_id: str) -> None:
        """Delete the resident's whole history (``/forget``)."""
        self.db.execute("DELETE FROM web_messages WHERE chat_id = ?", [chat_id])

    async def wait(self, chat_id: str, timeout: float, stop: asyncio.Event) -> None:
        """Wait until something is stored for ``chat_id``, ``stop`` is set or ``timeout``."""
        event = asyncio.Event()
        self._waiting.setdefault(chat_id, set()).add(event)
        waiters = [asyncio.ensure_future(event.wait()), asyncio.ensure_future(stop.wait())]
        try:
            await asyncio.wait(waiters, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waiters:
                waiter.cancel()
            events = self._waiting.get(chat_id)
            if events is not None:
                events.discard(event)
                if not events:
                    del self._waiting[chat_id]

    def waiting(self, chat_id: str) -> int:
        """How many pages of this resident are waiting for a message now."""
        return len(self._waiting.get(chat_id, ()))

    def _wake(self, chat_id: str) -> None:
        for event in self._waiting.get(chat_id, ()):
            event.set()


def _message(row: tuple[int, str, str, str]) -> WebMessage:
    rows: list[list[list[str]]] = json.loads(row[3])
    buttons = tuple(tuple(Button(label, data) for label, data in r) for r in rows)
    return WebMessage(id=int(row[0]), role=row[1], text=row[2], buttons=buttons)


class WebSender:
    """Delivers an outbox item to a web resident by storing it in their page's history."""

    channel = CHANNEL

    def __init__(self, store: WebStore, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.clock = clock

    async def send(self, out: Outgoing) -> str:
        """Store ``out`` for the resident's page; its history number is the message id."""
        return str(self.store.add_bot(out, self.clock()))
