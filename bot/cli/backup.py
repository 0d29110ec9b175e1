"""`lawbot backup` and `lawbot restore`: online backups and a checked restore."""

from __future__ import annotations

from pathlib import Path

import click

from bot.cli.base import cli, db_option, fail
from bot.clock import system_now
from bot.ops.backup import BackupReport, OpsError, backup_to_folder, restore
from bot.ops.backup import backup as backup_file
from bot.texts import ops as t

UNLIMITED = 10**9  # a folder given without --keep: keep every dated copy


def human_size(size: int) -> str:
    """``size`` bytes as B, KB or MB."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def say_backup(report: BackupReport) -> None:
    """Print what a backup wrote (and which old dated copies it removed)."""
    click.echo(t.BACKUP_WROTE.format(path=report.path, size=human_size(report.size)))
    counts = "，".join(f"{name} {n}" for name, n in report.counts.items() if name != "_migrations")
    click.echo(t.BACKUP_COUNTS.format(counts=counts))
    if report.removed:
        click.echo(t.BACKUP_ROTATED.format(names="、".join(p.name for p in report.removed)))


@cli.command(help=t.HELP_BACKUP)
@click.option(
    "--out", "out", required=True, type=click.Path(path_type=Path), help=t.HELP_BACKUP_OUT
)
@click.option("--keep", type=int, default=None, help=t.HELP_BACKUP_KEEP)
@db_option
def backup(out: Path, keep: int | None, db_path: Path) -> None:
    """Back the database up to a file, or to a dated file in a folder with ``--keep``."""
    try:
        if keep is not None or out.is_dir():
            keep = keep if keep is not None else UNLIMITED
            report = backup_to_folder(db_path, out, keep, system_now())
        else:
            report = backup_file(db_path, out, system_now())
    except OpsError as error:
        fail(str(error))
    say_backup(report)


@cli.command(name="restore", help=t.HELP_RESTORE)
@click.argument("source", type=click.Path(path_type=Path))
@db_option
def restore_command(source: Path, db_path: Path) -> None:
    """Replace the database with a backup while no bot runs on it."""
    try:
        report = restore(source, db_path, system_now())
    except OpsError as error:
        fail(str(error))
    click.echo(t.RESTORE_DONE.format(source=source, path=report.path))
    if report.aside is not None:
        click.echo(t.RESTORE_ASIDE.format(aside=report.aside))
