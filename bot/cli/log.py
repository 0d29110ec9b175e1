"""`lawbot log add/import/list/ticket`: the work log (台账) of offline services."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from bot.app import open_database
from bot.cli.base import cli, db_option, fail, load_config
from bot.cli.stats import parse_day, table
from bot.clock import system_now
from bot.desk.org import Organisation
from bot.texts import report as t
from bot.worklog import TYPES, LogImportFailed, TicketNotLoggable, WorkEntry, WorkLog
from knowledge.io import UnsupportedFormat


@cli.group(help=t.HELP_LOG)
def log() -> None:
    """Work-log commands."""


def _line(e: WorkEntry, names: dict[str, str]) -> tuple[str, ...]:
    minutes = "" if e.minutes is None else str(e.minutes)
    return (f"#{e.id}", e.day.isoformat(), names.get(e.community, e.community), e.type,
            str(e.count), minutes, e.person, e.note)


@log.command(help=t.HELP_LOG_ADD)
@click.option("--type", "kind", required=True, type=click.Choice(TYPES), help=t.HELP_TYPE)
@click.option("--community", required=True, help=t.HELP_COMMUNITY)
@click.option("--date", "day", default=None, help=t.HELP_DATE)
@click.option("--count", default="1", help=t.HELP_COUNT)
@click.option("--minutes", default="", help=t.HELP_MINUTES)
@click.option("--note", default="", help=t.HELP_NOTE)
@click.option("--as", "person", default="", help=t.HELP_AS)
@db_option
def add(kind: str, community: str, day: str | None, count: str, minutes: str, note: str,
        person: str, db_path: Path) -> None:
    """Record one offline service."""
    config = load_config()
    now = system_now()
    values: dict[str, Any] = {
        "type": kind, "community": community, "count": count, "minutes": minutes,
        "note": note, "person": person,
        "date": day or now.astimezone(config.tz).date().isoformat(),
    }
    db = open_database(db_path)
    try:
        entry = WorkLog(db).add(values, person, now)
    except LogImportFailed as e:
        fail(t.LOG_INVALID.format(problems="\n".join(f"  {x}" for x in e.errors)))
    finally:
        db.close()
    click.echo(t.LOG_ADDED.format(id=entry.id, day=entry.day, community=entry.community,
                                  type=entry.type, count=entry.count))


@log.command("import", help=t.HELP_LOG_IMPORT)
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--by", default="", help=t.HELP_AS)
@db_option
def import_(file: Path, by: str, db_path: Path) -> None:
    """Import a work-log sheet, all or nothing."""
    if not file.is_file():
        fail(t.LOG_FILE_MISSING.format(path=file))
    db = open_database(db_path)
    try:
        count = WorkLog(db).import_file(file, by, system_now())
    except (UnsupportedFormat, LogImportFailed) as e:
        fail(str(e))
    finally:
        db.close()
    click.echo(t.LOG_IMPORTED.format(count=count))


@log.command("list", help=t.HELP_LOG_LIST)
@click.option("--from", "start", default=None, help="开始日期 YYYY-MM-DD（含）")
@click.option("--to", "end", default=None, help="结束日期 YYYY-MM-DD（含）")
@click.option("--community", default=None, help="只列一个社区（社区代码）")
@db_option
def list_(start: str | None, end: str | None, community: str | None, db_path: Path) -> None:
    """List work-log entries by date."""
    first, last = parse_day(start), parse_day(end)
    db = open_database(db_path)
    try:
        names = {code: c.name for code, c in Organisation.load(db).communities.items()}
        entries = WorkLog(db).list(first, last, community)
    finally:
        db.close()
    if not entries:
        click.echo(t.LOG_EMPTY)
        return
    click.echo(table([t.LOG_COLUMNS, *(_line(e, names) for e in entries)]))


@log.command("ticket", help=t.HELP_LOG_TICKET)
@click.argument("number", type=int)
@click.option("--as", "person", default=None, help=t.HELP_AS)
@click.option("--minutes", type=click.IntRange(min=0), default=None, help=t.HELP_MINUTES)
@db_option
def ticket(number: int, person: str | None, minutes: int | None, db_path: Path) -> None:
    """Log a closed ticket as one online consultation."""
    config = load_config()
    db = open_database(db_path)
    try:
        entry = WorkLog(db).log_ticket(number, person, minutes, config.tz, system_now())
    except TicketNotLoggable as e:
        fail(str(e))
    finally:
        db.close()
    click.echo(t.LOG_ADDED.format(id=entry.id, day=entry.day, community=entry.community,
                                  type=entry.type, count=entry.count))

