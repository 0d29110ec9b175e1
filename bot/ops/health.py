"""Health: is the database reachable, is the bot running, is each channel connected, is the
outbox moving, is there a recent backup.

The running bot records each channel's connection in ``channel_state`` (key ``health``) when
it changes, because ``lawbot status`` is another process. :func:`health` reads it all and
gives a JSON-able dict with a ``healthy`` flag; the web server's ``GET /healthz`` answers that
dict with 200 when healthy and 503 otherwise.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import sqlite_utils

from bot.clock import iso, parse_iso, system_now
from bot.ops.backup import last_backup
from bot.ops.lock import holder

log = logging.getLogger(__name__)

HEALTH_KEY = "health"
# A reply waiting longer than this means sending is stuck (the outbox retries within
# seconds while a network is up; its back-off reaches ten minutes only after hours down).
MAX_OUTBOX_AGE = timedelta(minutes=10)
# A nightly backup plus a day's grace, so one missed night is reported before two are lost.
MAX_BACKUP_AGE = timedelta(hours=36)


@dataclass(frozen=True)
class Limits:
    """When the outbox counts as stuck, and (when backups are expected) as too old."""

    outbox_age: timedelta = MAX_OUTBOX_AGE
    backup_age: timedelta | None = None


def record_channel(
    db: sqlite_utils.Database, channel: str, connected: bool, now: datetime, detail: str = ""
) -> None:
    """Store that ``channel`` is (dis)connected since ``now`` (``detail``: why not)."""
    value = json.dumps(
        {"connected": connected, "since": iso(now), "detail": detail[:300]}, ensure_ascii=False
    )
    db.execute(
        "INSERT INTO channel_state (channel, key, value) VALUES (?, ?, ?)"
        " ON CONFLICT (channel, key) DO UPDATE SET value = excluded.value",
        [channel, HEALTH_KEY, value],
    )


def forget_channels(db: sqlite_utils.Database) -> None:
    """Drop every recorded connection state (a starting bot records its own channels anew)."""
    db.execute("DELETE FROM channel_state WHERE key = ?", [HEALTH_KEY])


class ConnectionState:
    """A channel's connection as the running bot sees it, written to the database on change."""

    def __init__(
        self, db: sqlite_utils.Database, channel: str, clock: Callable[[], datetime]
    ) -> None:
        self.db = db
        self.channel = channel
        self.clock = clock
        self.connected: bool | None = None

    def up(self) -> None:
        """The network answered."""
        self._set(True, "")

    def down(self, detail: str) -> None:
        """The network did not answer (``detail`` says how; never a token)."""
        self._set(False, detail)

    def _set(self, connected: bool, detail: str) -> None:
        if connected == self.connected:
            return
        try:
            record_channel(self.db, self.channel, connected, self.clock(), detail)
        except Exception:  # health is a report: never stop a channel for it
            log.warning("could not record %s's connection state", self.channel, exc_info=True)
            return
        self.connected = connected


def _seconds(now: datetime, then: datetime) -> float:
    return round((now - then).total_seconds(), 1)


def health(
    db: sqlite_utils.Database, db_path: Path, now: datetime, limits: Limits
) -> dict[str, Any]:
    """The health report of the database at ``db_path`` read through ``db``, at ``now``."""
    pid = holder(db_path)
    report: dict[str, Any] = {
        "healthy": True,
        "checked_at": iso(now),
        "problems": [],
        "database": {"path": str(db_path), "reachable": True, "error": None},
        "bot": {"running": pid is not None, "pid": pid or None},
        "channels": {},
        "outbox": {"backlog": 0, "oldest_unsent_seconds": None, "failed": 0},
        "backup": {"last_at": None, "age_seconds": None, "path": None},
    }
    problems: list[dict[str, Any]] = report["problems"]
    if pid is None:
        problems.append({"code": "bot_not_running"})
    try:
        _read(db, now, limits, report)
    except sqlite3.Error as error:
        report["database"].update(reachable=False, error=f"{type(error).__name__}: {error}")
        problems.append({"code": "database_unreachable"})
    report["healthy"] = not problems
    return report


def _read(db: sqlite_utils.Database, now: datetime, limits: Limits, report: dict[str, Any]) -> None:
    problems: list[dict[str, Any]] = report["problems"]
    for channel, value in db.execute(
        "SELECT channel, value FROM channel_state WHERE key = ? ORDER BY channel", [HEALTH_KEY]
    ):
        state = json.loads(value)
        since = parse_iso(state["since"])
        report["channels"][channel] = {
            "connected": bool(state["connected"]),
            "since": state["since"],
            "seconds": _seconds(now, since),
            "detail": state.get("detail", ""),
        }
        if not state["connected"]:
            problems.append({"code": "channel_disconnected", "channel": channel})
    backlog, oldest = db.execute(
        "SELECT count(*), min(created_at) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL"
    ).fetchone()
    failed = db.execute("SELECT count(*) FROM outbox WHERE failed_at IS NOT NULL").fetchone()[0]
    report["outbox"].update(backlog=int(backlog), failed=int(failed))
    if oldest is not None:
        age = now - parse_iso(oldest)
        report["outbox"]["oldest_unsent_seconds"] = round(age.total_seconds(), 1)
        if age > limits.outbox_age:
            problems.append(
                {"code": "outbox_stale", "minutes": int(limits.outbox_age.total_seconds() // 60)}
            )
    last = last_backup(db)
    if last is not None:
        at, path = last
        report["backup"].update(last_at=iso(at), age_seconds=_seconds(now, at), path=path)
    if limits.backup_age is not None and (last is None or now - last[0] > limits.backup_age):
        problems.append(
            {"code": "backup_stale", "hours": int(limits.backup_age.total_seconds() // 3600)}
        )


def unreachable(db_path: Path, error: str) -> dict[str, Any]:
    """The report for a database that cannot be opened at all."""
    pid = holder(db_path)
    problems: list[dict[str, Any]] = [{"code": "database_unreachable"}]
    if pid is None:
        problems.insert(0, {"code": "bot_not_running"})
    return {
        "healthy": False,
        "problems": problems,
        "database": {"path": str(db_path), "reachable": False, "error": error},
        "bot": {"running": pid is not None, "pid": pid or None},
        "channels": {},
        "outbox": {"backlog": 0, "oldest_unsent_seconds": None, "failed": 0},
        "backup": {"last_at": None, "age_seconds": None, "path": None},
    }


def report_for(db_path: Path, backup_expected: bool) -> dict[str, Any]:
    """Open the database read-mostly (no migrations, never created) and report its health."""
    if not db_path.exists():
        return unreachable(db_path, "file not found")
    limits = Limits(backup_age=MAX_BACKUP_AGE if backup_expected else None)
    try:
        db = sqlite_utils.Database(db_path)
    except sqlite3.Error as error:
        return unreachable(db_path, f"{type(error).__name__}: {error}")
    try:
        db.execute("PRAGMA busy_timeout = 5000")
        return health(db, db_path, system_now(), limits)
    finally:
        db.close()
