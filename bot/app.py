"""The composition root: the only place that opens the database and builds the services."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

from bot import store
from bot.desk import org
from knowledge import schema
from knowledge.db import Migrations, open_db

# Order matters: later owners may reference earlier owners' tables.
MIGRATIONS: tuple[Migrations, ...] = (schema.migrations, org.migrations, store.migrations)


def open_database(path: str | Path | None) -> sqlite_utils.Database:
    """Open the database at ``path`` (memory when None) with every migration applied."""
    db = open_db(path)
    for migrations in MIGRATIONS:
        migrations.apply(db)
    return db
