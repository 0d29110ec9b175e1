"""The work log (台账): the adviser's offline services, recorded beside the bot's figures.

One row per service or event: its type, community (code), local date, a count (for
法治宣传 the number of participants), minutes spent, a short note and who did it. Rows come
from ``lawbot log add``, from a spreadsheet (read by :func:`knowledge.io.read_rows`, the same
reader as the FAQ importer) or from a closed ticket (type 网上咨询, linked by ``ticket_id``,
so the report does not count the question twice).
"""

from __future__ import annotations

import builtins
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import sqlite_utils

from bot.clock import iso, parse_iso
from bot.desk.org import Organisation
from bot.desk.tickets import TicketNotFound, Tickets
from bot.texts import report as t
from knowledge.db import Migrations
from knowledge.faqcheck import clean_text
from knowledge.io import RawRow, read_rows

migrations = Migrations("worklog")

TYPES = ("现场咨询", "电话咨询", "法律意见书", "人民调解", "法治宣传", "法律援助转介", "其他")
TICKET_TYPE = "网上咨询"  # only for a ticket logged by `lawbot log ticket`
COLUMNS = ("type", "community", "date", "count", "note", "person", "minutes")
REQUIRED = ("type", "community", "date", "count", "note")
NOTE_LIMIT = 200
PERSON_LIMIT = 40
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")


@migrations
def create_work_log(db: sqlite_utils.Database) -> None:
    """The ``work_log`` table, one row per offline service or event."""
    db.executescript(
        """
        CREATE TABLE work_log (
            id INTEGER PRIMARY KEY,
            type TEXT NOT NULL,
            community TEXT NOT NULL,
            day TEXT NOT NULL,
            count INTEGER NOT NULL DEFAULT 1,
            minutes INTEGER,
            note TEXT NOT NULL DEFAULT '',
            person TEXT NOT NULL DEFAULT '',
            ticket_id INTEGER UNIQUE,
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX work_log_day ON work_log (day);
        """
    )


@dataclass(frozen=True)
class WorkEntry:
    """One work-log row (``id`` 0 until stored)."""

    type: str
    community: str
    day: date
    count: int = 1
    minutes: int | None = None
    note: str = ""
    person: str = ""
    ticket_id: int | None = None
    id: int = 0


@dataclass(frozen=True)
class LogError:
    """One problem: the row (header = 1; 0 for a command), its field and the message."""

    row: int
    field: str
    message: str

    def __str__(self) -> str:
        label = t.FIELD_LABELS.get(self.field, self.field)
        if self.row == 0:
            return f"[{label}]：{self.message}"
        return t.ROW_ERROR.format(row=self.row, field=label, message=self.message)


class LogImportFailed(Exception):
    """Some rows were bad; nothing was written. ``errors`` lists every one."""

    def __init__(self, errors: list[LogError]) -> None:
        heading = t.IMPORT_FAILED.format(count=len(errors))
        super().__init__("\n".join([heading, *(f"  {e}" for e in errors)]))
        self.errors = errors


class TicketNotLoggable(Exception):
    """The ticket does not exist, is not closed, has no community or is already logged."""


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = clean_text(value)
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _number(value: Any, low: int) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = clean_text(value)
    if not text.isdigit() or int(text) < low:
        return None
    return int(text)


def parse_row(raw: RawRow, org: Organisation) -> tuple[WorkEntry | None, list[LogError]]:
    """The entry a row describes, or every problem with it (row and field named)."""
    v, n = raw.values, raw.row
    errors: list[LogError] = []
    kind = clean_text(v.get("type"))
    if kind not in TYPES:
        message = t.MISSING if not kind else t.BAD_TYPE.format(value=kind, types="、".join(TYPES))
        errors.append(LogError(n, "type", message))
    names = {c.name: c.code for c in org.communities.values()}
    place = clean_text(v.get("community"))
    code = place if place in org.communities else names.get(place)
    if code is None:
        message = t.MISSING if not place else t.BAD_COMMUNITY.format(value=place)
        errors.append(LogError(n, "community", message))
    day = _day(v.get("date"))
    if day is None:
        raw_day = clean_text(v.get("date"))
        errors.append(LogError(n, "date", t.BAD_DATE.format(value=raw_day) if raw_day
                               else t.MISSING))
    count = 1 if clean_text(v.get("count")) == "" else _number(v.get("count"), 1)
    if count is None:
        errors.append(LogError(n, "count", t.BAD_NUMBER.format(low=1, value=v.get("count"))))
    minutes = None if clean_text(v.get("minutes")) == "" else _number(v.get("minutes"), 0)
    if minutes is None and clean_text(v.get("minutes")) != "":
        errors.append(LogError(n, "minutes", t.BAD_NUMBER.format(low=0, value=v.get("minutes"))))
    note, person = clean_text(v.get("note")), clean_text(v.get("person"))
    for name, text, limit in (("note", note, NOTE_LIMIT), ("person", person, PERSON_LIMIT)):
        if len(text) > limit:
            errors.append(LogError(n, name, t.TOO_LONG.format(limit=limit)))
    if errors:
        return None, errors
    assert code is not None and day is not None and count is not None
    return WorkEntry(kind, code, day, count, minutes, note, person), []


_COLUMNS = ", ".join(f.name for f in fields(WorkEntry))


class WorkLog:
    """The ``work_log`` table."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def add_all(self, entries: list[WorkEntry], by: str, now: datetime) -> list[int]:
        """Store ``entries`` in one transaction; return their ids."""
        ids = []
        with self.db.atomic():
            for e in entries:
                row = {**asdict(e), "day": e.day.isoformat(), "created_at": iso(now),
                       "created_by": by}
                del row["id"]
                ids.append(self.db.table("work_log").insert(row).last_rowid or 0)
        return ids

    def add(self, values: dict[str, Any], by: str, now: datetime) -> WorkEntry:
        """Validate one entry given as column values (as a command gives them) and store it.

        Raises:
            LogImportFailed: naming every bad field; nothing is stored.
        """
        entry, errors = parse_row(RawRow(0, values), Organisation.load(self.db))
        if entry is None:
            raise LogImportFailed(errors)
        (new_id,) = self.add_all([entry], by, now)
        return self.get(new_id)

    def import_file(self, path: str | Path, by: str, now: datetime) -> int:
        """Import a CSV/XLSX/JSONL work log, all or nothing; return the rows written.

        Raises:
            knowledge.io.UnsupportedFormat: for another extension.
            LogImportFailed: naming every bad row and field; nothing is written.
        """
        rows, read_errors = read_rows(path, COLUMNS, REQUIRED, "log")
        errors = [LogError(e.row, e.field, e.message) for e in read_errors]
        org = Organisation.load(self.db)
        entries = []
        for raw in rows:
            entry, row_errors = parse_row(raw, org)
            errors += row_errors
            if entry is not None:
                entries.append(entry)
        if errors:
            raise LogImportFailed(errors)
        return len(self.add_all(entries, by, now))

    def log_ticket(
        self, number: int, person: str | None, minutes: int | None, tz: ZoneInfo, now: datetime
    ) -> WorkEntry:
        """Log a closed ticket as one 网上咨询 on the day it was closed.

        Raises:
            TicketNotLoggable: with the reason in Chinese.
        """
        try:
            ticket = Tickets(self.db).get(number)
        except TicketNotFound:
            raise TicketNotLoggable(t.TICKET_NOT_FOUND.format(number=number)) from None
        if ticket.status != "closed" or ticket.closed_at is None:
            raise TicketNotLoggable(
                t.TICKET_NOT_CLOSED.format(number=number, status=ticket.status)
            )
        if not ticket.community:
            raise TicketNotLoggable(t.TICKET_NO_COMMUNITY.format(number=number))
        for logged in self.db.table("work_log").rows_where("ticket_id = ?", [number], limit=1):
            raise TicketNotLoggable(t.TICKET_ALREADY_LOGGED.format(number=number, id=logged["id"]))
        entry = WorkEntry(
            type=TICKET_TYPE,
            community=ticket.community,
            day=parse_iso(ticket.closed_at).astimezone(tz).date(),
            minutes=minutes,
            note=t.TICKET_NOTE.format(number=number, category=ticket.category or "—"),
            person=person or ticket.assignee or "",
            ticket_id=number,
        )
        (new_id,) = self.add_all([entry], person or "", now)
        return self.get(new_id)

    def get(self, entry_id: int) -> WorkEntry:
        """The entry with this id (it must exist)."""
        (entry,) = self._select("id = ?", [entry_id])
        return entry

    def list(
        self, start: date | None = None, end: date | None = None, community: str | None = None
    ) -> builtins.list[WorkEntry]:
        """Entries of local dates ``start``..``end`` (inclusive, open ends), by date."""
        clauses, params = ["1 = 1"], []
        if start:
            clauses.append("day >= ?")
            params.append(start.isoformat())
        if end:
            clauses.append("day <= ?")
            params.append(end.isoformat())
        if community:
            clauses.append("community = ?")
            params.append(community)
        return self._select(" AND ".join(clauses), params)

    def _select(self, where: str, params: builtins.list[Any]) -> builtins.list[WorkEntry]:
        rows = self.db.table("work_log").rows_where(
            where, params, select=_COLUMNS, order_by="day, id"
        )
        return [WorkEntry(**{**row, "day": date.fromisoformat(row["day"])}) for row in rows]


@dataclass(frozen=True)
class Tally:
    """Work-log totals of one type in one slice: rows (events), their counts and minutes."""

    rows: int
    count: int
    minutes: int


def totals(
    db: sqlite_utils.Database, start: date, end: date
) -> dict[tuple[str, str], dict[str, Tally]]:
    """Per ``(community, "YYYY-MM")`` and type, the tallies of local dates ``start``..``end``.

    Rows logged from a ticket are left out: their question is already one of the bot's.
    """
    out: dict[tuple[str, str], dict[str, Tally]] = {}
    for community, month, kind, rows, count, minutes in db.execute(
        "SELECT community, substr(day, 1, 7), type, count(*), sum(count),"
        " COALESCE(sum(minutes), 0) FROM work_log"
        " WHERE day >= ? AND day <= ? AND ticket_id IS NULL GROUP BY 1, 2, 3",
        [start.isoformat(), end.isoformat()],
    ).fetchall():
        out.setdefault((community, month), {})[kind] = Tally(rows, count, minutes)
    return out
