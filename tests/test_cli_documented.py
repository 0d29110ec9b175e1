"""Every `lawbot` command is documented in the README and has Chinese help text."""

from __future__ import annotations

from pathlib import Path

import click

from bot.cli import cli

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def commands() -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = []
    for name, command in sorted(cli.commands.items()):
        found.append((name, command))
        if isinstance(command, click.Group):
            found += [(f"{name} {sub}", c) for sub, c in sorted(command.commands.items())]
    return found


def test_every_command_is_in_the_readme() -> None:
    missing = []
    for path, _ in commands():
        group, _, sub = path.partition(" ")
        lines = [line for line in README.splitlines() if f"lawbot {group}" in line]
        if not lines or (sub and not any(sub in line for line in lines)):
            missing.append(path)
    assert missing == []


def test_every_command_has_chinese_help() -> None:
    bare = [
        path
        for path, command in commands()
        if not any("\u4e00" <= ch <= "\u9fff" for ch in (command.help or ""))
    ]
    assert bare == []
