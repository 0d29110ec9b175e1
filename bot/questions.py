"""The question log: every resident question with its decision, for ratings and statistics."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlite_utils

from bot.clock import iso


@dataclass(frozen=True)
class LoggedQuestion:
    """One logged question (``text`` is None once the resident asked to be forgotten)."""

    id: int
    resident_id: int | None
    text: str | None
    decision: str
    entry_id: str | None
    category: str
    ticket_id: int | None


class QuestionLog:
    """The ``question_log`` table."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def add(
        self,
        *,
        resident_id: int,
        channel: str,
        community: str | None,
        text: str,
        decision: str,
        entry_id: str | None,
        score: float | None,
        category: str,
        now: datetime,
        ticket_id: int | None = None,
    ) -> int:
        """Log one question; return its id."""
        cursor = self.db.execute(
            "INSERT INTO question_log (at, resident_id, channel, community, text, decision,"
            " entry_id, score, category, ticket_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [iso(now), resident_id, channel, community, text, decision, entry_id, score,
             category, ticket_id],
        )
        return int(cursor.lastrowid or 0)

    def get(self, question_id: int) -> LoggedQuestion | None:
        """The logged question, or None."""
        row = self.db.execute(
            "SELECT id, resident_id, text, decision, entry_id, category, ticket_id"
            " FROM question_log WHERE id = ?",
            [question_id],
        ).fetchone()
        return None if row is None else LoggedQuestion(*row)

    def latest(self, resident_id: int) -> LoggedQuestion | None:
        """The resident's most recent question, or None."""
        row = self.db.execute(
            "SELECT id FROM question_log WHERE resident_id = ? ORDER BY id DESC LIMIT 1",
            [resident_id],
        ).fetchone()
        return None if row is None else self.get(int(row[0]))

    def set(self, question_id: int, **changes: object) -> None:
        """Update columns of one logged question (``rating``, ``ticket_id``, ``entry_id``)."""
        sets = ", ".join(f"{name} = ?" for name in changes)
        self.db.execute(
            f"UPDATE question_log SET {sets} WHERE id = ?", [*changes.values(), question_id]
        )

    def forget_resident(self, resident_id: int) -> None:
        """Keep the counts, drop the words and the link to the resident."""
        self.db.execute(
            "UPDATE question_log SET text = NULL, resident_id = NULL WHERE resident_id = ?",
            [resident_id],
        )
