"""`lawbot purge --before DATE`: blank resident text and identifiers older than a date."""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path

import click

from bot.app import open_database
from bot.cli.base import cli, db_option, fail, load_config
from bot.retention import purge as purge_before
from bot.texts import report as t


@cli.command(help=t.HELP_PURGE)
@click.option("--before", required=True, help=t.HELP_BEFORE)
@db_option
def purge(before: str, db_path: Path) -> None:
    """Blank what residents wrote before the start of that local day; print the counts."""
    config = load_config()
    try:
        day = datetime.strptime(before, "%Y-%m-%d").date()
    except ValueError:
        fail(t.BAD_DAY.format(value=before))
    db = open_database(db_path)
    try:
        counts = purge_before(db, datetime.combine(day, time(), config.tz))
    finally:
        db.close()
    click.echo(t.PURGED.format(before=day.isoformat(), messages=counts.messages,
                               questions=counts.questions, tickets=counts.tickets,
                               residents=counts.residents, outbox=counts.outbox))
