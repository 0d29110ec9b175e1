"""The terminal channel: lines in, replies out of the outbox, desk replies shown on return."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import sqlite_utils
from fakes import T0, ScriptedIndex

from bot.app import build_service
from bot.channels.terminal import TerminalChat, TerminalSender
from bot.clock import FixedClock
from bot.desk.org import load_demo
from bot.messages import Button, Outgoing


def chat(db: sqlite_utils.Database, name: str = "张三") -> tuple[TerminalChat, list[str]]:
    printed: list[str] = []
    service = build_service(db, ZoneInfo("Asia/Shanghai"), ScriptedIndex())
    return TerminalChat(service, name, printed.append, FixedClock(T0)), printed


def test_buttons_are_numbered_and_a_number_picks_one(db: sqlite_utils.Database) -> None:
    load_demo(db)
    session, printed = chat(db)
    session.start("xinhepu")
    assert "已设置您的社区：新河浦社区" in printed[-1]
    session.say("公司拖欠了我整整三个月的工资")
    assert "工单号 #1" in printed[-1]
    session.say("/human")
    session.say("")  # blank lines are ignored
    assert len(session.service.tickets.by_status()) == 1


def test_binding_the_same_community_again_says_nothing(db: sqlite_utils.Database) -> None:
    load_demo(db)
    session, printed = chat(db)
    session.start("xinhepu")
    count = len(printed)
    again, printed_again = chat(db)
    again.start("xinhepu")
    assert printed_again == [] and count == 2


def test_desk_replies_wait_for_the_resident_and_are_printed_once(
    db: sqlite_utils.Database,
) -> None:
    load_demo(db)
    session, _ = chat(db)
    session.start("dongyuan")
    session.say("公司拖欠了我整整三个月的工资")
    session.service.desk_command("小李", "/reply 1 请申请劳动仲裁", T0)
    later, printed = chat(db)
    assert later.start() == 1
    assert "请申请劳动仲裁" in printed[0] and "1. 1 分" in printed[0]
    assert later.start() == 0


async def test_terminal_sender_prints_numbered_buttons() -> None:
    printed: list[str] = []
    sender = TerminalSender(printed.append)
    out = Outgoing("terminal", "x", "选择：", buttons=((Button("甲", "/a"), Button("乙", "/b")),))
    assert await sender.send(out)
    assert printed == ["选择：\n\n1. 甲\n2. 乙\n（回复数字即可选择）"]
