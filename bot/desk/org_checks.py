"""Checks of an organisation file beyond its rows' shapes: limits, what an import would wipe
out (``--replace``), and roster lines that are probably mistakes."""

from __future__ import annotations

from datetime import time
from typing import Any

from bot.desk import roster
from bot.desk.org import Organisation, RowError, Shift
from bot.texts import org as t

MAX_ROWS = 5_000  # per sheet / key
MAX_TEXT = 200  # longest name, id or chat id
# fields that may hold a list or mapping
STRUCTURED = {"desk", "days", "dates", "terminal", "specialties", "people"}

Row = tuple[int, dict[str, Any]]


def within_limits(sheets: dict[str, list[Row]], errors: list[RowError]) -> dict[str, list[Row]]:
    """The rows, with every over-long text or misplaced list/mapping reported (and emptied)."""
    kept: dict[str, list[Row]] = {}
    for key, rows in sheets.items():
        if len(rows) > MAX_ROWS:
            errors.append(RowError(key, 0, "", t.TOO_MANY_ROWS.format(limit=MAX_ROWS)))
            rows = rows[:MAX_ROWS]
        kept[key] = []
        for row, values in rows:
            clean = dict(values)
            for field, value in values.items():
                if isinstance(value, dict | list) and field not in STRUCTURED:
                    errors.append(RowError(key, row, field, t.NOT_TEXT))
                    clean[field] = None
                elif isinstance(value, str) and len(value) > MAX_TEXT:
                    message = t.TOO_LONG.format(length=len(value), limit=MAX_TEXT)
                    errors.append(RowError(key, row, field, message))
                    clean[field] = None
            kept[key].append((row, clean))
    return kept


def replace_needed(new: Organisation, current: Organisation) -> list[str]:
    """What importing ``new`` over ``current`` would wipe out (empty: safe without --replace)."""
    problems = []
    staffed = {person.team for person in new.people.values()}
    for team in new.teams:
        if team not in staffed:
            problems.append(t.TEAM_WITHOUT_PEOPLE.format(team=team))
    if current.communities and not new.communities:
        problems.append(t.NO_COMMUNITIES_LEFT.format(count=len(current.communities)))
    return problems


def warnings(org: Organisation) -> list[str]:
    """Roster lines that are probably mistakes: zero-length shifts, one person's overlaps."""
    found = []
    for number, shift in enumerate(org.shifts, start=1):
        if shift.start == shift.end and shift.start != time(0):  # 00:00-24:00 is a whole day
            found.append(t.ZERO_SHIFT.format(
                row=number, person=shift.person, hours=roster.format_hours(shift)
            ))
    for i, first in enumerate(org.shifts):
        for second in org.shifts[i + 1:]:
            if first.person == second.person and _overlap(first, second):
                found.append(t.OVERLAPPING_SHIFTS.format(
                    person=first.person,
                    first=roster.format_hours(first),
                    second=roster.format_hours(second),
                ))
    return found


def _minutes(shift: Shift) -> tuple[int, int]:
    start = shift.start.hour * 60 + shift.start.minute
    end = shift.end.hour * 60 + shift.end.minute
    return start, end if end > start else end + 24 * 60


def _overlap(a: Shift, b: Shift) -> bool:
    same_day = bool(
        set(a.days) & set(b.days)
        or set(a.dates) & set(b.dates)
        or {roster.WEEKDAYS[d.weekday()] for d in a.dates} & set(b.days)
        or {roster.WEEKDAYS[d.weekday()] for d in b.dates} & set(a.days)
    )
    (s1, e1), (s2, e2) = _minutes(a), _minutes(b)
    return same_day and s1 < e2 and s2 < e1
