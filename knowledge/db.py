"""Opening the one SQLite file and applying each package's named migrations."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

MigrationFn = Callable[[sqlite_utils.Database], None]


class Migrations:
    """An ordered list of named schema steps owned by one package.

    Each step runs once per database, inside a transaction, and is recorded in the
    ``_migrations`` table under ``(owner, name)``.
    """

    def __init__(self, owner: str) -> None:
        self.owner = owner
        self.steps: list[tuple[str, MigrationFn]] = []

    def __call__(self, fn: MigrationFn) -> MigrationFn:
        """Register ``fn`` as the next step, named after the function."""
        self.steps.append((fn.__name__, fn))
        return fn

    def apply(self, db: sqlite_utils.Database) -> list[str]:
        """Run the steps this database has not had yet; return their names."""
        table = db.table("_migrations")
        if not table.exists():
            db.execute(
                "CREATE TABLE IF NOT EXISTS _migrations ("
                " owner TEXT NOT NULL, name TEXT NOT NULL, applied_at TEXT NOT NULL,"
                " PRIMARY KEY (owner, name))"
            )
        done = {
            row[0]
            for row in db.execute("SELECT name FROM _migrations WHERE owner = ?", [self.owner])
        }
        applied = []
        for name, fn in self.steps:
            if name in done:
                continue
            with db.atomic():
                fn(db)
                db.execute(
                    "INSERT INTO _migrations (owner, name, applied_at) VALUES (?, ?, ?)",
                    [self.owner, name, datetime.now(UTC).isoformat(timespec="seconds")],
                )
            applied.append(name)
        return applied


def open_db(path: str | Path | None = None) -> sqlite_utils.Database:
    """Open (creating if needed) the SQLite file at ``path``, or memory when None.

    WAL mode and foreign keys are switched on; the parent folder is created.
    """
    if path is None or str(path) == ":memory:":
        db = sqlite_utils.Database(memory=True)
    else:
        p = Path(path)
        p.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite_utils.Database(p)
        db.enable_wal()
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA busy_timeout = 5000")
    return db
