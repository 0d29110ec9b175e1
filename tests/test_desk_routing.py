"""Routing a ticket: community → team desk, who is on duty, who to tell, who covers."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.desk.org import Community, Organisation, Person, Shift, Team
from bot.desk.routing import UnknownCommunity, backup_of, route
from bot.messages import Address

TZ = ZoneInfo("Asia/Shanghai")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
FRIDAY_10 = datetime(2026, 12, 4, 10, 0, tzinfo=TZ)
FRIDAY_20 = datetime(2026, 12, 4, 20, 0, tzinfo=TZ)


@pytest.fixture
def org() -> Organisation:
    teams = [
        Team("dongshan", "东山街团队", {"telegram": "-100", "matrix": "!desk:example.org"}),
        Team("baiyun", "白云街团队", {"terminal": "baiyun"}),
    ]
    communities = [
        Community("xinhepu", "新河浦社区", "东山街", "dongshan"),
        Community("tongde", "同德社区", "白云街", "baiyun"),
    ]
    people = [
        Person("小李", "volunteer", "dongshan", {"matrix": "@li:example.org"}),
        Person("王律师", "adviser", "dongshan", {"telegram": "42"}, backup="陈律师"),
        Person("赵主任", "lead", "dongshan", {"telegram": "7"}),
        Person("陈律师", "adviser", "baiyun", {}),
    ]
    shifts = [
        Shift("小李", WEEKDAYS, (), time(9), time(18)),
        Shift("王律师", WEEKDAYS, (), time(9), time(18)),
        Shift("陈律师", ("sat",), (), time(9), time(12)),
    ]
    return Organisation(teams, communities, people, shifts)


def test_route_on_duty_notifies_desk_rooms_and_the_adviser_privately(org: Organisation) -> None:
    r = route(org, "xinhepu", FRIDAY_10, TZ)
    assert r.team.id == "dongshan"
    assert r.desk == [Address("telegram", "-100"), Address("matrix", "!desk:example.org")]
    assert [p.name for p in r.on_duty] == ["王律师", "小李"]
    assert r.notify == [
        Address("telegram", "-100"),
        Address("matrix", "!desk:example.org"),
        Address("telegram", "42"),
        Address("terminal", "王律师"),
    ]
    assert r.next_duty is not None and r.next_duty[0] == datetime(2026, 12, 7, 9, tzinfo=TZ)


def test_route_off_duty_tells_when_the_next_period_starts(org: Organisation) -> None:
    r = route(org, "xinhepu", FRIDAY_20, TZ)
    assert r.on_duty == []
    assert r.notify == r.desk
    assert r.next_duty == (datetime(2026, 12, 7, 9, tzinfo=TZ), org.people["王律师"])
    other = route(org, "tongde", FRIDAY_20, TZ)
    assert other.desk == [Address("terminal", "baiyun")]
    assert other.next_duty == (datetime(2026, 12, 5, 9, tzinfo=TZ), org.people["陈律师"])


def test_unknown_community(org: Organisation) -> None:
    with pytest.raises(UnknownCommunity):
        route(org, "nowhere", FRIDAY_10, TZ)


def test_backup_is_the_named_one_else_the_team_lead(org: Organisation) -> None:
    assert backup_of(org, org.people["王律师"]) == org.people["陈律师"]
    assert backup_of(org, org.people["小李"]) == org.people["赵主任"]
    assert backup_of(org, org.people["赵主任"]) is None
    assert backup_of(org, org.people["陈律师"]) is None
