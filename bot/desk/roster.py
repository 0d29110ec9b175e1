"""Who is on duty when: the roster read in the organisation's time zone.

A shift happens on each day that matches its weekdays or dates and starts at ``start`` on
that day; it ends at ``end`` the same day, or the next day when ``end <= start`` (overnight:
a Friday 22:00-06:00 shift covers Saturday 03:00). 00:00-24:00 is a whole day.

A person's *duty period* is a stretch of time they are on duty without a break: shifts that
touch or overlap (Mon 00:00-24:00 then Tue 00:00-24:00) make one period, so a person always
on duty has no period that starts.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.desk.org import Organisation, Person, Shift

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
LOOKAHEAD = timedelta(days=14)
# Shifts last at most 24 hours, so a period never reaches back more than a day; two days of
# margin lets periods that started before the window be merged and not counted as starts.
_MARGIN = timedelta(days=2)
_ROLE_ORDER = {"adviser": 0, "lead": 1, "volunteer": 2}

_DAY_ALIASES = {
    **{d: d for d in WEEKDAYS},
    **{name: WEEKDAYS[i] for i, name in enumerate(
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))},
    **{f"{p}{c}": WEEKDAYS[i] for p in ("周", "星期") for i, c in enumerate("一二三四五六日")},
    "周天": "sun", "星期天": "sun",
}
_EVERY_DAY = {"daily", "every day", "everyday", "每天", "每日"}
_HOURS = re.compile(r"^(\d{1,2})[:：](\d{2})\s*[-–~～至]\s*(\d{1,2})[:：](\d{2})$")


def parse_hours(text: str) -> tuple[time, time]:
    """``"09:00-18:00"`` → (09:00, 18:00); ``"00:00-24:00"`` → (00:00, 00:00), a whole day.

    Raises:
        ValueError: not ``HH:MM-HH:MM`` with real clock times (24:00 only as an end).
    """
    m = _HOURS.match(text.strip())
    if not m:
        raise ValueError(text)
    h1, m1, h2, m2 = (int(g) for g in m.groups())
    if h1 > 23 or m1 > 59 or m2 > 59 or h2 > 24 or (h2 == 24 and m2 != 0):
        raise ValueError(text)
    return time(h1, m1), time(h2 % 24, m2)


def format_hours(shift: Shift) -> str:
    """The shift's hours as written in the file (``00:00-24:00`` for a whole day)."""
    end = "24:00" if shift.start == shift.end == time(0) else shift.end.strftime("%H:%M")
    return f"{shift.start.strftime('%H:%M')}-{end}"


def parse_days(items: list[str]) -> tuple[str, ...]:
    """Weekday words (``mon``, ``Monday``, ``周一``, ranges ``mon-fri``, ``每天``) → mon..sun.

    Raises:
        ValueError: carrying the first word that is not a weekday.
    """
    found: set[str] = set()
    for raw in items:
        word = raw.strip().lower()
        if word in _EVERY_DAY:
            found.update(WEEKDAYS)
            continue
        if "-" in word or "至" in word:
            first, _, last = re.split(r"(-|至)", word, maxsplit=1)
            a, b = _DAY_ALIASES.get(first.strip()), _DAY_ALIASES.get(last.strip())
            if a is None or b is None:
                raise ValueError(raw)
            i, j = WEEKDAYS.index(a), WEEKDAYS.index(b)
            span = range(i, j + 1) if i <= j else [*range(i, 7), *range(0, j + 1)]
            found.update(WEEKDAYS[k] for k in span)
            continue
        day = _DAY_ALIASES.get(word)
        if day is None:
            raise ValueError(raw)
        found.add(day)
    return tuple(d for d in WEEKDAYS if d in found)


def _works_on(shift: Shift, day: date) -> bool:
    return WEEKDAYS[day.weekday()] in shift.days or day in shift.dates


def _occurrences(
    shift: Shift, first: date, last: date, tz: ZoneInfo
) -> list[tuple[datetime, datetime]]:
    """The shift's (start, end) in UTC for each day from ``first`` to ``last`` it works."""
    found = []
    day = first
    while day <= last:
        if _works_on(shift, day):
            start = datetime.combine(day, shift.start, tzinfo=tz)
            end_day = day + timedelta(days=1) if shift.end <= shift.start else day
            end = datetime.combine(end_day, shift.end, tzinfo=tz)
            found.append((start.astimezone(UTC), end.astimezone(UTC)))
        day += timedelta(days=1)
    return found


def _shifts_of(org: Organisation, who: str | set[str]) -> list[tuple[int, Person, Shift]]:
    """Shifts of a team's people (``who`` a team id) or of the people named in ``who``, with
    their roster position for stable ordering."""
    found = []
    for i, shift in enumerate(org.shifts):
        person = org.people.get(shift.person)
        if person is None:
            continue
        if person.team == who if isinstance(who, str) else person.name in who:
            found.append((i, person, shift))
    return found


def _periods(
    org: Organisation, who: str | set[str], start: datetime, end: datetime, tz: ZoneInfo
) -> list[tuple[datetime, datetime, int, Person]]:
    """Each person's merged duty periods overlapping [start - margin, end], in UTC."""
    first = (start - _MARGIN).astimezone(tz).date()
    last = end.astimezone(tz).date()
    by_person: dict[str, list[tuple[datetime, datetime, int]]] = {}
    people: dict[str, Person] = {}
    for pos, person, shift in _shifts_of(org, who):
        people[person.name] = person
        for s, e in _occurrences(shift, first, last, tz):
            by_person.setdefault(person.name, []).append((s, e, pos))
    periods = []
    for name, spans in by_person.items():
        spans.sort()
        cur_s, cur_e, cur_pos = spans[0]
        for s, e, pos in spans[1:]:
            if s <= cur_e:
                cur_e = max(cur_e, e)
            else:
                periods.append((cur_s, cur_e, cur_pos, people[name]))
                cur_s, cur_e, cur_pos = s, e, pos
        periods.append((cur_s, cur_e, cur_pos, people[name]))
    return periods


def _rank(person: Person, pos: int) -> tuple[int, int]:
    return (_ROLE_ORDER.get(person.role, 9), pos)


def on_duty(
    org: Organisation, who: str | set[str], now: datetime, tz: ZoneInfo
) -> list[Person]:
    """The team's people (``who`` a team id), or the people named in ``who``, on duty at
    ``now``: advisers first, then leads, then volunteers."""
    best: dict[str, tuple[tuple[int, int], Person]] = {}
    for s, e, pos, person in _periods(org, who, now, now, tz):
        if s <= now < e:
            rank = _rank(person, pos)
            if person.name not in best or rank < best[person.name][0]:
                best[person.name] = (rank, person)
    return [p for _, p in sorted(best.values(), key=lambda rp: rp[0])]


def duty_starts_between(
    org: Organisation, who: str | set[str], start: datetime, end: datetime, tz: ZoneInfo
) -> list[tuple[datetime, Person]]:
    """Duty periods of the team (``who`` a team id), or of the people named in ``who``, that
    start in ``(start, end]``, in time order (local time).

    The window is open at its start and closed at its end, so polling with consecutive
    windows (last check, now] reports every start exactly once.
    """
    found = [
        (s, _rank(person, pos), person)
        for s, _e, pos, person in _periods(org, who, start, end, tz)
        if start < s <= end
    ]
    found.sort(key=lambda item: (item[0], item[1]))
    return [(s.astimezone(tz), person) for s, _rank_, person in found]


def next_duty(
    org: Organisation, team_id: str, now: datetime, tz: ZoneInfo
) -> tuple[datetime, Person] | None:
    """The first duty period of the team starting after ``now`` (within 14 days), and who.

    When two start together an adviser is named before a volunteer.
    """
    starts = duty_starts_between(org, team_id, now, now + LOOKAHEAD, tz)
    return starts[0] if starts else None
