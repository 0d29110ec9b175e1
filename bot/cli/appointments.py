"""`lawbot appointments list/held`: the day's on-site appointments, and marking one held."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import click

from bot.app import open_database
from bot.booking import when_text
from bot.cli.base import cli, db_option, fail, load_config
from bot.cli.stats import table
from bot.clock import system_now
from bot.desk.appointments import AppointmentNotFound, Appointments, NotBooked
from bot.desk.org import Organisation
from bot.texts import desk as dt


@cli.group(help=dt.ONSITE_HELP_GROUP)
def appointments() -> None:
    """On-site appointment commands."""


@appointments.command("list", help=dt.ONSITE_HELP_LIST)
@click.option("--day", default=None, help="日期 YYYY-MM-DD（默认今天）")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
@db_option
def list_command(day: str | None, as_json: bool, db_path: Path) -> None:
    """The appointments of one local day, in time order."""
    tz = load_config().tz
    try:
        wanted = date.fromisoformat(day) if day else system_now().astimezone(tz).date()
    except ValueError:
        fail(dt.ONSITE_BAD_DAY.format(value=day))
        raise
    db = open_database(db_path)
    try:
        found = Appointments(db).on_day(wanted, tz)
        org = Organisation.load(db)
    finally:
        db.close()
    if as_json:
        click.echo(json.dumps([
            {"id": a.id, "start": a.start.astimezone(tz).isoformat(), "minutes": a.minutes,
             "community": a.community, "person": a.person, "place": a.place,
             "status": a.status, "ticket": a.ticket_id}
            for a in found
        ], ensure_ascii=False, indent=2))
        return
    if not found:
        click.echo(dt.ONSITE_LIST_NONE.format(day=wanted.isoformat()))
        return
    rows: list[tuple[str, ...]] = []
    for a in found:
        local = a.start.astimezone(tz)
        community = org.communities.get(a.community)
        rows.append((
            f"#{a.id}", local.strftime("%H:%M"),
            (local + timedelta(minutes=a.minutes)).strftime("%H:%M"),
            community.name if community else a.community, a.person, a.place,
            dt.ONSITE_STATUS.get(a.status, a.status),
        ))
    click.echo(dt.ONSITE_LIST_HEAD.format(day=wanted.isoformat()))
    click.echo(table(rows))


@appointments.command("held", help=dt.ONSITE_HELP_HELD)
@click.argument("appointment_id", type=int)
@click.option("--minutes", type=click.IntRange(1, 24 * 60), default=None, help="用时（分钟）")
@db_option
def held_command(appointment_id: int, minutes: int | None, db_path: Path) -> None:
    """Mark a booked appointment held and log one 现场咨询."""
    tz = load_config().tz
    db = open_database(db_path)
    try:
        held, log_id = Appointments(db).mark_held(appointment_id, minutes, system_now(), tz)
    except AppointmentNotFound:
        fail(dt.ONSITE_NOT_FOUND.format(id=appointment_id))
    except NotBooked as e:
        status = dt.ONSITE_STATUS.get(e.status, e.status)
        fail(dt.ONSITE_NOT_BOOKED.format(id=appointment_id, status=status))
    finally:
        db.close()
    click.echo(dt.ONSITE_HELD.format(id=held.id, log=log_id,
                             when=when_text(held.start, held.minutes, tz)))
