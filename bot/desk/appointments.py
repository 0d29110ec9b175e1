"""On-site appointments (线下预约): free slots from the organisation's on-site hours, bookings
that cannot collide, reminders, and marking an appointment held (logged as 现场咨询).

A slot is (community, person, start). The ``appointments`` table has a UNIQUE index over the
slot of every booking not cancelled, so two residents (or two processes) booking the same
slot at once cannot both succeed: the second INSERT fails and :class:`SlotTaken` is raised.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlite_utils

from bot.clock import iso, parse_iso
from bot.desk.org import Onsite, Organisation
from bot.desk.roster import WEEKDAYS
from bot.texts import report as rpt
from bot.worklog import WorkEntry, WorkLog
from knowledge.db import Migrations

migrations = Migrations("appointments")

LOOKAHEAD_DAYS = 14
MIN_NOTICE = timedelta(hours=1)  # a slot starting sooner is not offered
DAY_BEFORE = timedelta(hours=24)
HOUR_BEFORE = timedelta(hours=1)
ACTIVE = ("booked", "held")


class SlotTaken(Exception):
    """Someone else booked this slot first (or it is not a slot of the on-site hours)."""


class AppointmentNotFound(Exception):
    """No appointment with this id."""


class NotBooked(Exception):
    """Only a booked appointment can be marked held (this one is cancelled or held)."""

    def __init__(self, status: str) -> None:
        super().__init__(status)
        self.status = status


@dataclass(frozen=True)
class Slot:
    """One bookable on-site slot, in UTC."""

    community: str
    person: str
    start: datetime
    minutes: int
    place: str

    def key(self, tz: ZoneInfo) -> str:
        """The slot's local start as ``YYYYMMDDTHHMM`` (what a booking button carries)."""
        return self.start.astimezone(tz).strftime("%Y%m%dT%H%M")


@dataclass(frozen=True)
class Appointment:
    """One row of ``appointments``."""

    id: int
    community: str
    person: str
    starts_at: str
    minutes: int
    place: str
    resident_id: int | None
    channel: str | None
    chat_id: str | None
    ticket_id: int | None
    status: str
    created_at: str
    reminded: str
    updated_at: str

    @property
    def start(self) -> datetime:
        """When it starts (UTC)."""
        return parse_iso(self.starts_at)


@migrations
def create_appointments(db: sqlite_utils.Database) -> None:
    """Bookings of on-site slots; no two active ones for the same slot."""
    db.executescript(
        """
        CREATE TABLE appointments (
            id INTEGER PRIMARY KEY, community TEXT NOT NULL, person TEXT NOT NULL,
            starts_at TEXT NOT NULL, minutes INTEGER NOT NULL, place TEXT NOT NULL,
            resident_id INTEGER, channel TEXT, chat_id TEXT, ticket_id INTEGER,
            status TEXT NOT NULL, created_at TEXT NOT NULL, reminded TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL);
        CREATE UNIQUE INDEX appointments_one_per_slot
            ON appointments (community, person, starts_at) WHERE status != 'cancelled';
        CREATE INDEX appointments_by_resident ON appointments (resident_id, status);
        """
    )


def _works_on(hours: Onsite, day: date) -> bool:
    return WEEKDAYS[day.weekday()] in hours.days or day in hours.dates


def all_slots(
    org: Organisation, community: str, first: date, last: date, tz: ZoneInfo
) -> list[Slot]:
    """Every slot of the community's on-site hours from ``first`` to ``last`` (local days)."""
    found = []
    day = first
    while day <= last:
        for hours in org.onsite:
            if hours.community != community or not _works_on(hours, day):
                continue
            start = datetime.combine(day, hours.start, tzinfo=tz)
            end = datetime.combine(day, hours.end, tzinfo=tz)
            step = timedelta(minutes=hours.slot_minutes)
            while start + step <= end:
                found.append(Slot(community, hours.person, start.astimezone(ZoneInfo("UTC")),
                                  hours.slot_minutes, hours.place))
                start += step
        day += timedelta(days=1)
    return sorted(found, key=lambda s: (s.start, s.person))


class Appointments:
    """The appointments table: free slots, booking, cancelling, reminders, marking held."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def free_slots(
        self, org: Organisation, community: str, now: datetime, tz: ZoneInfo
    ) -> list[Slot]:
        """The community's slots from an hour from now to 14 days ahead not yet booked."""
        today = now.astimezone(tz).date()
        slots = all_slots(org, community, today, today + timedelta(days=LOOKAHEAD_DAYS), tz)
        taken = {
            (r["person"], r["starts_at"])
            for r in self.db.query(
                "SELECT person, starts_at FROM appointments WHERE community = ?"
                " AND status != 'cancelled' AND starts_at >= ?", [community, iso(now)],
            )
        }
        return [
            s for s in slots
            if s.start >= now + MIN_NOTICE and (s.person, iso(s.start)) not in taken
        ]

    def book(
        self, org: Organisation, community: str, key: str, person: str, now: datetime,
        tz: ZoneInfo, resident: tuple[int, str, str], ticket_id: int | None = None,
    ) -> Appointment:
        """Book the slot starting at local ``key`` (``YYYYMMDDTHHMM``) with ``person``.

        ``resident`` is (resident id, channel, chat id).

        Raises:
            SlotTaken: the slot is booked already, past, or not in the on-site hours.
        """
        try:
            local = datetime.strptime(key, "%Y%m%dT%H%M").replace(tzinfo=tz)
        except ValueError as exc:
            raise SlotTaken(key) from exc
        day = local.date()
        slot = next(
            (s for s in all_slots(org, community, day, day, tz)
             if s.start == local and s.person == person),
            None,
        )
        if slot is None or slot.start < now + MIN_NOTICE:
            raise SlotTaken(key)
        resident_id, channel, chat_id = resident
        try:
            with self.db.atomic():
                cursor = self.db.execute(
                    "INSERT INTO appointments (community, person, starts_at, minutes, place,"
                    " resident_id, channel, chat_id, ticket_id, status, created_at, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'booked', ?, ?)",
                    [community, person, iso(slot.start), slot.minutes, slot.place,
                     resident_id, channel, chat_id, ticket_id, iso(now), iso(now)],
                )
        except sqlite3.IntegrityError as exc:
            raise SlotTaken(key) from exc
        return self.get(int(cursor.lastrowid or 0))

    def get(self, appointment_id: int) -> Appointment:
        """The appointment with this id.

        Raises:
            AppointmentNotFound: there is none.
        """
        rows = list(self.db.query("SELECT * FROM appointments WHERE id = ?", [appointment_id]))
        if not rows:
            raise AppointmentNotFound(appointment_id)
        return _row(rows[0])

    def upcoming_of(self, resident_id: int, now: datetime) -> list[Appointment]:
        """The resident's booked appointments that have not started yet, soonest first."""
        return [_row(r) for r in self.db.query(
            "SELECT * FROM appointments WHERE resident_id = ? AND status = 'booked'"
            " AND starts_at > ? ORDER BY starts_at", [resident_id, iso(now)],
        )]

    def on_day(self, day: date, tz: ZoneInfo) -> list[Appointment]:
        """Every appointment not cancelled on the local ``day``, in time order."""
        start = datetime.combine(day, datetime.min.time(), tzinfo=tz)
        return [_row(r) for r in self.db.query(
            "SELECT * FROM appointments WHERE status != 'cancelled' AND starts_at >= ?"
            " AND starts_at < ? ORDER BY starts_at, person",
            [iso(start), iso(start + timedelta(days=1))],
        )]

    def set_status(self, appointment_id: int, status: str, now: datetime) -> Appointment:
        """Mark the appointment ``cancelled`` or ``held``."""
        self.db.execute(
            "UPDATE appointments SET status = ?, updated_at = ? WHERE id = ?",
            [status, iso(now), appointment_id],
        )
        return self.get(appointment_id)

    def mark_held(
        self, appointment_id: int, minutes: int | None, now: datetime, tz: ZoneInfo
    ) -> tuple[Appointment, int]:
        """Mark a booked appointment held and log one 现场咨询 in the work log (one
        transaction); returns it and the work-log id.

        Raises:
            AppointmentNotFound: no such appointment.
            NotBooked: it was cancelled or is already held; nothing changes.
        """
        appointment = self.get(appointment_id)
        if appointment.status != "booked":
            raise NotBooked(appointment.status)
        entry = WorkEntry(
            "现场咨询", appointment.community, appointment.start.astimezone(tz).date(), 1,
            minutes, rpt.ONSITE_LOG_NOTE.format(id=appointment.id), appointment.person,
            appointment.ticket_id,
        )
        with self.db.atomic():
            held = self.set_status(appointment_id, "held", now)
            (log_id,) = WorkLog(self.db).add_all([entry], appointment.person, now)
        return held, log_id

    def due_reminders(self, now: datetime) -> list[tuple[Appointment, str]]:
        """Booked appointments whose day-before or hour-before reminder is due at ``now``,
        each with which one (``day`` / ``hour``), marked as reminded.

        A reminder is due once its moment has passed and the appointment has not started;
        one whose moment was already past when it was booked is not sent.
        """
        due: list[tuple[Appointment, str]] = []
        rows = self.db.query(
            "SELECT * FROM appointments WHERE status = 'booked' AND reminded != 'hour'"
            " AND starts_at > ?", [iso(now)],
        )
        for appointment in [_row(r) for r in rows]:
            created, start = parse_iso(appointment.created_at), appointment.start
            kind = ""
            if now >= start - HOUR_BEFORE and created < start - HOUR_BEFORE:
                kind = "hour"
            elif (now >= start - DAY_BEFORE and created < start - DAY_BEFORE
                  and appointment.reminded == ""):
                kind = "day"
            if kind:
                self.db.execute(
                    "UPDATE appointments SET reminded = ? WHERE id = ?", [kind, appointment.id]
                )
                due.append((appointment, kind))
        return due


def _row(row: dict[str, Any]) -> Appointment:
    return Appointment(**row)
