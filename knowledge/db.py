"""Opening the one SQLite file and applying each package's named migrations."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

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


class _ImmediateConnection(sqlite3.Connection):
    """A connection whose transactions take the write lock when they begin.

    sqlite-utils' ``atomic()`` says ``BEGIN``, which is DEFERRED: a transaction that reads
    before it writes fails at once with "database is locked" when another process (a CLI
    command beside ``lawbot run``) committed in between, without waiting for the busy
    timeout. ``BEGIN IMMEDIATE`` waits for the lock instead, up to ``busy_timeout``.
    """

    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        """Run ``sql``; a bare ``BEGIN`` becomes ``BEGIN IMMEDIATE``."""
        if sql.strip().rstrip(";").upper() in ("BEGIN", "BEGIN DEFERRED", "BEGIN TRANSACTION"):
            sql = "BEGIN IMMEDIATE"
        return super().execute(sql, parameters)


def open_db(path: str | Path | None = None) -> sqlite_utils.Database:
    """Open (creating if needed) the SQLite file at ``path``, or memory when None.

    WAL mode (with ``synchronous = NORMAL``) and foreign keys are switched on, transactions
    begin IMMEDIATE and wait up to 5 s for another process's write; the parent folder is
    created.
    """
    if path is None or str(path) == ":memory:":
        db = sqlite_utils.Database(memory=True)
    else:
        p = Path(path)
        p.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(p, factory=_ImmediateConnection, check_same_thread=True)
        db = sqlite_utils.Database(conn)
        db.enable_wal()
        # No fsync per commit: in WAL mode a commit still survives the process being killed
        # (kill -9) and the file is never corrupted; only an OS crash or power loss can undo
        # the last commits. The fsyncs block the bot's one event loop: the web chat answers
        # 340-370/s with NORMAL against 80-280/s with FULL (benchmarks/web_throughput.py).
        db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA busy_timeout = 5000")
    return db


def update_row(
    db: sqlite_utils.Database, table: str, row_id: int, changes: Mapping[str, Any]
) -> None:
    """Set ``changes`` (column → value) on the row of ``table`` whose id is ``row_id``.

    One UPDATE statement, not sqlite-utils' ``Table.update``: that reads the row and opens a
    savepoint first, 108 µs against 2 µs inside ``Service.handle``'s transaction, where a
    message sets its resident 2–4 times.
    """
    sets = ", ".join(f"{name} = ?" for name in changes)
    db.execute(f"UPDATE {table} SET {sets} WHERE id = ?", [*changes.values(), row_id])


def count_changes(db: sqlite_utils.Database, counter: str, tables: Iterable[str]) -> None:
    """Create table ``counter`` holding one number that every insert, update or delete on
    ``tables`` advances (triggers ``<counter>_<table>_<event>``): any writer, in any process,
    is seen by reading one row (:func:`changes`) instead of the tables."""
    db.execute(f"CREATE TABLE {counter} (revision INTEGER NOT NULL)")
    db.execute(f"INSERT INTO {counter} VALUES (0)")
    for table in tables:
        for event in ("INSERT", "UPDATE", "DELETE"):
            db.execute(
                f"CREATE TRIGGER {counter}_{table}_{event.lower()} AFTER {event} ON {table}"
                f" BEGIN UPDATE {counter} SET revision = revision + 1; END"
            )


def changes(db: sqlite_utils.Database, counter: str) -> int:
    """The change counter ``counter`` (:func:`count_changes`): it differs from an earlier
    reading after any change to its tables."""
    return int(db.execute(f"SELECT revision FROM {counter}").fetchone()[0])
