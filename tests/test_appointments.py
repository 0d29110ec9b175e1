"""On-site appointments: /预约 through the terminal channel and the real Service, no double
booking (also across two processes), reminders through Service.tick, cancelling, the CLI,
marking held into the work log, and the organisation file's onsite rows."""

from __future__ import annotations

import json
import multiprocessing
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlite_utils
from click.testing import CliRunner
from fakes import ORG_YAML, ScriptedIndex

from bot.app import build_service, open_database
from bot.channels.terminal import TerminalChat
from bot.cli import cli
from bot.clock import FixedClock
from bot.desk.appointments import Appointments, SlotTaken
from bot.desk.org import Organisation, OrgImportError, import_org, load_demo
from bot.service import Service

TZ = ZoneInfo("Asia/Shanghai")
FRIDAY = datetime(2026, 12, 4, 10, 0, tzinfo=TZ)  # the demo's 新河浦 hours: Tuesdays 14-17
PLACE = "新河浦社区居委会二楼法律服务室（新河浦路 18 号）"
SLOT_1430 = "/预约 20261208T1430 王律师"


def resident(service: Service, name: str, now: datetime = FRIDAY) -> tuple[TerminalChat, list[str]]:
    printed: list[str] = []
    session = TerminalChat(service, name, printed.append, FixedClock(now))
    session.start("xinhepu")
    return session, printed


def active(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    return list(db.query("SELECT * FROM appointments WHERE status != 'cancelled' ORDER BY id"))


@pytest.fixture
def service(db: sqlite_utils.Database) -> Service:
    load_demo(db)
    return build_service(db, TZ, ScriptedIndex())


def test_a_booked_slot_cannot_be_booked_by_a_second_resident(service: Service) -> None:
    first, printed = resident(service, "张三")
    first.say("/预约")
    offer = printed[-1]
    assert "新河浦社区的线下法律咨询（每次 30 分钟），请选择时段" in offer
    assert "1. 周二 12月8日 14:00–14:30（王律师）" in offer
    assert "6. 周二 12月8日 16:30–17:00（王律师）" in offer
    first.say("2")  # the second button: 14:30
    booked = printed[-1]
    assert "已为您预约线下法律咨询（预约号 #1）" in booked
    assert "时间：周二 12月8日 14:30–15:00" in booked and f"地点：{PLACE}" in booked
    assert "1. 取消预约" in booked
    to_adviser = list(service.db.query("SELECT text FROM outbox WHERE chat_id = '王律师'"))
    assert [r["text"] for r in to_adviser] == [
        f"📅 新的线下预约 #1：周二 12月8日 14:30–15:00，新河浦社区，地点：{PLACE}。"
    ]

    second, printed2 = resident(service, "李四")
    before = active(service.db)
    second.say(SLOT_1430)
    assert "这个时段刚刚被别人预约了" in printed2[-1]
    assert "12月8日 14:30–15:00" not in printed2[-1] and "14:00–14:30（王律师）" in printed2[-1]
    assert active(service.db) == before  # nothing booked, nothing changed
    second.say("/预约 20261208T1500 王律师")
    assert "预约号 #2" in printed2[-1]
    second.say("/预约 20261208T1600 王律师")  # one booking at a time
    assert "您已有一个预约（#2）" in printed2[-1]
    assert [(r["id"], r["status"]) for r in active(service.db)] == [(1, "booked"), (2, "booked")]


@pytest.mark.parametrize("bad", [
    "/预约 garbage 王律师",
    "/预约 20261208T1415 王律师",  # not a slot boundary
    "/预约 20261209T1430 王律师",  # a Wednesday: no hours
    "/预约 20261208T1430 小李",  # not the adviser who receives
    "/预约 20261201T1430 王律师",  # in the past
])
def test_a_slot_that_is_not_offered_cannot_be_booked(service: Service, bad: str) -> None:
    session, printed = resident(service, "张三")
    session.say(bad)
    assert "这个时段刚刚被别人预约了（或已不可预约）" in printed[-1]
    assert active(service.db) == []


def test_cancel_frees_the_slot_and_only_the_owner_may_cancel(service: Service) -> None:
    first, printed = resident(service, "张三")
    first.say(SLOT_1430)
    second, printed2 = resident(service, "李四")
    second.say("/预约 取消 1")
    assert "没有找到您的这个预约" in printed2[-1]
    assert [r["status"] for r in active(service.db)] == ["booked"]
    first.say("/预约 取消 1")
    assert "已取消预约 #1（周二 12月8日 14:30–15:00）" in printed[-1]
    assert active(service.db) == []
    told = [r["text"] for r in service.db.query("SELECT text FROM outbox WHERE chat_id = '王律师'")]
    assert told[-1] == "📅 线下预约 #1（周二 12月8日 14:30–15:00，新河浦社区）已被居民取消。"
    second.say(SLOT_1430)
    assert "预约号 #2" in printed2[-1]


def test_reminders_the_day_before_and_the_hour_before_once_each(service: Service) -> None:
    session, _ = resident(service, "张三")
    session.say(SLOT_1430)
    start = datetime(2026, 12, 8, 14, 30, tzinfo=TZ)
    assert service.tick(start - timedelta(hours=24, minutes=1)) == []
    day = service.tick(start - timedelta(hours=24))
    assert [(o.channel, o.chat_id) for o in day] == [("terminal", "张三")]
    assert day[0].text.startswith("⏰ 提醒：您预约的线下法律咨询（预约号 #1）在 周二 12月8日 14:30")
    assert service.tick(start - timedelta(hours=2)) == []
    hour = service.tick(start - timedelta(minutes=59))
    assert [o.text for o in hour] == [
        "⏰ 提醒：您的线下法律咨询一小时后开始（预约号 #1）：周二 12月8日 14:30–15:00，"
        f"地点：{PLACE}。"
    ]
    assert service.tick(start - timedelta(minutes=30)) == []
    stored = service.db.execute(
        "SELECT count(*) FROM outbox WHERE chat_id = '张三' AND text LIKE '⏰%'"
    ).fetchone()[0]
    assert stored == 2  # through the outbox


def test_forget_me_frees_the_slot_and_leaves_nothing_traceable(service: Service) -> None:
    session, _ = resident(service, "张三")
    session.say(SLOT_1430)
    session.say("/forget")
    rows = list(service.db.query("SELECT resident_id, channel, chat_id, status FROM appointments"))
    assert rows == [{"resident_id": None, "channel": None, "chat_id": None,
                     "status": "cancelled"}]
    start = datetime(2026, 12, 8, 14, 30, tzinfo=TZ)
    assert service.tick(start - timedelta(minutes=30)) == []
    other, printed = resident(service, "李四")
    other.say(SLOT_1430)
    assert "预约号 #2" in printed[-1]


def test_retention_blanks_who_booked_past_appointments(service: Service) -> None:
    from bot.retention import purge

    session, _ = resident(service, "张三")
    session.say(SLOT_1430)
    session.say("/预约 取消 1")
    session.say("/预约 20261215T1430 王律师")
    purge(service.db, datetime(2026, 12, 9, tzinfo=TZ))
    rows = list(service.db.query("SELECT id, chat_id, status FROM appointments ORDER BY id"))
    assert rows == [{"id": 1, "chat_id": None, "status": "cancelled"},
                    {"id": 2, "chat_id": "张三", "status": "booked"}]


def test_a_late_booking_gets_only_the_hour_reminder_and_a_cancelled_one_none(
    service: Service,
) -> None:
    monday = datetime(2026, 12, 7, 20, 0, tzinfo=TZ)
    late, _ = resident(service, "张三", monday)
    late.say(SLOT_1430)
    cancelled, _ = resident(service, "李四", monday - timedelta(days=2))
    cancelled.say("/预约 20261208T1500 王律师")
    cancelled.say("/预约 取消 2")
    start = datetime(2026, 12, 8, 14, 30, tzinfo=TZ)
    assert service.tick(start - timedelta(hours=3)) == []
    outs = service.tick(start - timedelta(minutes=30))
    assert [o.chat_id for o in outs] == ["张三"]
    assert outs[0].text.startswith("⏰ 提醒：您的线下法律咨询一小时后开始（预约号 #1）")


def test_a_ticket_offers_the_booking_button_and_the_booking_links_it(service: Service) -> None:
    session, printed = resident(service, "张三")
    session.say("公司拖欠了我整整三个月的工资")
    assert "工单号 #1" in printed[-1] and "1. 📅 预约线下咨询" in printed[-1]
    session.say("1")
    assert "请选择时段" in printed[-1]
    session.say("1")
    assert "预约号 #1" in printed[-1]
    assert active(service.db)[0]["ticket_id"] == 1


def test_without_a_community_or_hours_the_resident_is_told(db: sqlite_utils.Database) -> None:
    load_demo(db)
    service = build_service(db, TZ, ScriptedIndex())
    printed: list[str] = []
    session = TerminalChat(service, "张三", printed.append, FixedClock(FRIDAY))
    session.start()
    session.say("/预约")
    assert "预约前请先选择您所在的社区" in printed[-1] and "新河浦社区" in printed[-1]
    session.say("/community dongyuan")
    session.say("/book")
    assert "东园新村社区的线下法律咨询" in printed[-1]
    assert "周四 12月10日 09:00–09:30" in printed[-1]
    db.execute("DELETE FROM onsite")
    session.say("/预约")
    assert "东园新村社区暂未开放线下预约" in printed[-1]


def _book_in_a_process(path: str, barrier: Any, results: Any, name: str) -> None:
    db = open_database(path)
    org = Organisation.load(db)
    barrier.wait()
    try:
        Appointments(db).book(org, "xinhepu", "20261208T1430", "王律师", FRIDAY, TZ,
                              (0, "terminal", name))
        results.put(name)
    except SlotTaken:
        results.put("taken")
    db.close()


def test_two_processes_booking_the_same_slot_one_wins(db_path: Path) -> None:
    db = open_database(db_path)
    load_demo(db)
    db.close()
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    workers = [ctx.Process(target=_book_in_a_process, args=(str(db_path), barrier, results, n))
               for n in ("甲", "乙")]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=60)
        assert w.exitcode == 0
    outcomes = sorted(results.get(timeout=5) for _ in workers)
    assert outcomes.count("taken") == 1 and set(outcomes) - {"taken"} <= {"甲", "乙"}
    db = open_database(db_path)
    rows = active(db)
    assert len(rows) == 1 and rows[0]["chat_id"] in outcomes


def run(*args: str, db: Path, ok: bool = True) -> str:
    result = CliRunner().invoke(cli, [*args, "--db", str(db)])
    assert (result.exit_code == 0) is ok, result.output
    return result.output


def test_cli_lists_the_day_and_marks_held_into_the_work_log(db_path: Path) -> None:
    db = open_database(db_path)
    load_demo(db)
    service = build_service(db, TZ, ScriptedIndex())
    session, _ = resident(service, "张三")
    session.say(SLOT_1430)
    other, _ = resident(service, "李四")
    other.say("/预约 20261208T1400 王律师")
    other.say("/预约 取消 2")
    db.close()
    listed = run("appointments", "list", "--day", "2026-12-08", db=db_path)
    assert "2026-12-08 的线下预约" in listed
    assert "#1  14:30  15:00  新河浦社区  王律师" in listed and "已预约" in listed
    assert "#2" not in listed  # a cancelled one is not listed
    rows = json.loads(run("appointments", "list", "--day", "2026-12-08", "--json", db=db_path))
    assert rows == [{"id": 1, "start": "2026-12-08T14:30:00+08:00", "minutes": 30,
                     "community": "xinhepu", "person": "王律师", "place": PLACE,
                     "status": "booked", "ticket": None}]
    assert "2026-12-09 没有线下预约" in run("appointments", "list", "--day", "2026-12-09",
                                          db=db_path)
    assert "日期应写成" in run("appointments", "list", "--day", "12/8", db=db_path, ok=False)
    held = run("appointments", "held", "1", "--minutes", "25", db=db_path)
    assert "预约 #1 已标记为已接待" in held and "现场咨询" in held
    db = open_database(db_path)
    log = list(db.query("SELECT type, community, day, count, minutes, person, note FROM work_log"))
    assert log == [{"type": "现场咨询", "community": "xinhepu", "day": "2026-12-08", "count": 1,
                    "minutes": 25, "person": "王律师", "note": "线下预约 #1"}]
    db.close()
    again = run("appointments", "held", "1", db=db_path, ok=False)
    assert "状态是「已接待」" in again
    assert "没有预约 #9" in run("appointments", "held", "9", db=db_path, ok=False)
    db = open_database(db_path)
    assert db.execute("SELECT count(*) FROM work_log").fetchone()[0] == 1  # nothing more


def test_the_importer_checks_onsite_rows(db: sqlite_utils.Database, tmp_path: Path) -> None:
    load_demo(db)
    bad = tmp_path / "org.yaml"
    bad.write_text(ORG_YAML + (
        "onsite:\n"
        "  - {community: xinhepu, person: 王律师, days: [tue], hours: '14:00-17:00',"
        " slot_minutes: 30, place: 居委会}\n"
        "  - {community: nowhere, person: 小李, days: [周八], hours: '18:00-02:00'}\n"
        "  - {community: xinhepu, person: 王律师, days: [tue], hours: '14:00-14:20',"
        " slot_minutes: 30, place: 居委会}\n"
    ), encoding="utf-8")
    with pytest.raises(OrgImportError) as info:
        import_org(db, bad)
    found = [(e.row, e.field, e.message) for e in info.value.errors if e.sheet == "onsite"]
    assert found == [
        (23, "community", "未知社区 nowhere（请先在 communities 中定义）"),
        (23, "person", "小李 不是法律顾问或团队负责人，不能安排现场接待"),
        (23, "place", "必填，不能为空"),
        (23, "days", "未知星期 周八（可写 mon..sun、mon-fri、周一..周日、每天）"),
        (23, "hours", "现场接待时间应在同一天内，如 14:00-17:00，而不是 18:00-02:00"),
        (24, "slot_minutes", "每个预约时段 30 分钟，比接待时间（20 分钟）还长"),
    ]
    assert len(Organisation.load(db).onsite) == 2  # the demo's, unchanged


def test_the_adviser_sees_the_day_in_chat_and_marks_held(service: Service) -> None:
    session, _ = resident(service, "张三")
    session.say(SLOT_1430)
    day = service.desk_command("王律师", "/onsite 2026-12-08", FRIDAY)
    assert "2026-12-08 的线下预约：" in day.ack and "#1  14:30–15:00  新河浦社区  王律师" in day.ack
    assert [b.data for row in day.buttons for b in row] == ["/held 1"]
    assert "2026-12-09 没有线下预约" in service.desk_command("王律师", "/onsite 2026-12-09",
                                                           FRIDAY).ack
    assert "日期应写成" in service.desk_command("王律师", "/onsite 明天", FRIDAY).ack
    before = (active(service.db), list(service.db["work_log"].rows))
    for name in ("小李", "张律师"):
        assert "不是由您接待的" in service.desk_command(name, "/held 1", FRIDAY).ack
        assert service.desk_command(name, "/onsite 2026-12-08", FRIDAY).buttons == ()
    assert "用法：/held" in service.desk_command("王律师", "/held", FRIDAY).ack
    assert (active(service.db), list(service.db["work_log"].rows)) == before
    held = service.desk_command("王律师", "/held 1", FRIDAY)
    assert "预约 #1 已标记为已接待" in held.ack
    assert [r["type"] for r in service.db["work_log"].rows] == ["现场咨询"]
    assert "状态是「已接待」" in service.desk_command("王律师", "/held 1", FRIDAY).ack
    assert len(list(service.db["work_log"].rows)) == 1
