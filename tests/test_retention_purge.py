"""Retention: old resident words, names and addresses leave the database file; counts stay."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlite_utils
from click.testing import CliRunner
from fakes import T0, ScriptedIndex, entry, load_org, msg

from bot.app import build_service, open_database
from bot.cli import cli
from bot.messages import Incoming
from bot.report import as_json, build
from bot.retention import STATE, purge
from bot.service import Service
from bot.stats import report as stats_report
from bot.store import get_state
from knowledge.faq import FaqStore

SHANGHAI = ZoneInfo("Asia/Shanghai")
OLD = T0 - timedelta(days=200)  # 2026-05-15
OLD_WORDS = ("押金被房东扣了三千块钱", "公司的工资已经拖欠了我整整半年了啊", "他天天威胁我要打人")
OLD_NAME, OLD_CHAT = "欧阳修远", "tg-chat-77001"
NEW_WORDS = "新近的问题邻居装修太吵"


def said(text: str, who: str, chat: str, name: str = "") -> Incoming:
    return dataclasses.replace(msg(text, who=who, chat=chat), sender_name=name)


def fill(db: sqlite_utils.Database) -> Service:
    load_org(db)
    FaqStore(db).add(entry("deposit", "押金", "可以起诉。", category="租赁"), by="t")
    index = ScriptedIndex()
    index.answer("押金", "deposit")
    service = build_service(db, SHANGHAI, index)
    service.handle(said("/start xinhepu", "u1", OLD_CHAT, OLD_NAME), OLD)
    service.handle(said(OLD_WORDS[0], "u1", OLD_CHAT, OLD_NAME), OLD)
    service.handle(msg("/rate 1 up", who="u1", chat=OLD_CHAT), OLD)
    service.handle(said(OLD_WORDS[1], "u1", OLD_CHAT, OLD_NAME), OLD)  # ticket 1
    service.desk_command("小李", "/reply 1 请带上欠条申请仲裁", OLD + timedelta(minutes=30))
    service.handle(msg("/rate t1 4", who="u1", chat=OLD_CHAT), OLD + timedelta(hours=1))
    service.desk_command("小李", "/close 1", OLD + timedelta(hours=2))
    service.handle(said("/start beijinglu", "u2", "tg-chat-2"), OLD)
    service.handle(said(OLD_WORDS[2], "u2", "tg-chat-2"), OLD)  # urgent ticket 2, closed
    service.desk_command("赵律师", "/close 2", OLD + timedelta(hours=3))
    service.handle(said("/start dongyuan", "u3", "tg-chat-3", "新居民"), T0)
    service.handle(said(NEW_WORDS, "u3", "tg-chat-3", "新居民"), T0)  # ticket 3, open
    return service


def file_bytes(path: Path) -> bytes:
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def figures(db: sqlite_utils.Database) -> tuple[object, ...]:
    months = build(db, SHANGHAI, date(2026, 5, 1), date(2026, 12, 1))
    return as_json(months)["summary"], stats_report(db, SHANGHAI)


def test_purge_leaves_no_resident_text_in_the_file_and_keeps_the_counts(db_path: Path) -> None:
    db = open_database(db_path)
    fill(db)
    before = figures(db)
    assert all(w.encode() in file_bytes(db_path) for w in (*OLD_WORDS, OLD_NAME, OLD_CHAT))
    counts = purge(db, datetime(2026, 6, 1, tzinfo=SHANGHAI))
    assert (counts.tickets, counts.residents) == (2, 2)
    assert counts.messages > 0 and counts.questions == 3 and counts.outbox > 0
    assert figures(db) == before
    tickets = db.execute("SELECT status, category, urgent, created_at IS NOT NULL, rating,"
                         " question, channel FROM tickets ORDER BY id").fetchall()
    assert tickets[0][:5] == ("closed", "", 0, 1, 4) and tickets[0][5:] == ("", None)
    assert tickets[1][:3] == ("closed", "", 1)
    assert tickets[2][5] == NEW_WORDS  # recent and open: untouched
    open_raw = file_bytes(db_path)  # the purge's own checkpoint, not the close, cleared the WAL
    db.close()
    for raw in (open_raw, file_bytes(db_path)):
        for gone in (*OLD_WORDS, OLD_NAME, OLD_CHAT, "请带上欠条申请仲裁"):
            assert gone.encode() not in raw, gone
        assert NEW_WORDS.encode() in raw and "新居民".encode() in raw  # the scan sees text


def test_a_returning_resident_does_not_inherit_old_tickets(db: sqlite_utils.Database) -> None:
    service = fill(db)
    purge(db, datetime(2026, 6, 1, tzinfo=SHANGHAI))
    service.handle(said("/start xinhepu", "u1", OLD_CHAT), T0)
    outs = service.handle(msg("/my", who="u1", chat=OLD_CHAT), T0)
    assert "#1" not in outs[-1].text and "#2" not in outs[-1].text


def test_the_running_bot_purges_once_a_day_after_the_retention_period(
    db: sqlite_utils.Database,
) -> None:
    service = fill(db)
    service.retain_days = 180
    service.tick(T0)
    assert get_state(db, *STATE) == "2026-12-01"
    assert db.execute("SELECT count(*) FROM question_log WHERE text IS NOT NULL").fetchone() == (
        1,)
    db.execute("UPDATE question_log SET text = 'x'")  # would be blanked by a second purge
    service.tick(T0 + timedelta(hours=1))
    assert db.execute("SELECT count(*) FROM question_log WHERE text = 'x'").fetchone() == (4,)
    service.tick(T0 + timedelta(days=1))
    assert get_state(db, *STATE) == "2026-12-02"
    assert db.execute("SELECT count(*) FROM question_log WHERE text = 'x'").fetchone() == (1,)


def test_cli_purge_reports_counts_and_refuses_bad_dates(db_path: Path) -> None:
    db = open_database(db_path)
    fill(db)
    db.close()
    out = CliRunner().invoke(cli, ["purge", "--before", "6/1", "--db", str(db_path)])
    assert out.exit_code == 1 and "YYYY-MM-DD" in out.output
    db = open_database(db_path)
    assert db.execute("SELECT count(*) FROM question_log WHERE text IS NULL").fetchone() == (0,)
    db.close()
    out = CliRunner().invoke(cli, ["purge", "--before", "2026-06-01", "--db", str(db_path)])
    assert out.exit_code == 0, out.output
    assert "提问原文 3 条" in out.output and "工单 2 个" in out.output


def test_the_web_chats_page_history_goes_too(db_path: Path) -> None:
    from bot.channels.web_store import WebStore

    db = open_database(db_path)
    pages = WebStore(db)
    pages.add_resident("web-old", "网页上问过的旧问题：押金三千", "m1", OLD)
    pages.add_resident("web-new", "网页上刚问的问题：邻居装修", "m2", T0)
    counts = purge(db, datetime(2026, 6, 1, tzinfo=SHANGHAI))
    assert counts.messages == 1
    left = db.execute("SELECT chat_id FROM web_messages").fetchall()
    assert left == [("web-new",)]
    db.close()
    raw = file_bytes(db_path)
    assert "押金三千".encode() not in raw and "邻居装修".encode() in raw
