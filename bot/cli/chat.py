"""`lawbot chat`: a resident's conversation in the terminal (works with a pipe)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from bot.app import build_service, open_database
from bot.channels.terminal import TerminalChat
from bot.cli.base import check_phrases, cli, db_option, load_config
from bot.texts import cli as texts

DEFAULT_RESIDENT = texts.CHAT_DEFAULT_RESIDENT
PROMPT = "> "


@cli.command(help=texts.CHAT_HELP)
@click.option(
    "--resident", default=DEFAULT_RESIDENT, show_default=True, help=texts.CHAT_OPT_RESIDENT
)
@click.option("--community", default=None, help=texts.CHAT_OPT_COMMUNITY)
@db_option
def chat(db_path: Path, resident: str = DEFAULT_RESIDENT, community: str | None = None) -> None:
    """A resident's conversation on stdin/stdout."""
    config = load_config()
    check_phrases()
    db = open_database(db_path)
    try:
        session = TerminalChat(build_service(db, config.tz), resident, _write)
        session.start(community)
        interactive = sys.stdin.isatty()
        while True:
            if interactive:
                click.echo(PROMPT, nl=False)
            line = sys.stdin.buffer.readline()  # bytes: a line that is not UTF-8 is skipped
            if not line:
                break
            session.say_bytes(line)
    finally:
        db.close()


def _write(text: str) -> None:
    click.echo(text)
    click.echo("")

