"""Online backups and restores of the one SQLite file.

A backup copies the database with SQLite's online backup API inside one read transaction,
so the copy is the database as it was at one moment even while ``lawbot run`` writes (WAL
readers see a fixed snapshot; copying the file and its WAL by hand can tear). The row counts
are read in that same transaction, and the copy must show the same counts and pass
``PRAGMA integrity_check`` before it takes its final name.

A restore refuses while a bot holds the run lock, checks the file the same way, keeps the
replaced database aside and copies the backup into place.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from bot.clock import iso, parse_iso
from bot.ops.lock import AlreadyRunning, RunLock
from bot.texts import ops as texts

DATED_PREFIX = "lawbot-"
DATED_SUFFIX = ".db"
STATE_CHANNEL = "ops"  # channel_state rows the operations code keeps
LAST_BACKUP_KEY = "last_backup"


class OpsError(Exception):
    """A backup or restore that cannot be done; the message says why, in Chinese."""


@dataclass(frozen=True)
class BackupReport:
    """What a backup wrote: the file, its size, every table's row count, when."""

    path: Path
    size: int
    counts: dict[str, int]
    at: datetime
    removed: tuple[Path, ...] = ()


@dataclass(frozen=True)
class RestoreReport:
    """What a restore did: the database replaced, where the old one went, the new counts."""

    path: Path
    aside: Path | None
    counts: dict[str, int]


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=30.0, isolation_level=None)
    conn.execute("PRAGMA busy_timeout = 30000")
    return conn


def _counts(conn: sqlite3.Connection) -> dict[str, int]:
    names = [
        str(row[0])
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " ORDER BY name"
        )
    ]
    return {
        name: int(conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]) for name in names
    }


def check(path: Path, expected: dict[str, int] | None = None) -> dict[str, int]:
    """Check that ``path`` is a whole lawbot database; return its row counts.

    Raises:
        OpsError: unreadable, failing ``integrity_check``, not lawbot's, or other counts.
    """
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise OpsError(texts.BACKUP_UNREADABLE.format(path=path, error=error)) from error
    try:
        result = [str(row[0]) for row in conn.execute("PRAGMA integrity_check")]
        if result != ["ok"]:
            raise OpsError(texts.BACKUP_CORRUPT.format(path=path, error="; ".join(result[:3])))
        counts = _counts(conn)
    except sqlite3.DatabaseError as error:
        raise OpsError(texts.BACKUP_CORRUPT.format(path=path, error=error)) from error
    finally:
        conn.close()
    if "_migrations" not in counts:
        raise OpsError(texts.BACKUP_NOT_LAWBOT.format(path=path))
    for table, count in (expected or {}).items():
        if counts.get(table) != count:
            raise OpsError(
                texts.BACKUP_COUNTS_DIFFER.format(
                    path=path, table=table, expected=count, actual=counts.get(table)
                )
            )
    return counts


def _copy(source: sqlite3.Connection, target: Path) -> None:
    """Copy ``source`` (as its current transaction sees it) into a new file ``target``."""
    target.unlink(missing_ok=True)
    target.touch(mode=0o600)  # personal data: readable by the bot's user only
    dest = sqlite3.connect(target)
    try:
        source.backup(dest)
        # A standalone file: no WAL beside it, so copying it around later is safe.
        dest.execute("PRAGMA journal_mode = DELETE")
    finally:
        dest.close()


def backup(db_path: Path, out: Path, now: datetime) -> BackupReport:
    """Copy the database at ``db_path`` to ``out`` consistently, verify it, record it.

    Raises:
        OpsError: no database there, not lawbot's, or the copy failed verification.
    """
    if not db_path.exists():
        raise OpsError(texts.BACKUP_MISSING_DB.format(path=db_path))
    out.parent.mkdir(parents=True, exist_ok=True)
    part = out.with_name(out.name + ".part")
    source = _connect(db_path)
    try:
        # One read transaction: the counts and the pages copied are the same snapshot.
        source.execute("BEGIN")
        counts = _counts(source)
        if "_migrations" not in counts:
            raise OpsError(texts.BACKUP_NOT_LAWBOT.format(path=db_path))
        _copy(source, part)
        source.execute("COMMIT")
        try:
            check(part, counts)
        except OpsError:
            part.unlink(missing_ok=True)
            raise
        os.replace(part, out)
        _record(source, out, now)
    finally:
        source.close()
        part.unlink(missing_ok=True)
    return BackupReport(out, out.stat().st_size, counts, now)


def _record(conn: sqlite3.Connection, out: Path, now: datetime) -> None:
    value = json.dumps({"at": iso(now), "path": str(out.resolve())}, ensure_ascii=False)
    conn.execute(
        "INSERT INTO channel_state (channel, key, value) VALUES (?, ?, ?)"
        " ON CONFLICT (channel, key) DO UPDATE SET value = excluded.value",
        [STATE_CHANNEL, LAST_BACKUP_KEY, value],
    )


def last_backup(db: sqlite_utils.Database) -> tuple[datetime, str] | None:
    """When and where the newest backup of this database was written, if ever."""
    row = db.execute(
        "SELECT value FROM channel_state WHERE channel = ? AND key = ?",
        [STATE_CHANNEL, LAST_BACKUP_KEY],
    ).fetchone()
    if row is None:
        return None
    value = json.loads(row[0])
    return parse_iso(value["at"]), str(value["path"])


def dated_name(now: datetime) -> str:
    """The file name of a dated backup, sortable by time: ``lawbot-20261205-031500.db`` (UTC)."""
    return f"{DATED_PREFIX}{now.astimezone(UTC):%Y%m%d-%H%M%S}{DATED_SUFFIX}"


def backup_to_folder(db_path: Path, folder: Path, keep: int, now: datetime) -> BackupReport:
    """A dated backup in ``folder``, then only the newest ``keep`` dated backups are kept.

    Raises:
        OpsError: as :func:`backup`, or ``folder`` is a file, or ``keep`` < 1.
    """
    if keep < 1:
        raise OpsError(texts.BACKUP_KEEP_POSITIVE)
    if folder.exists() and not folder.is_dir():
        raise OpsError(texts.BACKUP_KEEP_NEEDS_FOLDER.format(path=folder))
    report = backup(db_path, folder / dated_name(now), now)
    dated = sorted(
        p for p in folder.glob(f"{DATED_PREFIX}*{DATED_SUFFIX}") if p.name[7:8].isdigit()
    )
    removed = tuple(dated[:-keep])
    for old in removed:
        old.unlink(missing_ok=True)
    return BackupReport(report.path, report.size, report.counts, report.at, removed)


def restore(source: Path, db_path: Path, now: datetime) -> RestoreReport:
    """Replace the database at ``db_path`` with the backup ``source``; keep the old one aside.

    Raises:
        OpsError: a bot runs on the database, or ``source`` is missing or not a whole backup.
    """
    try:
        lock = RunLock.acquire(db_path)
    except AlreadyRunning as error:
        pid = error.pid or texts.PID_UNKNOWN
        raise OpsError(texts.RESTORE_RUNNING.format(pid=pid)) from error
    with lock:
        if not source.exists():
            raise OpsError(texts.RESTORE_MISSING.format(path=source))
        check(source)
        part = db_path.with_name(db_path.name + ".restoring")
        try:
            conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            try:
                _copy(conn, part)
            finally:
                conn.close()
            counts = check(part)
            aside = _set_aside(db_path, part, now)
            os.replace(part, db_path)
        finally:
            part.unlink(missing_ok=True)
    return RestoreReport(db_path, aside, counts)


def _set_aside(db_path: Path, part: Path, now: datetime) -> Path | None:
    """Move the database being replaced aside (WAL folded in); None when there is none.

    The new file ``part`` gets the old one's owner and mode: restored by root, the database
    must still be writable by the bot's user.
    """
    if not db_path.exists():
        return None
    old_stat = db_path.stat()
    with contextlib.suppress(PermissionError):
        os.chown(part, old_stat.st_uid, old_stat.st_gid)
        os.chmod(part, old_stat.st_mode & 0o777)
    old = _connect(db_path)
    try:
        old.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        old.close()
    aside = db_path.with_name(f"{db_path.name}.replaced-{now.astimezone(UTC):%Y%m%d-%H%M%S}")
    os.replace(db_path, aside)
    for extra in ("-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            db_path.with_name(db_path.name + extra).unlink()
    return aside
