"""The programme report's figures: every community and street, month by month, by category.

The five service types the district evaluates come from the work log (台账) and the bot:
legal consultations (现场 + 电话 from the log, plus every question residents put to the bot),
legal opinions, mediations, publicity events (rows; their counts are the audience) and
legal-aid referrals. The bot's own figures come from :func:`bot.stats.cube`, so they agree
with ``lawbot stats`` for the same dates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlite_utils

from bot.desk.org import Organisation
from bot.stats import Counts, Figures, cube, month_starts
from bot.texts import report as t
from bot.worklog import Tally, totals

# Summary columns taken from work-log counts, by type.
LOG_COUNTS = {"onsite": "现场咨询", "phone": "电话咨询", "opinions": "法律意见书",
              "mediations": "人民调解", "legal_aid": "法律援助转介", "other": "其他"}
PUBLICITY = "法治宣传"
OFFLINE_CHANNELS = ("onsite", "phone")
CHANNEL_ORDER = ("telegram", "matrix", "web", "terminal")


@dataclass
class Slice:
    """The bot's figures and the work-log tallies of one community, street, month or total."""

    figures: Figures = field(default_factory=Figures)
    tallies: dict[str, Tally] = field(default_factory=dict)

    def add(self, other: Slice) -> None:
        """Add ``other`` to this slice."""
        self.figures.add(other.figures)
        for kind, x in other.tallies.items():
            y = self.tallies.get(kind, Tally(0, 0, 0))
            self.tallies[kind] = Tally(y.rows + x.rows, y.count + x.count, y.minutes + x.minutes)

    def count(self, kind: str) -> int:
        """The summed counts of one work-log type."""
        return self.tallies[kind].count if kind in self.tallies else 0

    def values(self) -> dict[str, Any]:
        """The figures under the keys of ``t.SUMMARY_COLUMNS`` (numbers, or None)."""
        f = self.figures
        row: dict[str, Any] = {key: self.count(kind) for key, kind in LOG_COUNTS.items()}
        publicity = self.tallies.get(PUBLICITY, Tally(0, 0, 0))
        minutes = sum(x.minutes for x in self.tallies.values())
        row |= {
            "consultations": row["onsite"] + row["phone"] + f.questions,
            "questions": f.questions,
            "publicity": publicity.rows,
            "publicity_people": publicity.count,
            "hours": round(minutes / 60, 1),
            "answered": f.answered,
            "suggested": f.suggested,
            "escalated": f.escalated,
            "urgent": f.urgent,
            "tickets": f.tickets,
            "mean_reply": _round(f.mean_reply, 1),
            "median_reply": _round(f.median_reply, 1),
            "rated": f.rated,
            "satisfaction": _round(f.satisfaction, 4),
            "answered_share": _round(f.answered / f.questions if f.questions else None, 4),
        }
        return row


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


@dataclass(frozen=True)
class ProgrammeReport:
    """The rows of every sheet (dicts keyed like the column tables in ``bot.texts.report``)."""

    start: date
    end: date
    summary: list[dict[str, Any]]  # communities, then each street's total, then the total
    months: list[dict[str, Any]]
    channels: tuple[str, ...]  # the consultation channels in the month rows, offline first
    categories: list[dict[str, Any]]


def month_end(first: date) -> date:
    """The last day of ``first``'s month."""
    return (first.replace(day=1) + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def build(db: sqlite_utils.Database, tz: ZoneInfo, first: date, last: date) -> ProgrammeReport:
    """The report of the months from ``first``'s to ``last``'s (local dates)."""
    start, end = first.replace(day=1), month_end(last)
    slices: dict[tuple[str, str], Slice] = {}
    for key, figures in cube(db, tz, start, end, monthly=True).slices.items():
        slices.setdefault(key, Slice()).figures.add(figures)
    for key, tallies in totals(db, start, end).items():
        slices.setdefault(key, Slice()).add(Slice(tallies=tallies))
    categories = cube(db, tz, start, end).categories
    months = [m.strftime("%Y-%m") for m in month_starts(start, end)]
    return ProgrammeReport(
        start, end, _summary(Organisation.load(db), slices), *_months(slices, months),
        [_category(name, c) for name, c in categories.items()],
    )


def _merge(slices: dict[tuple[str, str], Slice], keep: Any) -> Slice:
    total = Slice()
    for key, s in slices.items():
        if keep(key):
            total.add(s)
    return total


def _summary(org: Organisation, slices: dict[tuple[str, str], Slice]) -> list[dict[str, Any]]:
    """One row per community (zero rows too), a total per street, the grand total last."""
    streets: dict[str, list[tuple[str, str]]] = {}
    for c in org.communities.values():
        streets.setdefault(c.street, []).append((c.code, c.name))
    unknown = sorted({code for code, _ in slices} - set(org.communities))
    if unknown:
        streets[t.NO_STREET] = [(code, code or t.NO_COMMUNITY) for code in unknown]
    rows = []
    for street, places in streets.items():
        codes = {code for code, _ in places}
        for code, name in places:
            values = _merge(slices, lambda k, code=code: k[0] == code).values()
            rows.append({"level": "community", "code": code, "street": street,
                         "community": name} | values)
        values = _merge(slices, lambda k, codes=codes: k[0] in codes).values()
        rows.append({"level": "street", "code": "", "street": street,
                     "community": t.STREET_TOTAL.format(street=street)} | values)
    values = _merge(slices, lambda k: True).values()
    rows.append({"level": "total", "code": "", "street": "", "community": t.GRAND_TOTAL} | values)
    return rows


def _months(
    slices: dict[tuple[str, str], Slice], months: list[str]
) -> tuple[list[dict[str, Any]], tuple[str, ...]]:
    """One row per month: consultations by channel, the other services, the bot's share."""
    per_month = {m: _merge(slices, lambda k, m=m: k[1] == m) for m in months}
    seen = {ch for s in per_month.values() for ch, n in s.figures.channels.items() if n}
    online = [ch for ch in CHANNEL_ORDER if ch in seen] + sorted(seen - set(CHANNEL_ORDER))
    channels = (*OFFLINE_CHANNELS, *online)
    rows = []
    for month, s in per_month.items():
        values = s.values()
        row: dict[str, Any] = {"month": month}
        row |= {ch: values[ch] for ch in OFFLINE_CHANNELS}
        row |= {ch: s.figures.channels.get(ch, 0) for ch in online}
        row |= {key: values[key] for key, _ in t.MONTH_EXTRA_COLUMNS}
        rows.append(row)
    return rows, channels


def _category(name: str, c: Counts) -> dict[str, Any]:
    share = round(c.answered / c.consultations, 4) if c.consultations else None
    return {"category": name or t.UNCATEGORISED, "questions": c.consultations,
            "answered": c.answered, "suggested": c.suggested, "escalated": c.escalated,
            "answered_share": share}
