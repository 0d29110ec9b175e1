"""Upgrades: a database made by the first release opens under today's code with nothing
lost, and a database that lacks a migration is backed up before the migration runs."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils
from click.testing import CliRunner
from fakes import T0
from first_release_db import MIGRATIONS as FIRST_MIGRATIONS
from first_release_db import build

from bot.app import MIGRATIONS, open_database
from bot.cli import cli
from bot.ops.backup import check
from bot.ops.upgrade import backup_before_upgrade, pending
from knowledge.db import Migrations, open_db


def contents(path: Path) -> dict[str, tuple[list[str], list[tuple[object, ...]]]]:
    """Every table's columns and rows (ordered), read straight from the file."""
    conn = sqlite3.connect(path)
    try:
        tables = [n for (n,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name != '_migrations'"
        )]
        out = {}
        for table in tables:
            columns = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
            rows = [tuple(r) for r in conn.execute(f'SELECT * FROM "{table}" ORDER BY 1, 2')]
            out[table] = (columns, rows)
        return out
    finally:
        conn.close()


def test_lawbot_init_migrates_the_first_release_database_with_nothing_lost(
    tmp_path: Path,
) -> None:
    path = tmp_path / "lawbot.db"
    build(path)
    before = contents(path)
    assert all(rows for _, rows in before.values())  # every table has sample rows
    db = open_db(path)
    steps = pending(db, MIGRATIONS)
    db.close()

    result = CliRunner().invoke(
        cli, ["init", "--empty", "--laws", str(tmp_path / "none.jsonl"), "--db", str(path)]
    )
    assert result.exit_code == 0, result.output

    after = sqlite3.connect(path)
    for table, (columns, rows) in before.items():
        names = ", ".join(f'"{c}"' for c in columns)
        kept = [tuple(r) for r in after.execute(f'SELECT {names} FROM "{table}" ORDER BY 1, 2')]
        if table == "channel_state":  # the upgrade's backup records itself there
            assert set(rows) <= set(kept), table
        else:
            assert kept == rows, table
    applied = {tuple(r) for r in after.execute("SELECT owner, name FROM _migrations")}
    after.close()
    assert set(FIRST_MIGRATIONS) <= applied
    assert {(m.owner, name) for m in MIGRATIONS for name, _ in m.steps} <= applied
    # A backup was taken exactly when the new code had migrations to apply, and it holds
    # the database as it was before them.
    copies = sorted(tmp_path.glob("lawbot.db.pre-upgrade-*"))
    assert len(copies) == (1 if steps else 0)
    for copy in copies:
        assert contents(copy) == before
        assert str(copy) in result.output

    shown = CliRunner().invoke(cli, ["tickets", "show", "1", "--db", str(path)])
    assert shown.exit_code == 0 and "楼上漏水怎么办" in shown.output


def add_note_column() -> Migrations:
    later = Migrations("later")

    @later
    def add_ticket_note(db: sqlite_utils.Database) -> None:
        db.execute("ALTER TABLE tickets ADD COLUMN note TEXT NOT NULL DEFAULT ''")

    return later


def test_a_database_lacking_a_migration_is_backed_up_before_it_runs(tmp_path: Path) -> None:
    path = tmp_path / "lawbot.db"
    build(path)
    before = contents(path)
    later = add_note_column()
    db = open_db(path)
    steps, report = backup_before_upgrade(db, path, [*MIGRATIONS, later], T0)
    assert "later.add_ticket_note" in steps
    assert report is not None
    assert report.path == tmp_path / "lawbot.db.pre-upgrade-20261201-020000"
    later.apply(db)
    db.close()
    assert contents(report.path) == before  # the copy has the old schema and every row
    assert check(report.path)["tickets"] == 1
    assert "note" in contents(path)["tickets"][0]


def test_a_current_or_new_database_needs_no_backup(tmp_path: Path) -> None:
    current = tmp_path / "current.db"
    open_database(current).close()
    db = open_db(current)
    assert backup_before_upgrade(db, current, MIGRATIONS, T0) == ([], None)
    db.close()
    new = tmp_path / "new.db"
    db = open_db(new)
    assert backup_before_upgrade(db, new, MIGRATIONS, T0) == ([], None)
    assert pending(db, MIGRATIONS)  # everything, but there is nothing to lose
    db.close()
    assert sorted(p.name for p in tmp_path.iterdir() if "pre-upgrade" in p.name) == []
