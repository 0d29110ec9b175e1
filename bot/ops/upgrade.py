"""Upgrades: an older database is backed up before the new version's migrations run."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from bot.ops.backup import BackupReport, backup
from knowledge.db import Migrations, open_db


def pending(db: sqlite_utils.Database, migrations: Sequence[Migrations]) -> list[str]:
    """``owner.name`` of every migration step this database has not had yet."""
    if not db.table("_migrations").exists():
        return [f"{m.owner}.{name}" for m in migrations for name, _ in m.steps]
    done = {(str(o), str(n)) for o, n in db.execute("SELECT owner, name FROM _migrations")}
    return [
        f"{m.owner}.{name}"
        for m in migrations
        for name, _ in m.steps
        if (m.owner, name) not in done
    ]


def upgrade_backup_path(db_path: Path, now: datetime) -> Path:
    """Where the copy taken before an upgrade goes: beside the database, dated."""
    return db_path.with_name(f"{db_path.name}.pre-upgrade-{now.astimezone(UTC):%Y%m%d-%H%M%S}")


def backup_before_upgrade(
    db: sqlite_utils.Database, db_path: Path, migrations: Sequence[Migrations], now: datetime
) -> tuple[list[str], BackupReport | None]:
    """Back up ``db_path`` when it is a lawbot database that lacks some migrations.

    A new, empty database needs no backup. Returns the pending steps and the backup made.
    """
    if not db.table("_migrations").exists() or not db.execute(
        "SELECT 1 FROM _migrations LIMIT 1"
    ).fetchone():
        return [], None
    steps = pending(db, migrations)
    if not steps:
        return [], None
    return steps, backup(db_path, upgrade_backup_path(db_path, now), now)


def open_upgraded(
    db_path: Path, now: datetime
) -> tuple[sqlite_utils.Database, BackupReport | None]:
    """Open the database at ``db_path`` with every migration applied, backing it up first
    when it is an older lawbot database.

    Raises:
        bot.ops.backup.OpsError: the backup failed; nothing was migrated.
    """
    from bot.app import MIGRATIONS

    db = open_db(db_path)
    try:
        _, report = backup_before_upgrade(db, db_path, MIGRATIONS, now)
        for migrations in MIGRATIONS:
            migrations.apply(db)
    except BaseException:
        db.close()
        raise
    return db, report
