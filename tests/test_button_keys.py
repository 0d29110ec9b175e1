"""Long button data kept under short keys expires a month after the button was last offered."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlite_utils
from fakes import T0

from bot import store
from bot.app import MIGRATIONS
from bot.clock import iso, parse_iso
from bot.retention import BUTTON_KEY_AGE, purge_due
from bot.store import ChannelState
from knowledge.db import Migrations, open_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
LAW = "/law 《最高人民法院关于审理劳动争议案件适用法律问题的解释（一）》第四十四条"


def keys(db: sqlite_utils.Database) -> list[tuple[str, str, str]]:
    return db.execute("SELECT channel, key, data FROM button_keys ORDER BY key").fetchall()


def test_a_key_not_offered_for_a_month_is_deleted_by_the_daily_job(
    db: sqlite_utils.Database,
) -> None:
    telegram = ChannelState(db, "telegram")
    telegram.set("update_offset", "17")
    telegram.keep_button("#k:old", LAW, T0)
    telegram.keep_button("#k:renewed", "/faq " + "x" * 70, T0)
    ChannelState(db, "matrix").keep_button("#k:old", "/faq other", T0)
    telegram.keep_button("#k:renewed", "/faq " + "x" * 70, T0 + timedelta(days=20))

    assert purge_due(db, T0 + BUTTON_KEY_AGE - timedelta(hours=1), SHANGHAI, 180) is not None
    assert len(keys(db)) == 3  # none older than a month yet
    assert telegram.button("#k:old") == LAW

    purge_due(db, T0 + BUTTON_KEY_AGE + timedelta(days=1), SHANGHAI, 180)
    assert keys(db) == [("telegram", "#k:renewed", "/faq " + "x" * 70)]
    assert telegram.button("#k:old") is None
    assert telegram.get("update_offset") == "17"  # the channel's other values stay

    purge_due(db, T0 + timedelta(days=51), SHANGHAI, 180)
    assert keys(db) == []


def test_keys_kept_in_channel_state_before_the_upgrade_move_over_with_a_month_to_live() -> None:
    db = open_db(None)
    before = Migrations("bot")
    before.steps = [step for step in store.migrations.steps if step[0] != "add_button_keys"]
    for migrations in MIGRATIONS:
        (before if migrations is store.migrations else migrations).apply(db)
    db.execute("INSERT INTO channel_state VALUES ('telegram', 'update_offset', '17')")
    db.execute("INSERT INTO channel_state VALUES ('telegram', 'callback:#k:abc', ?)", [LAW])
    upgraded_at = datetime.now(UTC)

    assert store.migrations.apply(db) == ["add_button_keys"]

    assert ChannelState(db, "telegram").button("#k:abc") == LAW
    assert db.execute("SELECT key FROM channel_state").fetchall() == [("update_offset",)]
    [offered] = db.execute("SELECT offered_at FROM button_keys").fetchone()
    assert len(offered) == len(iso(upgraded_at))  # the fixed width that keeps text order
    assert abs(parse_iso(offered) - upgraded_at) < timedelta(minutes=1)
