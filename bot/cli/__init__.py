"""The ``lawbot`` command line: each command group lives in its own module here."""

from __future__ import annotations

import importlib
import logging
import sys

import click

from bot.cli.base import cli
from bot.ops.logs import OneLineFormatter, new_error_id
from bot.texts import ops as ops_texts

# One module per command group, owned by the part of the code it drives.
_COMMAND_MODULES = ("init", "faq", "laws", "org", "ask", "chat", "tickets", "stats", "run",
                    "review", "log", "report", "purge", "backup", "status", "qr",
                    "appointments", "staff")

for _name in _COMMAND_MODULES:
    importlib.import_module(f"bot.cli.{_name}")

log = logging.getLogger("bot.cli")


def main() -> None:
    """Entry point of the ``lawbot`` console script.

    A bug (any exception a command did not turn into a message) becomes one log line with
    an error id on stderr, and a Chinese message naming that id; never a bare traceback.
    """
    try:
        cli(prog_name="lawbot")
    except Exception:
        error_id = new_error_id()
        if not logging.getLogger().handlers:  # `lawbot run` has its own; others log here
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(OneLineFormatter())
            logging.getLogger().addHandler(handler)
        log.exception("lawbot %s failed", " ".join(sys.argv[1:2]), extra={"error_id": error_id})
        click.echo(ops_texts.INTERNAL_ERROR.format(error_id=error_id), err=True)
        sys.exit(1)
