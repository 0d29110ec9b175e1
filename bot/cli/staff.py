"""`lawbot staff passwd NAME [--password-stdin]`: a staff member's web console password."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from bot.cli.base import cli, db_option, fail
from bot.clock import system_now
from bot.texts import console as t


@cli.group(help=t.HELP_STAFF)
def staff() -> None:
    """Staff accounts of the web console."""


@staff.command(help=t.HELP_PASSWD)
@click.argument("name")
@click.option("--password-stdin", "from_stdin", is_flag=True, help=t.HELP_PASSWORD_STDIN)
@db_option
def passwd(name: str, from_stdin: bool, db_path: Path) -> None:
    """Set ``name``'s console password (asked twice, or one line of standard input)."""
    if not db_path.exists():
        fail(t.NO_DATABASE.format(path=db_path))
    from bot.accounts import MIN_PASSWORD, Accounts, staff_person
    from bot.app import open_database
    from bot.desk.org import Organisation

    db = open_database(db_path)
    if staff_person(Organisation.load(db), name) is None:
        fail(t.NOT_STAFF.format(name=name))
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt(t.PROMPT_PASSWORD, hide_input=True, confirmation_prompt=True)
    if len(password) < MIN_PASSWORD:
        fail(t.PASSWORD_SHORT.format(minimum=MIN_PASSWORD))
    Accounts(db).set_password(name, password, system_now())
    click.echo(t.PASSWORD_SET.format(name=name))
