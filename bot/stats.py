"""What the programme reports: consultations, FAQ answers, escalations, time to a person."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlite_utils

from bot.clock import iso, parse_iso

ESCALATED = "(ticket_id IS NOT NULL OR decision IN ('escalate', 'urgent', 'human'))"


@dataclass(frozen=True)
class Counts:
    """Counts for one slice (everything, one category, one community)."""

    consultations: int = 0
    answered: int = 0
    suggested: int = 0
    escalated: int = 0


@dataclass(frozen=True)
class Report:
    """The statistics of one period."""

    total: Counts
    urgent: int
    tickets: int
    tickets_answered: int
    median_first_reply_minutes: float | None
    helpful: int
    not_helpful: int
    by_category: dict[str, Counts] = field(default_factory=dict)
    by_community: dict[str, Counts] = field(default_factory=dict)


def bounds(
    start: date | None, end: date | None, tz: ZoneInfo
) -> tuple[str | None, str | None]:
    """UTC text bounds ``[from, to)`` for local dates ``start``..``end`` (inclusive)."""
    low = iso(datetime.combine(start, time(), tz)) if start else None
    high = iso(datetime.combine(end + timedelta(days=1), time(), tz)) if end else None
    return low, high


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


def _counts(db: sqlite_utils.Database, where: str, params: list[Any], group: str | None) -> Any:
    select = (
        "count(*), sum(decision = 'answer'), sum(decision = 'suggest'),"
        f" sum({ESCALATED})"
    )
    if group is None:
        row = db.execute(f"SELECT {select} FROM question_log WHERE {where}", params).fetchone()
        return Counts(*(int(v or 0) for v in row))
    rows = db.execute(
        f"SELECT COALESCE({group}, ''), {select} FROM question_log WHERE {where}"
        f" GROUP BY 1 ORDER BY 2 DESC, 1",
        params,
    ).fetchall()
    return {key: Counts(*(int(v or 0) for v in values)) for key, *values in rows}


def report(
    db: sqlite_utils.Database,
    tz: ZoneInfo,
    start: date | None = None,
    end: date | None = None,
    community: str | None = None,
) -> Report:
    """The statistics for local dates ``start``..``end`` (open ends allowed), one community."""
    low, high = bounds(start, end, tz)
    where, params = _where("at", low, high, community)
    total = _counts(db, where, params, None)
    urgent, helpful, not_helpful = db.execute(
        "SELECT sum(decision = 'urgent'), sum(rating = 'up'), sum(rating = 'down')"
        f" FROM question_log WHERE {where}",
        params,
    ).fetchone()
    t_where, t_params = _where("created_at", low, high, community)
    rows = db.execute(
        f"SELECT created_at, first_reply_at FROM tickets WHERE {t_where}", t_params
    ).fetchall()
    waits = [
        (parse_iso(first) - parse_iso(created)).total_seconds() / 60
        for created, first in rows
        if first is not None
    ]
    return Report(
        total=total,
        urgent=int(urgent or 0),
        tickets=len(rows),
        tickets_answered=len(waits),
        median_first_reply_minutes=statistics.median(waits) if waits else None,
        helpful=int(helpful or 0),
        not_helpful=int(not_helpful or 0),
        by_category=_counts(db, where, params, "category"),
        by_community=_counts(db, where, params, "community"),
    )
