"""Statistics: every question counted by decision, category and community; time to a person."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlite_utils
from fakes import T0, ScriptedIndex, entry, load_org, msg

from bot.app import build_service
from bot.stats import report
from knowledge.faq import FaqStore

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def filled(db: sqlite_utils.Database) -> sqlite_utils.Database:
    load_org(db)
    FaqStore(db).add(entry("deposit", "押金", "可以起诉。", category="租赁"), by="t")
    FaqStore(db).add(entry("noise", "噪音", "找物业。", category="相邻关系"), by="t")
    index = ScriptedIndex()
    index.answer("押金", "deposit")
    index.suggest("邻居", ("noise", "噪音"))
    service = build_service(db, SHANGHAI, index)
    for who, community in (("a", "xinhepu"), ("b", "xinhepu"), ("c", "beijinglu")):
        service.handle(msg(f"/start {community}", who=who), T0)
    service.handle(msg("押金不退", who="a"), T0)
    service.handle(msg("邻居每天半夜吵得我睡不着", who="a"), T0)
    service.handle(msg("公司拖欠了我整整三个月的工资", who="b"), T0)  # ticket 1
    service.handle(msg("他威胁我", who="c"), T0)  # urgent ticket 2
    service.desk_command("小李", "/reply 1 申请仲裁", T0 + timedelta(minutes=20))
    service.desk_command("赵律师", "/reply 2 请报警", T0 + timedelta(minutes=40))
    service.handle(msg("押金", who="a", message_id="late"), T0 + timedelta(days=2))
    return db


def test_totals_and_median_time_to_first_human_reply(filled: sqlite_utils.Database) -> None:
    r = report(filled, SHANGHAI)
    assert r.total.consultations == 5
    assert r.total.answered == 2
    assert r.total.suggested == 1
    assert r.total.escalated == 2
    assert r.urgent == 1
    assert (r.tickets, r.tickets_answered) == (2, 2)
    assert r.median_first_reply_minutes == 30


def test_by_category_and_community(filled: sqlite_utils.Database) -> None:
    r = report(filled, SHANGHAI)
    assert r.by_category["租赁"].answered == 2
    assert r.by_category["相邻关系"].suggested == 1
    assert r.by_community["xinhepu"].consultations == 4
    assert r.by_community["beijinglu"].escalated == 1


def test_date_and_community_filters(filled: sqlite_utils.Database) -> None:
    day = date(2026, 12, 1)
    assert report(filled, SHANGHAI, day, day).total.consultations == 4
    assert report(filled, SHANGHAI, day + timedelta(days=1)).total.consultations == 1
    only = report(filled, SHANGHAI, community="beijinglu")
    assert only.total.consultations == 1 and only.median_first_reply_minutes == 40


def test_forgotten_residents_still_count(filled: sqlite_utils.Database) -> None:
    service = build_service(filled, SHANGHAI, ScriptedIndex())
    service.handle(msg("/forget", who="a"), T0 + timedelta(days=3))
    assert report(filled, SHANGHAI).total.consultations == 5


def test_every_rating_path_counts_and_mean_beside_median(filled: sqlite_utils.Database) -> None:
    service = build_service(filled, SHANGHAI, ScriptedIndex())
    service.handle(msg("/rate 1 up", who="a"), T0)  # 👍 on the first answer
    service.handle(msg("/rate t1 5", who="b"), T0)  # a 5-star ticket rating
    service.handle(msg("/rate t2 2", who="c"), T0)  # a 2-star ticket rating
    r = report(filled, SHANGHAI)
    assert (r.satisfied, r.unsatisfied, r.rated) == (2, 1, 3)
    assert r.helpful == 1
    assert r.mean_first_reply_minutes == 30 and r.median_first_reply_minutes == 30


def test_every_community_is_listed_even_without_questions(
    filled: sqlite_utils.Database,
) -> None:
    r = report(filled, SHANGHAI, communities=("xinhepu", "dongyuan", "beijinglu"))
    assert list(r.by_community) == ["xinhepu", "dongyuan", "beijinglu"]
    assert r.by_community["dongyuan"].consultations == 0
    only = report(filled, SHANGHAI, community="dongyuan", communities=("xinhepu", "dongyuan"))
    assert list(only.by_community) == ["dongyuan"]


def test_mean_and_median_differ_when_the_waits_are_skewed(db: sqlite_utils.Database) -> None:
    load_org(db)
    service = build_service(db, SHANGHAI, ScriptedIndex())
    for n, minutes in enumerate((10, 20, 90), start=1):
        service.handle(msg("/start xinhepu", who=f"r{n}"), T0)
        service.handle(msg("公司拖欠了我整整三个月的工资", who=f"r{n}"), T0)
        service.desk_command("小李", f"/reply {n} 申请仲裁", T0 + timedelta(minutes=minutes))
    r = report(db, SHANGHAI)
    assert r.median_first_reply_minutes == 20
    assert r.mean_first_reply_minutes == 40
