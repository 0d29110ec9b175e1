"""Private notes on tickets and canned replies per team: what desk staff keep for each other.

Neither ever reaches a resident: a note is shown only on the console's ticket page; a canned
reply is sent only when someone chooses it, as their own reply through ``/reply``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlite_utils

from bot.clock import iso
from knowledge.db import Migrations, changes, count_changes

migrations = Migrations("console_notes")
MAX_NOTE = 2000


@migrations
def create_notes(db: sqlite_utils.Database) -> None:
    """Ticket notes and canned replies (no foreign keys: tickets may be purged)."""
    db.executescript(
        """
        CREATE TABLE ticket_notes (
            id INTEGER PRIMARY KEY AUTOINCREMENT, ticket INTEGER NOT NULL, at TEXT NOT NULL,
            author TEXT NOT NULL, text TEXT NOT NULL
        );
        CREATE INDEX ticket_notes_ticket ON ticket_notes (ticket, id);
        CREATE TABLE canned_replies (
            id INTEGER PRIMARY KEY AUTOINCREMENT, team TEXT NOT NULL, text TEXT NOT NULL,
            author TEXT NOT NULL, at TEXT NOT NULL
        );
        """
    )


# What a change to the desk is: a ticket made or changed, a line of a transcript, a note, a
# canned reply. Triggers count them, so every writer (a chat desk, the web chat, reminders,
# `lawbot tickets` in another process) is seen without any of them knowing the console.
WATCHED = ("tickets", "ticket_events", "ticket_notes", "canned_replies")


@migrations
def count_desk_changes(db: sqlite_utils.Database) -> None:
    """One counter every change to the desk's tables advances (what live pages wait on)."""
    count_changes(db, "desk_revision", WATCHED)


def desk_revision(db: sqlite_utils.Database) -> int:
    """The desk's change counter: it differs from an earlier reading after any change."""
    return changes(db, "desk_revision")


@dataclass(frozen=True)
class Note:
    """One line someone kept on a ticket (or one canned reply)."""

    id: int
    at: str
    author: str
    text: str


class Notes:
    """The ``ticket_notes`` and ``canned_replies`` tables."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def add_note(self, ticket: int, author: str, text: str, now: datetime) -> None:
        """Keep ``text`` on ``ticket``."""
        self.db.execute(
            "INSERT INTO ticket_notes (ticket, at, author, text) VALUES (?, ?, ?, ?)",
            [ticket, iso(now), author, text[:MAX_NOTE]],
        )

    def notes(self, ticket: int) -> list[Note]:
        """The ticket's notes, oldest first."""
        rows = self.db.execute(
            "SELECT id, at, author, text FROM ticket_notes WHERE ticket = ? ORDER BY id", [ticket]
        )
        return [Note(*r) for r in rows.fetchall()]

    def add_canned(self, team: str, author: str, text: str, now: datetime) -> None:
        """A reply the team's desk can send with one click."""
        self.db.execute(
            "INSERT INTO canned_replies (team, text, author, at) VALUES (?, ?, ?, ?)",
            [team, text[:MAX_NOTE], author, iso(now)],
        )

    def canned(self, team: str) -> list[Note]:
        """The team's canned replies, in the order added."""
        rows = self.db.execute(
            "SELECT id, at, author, text FROM canned_replies WHERE team = ? ORDER BY id", [team]
        )
        return [Note(*r) for r in rows.fetchall()]

    def remove_canned(self, team: str, id: int) -> bool:
        """Remove canned reply ``id`` of ``team``; False when there is none."""
        cursor = self.db.execute(
            "DELETE FROM canned_replies WHERE id = ? AND team = ?", [id, team]
        )
        return cursor.rowcount > 0
