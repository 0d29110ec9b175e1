"""Specialties and the district expert pool: routing by the ticket's field, claiming across
teams, 转顾问 offering the specialists, and the importer's checks of the new keys."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlite_utils
from fakes import ORG_YAML, T0, ScriptedIndex, entry, msg, to
from test_conversation_real_index import FAQ

from bot.app import build_service
from bot.channels.terminal import TerminalChat
from bot.clock import FixedClock
from bot.desk.commands import may_handle
from bot.desk.org import (
    Community,
    Organisation,
    OrgImportError,
    Person,
    Pool,
    Shift,
    Team,
    import_org,
    load_demo,
    save,
)
from bot.desk.org_io import parse_org_yaml
from bot.desk.routing import route
from bot.desk.tickets import Ticket
from bot.messages import Address
from bot.texts import desk as dt
from knowledge.faq import FaqStore

TZ = ZoneInfo("Asia/Shanghai")
DAYS = ("mon", "tue", "wed", "thu", "fri")
LABOUR = "我在工地干活，包工头跑路了，工钱找谁要"  # escalates; nearest entry: wages (劳动)


@pytest.fixture
def org() -> Organisation:
    """Team dongshan works office hours; the pool's labour expert of team quyi works a
    weekday night shift across midnight; 何律师 knows labour but is in no pool."""
    teams = [Team("dongshan", "东山街团队", {"telegram": "-100"}),
             Team("quyi", "区专家团队", {"telegram": "-300"})]
    communities = [Community("xinhepu", "新河浦社区", "东山街", "dongshan")]
    people = [
        Person("王律师", "adviser", "dongshan", {"telegram": "111"}, specialties=("婚姻家庭",)),
        Person("小李", "volunteer", "dongshan", {"telegram": "222"}),
        Person("张律师", "adviser", "quyi", {"telegram": "555"}, specialties=("劳动", "工伤")),
        Person("何律师", "adviser", "quyi", {"telegram": "666"}, specialties=("劳动",)),
    ]
    shifts = [
        Shift("王律师", DAYS, (), time(9), time(18)),
        Shift("小李", DAYS, (), time(9), time(18)),
        Shift("张律师", DAYS, (), time(20), time(2)),
        Shift("何律师", DAYS, (), time(0), time(0)),
    ]
    pools = [Pool("ld", "区劳动法专家库", ("张律师",))]
    return Organisation(teams, communities, people, shifts, pools)


@pytest.mark.parametrize(("hour", "expert"), [
    (datetime(2026, 12, 4, 21, 0, tzinfo=TZ), True),  # Friday evening
    (datetime(2026, 12, 5, 1, 30, tzinfo=TZ), True),  # Saturday 01:30: Friday's night shift
    (datetime(2026, 12, 5, 2, 0, tzinfo=TZ), False),  # the shift has ended
    (datetime(2026, 12, 6, 1, 30, tzinfo=TZ), False),  # Sunday 01:30: no Saturday shift
    (datetime(2026, 12, 7, 1, 30, tzinfo=TZ), False),  # Monday 01:30: no Sunday shift
])
def test_a_pool_expert_on_a_night_shift_is_called_in(
    org: Organisation, hour: datetime, expert: bool
) -> None:
    found = route(org, "xinhepu", hour, TZ, "劳动")
    assert [p.name for p in found.specialists] == (["张律师"] if expert else [])
    assert (Address("telegram", "555") in found.notify) is expert
    assert Address("telegram", "666") not in found.notify  # 何律师 is in no pool
    assert found.on_duty == []


def test_the_team_first_the_pool_only_for_a_field_nobody_on_duty_knows(
    org: Organisation,
) -> None:
    friday_10 = datetime(2026, 12, 4, 10, 0, tzinfo=TZ)
    late = datetime(2026, 12, 4, 22, 0, tzinfo=TZ)
    assert route(org, "xinhepu", late, TZ, "婚姻家庭").specialists == []  # nobody knows it
    assert route(org, "xinhepu", late, TZ, "").specialists == []  # no field
    # At 10:00 the team is on duty but knows no labour law, the expert is off duty.
    assert route(org, "xinhepu", friday_10, TZ, "劳动").specialists == []
    night = Organisation(
        list(org.teams.values()), list(org.communities.values()),
        [*org.people.values()], [*org.shifts, Shift("王律师", DAYS, (), time(18), time(23))],
        list(org.pools.values()),
    )
    # 王律师 on an evening shift: his field stays with the team, labour goes to the pool.
    assert route(night, "xinhepu", late, TZ, "婚姻家庭").specialists == []
    labour = route(night, "xinhepu", late, TZ, "劳动")
    assert [p.name for p in labour.on_duty] == ["王律师"]
    assert [p.name for p in labour.specialists] == ["张律师"]
    assert labour.notify == [Address("telegram", "-100"), Address("telegram", "111"),
                             Address("terminal", "王律师"), Address("telegram", "555"),
                             Address("terminal", "张律师")]
    with_labour = Organisation(
        list(org.teams.values()), list(org.communities.values()),
        [*org.people.values(), Person("孙律师", "adviser", "dongshan", {}, specialties=("劳动",))],
        [*night.shifts, Shift("孙律师", DAYS, (), time(18), time(23))],
        list(org.pools.values()),
    )
    assert route(with_labour, "xinhepu", late, TZ, "劳动").specialists == []


def test_pool_experts_may_handle_their_field_in_any_team(org: Organisation) -> None:
    tickets_of = {
        field: _ticket(field) for field in ("劳动", "婚姻家庭", "")
    }
    expert, outsider = org.people["张律师"], org.people["何律师"]
    assert may_handle(expert, tickets_of["劳动"])
    assert not may_handle(expert, tickets_of["婚姻家庭"])
    assert not may_handle(expert, tickets_of[""])
    assert not may_handle(outsider, tickets_of["劳动"])  # knows labour, serves no pool


def _ticket(field: str) -> Ticket:
    at = T0.isoformat()
    return Ticket(1, 1, "telegram", "r1", "xinhepu", "dongshan", field, "q", "open", None, 0,
                  at, None, None, None, None, at, None, 0, None)


# --- through the real Service and the terminal channel -------------------------------------


def demo_with_faq(db: sqlite_utils.Database) -> None:
    load_demo(db)
    store = FaqStore(db)
    for e in FAQ:
        store.add(e, by="test")


def outbox_to(db: sqlite_utils.Database, chat: str) -> list[dict[str, Any]]:
    return list(db["outbox"].rows_where("channel = 'terminal' AND chat_id = ?", [chat]))


def test_done_when_a_labour_question_at_21_reaches_the_on_duty_labour_specialist(
    db: sqlite_utils.Database,
) -> None:
    demo_with_faq(db)
    service = build_service(db, TZ)
    nine_pm = datetime(2026, 12, 4, 21, 0, tzinfo=TZ)
    printed: list[str] = []
    session = TerminalChat(service, "张三", printed.append, FixedClock(nine_pm))
    session.start("xinhepu")
    session.say(LABOUR)
    told = printed[-1]
    assert "工单号 #1" in told
    assert "现在由王律师、小李值班" in told
    assert "您的问题属于劳动方面，区劳动法专家库的张律师正在值班，也已收到通知。" in told
    ticket = service.tickets.get(1)
    assert ticket.category == "劳动" and ticket.team == "dongshan"
    posts = outbox_to(db, "张律师")
    assert len(posts) == 1 and LABOUR in posts[0]["text"] and posts[0]["ref"] == ticket.ref
    result = service.desk_command("张律师", "/claim 1", nine_pm)
    assert service.tickets.get(1).assignee == "张律师", result.ack
    result = service.desk_command("张律师", "/reply 1 可以向劳动保障监察大队投诉。", nine_pm)
    assert service.tickets.get(1).status == "answered"
    later: list[str] = []
    TerminalChat(service, "张三", later.append, FixedClock(nine_pm)).start()
    assert "可以向劳动保障监察大队投诉" in later[0] and "张律师" in later[0]


def test_at_ten_in_the_morning_the_evening_specialist_is_not_named(
    db: sqlite_utils.Database,
) -> None:
    demo_with_faq(db)
    service = build_service(db, TZ)
    printed: list[str] = []
    session = TerminalChat(service, "张三", printed.append, FixedClock(T0))
    session.start("xinhepu")
    session.say(LABOUR)
    assert "工单号 #1" in printed[-1] and "张律师" not in printed[-1]
    assert outbox_to(db, "张律师") == []
    assert service.tickets.get(1).category == "劳动"
    # He may still take it (his field), but a marriage question stays with the team.
    assert service.desk_command("张律师", "/claim 1", T0).ticket is not None
    assert service.tickets.get(1).assignee == "张律师"


def snapshot(db: sqlite_utils.Database) -> dict[str, Any]:
    return {
        "tickets": list(db["tickets"].rows),
        "events": list(db["ticket_events"].rows),
        "outbox": list(db["outbox"].rows),
    }


def test_a_pool_expert_is_refused_outside_their_field_and_nothing_changes(
    db: sqlite_utils.Database,
) -> None:
    load_demo(db)
    index = ScriptedIndex()
    service = build_service(db, TZ, index)
    service.handle(msg("/start xinhepu"), T0)
    service.handle(msg("我想离婚，孩子归谁"), T0)  # escalates without a field
    before = snapshot(db)
    for action in ("/claim 1", "/reply 1 专家的答复", "/close 1", "/show 1", "/adviser 1"):
        result = service.desk_command("张律师", action, T0)
        assert result.ack == dt.NOT_YOUR_TEAM.format(number=1)
    assert snapshot(db) == before


def test_the_adviser_button_offers_the_specialists_and_hands_to_the_chosen_one(
    db: sqlite_utils.Database,
) -> None:
    demo_with_faq(db)
    service = build_service(db, TZ)
    service.handle(msg("/start xinhepu", channel="terminal", who="张三"), T0)
    service.handle(msg(LABOUR, channel="terminal", who="张三"), T0)
    before = snapshot(db)
    offer = service.desk_command("小李", "/adviser 1", T0)
    assert "工单 #1 属于劳动方面" in offer.ack
    assert [b.data for row in offer.buttons for b in row] == ["/adviser 1 张律师"]
    assert snapshot(db) == before  # an offer changes nothing
    refused = service.desk_command("小李", "/adviser 1 小李", T0)  # a volunteer
    assert "无法转给 小李" in refused.ack
    refused = service.desk_command("小李", "/adviser 1 何人", T0)
    assert "无法转给 何人" in refused.ack
    assert snapshot(db) == before
    handed = service.desk_command("小李", "/adviser 1 张律师", T0)
    assert "已转给顾问 张律师" in handed.ack
    assert service.tickets.get(1).assignee == "张律师"
    assert [r["text"] for r in outbox_to(db, "张律师")][-1].startswith("📨 小李 把工单 #1 转给您")


def test_reminders_reach_the_on_duty_specialist_while_the_team_is_off(
    db: sqlite_utils.Database,
) -> None:
    """Team dongshan works office hours; 赵律师 of team beijing, in the rental pool, works
    18:00-02:00. A rental question at 23:00 goes to him, and so does its reminder."""
    yaml_text = ORG_YAML.replace(
        '  - {name: 赵律师, role: adviser, team: beijing, telegram: "444"}\n',
        '  - {name: 赵律师, role: adviser, team: beijing, telegram: "444", specialties: [租赁]}\n',
    ).replace(
        '  - {person: 赵律师, days: [mon, tue, wed, thu, fri], hours: "09:00-18:00"}\n',
        '  - {person: 赵律师, days: [mon, tue, wed, thu, fri], hours: "18:00-02:00"}\n',
    ) + "pools:\n  - {id: zl, name: 租赁专家库, people: [赵律师]}\n"
    save(db, parse_org_yaml(yaml_text), "test")
    FaqStore(db).add(entry("deposit", "房东不退押金怎么办？", "先书面催告。"), by="test")
    index = ScriptedIndex()
    index.escalate("押金", "deposit")
    service = build_service(db, TZ, index)
    tuesday_23 = datetime(2026, 12, 1, 23, 0, tzinfo=TZ)
    service.handle(msg("/start xinhepu"), tuesday_23)
    outs = service.handle(msg("房东扣了我押金还要我赔墙面的钱，我该怎么和他谈"), tuesday_23)
    told = "社区团队现在不在值班时间。您的问题属于租赁方面，租赁专家库的赵律师正在值班"
    assert told in outs[0].text
    assert service.tickets.get(1).category == "租赁"
    assert len(to(outs, "telegram", "444")) == 1  # announced to him privately
    later = service.tick(datetime(2026, 12, 2, 0, 1, tzinfo=TZ))  # beijing's 60 minutes
    assert [o.text.split("\n")[0] for o in to(later, "telegram", "444")] == [
        o.text.split("\n")[0] for o in to(later, "telegram", "-100")
    ]
    assert len(to(later, "telegram", "444")) == 1
    assert service.tick(datetime(2026, 12, 2, 3, 0, tzinfo=TZ)) == []  # everyone off duty


def test_importer_checks_specialties_and_pools(db: sqlite_utils.Database, tmp_path: Path) -> None:
    load_demo(db)
    before = Organisation.load(db)
    bad = tmp_path / "org.yaml"
    text = ORG_YAML.replace(
        '  - {name: 陈律师, role: adviser, team: dongshan, telegram: "333"}\n',
        '  - {name: 陈律师, role: adviser, team: dongshan, telegram: "333",'
        ' specialties: [劳动, "' + "很长" * 21 + '"]}\n',
    ) + (
        "pools:\n"
        "  - {id: ld, name: 劳动专家库, people: [陈律师, 王律师, 无名氏]}\n"
        "  - {id: ld, name: 重复, people: [陈律师]}\n"
        "  - {id: 'bad id', name: 空, people: []}\n"
        "  - {id: x, name: 字段错, members: [陈律师], people: 陈律师}\n"
    )
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(OrgImportError) as info:
        import_org(db, bad)
    found = [(e.sheet, e.field, e.message) for e in info.value.errors]
    assert ("people", "specialties", "专长应为常见问题的分类名（如 劳动、婚姻家庭，最长 40 字），"
            "而不是 " + "很长" * 10) in found
    pools = [(field, message) for sheet, field, message in found if sheet == "pools"]
    assert pools == [
        ("people", "专家库成员 王律师 没有填写 specialties（专长），不会被派单"),
        ("people", "未知人员 无名氏（请先在 people 中定义）"),
        ("id", "重复：ld 已在第 22 行出现"),
        ("id", "社区代码只能包含字母、数字、- 和 _（最长 64 个字符），而不是 bad id"),
        ("people", "必填，不能为空"),
        ("members", "应为文字，而不是列表或映射"),
        ("members", "未知字段 members"),
    ]
    after = Organisation.load(db)
    assert (after.people, after.pools) == (before.people, before.pools)  # nothing imported


def test_xlsx_sheets_carry_specialties_pools_onsite_and_legal_aid(
    db: sqlite_utils.Database, tmp_path: Path
) -> None:
    from test_desk_org_io import XLSX_SHEETS, write_xlsx

    sheets = {key: [list(r) for r in rows] for key, rows in XLSX_SHEETS.items()}
    sheets["people"][0].append("specialties")
    sheets["people"][1].append("劳动|工伤")
    sheets["people"][2].append(None)
    sheets["pools"] = [["id", "name", "people"], ["ld", "劳动专家库", "王律师"]]
    sheets["onsite"] = [
        ["community", "person", "days", "hours", "slot_minutes", "place"],
        ["xinhepu", "王律师", "周二", "14:00-17:00", 20.0, "居委会二楼"],
    ]
    sheets["legal_aid"] = [["centre", "address", "phone", "income_standard"],
                           ["法律援助处", "府前路 1 号", "12348", 2300.0]]
    import_org(db, write_xlsx(tmp_path / "org.xlsx", sheets))
    org = Organisation.load(db)
    assert org.people["王律师"].specialties == ("劳动", "工伤")
    assert org.people["王律师"].pools == ("ld",) and org.people["小李"].specialties == ()
    assert [(o.days, o.slot_minutes, o.place) for o in org.onsite] == [
        (("tue",), 20, "居委会二楼")
    ]
    assert org.legal_aid is not None and org.legal_aid.income_standard == 2300
    sheets["pools"].append(["ld", "重复", "小李"])
    with pytest.raises(OrgImportError) as info:
        import_org(db, write_xlsx(tmp_path / "bad.xlsx", sheets))
    assert [(e.sheet, e.row, e.field) for e in info.value.errors] == [
        ("pools", 3, "id"), ("pools", 3, "people"),
    ]
    assert Organisation.load(db).pools == org.pools  # nothing imported


def test_a_pool_expert_starting_duty_is_told_of_the_waiting_tickets_of_their_field(
    db: sqlite_utils.Database,
) -> None:
    demo_with_faq(db)
    service = build_service(db, TZ)
    for name, said in (("张三", [LABOUR]), ("李四", ["楼道里堆满了杂物没人管", "转人工"])):
        session = TerminalChat(service, name, lambda _text: None, FixedClock(T0))
        session.start("xinhepu")
        for text in said:
            session.say(text)
    labour, other = service.tickets.get(1), service.tickets.get(2)
    assert labour.category == "劳动" and labour.team == "dongshan"
    assert other.category != "劳动" and other.team == "dongshan"
    before = datetime(2026, 12, 1, 17, 59, tzinfo=TZ)  # 张律师 starts at 18:00 every day
    assert outbox_to(db, "张律师") == [] and "值班开始了" not in str(service.tick(before))
    outs = service.tick(before + timedelta(minutes=2))
    digest = to(outs, "terminal", "张律师")
    assert len(digest) == 1 and "值班开始了。目前有 1 个待处理工单" in digest[0].text
    assert "#1" in digest[0].text and "#2" not in digest[0].text
    assert [row["text"] for row in outbox_to(db, "张律师")] == [digest[0].text]  # stored
    # The team's own people are told of the team's tickets as before, not at his start.
    assert not to(outs, "terminal", "小李")
