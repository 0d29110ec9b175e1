"""`lawbot stats`: the programme's figures as a Chinese table."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from pathlib import Path

import click

from bot.app import open_database
from bot.cli.base import cli, db_option, fail, load_config
from bot.desk.org import Organisation
from bot.stats import Counts, Report, report
from bot.texts import report as rpt


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def table(rows: list[tuple[str, ...]]) -> str:
    """Rows as aligned columns (Chinese characters count double)."""
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(_pad(cell, widths[i]) for i, cell in enumerate(r)).rstrip() for r in rows
    )


def _slices(title: str, slices: dict[str, Counts], blank: str, names: dict[str, str]) -> str:
    rows: list[tuple[str, ...]] = [rpt.STATS_COLUMNS]
    for key, c in slices.items():
        label = names.get(key, key) or blank
        rows.append((label, *(str(v) for v in (c.consultations, c.answered, c.suggested,
                                                 c.escalated))))
    return f"{title}\n{table(rows)}"


def _minutes(value: float | None) -> str:
    return rpt.STATS_NONE if value is None else rpt.STATS_MINUTES.format(minutes=value)


def render(r: Report, title: str, community_names: dict[str, str]) -> str:
    """The whole report as text."""
    rows: list[tuple[str, ...]] = [
        (label, str(getattr(r.total, name))) for label, name in rpt.STATS_LINES
    ]
    rows += [
        (rpt.STATS_URGENT, str(r.urgent)),
        (rpt.STATS_TICKETS, str(r.tickets)),
        (rpt.STATS_TICKETS_ANSWERED, str(r.tickets_answered)),
        (rpt.STATS_MEAN, _minutes(r.mean_first_reply_minutes)),
        (rpt.STATS_MEDIAN, _minutes(r.median_first_reply_minutes)),
        (rpt.STATS_HELPFUL, rpt.STATS_RATED.format(
            satisfied=r.satisfied, unsatisfied=r.unsatisfied, rated=r.rated)),
    ]
    parts = [title, table(rows)]
    if r.by_category:
        parts.append(_slices(rpt.STATS_BY_CATEGORY, r.by_category, rpt.STATS_UNCATEGORISED, {}))
    if r.by_community:
        parts.append(
            _slices(rpt.STATS_BY_COMMUNITY, r.by_community, rpt.STATS_NO_COMMUNITY, community_names)
        )
    return "\n\n".join(parts)


def parse_day(value: str | None) -> date | None:
    """A ``YYYY-MM-DD`` option as a date (None stays None), or stop naming the value."""
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        fail(rpt.STATS_BAD_DATE.format(value=value))
        raise


@cli.command()
@click.option("--from", "start", default=None, help="开始日期 YYYY-MM-DD（含）")
@click.option("--to", "end", default=None, help="结束日期 YYYY-MM-DD（含）")
@click.option("--community", default=None, help="只统计一个社区（社区代码）")
@db_option
def stats(db_path: Path, start: str | None, end: str | None, community: str | None) -> None:
    """咨询统计：咨询量、知识库解答、转人工、人工答复用时，按类别和社区。"""
    config = load_config()
    first, last = parse_day(start), parse_day(end)
    db = open_database(db_path)
    try:
        names = {code: c.name for code, c in Organisation.load(db).communities.items()}
        result = report(db, config.tz, first, last, community, tuple(names))
    finally:
        db.close()
    period = (
        rpt.STATS_PERIOD.format(start=start or rpt.STATS_OPEN_END, end=end or rpt.STATS_OPEN_END)
        if start or end
        else rpt.STATS_ALL_TIME
    )
    where = rpt.STATS_COMMUNITY.format(name=names.get(community, community)) if community else ""
    click.echo(render(result, rpt.STATS_TITLE.format(period=period, community=where), names))
