"""The ``lawbot`` command line: each command group lives in its own module here."""

from __future__ import annotations

import importlib

from bot.cli.base import cli

# One module per command group, owned by the part of the code it drives.
_COMMAND_MODULES = ("init", "faq", "laws", "org", "ask", "chat", "tickets", "stats", "run",
                    "review", "qr")

for _name in _COMMAND_MODULES:
    importlib.import_module(f"bot.cli.{_name}")


def main() -> None:
    """Entry point of the ``lawbot`` console script."""
    cli(prog_name="lawbot")
