"""The health report: database, bot process, channels, outbox, backups; `lawbot status`;
and when the nightly backup falls due."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlite_utils
from click.testing import CliRunner
from fakes import T0

from bot.app import open_database
from bot.cli import cli
from bot.desk.outbox import Outbox
from bot.messages import Outgoing
from bot.ops.backup import backup
from bot.ops.health import ConnectionState, Limits, forget_channels, health
from bot.ops.lock import RunLock
from bot.ops.nightly import next_backup_at
from bot.texts import ops as ot

TZ = ZoneInfo("Asia/Shanghai")


def codes(report: dict[str, object]) -> list[str]:
    return [p["code"] for p in report["problems"]]  # type: ignore[attr-defined,index]


def test_a_running_bot_with_connected_channels_and_moving_outbox_is_healthy(
    db: sqlite_utils.Database, db_path: Path
) -> None:
    with RunLock.acquire(db_path):
        ConnectionState(db, "telegram", lambda: T0).up()
        Outbox(db).put([Outgoing("telegram", "501", "您好")], T0)
        report = health(db, db_path, T0 + timedelta(minutes=5), Limits())
    assert report["healthy"] is True and report["problems"] == []
    assert report["bot"]["running"] is True
    assert report["channels"]["telegram"] == {
        "connected": True, "since": "2026-12-01T02:00:00.000000+00:00", "seconds": 300.0,
        "detail": "",
    }
    assert report["outbox"] == {"backlog": 1, "oldest_unsent_seconds": 300.0, "failed": 0}
    json.dumps(report)  # JSON-able, for GET /healthz


def test_each_problem_makes_the_report_unhealthy(
    db: sqlite_utils.Database, db_path: Path
) -> None:
    state = ConnectionState(db, "telegram", lambda: T0)
    state.up()
    state.down("httpx.ConnectError: All connection attempts failed")
    Outbox(db).put([Outgoing("telegram", "501", "您好")], T0)
    report = health(
        db, db_path, T0 + timedelta(minutes=11), Limits(backup_age=timedelta(hours=36))
    )
    assert report["healthy"] is False
    assert codes(report) == ["bot_not_running", "channel_disconnected", "outbox_stale",
                             "backup_stale"]
    assert report["channels"]["telegram"]["detail"].startswith("httpx.ConnectError")
    forget_channels(db)
    assert health(db, db_path, T0, Limits())["channels"] == {}


def test_the_connection_is_written_only_when_it_changes(db: sqlite_utils.Database) -> None:
    clock = [T0]
    state = ConnectionState(db, "telegram", lambda: clock[0])
    state.up()
    clock[0] = T0 + timedelta(hours=1)
    state.up()  # still up: "since" stays the first moment
    value = db.execute("SELECT value FROM channel_state WHERE key = 'health'").fetchone()[0]
    assert json.loads(value)["since"].startswith("2026-12-01T02:00")


def test_an_unreachable_database_is_reported(db_path: Path) -> None:
    db = open_database(db_path)
    db.close()
    report = health(db, db_path, T0, Limits())
    assert report["database"]["reachable"] is False
    assert "database_unreachable" in codes(report)


def test_the_last_backup_counts_when_backups_are_expected(db_path: Path, tmp_path: Path) -> None:
    db = open_database(db_path)
    backup(db_path, tmp_path / "b.db", T0)
    limits = Limits(backup_age=timedelta(hours=36))
    fresh = health(db, db_path, T0 + timedelta(hours=35), limits)
    stale = health(db, db_path, T0 + timedelta(hours=37), limits)
    db.close()
    assert fresh["backup"]["age_seconds"] == 35 * 3600
    assert "backup_stale" not in codes(fresh) and "backup_stale" in codes(stale)


def test_lawbot_status_prints_the_report_and_exits_1_when_unhealthy(
    db_path: Path, tmp_path: Path
) -> None:
    missing = CliRunner().invoke(cli, ["status", "--db", str(tmp_path / "none.db")], env={})
    assert missing.exit_code == 1
    assert "无法访问" in missing.output and not (tmp_path / "none.db").exists()

    db = open_database(db_path)
    with RunLock.acquire(db_path):
        ConnectionState(db, "telegram", lambda: T0).up()
        ok = CliRunner().invoke(cli, ["status", "--db", str(db_path)], env={})
        as_json = CliRunner().invoke(cli, ["status", "--json", "--db", str(db_path)], env={})
    stopped = CliRunner().invoke(cli, ["status", "--db", str(db_path)], env={})
    db.close()
    assert ok.exit_code == 0, ok.output
    assert ot.STATUS_HEALTHY in ok.output and "渠道 telegram：已连接" in ok.output
    assert json.loads(as_json.output)["healthy"] is True
    assert stopped.exit_code == 1
    assert ot.STATUS_BOT_STOPPED in stopped.output
    assert ot.PROBLEMS["bot_not_running"] in stopped.output


def test_the_nightly_backup_is_due_at_three_local_time() -> None:
    # T0 is 10:00 in Shanghai; none yet: at once.
    assert next_backup_at(None, T0, TZ) == T0
    # Made at 10:00: the next is 03:00 the day after next (03:00 tomorrow is only 17 h on).
    due = next_backup_at(T0, T0 + timedelta(minutes=1), TZ)
    assert due.astimezone(TZ).isoformat() == "2026-12-03T03:00:00+08:00"
    # Made at 03:00:05: the next 03:00 is due, not skipped for five seconds.
    night = due.astimezone(TZ).replace(second=5)
    next_night = night + timedelta(days=1, seconds=-5)
    assert next_backup_at(night, next_night - timedelta(minutes=1), TZ) == next_night
    assert next_backup_at(night, next_night + timedelta(seconds=1), TZ) == (
        next_night + timedelta(seconds=1)  # due: at once
    )
    # Two days without one: at once.
    later = T0 + timedelta(days=2)
    assert next_backup_at(T0, later, TZ) == later
