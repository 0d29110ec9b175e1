"""`lawbot chat`: a resident's conversation in the terminal (works with a pipe)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from bot.app import open_database
from bot.channels.terminal import TerminalChat
from bot.cli.base import cli, db_option, load_config

DEFAULT_RESIDENT = "居民"
PROMPT = "> "


@cli.command()
@click.option("--resident", default=DEFAULT_RESIDENT, show_default=True, help="居民名字（身份）")
@click.option("--community", default=None, help="社区代码，如 xinhepu（相当于扫描社区二维码）")
@db_option
def chat(db_path: Path, resident: str = DEFAULT_RESIDENT, community: str | None = None) -> None:
    """以居民身份在终端里提问（逐行读取标准输入，可用管道）。"""
    config = load_config()
    from bot.service import Service

    db = open_database(db_path)
    try:
        session = TerminalChat(Service(db, config.tz), resident, _write)
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

