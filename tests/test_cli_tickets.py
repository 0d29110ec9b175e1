"""`lawbot tickets` on a database file, through the same desk rules as the chat desks."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from fakes import T0, ScriptedIndex, msg

from bot.app import build_service, open_database
from bot.cli import cli
from bot.desk.org import load_demo


@pytest.fixture
def demo(db_path: Path) -> Path:
    db = open_database(db_path)
    load_demo(db)
    service = build_service(db, ZoneInfo("Asia/Shanghai"), ScriptedIndex())
    past = T0 - timedelta(days=364)  # the commands run at the real time: this is before it
    service.handle(msg("/start xinhepu", channel="terminal", who="张三"), past)
    wages = "公司拖欠了我整整三个月的工资，电话13812345678"
    service.handle(msg(wages, channel="terminal", who="张三"), past)
    db.close()
    return db_path


def run(*args: str, db: Path) -> str:
    result = CliRunner().invoke(cli, [*args, "--db", str(db)])
    assert result.exit_code == 0, result.output
    return result.output


def test_list_show_claim_reply_close(demo: Path) -> None:
    listed = run("tickets", "list", db=demo)
    assert "#1 待认领 新河浦社区 未认领 公司拖欠了我整整三个月的工资，电话138****5678" in listed
    rows = json.loads(run("tickets", "list", "--json", db=demo))
    assert rows[0]["number"] == 1 and rows[0]["question"].endswith("138****5678")
    assert "小李 认领了工单 #1" in run("tickets", "claim", "1", "--as", "小李", db=demo)
    assert "已把答复" in run("tickets", "reply", "1", "先申请劳动仲裁", "--as", "小李", db=demo)
    shown = run("tickets", "show", "1", db=demo)
    assert "已答复" in shown and "小李：先申请劳动仲裁" in shown and "13812345678" not in shown
    assert "已结单" in run("tickets", "close", "1", db=demo)
    assert "没有未结工单" in run("tickets", "list", db=demo)
    assert "已结束" in run("tickets", "list", "--all", db=demo)


def test_adviser_and_addfaq(demo: Path) -> None:
    assert "王律师" in run("tickets", "adviser", "1", "--as", "小李", db=demo)
    run("tickets", "reply", "1", "可以向劳动监察投诉。", "--as", "王律师", db=demo)
    assert "知识库草稿" in run("tickets", "addfaq", "1", "--as", "王律师", db=demo)


def test_unknown_people_and_tickets_fail_clearly(demo: Path) -> None:
    result = CliRunner().invoke(cli, ["tickets", "claim", "1", "--as", "路人", "--db", str(demo)])
    assert result.exit_code == 1 and "没有“路人”" in result.output
    result = CliRunner().invoke(cli, ["tickets", "show", "9", "--db", str(demo)])
    assert result.exit_code == 1 and "没有工单 #9" in result.output


def test_inbox_shows_the_terminal_desk_its_messages_once(demo: Path) -> None:
    shown = run("tickets", "inbox", "--as", "王律师", db=demo)
    assert "新工单 #1" in shown and "138****5678" in shown and "1. 认领" in shown
    assert "没有新消息" in run("tickets", "inbox", "--as", "王律师", db=demo)
