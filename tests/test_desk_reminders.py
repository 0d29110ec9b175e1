"""Timers with a fixed clock: reminders to the desk and backups, duty-start digests, expiry."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlite_utils
from fakes import DESK_TG, T0, ScriptedIndex, load_org, msg, texts, to

from bot.app import build_service
from bot.service import Service

SHANGHAI = ZoneInfo("Asia/Shanghai")
CHEN = "333"  # 王律师's backup
WANG = "111"  # 小李's backup


@pytest.fixture
def service(db: sqlite_utils.Database) -> Iterator[Service]:
    load_org(db)
    svc = build_service(db, SHANGHAI, ScriptedIndex())
    svc.handle(msg("/start xinhepu"), T0)
    yield svc


def ask(service: Service, text: str, at: datetime) -> None:
    service.handle(msg(text), at)


def test_unclaimed_ticket_is_announced_again_and_sent_to_the_backups(service: Service) -> None:
    ask(service, "公司拖欠了我整整三个月的工资", T0)
    assert service.tick(T0 + timedelta(minutes=29)) == []
    outs = service.tick(T0 + timedelta(minutes=30))
    assert "已等待 30 分钟仍未认领" in to(outs, *DESK_TG)[0].text
    assert to(outs, "telegram", CHEN) and to(outs, "telegram", WANG)
    assert service.tick(T0 + timedelta(minutes=45)) == []
    assert to(service.tick(T0 + timedelta(minutes=60)), *DESK_TG)
    # what tick returns is in the outbox too
    assert any("仍未认领" in i.out.text for i in service.outbox.due("telegram", T0 + timedelta(1)))


def test_urgent_tickets_are_reminded_sooner(service: Service) -> None:
    ask(service, "他威胁要打我", T0)
    outs = service.tick(T0 + timedelta(minutes=10))
    assert "紧急工单 #1 已等待 10 分钟" in texts(outs)


def test_claimed_tickets_are_not_announced_to_the_desk_again(service: Service) -> None:
    ask(service, "公司拖欠了我整整三个月的工资", T0)
    service.desk_command("小李", "/claim 1", T0 + timedelta(minutes=5))
    assert not to(service.tick(T0 + timedelta(minutes=40)), *DESK_TG)


def test_off_duty_tickets_wait_for_a_digest_when_duty_starts(service: Service) -> None:
    evening = T0 + timedelta(hours=10)  # Tuesday 20:00
    ask(service, "离婚财产怎么分，电话13812345678", evening)
    assert service.tick(evening + timedelta(hours=1)) == []  # nobody on duty: no reminder
    before = datetime(2026, 12, 2, 8, 59, tzinfo=SHANGHAI)
    assert service.tick(before) == []
    outs = service.tick(before + timedelta(minutes=2))
    digest = to(outs, "telegram", WANG)
    assert digest and "值班开始了" in digest[0].text and "#1" in digest[0].text
    assert "138****5678" in digest[0].text
    assert to(outs, "matrix", "@li:example.org")  # 小李 starts too
    assert to(outs, "terminal", "王律师")  # and the terminal desk of the same person


def test_first_tick_sends_no_digest_for_the_past(service: Service) -> None:
    ask(service, "公司拖欠了我整整三个月的工资", T0 + timedelta(hours=10))
    outs = service.tick(datetime(2026, 12, 2, 9, 30, tzinfo=SHANGHAI))
    assert "值班开始了" not in texts(outs)


def test_tickets_nobody_took_expire_and_the_resident_is_told(service: Service) -> None:
    ask(service, "公司拖欠了我整整三个月的工资", T0)
    outs = service.tick(T0 + timedelta(days=3))
    assert "已自动关闭" in to(outs, "telegram", "r1")[0].text
    assert service.tickets.get(1).status == "expired"


def test_answered_tickets_close_after_a_quiet_week(service: Service) -> None:
    ask(service, "公司拖欠了我整整三个月的工资", T0)
    service.desk_command("小李", "/reply 1 可以申请仲裁", T0)
    service.tick(T0 + timedelta(days=6))
    assert service.tickets.get(1).status == "answered"
    service.tick(T0 + timedelta(days=7))
    assert service.tickets.get(1).status == "closed"


def test_claimed_but_unanswered_goes_to_the_assignee_and_their_backup(service: Service) -> None:
    ask(service, "公司拖欠了我整整三个月的工资", T0)
    service.desk_command("小李", "/claim 1", T0 + timedelta(minutes=5))
    assert service.tick(T0 + timedelta(minutes=34)) == []
    outs = service.tick(T0 + timedelta(minutes=35))
    assert "已由 小李 认领 30 分钟" in to(outs, "matrix", "@li:example.org")[0].text
    assert to(outs, "telegram", WANG)  # 小李's backup
    assert not to(outs, *DESK_TG)
