"""`lawbot tickets`: the desk from the terminal, through the same desk actions as the chats."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from bot.app import build_service, open_database
from bot.channels.terminal import deliver
from bot.cli.base import cli, db_option, fail, load_config
from bot.clock import system_now
from bot.desk.commands import may_handle, ticket_details, ticket_line
from bot.desk.masking import mask
from bot.desk.org import Organisation
from bot.desk.tickets import OPEN_STATUSES, TicketNotFound
from bot.texts import desk as dt

if TYPE_CHECKING:
    from bot.service import Service


def _service(db_path: Path) -> Service:
    return build_service(open_database(db_path), load_config().tz)


def _act(db_path: Path, name: str, command: str, now: datetime | None = None) -> None:
    from bot.service import UnknownPerson

    service = _service(db_path)
    try:
        result = service.desk_command(name, command, now or system_now())
    except UnknownPerson:
        fail(dt.CLI_UNKNOWN_PERSON.format(name=name))
        return
    finally:
        service.db.close()
    click.echo(result.ack)


@cli.group(help=dt.HELP_TICKETS)
def tickets() -> None:
    """The desk from the terminal."""


@tickets.command("list", help=dt.HELP_LIST)
@click.option("--json", "as_json", is_flag=True, help=dt.OPT_JSON)
@click.option("--all", "show_all", is_flag=True, help=dt.OPT_ALL)
@click.option("--as", "name", default=None, help=dt.OPT_LIST_AS)
@db_option
def list_(db_path: Path, as_json: bool, show_all: bool, name: str | None) -> None:
    """List tickets."""
    service = _service(db_path)
    db = service.db
    try:
        found = service.tickets.by_status(None if show_all else OPEN_STATUSES)
        org = Organisation.load(db)
        if name is not None:
            person = org.person(name)
            if person is None:
                fail(dt.CLI_UNKNOWN_PERSON.format(name=name))
                return
            found = [t for t in found if may_handle(person, t)]
        if as_json:
            rows = [
                {
                    "number": t.number,
                    "status": t.status,
                    "urgent": bool(t.urgent),
                    "community": t.community,
                    "team": t.team,
                    "category": t.category,
                    "assignee": t.assignee,
                    "question": mask(t.question),
                    "created_at": t.created_at,
                    "first_reply_at": t.first_reply_at,
                    "rating": t.rating,
                }
                for t in found
            ]
            click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        elif not found:
            click.echo(dt.OPEN_TICKETS_NONE)
        else:
            for t in found:
                click.echo(ticket_line(org, t))
    finally:
        db.close()


@tickets.command(help=dt.HELP_SHOW)
@click.argument("number", type=int)
@click.option("--as", "name", default=None, help=dt.OPT_SHOW_AS)
@db_option
def show(db_path: Path, number: int, name: str | None) -> None:
    """Show one ticket with its thread."""
    if name is not None:
        _act(db_path, name, f"/show {number}")
        return
    service = _service(db_path)
    try:
        ticket = service.tickets.get(number)
        org = Organisation.load(service.db)
        click.echo(ticket_details(org, service.tickets, ticket, service.tz))
    except TicketNotFound:
        fail(dt.NOT_FOUND.format(number=number))
    finally:
        service.db.close()


@tickets.command(help=dt.HELP_CLAIM)
@click.argument("number", type=int)
@click.option("--as", "name", required=True, help=dt.OPT_CLAIM_AS)
@db_option
def claim(db_path: Path, number: int, name: str) -> None:
    """Claim a ticket."""
    _act(db_path, name, f"/claim {number}")


@tickets.command(help=dt.HELP_REPLY)
@click.argument("number", type=int)
@click.argument("text")
@click.option("--as", "name", required=True, help=dt.OPT_REPLY_AS)
@db_option
def reply(db_path: Path, number: int, text: str, name: str) -> None:
    """Reply to the resident."""
    _act(db_path, name, f"/reply {number} {text}")


@tickets.command(help=dt.HELP_ADVISER)
@click.argument("number", type=int)
@click.option("--as", "name", required=True, help=dt.OPT_AS)
@db_option
def adviser(db_path: Path, number: int, name: str) -> None:
    """Hand a ticket to an adviser."""
    _act(db_path, name, f"/adviser {number}")


@tickets.command(help=dt.HELP_CLOSE)
@click.argument("number", type=int)
@click.option("--as", "name", default=None, help=dt.OPT_CLOSE_AS)
@db_option
def close(db_path: Path, number: int, name: str | None) -> None:
    """Close a ticket."""
    _act(db_path, name or dt.ADMIN, f"/close {number}")


@tickets.command(help=dt.HELP_ADDFAQ)
@click.argument("number", type=int)
@click.option("--as", "name", required=True, help=dt.OPT_AS)
@db_option
def addfaq(db_path: Path, number: int, name: str) -> None:
    """Draft an FAQ entry from a ticket."""
    _act(db_path, name, f"/addfaq {number}")


@tickets.command(help=dt.HELP_INBOX)
@click.option("--as", "name", default=None, help=dt.OPT_INBOX_AS)
@db_option
def inbox(db_path: Path, name: str | None) -> None:
    """Print the terminal desk's new messages once."""
    service = _service(db_path)
    db = service.db
    try:
        org = Organisation.load(db)
        chats = [a.chat_id for t in org.teams for a in org.desk_addresses(t)
                 if a.channel == "terminal"]
        if name:
            chats.append(name)
        outbox = service.outbox
        shown = sum(deliver(outbox, chat, _print, system_now) for chat in dict.fromkeys(chats))
        if not shown:
            click.echo(dt.INBOX_EMPTY)
    finally:
        db.close()


def _print(text: str) -> None:
    click.echo(text)
    click.echo("")
