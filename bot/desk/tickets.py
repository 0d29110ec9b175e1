"""Tickets: a resident's question handed to people, with its transcript and life cycle.

Status moves open → claimed → answered → closed, or to expired when nobody took it in time.
A ticket keeps its community, category, timestamps and rating after the resident asks to be
forgotten; only the words and the address go.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

import sqlite_utils

from bot.clock import iso, parse_iso
from bot.messages import Address
from knowledge.db import update_row

OPEN_STATUSES = ("open", "claimed", "answered")
FINISHED_STATUSES = ("closed", "expired")
REDACTED = ""  # what a forgotten resident's words become (the desk shows a placeholder)


class TicketError(Exception):
    """A ticket action that cannot be done."""


class TicketNotFound(TicketError):
    """No ticket has this number."""


class TicketFinished(TicketError):
    """The ticket is already closed or expired."""


@dataclass(frozen=True)
class Ticket:
    """One row of ``tickets``."""

    id: int
    resident_id: int | None
    channel: str | None
    chat_id: str | None
    community: str | None
    team: str | None
    category: str
    question: str
    status: str
    assignee: str | None
    urgent: int
    created_at: str
    claimed_at: str | None
    first_reply_at: str | None
    answered_at: str | None
    closed_at: str | None
    updated_at: str
    last_reminded_at: str | None
    reminders: int
    rating: int | None

    @property
    def number(self) -> int:
        """The number people use (#12)."""
        return self.id

    @property
    def ref(self) -> str:
        """The outbox ``ref`` of messages about this ticket."""
        return f"ticket:{self.id}"

    @property
    def resident_address(self) -> Address | None:
        """Where the resident is, or None when they asked to be forgotten."""
        if self.channel is None or self.chat_id is None:
            return None
        return Address(self.channel, self.chat_id)

    @property
    def is_open(self) -> bool:
        """True while people may still act on it."""
        return self.status in OPEN_STATUSES

    def created(self) -> datetime:
        """When the ticket was made."""
        return parse_iso(self.created_at)


@dataclass(frozen=True)
class Event:
    """One line of a ticket's transcript."""

    at: str
    role: str  # "resident" | "desk" | "bot"
    author: str
    text: str


_TICKET_COLUMNS = ", ".join(f.name for f in fields(Ticket))


def ticket_number(ref: str | None) -> int | None:
    """The ticket number in an outbox ref such as ``"ticket:12"``, or None."""
    if ref and ref.startswith("ticket:") and ref[7:].isdigit():
        return int(ref[7:])
    return None


class Tickets:
    """The ``tickets`` and ``ticket_events`` tables."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def create(
        self,
        *,
        resident_id: int | None,
        address: Address,
        community: str | None,
        team: str | None,
        category: str,
        question: str,
        urgent: bool,
        now: datetime,
        thread: Sequence[tuple[str, str, str]] = (),
    ) -> Ticket:
        """Open a ticket; its transcript starts with ``thread`` (role, author, text lines:
        the conversation that led here), or with the question alone."""
        stamp = iso(now)
        row = {
            "resident_id": resident_id, "channel": address.channel, "chat_id": address.chat_id,
            "community": community, "team": team, "category": category, "question": question,
            "urgent": int(urgent), "created_at": stamp, "updated_at": stamp,
        }
        number = self.db.table("tickets").insert(row).last_rowid or 0
        for role, author, text in thread or [("resident", "", question)]:
            self.add_event(number, role, author, text, now)
        return self.get(number)

    def get(self, number: int) -> Ticket:
        """The ticket with this number.

        Raises:
            TicketNotFound: there is none.
        """
        rows = self._select("id = ?", [number])
        if not rows:
            raise TicketNotFound(number)
        return rows[0]

    def open_of_resident(self, resident_id: int) -> Ticket | None:
        """The resident's most recent open ticket, or None."""
        rows = self._select(
            "resident_id = ? AND status IN ('open', 'claimed', 'answered')", [resident_id],
            order_by="id DESC", limit=1,
        )
        return rows[0] if rows else None

    def of_resident(self, resident_id: int) -> list[Ticket]:
        """All of the resident's tickets, newest first."""
        return self._select("resident_id = ?", [resident_id], order_by="id DESC")

    def by_status(self, statuses: tuple[str, ...] | None = None) -> list[Ticket]:
        """Tickets (with one of ``statuses`` when given), oldest first."""
        if not statuses:
            return self._select(None, [])
        marks = ", ".join("?" for _ in statuses)
        return self._select(f"status IN ({marks})", list(statuses))

    def add_event(self, number: int, role: str, author: str, text: str, now: datetime) -> None:
        """Append a line to the transcript."""
        self.db.table("ticket_events").insert(
            {"ticket_id": number, "at": iso(now), "role": role, "author": author, "text": text}
        )
        self.db.execute("UPDATE tickets SET updated_at = ? WHERE id = ?", [iso(now), number])

    def events(self, number: int) -> list[Event]:
        """The transcript, oldest first."""
        rows = self.db.table("ticket_events").rows_where(
            "ticket_id = ?", [number], select="at, role, author, text", order_by="id"
        )
        return [Event(**row) for row in rows]

    def last_desk_reply(self, number: int) -> str | None:
        """The latest reply people wrote to the resident, or None."""
        row = self.db.execute(
            "SELECT text FROM ticket_events WHERE ticket_id = ? AND role = 'desk'"
            " ORDER BY id DESC LIMIT 1",
            [number],
        ).fetchone()
        return None if row is None else str(row[0])

    def claim(self, number: int, name: str, now: datetime) -> Ticket:
        """Assign the ticket to ``name`` (status claimed unless already answered)."""
        ticket = self._open(number)
        status = "claimed" if ticket.status == "open" else ticket.status
        self._update(number, now, status=status, assignee=name, claimed_at=iso(now))
        return self.get(number)

    def record_reply(self, number: int, name: str, text: str, now: datetime) -> Ticket:
        """Record a reply to the resident (status answered; the replier assigned if nobody)."""
        ticket = self._open(number)
        changes: dict[str, Any] = {"status": "answered", "answered_at": iso(now)}
        if ticket.first_reply_at is None:
            changes["first_reply_at"] = iso(now)
        if ticket.assignee is None:
            changes["assignee"] = name
            changes["claimed_at"] = iso(now)
        self._update(number, now, **changes)
        self.add_event(number, "desk", name, text, now)
        return self.get(number)

    def close(self, number: int, now: datetime) -> Ticket:
        """Close the ticket."""
        self._open(number)
        self._update(number, now, status="closed", closed_at=iso(now))
        return self.get(number)

    def expire(self, number: int, now: datetime) -> Ticket:
        """Mark the ticket expired (nobody answered in time)."""
        self._update(number, now, status="expired", closed_at=iso(now))
        return self.get(number)

    def rate(self, number: int, rating: int, now: datetime) -> Ticket:
        """Store the resident's rating (1–5)."""
        self._update(number, now, rating=max(1, min(5, rating)))
        return self.get(number)

    def mark_urgent(self, number: int, now: datetime) -> None:
        """Flag the ticket urgent (a follow-up spoke of danger)."""
        self._update(number, now, urgent=1)

    def mark_reminded(self, number: int, now: datetime) -> None:
        """Count one more reminder at ``now``."""
        self.db.execute(
            "UPDATE tickets SET last_reminded_at = ?, reminders = reminders + 1 WHERE id = ?",
            [iso(now), number],
        )

    def forget_resident(self, resident_id: int, now: datetime) -> None:
        """Drop the resident's words and address; open tickets are closed."""
        self.db.execute(
            "UPDATE ticket_events SET text = ? WHERE role = 'resident' AND ticket_id IN"
            " (SELECT id FROM tickets WHERE resident_id = ?)",
            [REDACTED, resident_id],
        )
        self.db.execute(
            "UPDATE tickets SET status = CASE WHEN status IN ('open', 'claimed', 'answered')"
            " THEN 'closed' ELSE status END, closed_at = COALESCE(closed_at, ?),"
            " question = ?, channel = NULL, chat_id = NULL, resident_id = NULL"
            " WHERE resident_id = ?",
            [iso(now), REDACTED, resident_id],
        )

    def _open(self, number: int) -> Ticket:
        ticket = self.get(number)
        if not ticket.is_open:
            raise TicketFinished(number)
        return ticket

    def _update(self, number: int, now: datetime, **changes: Any) -> None:
        changes["updated_at"] = iso(now)
        update_row(self.db, "tickets", number, changes)

    def _select(
        self, where: str | None, params: list[Any], order_by: str = "id", limit: int | None = None
    ) -> list[Ticket]:
        rows = self.db.table("tickets").rows_where(
            where, params, select=_TICKET_COLUMNS, order_by=order_by, limit=limit
        )
        return [Ticket(**row) for row in rows]
