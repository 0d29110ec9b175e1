"""Reading one row of the organisation file: cells as text or lists, errors per field."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

from bot.desk import roster
from bot.desk.org import RowError
from bot.texts import org as t

FIELDS = {
    "teams": {"id", "name", "desk", "desk_telegram", "desk_matrix", "desk_terminal",
              "reminder_minutes", "urgent_reminder_minutes"},
    "communities": {"code", "name", "street", "team"},
    "people": {"name", "role", "team", "telegram", "matrix", "terminal", "backup", "specialties"},
    "roster": {"person", "days", "dates", "hours"},
    "pools": {"id", "name", "people"},
    "onsite": {"community", "person", "days", "dates", "hours", "slot_minutes", "place"},
    "legal_aid": {"centre", "address", "phone", "income_standard"},
}
IGNORED = {"note", "notes", "备注"}
MAX_MINUTES = 7 * 24 * 60
CODE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def text(value: Any) -> str:
    """A cell or YAML scalar as stripped text (Excel's 123.0 becomes 123)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def items(value: Any) -> list[Any]:
    """A list field: a YAML list, or a cell separated by ``|`` or ``,``."""
    if value is None:
        return []
    if isinstance(value, list):
        return [v for v in value if text(v)]
    if isinstance(value, str):
        return [p.strip() for p in re.split(r"[|,，、]", value) if p.strip()]
    return [value]


class Checker:
    """Collects errors for one sheet while rows are validated."""

    def __init__(self, sheet: str, errors: list[RowError]) -> None:
        self.sheet = sheet
        self.errors = errors
        self.seen: dict[str, int] = {}

    def error(self, row: int, field: str, message: str) -> None:
        self.errors.append(RowError(self.sheet, row, field, message))

    def required(self, row: int, values: dict[str, Any], field: str) -> str:
        value = text(values.get(field))
        if not value:
            self.error(row, field, t.MISSING)
        return value

    def key(self, row: int, values: dict[str, Any], field: str) -> str:
        """A required short code (letters, digits, - or _) that no earlier row used."""
        value = self.required(row, values, field)
        if value and not CODE.match(value):
            self.error(row, field, t.BAD_CODE.format(value=value))
        self.unique(row, field, value)
        return value

    def unique(self, row: int, field: str, value: str) -> None:
        if value in self.seen:
            self.error(row, field, t.DUPLICATE.format(value=value, first=self.seen[value]))
        elif value:
            self.seen[value] = row

    def known_fields(self, row: int, values: dict[str, Any]) -> None:
        for key in values:
            if key not in FIELDS[self.sheet] and key not in IGNORED:
                self.error(row, key, t.UNKNOWN_FIELD.format(value=key))

    def minutes(self, row: int, values: dict[str, Any], field: str, default: int) -> int:
        raw = text(values.get(field))
        if not raw:
            return default
        if not raw.isascii() or not raw.isdigit() or int(raw[:12]) <= 0:
            self.error(row, field, t.BAD_MINUTES.format(value=raw[:20]))
            return default
        if len(raw) > 12 or int(raw) > MAX_MINUTES:
            self.error(row, field, t.MINUTES_TOO_LARGE.format(value=raw[:20], limit=MAX_MINUTES))
            return default
        return int(raw)


def when(
    check: Checker, row: int, values: dict[str, Any]
) -> tuple[tuple[str, ...], tuple[date, ...], time, time] | None:
    """The ``days``, ``dates`` and ``hours`` of a roster or on-site row (None: bad hours)."""
    days: tuple[str, ...] = ()
    try:
        days = roster.parse_days([text(d) for d in items(values.get("days"))])
    except ValueError as exc:
        check.error(row, "days", t.BAD_DAY.format(value=exc.args[0]))
    dates: list[date] = []
    for item in items(values.get("dates")):
        try:
            dates.append(date.fromisoformat(text(item)))
        except ValueError:
            check.error(row, "dates", t.BAD_DATE.format(value=text(item)))
    if not items(values.get("days")) and not items(values.get("dates")):
        check.error(row, "days/dates", t.NO_DAYS)
    hours = check.required(row, values, "hours")
    if not hours:
        return None
    try:
        start, end = roster.parse_hours(hours)
    except ValueError:
        check.error(row, "hours", t.BAD_HOURS.format(value=hours))
        return None
    return days, tuple(sorted(set(dates))), start, end
