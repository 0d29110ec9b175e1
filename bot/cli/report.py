"""`lawbot report`: the programme report for one or more months."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import click

from bot.app import open_database
from bot.cli.base import cli, db_option, fail, load_config
from bot.clock import system_now
from bot.report import as_json, build, write_csv, write_xlsx
from bot.texts import report as t


def parse_month(value: str) -> date:
    """A ``YYYY-MM`` option as the month's first day, or stop naming the value."""
    try:
        return datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        fail(t.BAD_MONTH.format(value=value))


@cli.command(help=t.HELP_REPORT)
@click.option("--month", "first", required=True, help=t.HELP_MONTH_FROM)
@click.option("--to", "last", default=None, help=t.HELP_MONTH_TO)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help=t.HELP_OUT)
@click.option("--format", "kind", type=click.Choice(["xlsx", "csv"]), default="xlsx",
              help=t.HELP_FORMAT)
@click.option("--json", "as_json_", is_flag=True, help=t.HELP_JSON)
@db_option
def report(first: str, last: str | None, out: Path | None, kind: str, as_json_: bool,
           db_path: Path) -> None:
    """Write the programme report."""
    config = load_config()
    start = parse_month(first)
    end = parse_month(last) if last else start
    if end < start:
        fail(t.MONTHS_REVERSED.format(start=first, end=last))
    if out is None and not as_json_:
        fail(t.OUT_NEEDED)
    db = open_database(db_path)
    try:
        result = build(db, config.tz, start, end)
    finally:
        db.close()
    if as_json_:
        click.echo(json.dumps(as_json(result), ensure_ascii=False, indent=1))
    if out is None:
        return
    if kind == "csv":
        paths = write_csv(result, out)
    else:
        write_xlsx(result, out, system_now().astimezone(config.tz))
        paths = [out]
    communities = sum(1 for row in result.summary if row["level"] == "community")
    message = t.REPORT_WRITTEN.format(paths="、".join(str(p) for p in paths),
                                      start=result.start, end=result.end,
                                      communities=communities)
    click.echo(message, err=as_json_)
