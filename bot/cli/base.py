"""The ``lawbot`` command group and what every command shares (``--db``, errors)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from bot.config import Config, ConfigError

DEFAULT_DB = "data/lawbot.db"
F = TypeVar("F", bound=Callable[..., Any])


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="lawbot")
def cli() -> None:
    """lawbot 社区法律顾问助手：居民问答、转人工值班台、法律知识库维护。"""


def db_option(fn: F) -> F:
    """Add ``--db PATH`` (env ``LAWBOT_DB``, default ``./data/lawbot.db``) to a command."""
    return click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=lambda: os.environ.get("LAWBOT_DB") or DEFAULT_DB,
        show_default=DEFAULT_DB,
        help="数据库文件（也可用环境变量 LAWBOT_DB）",
    )(fn)


class Failed(click.ClickException):
    """A command's refusal: its Chinese message on stderr, exit status 1, without click's
    English "Error: " in front."""

    def show(self, file: Any = None) -> None:
        """Write ``错误：message`` to stderr."""
        from bot.texts import cli as texts

        click.echo(texts.FAILED.format(message=self.format_message()), err=True)


def fail(message: str) -> NoReturn:
    """Stop the command with a clear message on stderr and exit status 1."""
    raise Failed(message)


def check_phrases() -> None:
    """Stop, naming the file, line and fault, when the small-talk phrase file (which advisers
    may extend) is malformed: better at start than an apology to every resident."""
    from bot.smalltalk import PHRASES_FILE, PhrasesError, default_phrases
    from bot.texts import cli as texts

    try:
        default_phrases()
    except PhrasesError as error:
        fail(texts.PHRASES_BAD.format(path=PHRASES_FILE, error=error))


def load_config() -> Config:
    """The configuration from the environment, or stop naming every bad key."""
    try:
        return Config.from_env()
    except ConfigError as error:
        fail(str(error))
