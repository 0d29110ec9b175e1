"""The question log: every resident question with its decision, for ratings and statistics.

Each row also keeps what the bot said back (``reply``: the answer's title or the suggested
questions), so that a ticket opened later can show the desk the thread so far.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

import sqlite_utils

from bot.clock import iso
from bot.residents import Resident
from knowledge.db import Migrations, update_row

migrations = Migrations("conversation")


@migrations
def question_log_reply(db: sqlite_utils.Database) -> None:
    """What the bot answered to each logged question (shown in a later ticket's thread)."""
    db.execute("ALTER TABLE question_log ADD COLUMN reply TEXT NOT NULL DEFAULT ''")
    db.execute("CREATE INDEX question_log_resident ON question_log (resident_id, id)")


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
    at: str = ""
    reply: str = ""
    rating: str | None = None


_FIELDS = ", ".join(f.name for f in fields(LoggedQuestion))


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
        reply: str = "",
    ) -> int:
        """Log one question; return its id."""
        row = {
            "at": iso(now), "resident_id": resident_id, "channel": channel,
            "community": community, "text": text, "decision": decision, "entry_id": entry_id,
            "score": score, "category": category, "ticket_id": ticket_id, "reply": reply,
        }
        return self.db.table("question_log").insert(row).last_rowid or 0

    def log(
        self, r: Resident, text: str, decision: str, now: datetime, entry_id: str | None = None,
        score: float | None = None, category: str = "", reply: str = "",
        reuse: int | None = None,
    ) -> int:
        """Count one question of resident ``r`` (or update row ``reuse``); return its id."""
        if reuse is not None:
            self.set(reuse, decision=decision, entry_id=entry_id, score=score,
                     category=category, reply=reply)
            return reuse
        return self.add(
            resident_id=r.id, channel=r.channel, community=r.community, text=text,
            decision=decision, entry_id=entry_id, score=score, category=category, now=now,
            reply=reply,
        )

    def get(self, question_id: int) -> LoggedQuestion | None:
        """The logged question, or None."""
        found = self._select("id = ?", [question_id], limit=1)
        return found[0] if found else None

    def latest(self, resident_id: int) -> LoggedQuestion | None:
        """The resident's most recent question, or None."""
        found = self.recent(resident_id, "", 1)
        return found[0] if found else None

    def recent(self, resident_id: int, since: str, limit: int) -> list[LoggedQuestion]:
        """The resident's questions logged at or after ``since`` (ISO), newest first."""
        return self._select("resident_id = ? AND at >= ?", [resident_id, since], limit=limit)

    def set(self, question_id: int, **changes: object) -> None:
        """Update columns of one logged question (``rating``, ``ticket_id``, ``entry_id``)."""
        update_row(self.db, "question_log", question_id, changes)

    def forget_resident(self, resident_id: int) -> None:
        """Keep the counts, drop the words and the link to the resident."""
        self.db.execute(
            "UPDATE question_log SET text = NULL, resident_id = NULL WHERE resident_id = ?",
            [resident_id],
        )

    def _select(self, where: str, params: list[object], limit: int) -> list[LoggedQuestion]:
        """Logged questions matching ``where``, newest first."""
        rows = self.db.table("question_log").rows_where(
            where, params, select=_FIELDS, order_by="id DESC", limit=limit
        )
        return [LoggedQuestion(**row) for row in rows]
