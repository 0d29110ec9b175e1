"""What the programme reports: consultations, FAQ answers, escalations, time to a person.

Everything is counted in one pass over the question log and the tickets, sliced by community
and (for the monthly report) by local month: :func:`cube`. ``lawbot stats`` and
``lawbot report`` both add slices of that cube up, so their figures always agree.
Ratings come from both paths: 👍/👎 on an answer and the 1–5 rating of a ticket.
"""

from __future__ import annotations

import bisect
import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlite_utils

from bot.clock import iso, parse_iso

ESCALATED = "(ticket_id IS NOT NULL OR decision IN ('escalate', 'urgent', 'human'))"
SATISFIED_STARS = 4  # a ticket rated 4 or 5 is a satisfied resident, 1 or 2 an unsatisfied one
UNSATISFIED_STARS = 2


@dataclass(frozen=True)
class Counts:
    """Counts for one slice (everything, one category, one community)."""

    consultations: int = 0
    answered: int = 0
    suggested: int = 0
    escalated: int = 0


@dataclass
class Figures:
    """The bot's figures for one slice (community, month or both); slices add up."""

    questions: int = 0
    answered: int = 0
    suggested: int = 0
    escalated: int = 0
    urgent: int = 0
    helpful: int = 0
    not_helpful: int = 0
    tickets: int = 0
    waits: list[float] = field(default_factory=list)  # minutes to the first human reply
    stars: list[int] = field(default_factory=list)  # ticket ratings 1-5
    channels: dict[str, int] = field(default_factory=dict)  # questions per channel

    def add(self, other: Figures) -> None:
        """Add ``other``'s figures to these."""
        for name in ("questions", "answered", "suggested", "escalated", "urgent", "helpful",
                     "not_helpful", "tickets"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.waits += other.waits
        self.stars += other.stars
        for channel, n in other.channels.items():
            self.channels[channel] = self.channels.get(channel, 0) + n

    @property
    def mean_reply(self) -> float | None:
        """Mean minutes to the first human reply, or None without answered tickets."""
        return statistics.fmean(self.waits) if self.waits else None

    @property
    def median_reply(self) -> float | None:
        """Median minutes to the first human reply, or None without answered tickets."""
        return statistics.median(self.waits) if self.waits else None

    @property
    def satisfied(self) -> int:
        """👍 on answers plus tickets rated 4–5."""
        return self.helpful + sum(1 for s in self.stars if s >= SATISFIED_STARS)

    @property
    def unsatisfied(self) -> int:
        """👎 on answers plus tickets rated 1–2."""
        return self.not_helpful + sum(1 for s in self.stars if s <= UNSATISFIED_STARS)

    @property
    def rated(self) -> int:
        """Every rating by either path (a 3-star ticket is rated, neither way)."""
        return self.helpful + self.not_helpful + len(self.stars)

    @property
    def satisfaction(self) -> float | None:
        """Share of ratings that are satisfied, or None without ratings."""
        return self.satisfied / self.rated if self.rated else None

    def counts(self) -> Counts:
        """The four question counts of the text table."""
        return Counts(self.questions, self.answered, self.suggested, self.escalated)


@dataclass(frozen=True)
class Cube:
    """Figures by ``(community code or "", month "YYYY-MM" or "")`` and counts by category."""

    slices: dict[tuple[str, str], Figures]
    categories: dict[str, Counts]

    def total(self) -> Figures:
        """Every slice added up."""
        return merged(self.slices.values())

    def by_community(self) -> dict[str, Figures]:
        """Slices added up per community."""
        return _by(self.slices, 0)

    def by_month(self) -> dict[str, Figures]:
        """Slices added up per month."""
        return _by(self.slices, 1)


def merged(slices: Any) -> Figures:
    """A new Figures holding the sum of ``slices``."""
    total = Figures()
    for f in slices:
        total.add(f)
    return total


def _by(slices: dict[tuple[str, str], Figures], part: int) -> dict[str, Figures]:
    out: dict[str, Figures] = {}
    for key, figures in slices.items():
        out.setdefault(key[part], Figures()).add(figures)
    return out


@dataclass(frozen=True)
class Report:
    """The statistics of one period (what ``lawbot stats`` prints)."""

    total: Counts
    urgent: int
    tickets: int
    tickets_answered: int
    median_first_reply_minutes: float | None
    helpful: int
    not_helpful: int
    mean_first_reply_minutes: float | None = None
    satisfied: int = 0
    unsatisfied: int = 0
    rated: int = 0
    by_category: dict[str, Counts] = field(default_factory=dict)
    by_community: dict[str, Counts] = field(default_factory=dict)


def bounds(
    start: date | None, end: date | None, tz: ZoneInfo
) -> tuple[str | None, str | None]:
    """UTC text bounds ``[from, to)`` for local dates ``start``..``end`` (inclusive)."""
    low = iso(datetime.combine(start, time(), tz)) if start else None
    high = iso(datetime.combine(end + timedelta(days=1), time(), tz)) if end else None
    return low, high


def month_starts(start: date, end: date) -> list[date]:
    """The first day of every month from ``start``'s to ``end``'s."""
    months, day = [], start.replace(day=1)
    while day <= end:
        months.append(day)
        day = (day + timedelta(days=32)).replace(day=1)
    return months


def _where(column: str, low: str | None, high: str | None, community: str | None) -> tuple[
    str, list[Any]
]:
    clauses, params = ["1 = 1"], []
    if low:
        clauses.append(f"{column} >= ?")
        params.append(low)
    if high:
        clauses.append(f"{column} < ?")
        params.append(high)
    if community:
        clauses.append("community = ?")
        params.append(community)
    return " AND ".join(clauses), params


def _month_function(db: sqlite_utils.Database, months: list[date], tz: ZoneInfo) -> None:
    """Register ``lawbot_month(at)``: the local month of a stored UTC time, by bisection."""
    starts = [iso(datetime.combine(m, time(), tz)) for m in months]
    labels = [m.strftime("%Y-%m") for m in months]

    def month_of(at: str) -> str:
        i = bisect.bisect_right(starts, at) - 1
        return labels[i] if i >= 0 else ""

    db.conn.create_function("lawbot_month", 1, month_of, deterministic=True)


def cube(
    db: sqlite_utils.Database,
    tz: ZoneInfo,
    start: date | None = None,
    end: date | None = None,
    community: str | None = None,
    monthly: bool = False,
) -> Cube:
    """The figures of local dates ``start``..``end`` (open ends allowed), one community or all.

    With ``monthly`` (both ends needed) the slices are per community and month, else per
    community only (month "").
    """
    low, high = bounds(start, end, tz)
    month = "''"
    if monthly:
        assert start is not None and end is not None
        _month_function(db, month_starts(start, end), tz)
        month = "lawbot_month({})"
    slices: dict[tuple[str, str], Figures] = {}
    where, params = _where("at", low, high, community)
    rows = db.execute(
        f"SELECT COALESCE(community, ''), {month.format('at')}, channel, count(*),"
        " sum(decision = 'answer'), sum(decision = 'suggest'), sum(" + ESCALATED + "),"
        " sum(decision = 'urgent'), sum(rating = 'up'), sum(rating = 'down')"
        f" FROM question_log WHERE {where} GROUP BY 1, 2, 3",
        params,
    ).fetchall()
    for place, when, channel, *numbers in rows:
        n, answered, suggested, escalated, urgent, up, down = (int(v or 0) for v in numbers)
        f = slices.setdefault((place, when), Figures())
        f.add(Figures(n, answered, suggested, escalated, urgent, up, down,
                      channels={channel: n}))
    t_where, t_params = _where("created_at", low, high, community)
    for place, when, created, first, stars in db.execute(
        f"SELECT COALESCE(community, ''), {month.format('created_at')}, created_at,"
        f" first_reply_at, rating FROM tickets WHERE {t_where}",
        t_params,
    ).fetchall():
        f = slices.setdefault((place, when), Figures())
        f.tickets += 1
        if first is not None:
            f.waits.append((parse_iso(first) - parse_iso(created)).total_seconds() / 60)
        if stars is not None:
            f.stars.append(int(stars))
    categories = {
        key: Counts(*(int(v or 0) for v in values))
        for key, *values in db.execute(
            "SELECT COALESCE(category, ''), count(*), sum(decision = 'answer'),"
            f" sum(decision = 'suggest'), sum({ESCALATED}) FROM question_log WHERE {where}"
            " GROUP BY 1 ORDER BY 2 DESC, 1",
            params,
        ).fetchall()
    }
    return Cube(slices, categories)


def report(
    db: sqlite_utils.Database,
    tz: ZoneInfo,
    start: date | None = None,
    end: date | None = None,
    community: str | None = None,
    communities: tuple[str, ...] = (),
) -> Report:
    """The statistics for local dates ``start``..``end`` (open ends allowed), one community.

    ``communities`` (the organisation's codes) are listed in ``by_community`` even without
    any question, first and in that order; other codes seen follow, busiest first.
    """
    c = cube(db, tz, start, end, community)
    total = c.total()
    seen = {code: f.counts() for code, f in c.by_community().items() if f.questions}
    listed = [code for code in communities if community in (None, code)]
    by_community = {code: seen.pop(code, Counts()) for code in listed}
    by_community |= dict(sorted(seen.items(), key=lambda kv: (-kv[1].consultations, kv[0])))
    return Report(
        total=total.counts(),
        urgent=total.urgent,
        tickets=total.tickets,
        tickets_answered=len(total.waits),
        median_first_reply_minutes=total.median_reply,
        helpful=total.helpful,
        not_helpful=total.not_helpful,
        mean_first_reply_minutes=total.mean_reply,
        satisfied=total.satisfied,
        unsatisfied=total.unsatisfied,
        rated=total.rated,
        by_category=c.categories,
        by_community=by_community,
    )
