"""Tickets from the resident's side: escalation, expectations, urgent, follow-ups, /my, forget."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlite_utils
from fakes import DESK_MX, DESK_TG, T0, ScriptedIndex, button_data, entry, load_org, msg, texts, to

from bot.app import build_service
from bot.service import Service
from bot.texts import resident as rt
from knowledge.faq import FaqStore

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def index() -> ScriptedIndex:
    idx = ScriptedIndex()
    idx.answer("押金", "rent-deposit")
    return idx


@pytest.fixture
def service(db: sqlite_utils.Database, index: ScriptedIndex) -> Iterator[Service]:
    load_org(db)
    FaqStore(db).add(
        entry("rent-deposit", "押金不退", "可以起诉。", ("《民法典》第七百二十二条",)), by="t"
    )
    yield build_service(db, SHANGHAI, index)


def start(service: Service, who: str = "r1", community: str = "xinhepu") -> None:
    service.handle(msg(f"/start {community}", who=who), T0)


def test_unanswerable_question_gets_a_ticket_and_an_honest_expectation(
    service: Service,
) -> None:
    start(service)
    outs = service.handle(msg("公司拖欠我三个月工资，电话13812345678"), T0)
    resident = to(outs, "telegram", "r1")
    assert "工单号 #1" in resident[0].text
    assert "王律师、小李值班" in resident[0].text and "30 分钟内回复" in resident[0].text
    desk = to(outs, *DESK_TG) + to(outs, *DESK_MX)
    assert len(desk) == 2
    for out in desk:
        assert out.ref == "ticket:1"
        assert "138****5678" in out.text and "13812345678" not in out.text
        assert button_data(out) == ["/claim 1", "/adviser 1", "/close 1"]
    # the adviser on duty is told privately as well
    assert to(outs, "telegram", "111")
    ticket = service.tickets.get(1)
    assert (ticket.status, ticket.community, ticket.team) == ("open", "xinhepu", "dongshan")


def test_off_duty_the_resident_is_told_when_the_next_duty_starts(service: Service) -> None:
    start(service)
    evening = T0 + timedelta(hours=10)  # Tuesday 20:00 in Shanghai
    outs = service.handle(msg("离婚后孩子抚养权归谁"), evening)
    assert "下一个值班时间 周三 12月2日 09:00 开始" in outs[0].text


@pytest.mark.parametrize("words", ["我老公家暴我", "邻居威胁要打我", "我不想活了想自杀", "被打了"])
def test_urgent_words_escalate_at_once_with_emergency_numbers(
    service: Service, words: str
) -> None:
    start(service)
    outs = service.handle(msg(words + "，押金也没退"), T0)  # the FAQ answers 押金 as well
    resident = to(outs, "telegram", "r1")
    for number in ("110", "120", "12338", "12356"):
        assert number in resident[0].text
    assert "可以起诉。" in resident[1].text
    assert "紧急" in resident[2].text and "#1" in resident[2].text
    assert "10 分钟内回复" in resident[2].text
    assert service.tickets.get(1).urgent == 1
    assert "紧急工单" in to(outs, *DESK_TG)[0].text


def test_an_urgent_question_the_faq_answers_gets_help_answer_and_urgent_ticket(
    service: Service, index: ScriptedIndex
) -> None:
    FaqStore(service.db).add(entry(
        "dv", "遭受家庭暴力怎么办", "可以报警并申请人身安全保护令。",
        ("《中华人民共和国反家庭暴力法》第二十三条",), category="婚姻家庭",
    ), by="t")
    index.answer("打我", "dv", score=0.8)
    start(service)
    outs = service.handle(msg("老公又打我了，我该怎么办"), T0)
    emergency, answer, ticket = to(outs, "telegram", "r1")
    assert emergency.text == rt.EMERGENCY
    assert "【遭受家庭暴力怎么办】" in answer.text
    assert "可以报警并申请人身安全保护令。" in answer.text
    assert "法律依据：《中华人民共和国反家庭暴力法》第二十三条" in answer.text
    rows = service.db.execute(
        "SELECT id, text, decision, entry_id, category, ticket_id FROM question_log"
    ).fetchall()
    assert rows == [(1, "老公又打我了，我该怎么办", "urgent", "dv", "婚姻家庭", 1)]  # once
    assert button_data(answer) == [
        "/rate 1 up", "/rate 1 down", "/human", "/law 《中华人民共和国反家庭暴力法》第二十三条"
    ]
    assert "紧急" in ticket.text and "#1" in ticket.text and ticket.ref == "ticket:1"
    opened = service.tickets.get(1)
    assert (opened.urgent, opened.category, opened.question) == (
        1, "婚姻家庭", "老公又打我了，我该怎么办")
    # the desk sees that the bot already answered, and the urgent mark
    desk = to(outs, *DESK_TG)[0].text
    assert "紧急工单" in desk and "遭受家庭暴力怎么办" in desk


def test_an_urgent_question_with_only_suggestions_gets_no_list(
    service: Service, index: ScriptedIndex
) -> None:
    FaqStore(service.db).add(
        entry("dv", "家暴怎么办", "可以申请人身安全保护令。", category="婚姻家庭"), by="t"
    )
    index.suggest("家暴", ("dv", "家暴怎么办"))
    start(service)
    outs = service.handle(msg("我老公家暴"), T0)
    mine = to(outs, "telegram", "r1")
    assert len(mine) == 2 and mine[0].text == rt.EMERGENCY
    assert "紧急" in mine[1].text and not any("/faq" in d for o in mine for d in button_data(o))
    assert service.tickets.get(1).category == "婚姻家庭"
    logged = service.db.execute("SELECT decision, entry_id FROM question_log").fetchall()
    assert logged == [("urgent", None)]


def test_urgent_without_a_community_still_reaches_a_desk(service: Service) -> None:
    outs = service.handle(msg("他要杀了我"), T0)
    assert "110" in outs[1].text
    assert to(outs, *DESK_TG) and to(outs, "telegram", "-200")


@pytest.mark.parametrize(
    "words", ["转人工", "找律师！", "人工", "我想咨询律师", "有个问题想问律师"]
)
def test_asking_for_a_person_turns_the_last_question_into_a_ticket(
    service: Service, words: str
) -> None:
    start(service)
    service.handle(msg("押金"), T0)
    outs = service.handle(msg(words), T0)
    assert "工单号 #1" in outs[0].text
    assert service.tickets.get(1).question == "押金"


def test_asking_for_a_person_first_asks_what_it_is_about(service: Service) -> None:
    start(service)
    assert "描述您的问题" in service.handle(msg("/human"), T0)[0].text
    outs = service.handle(msg("邻居占用楼道"), T0)
    assert "工单号 #1" in outs[0].text


def test_follow_ups_join_the_open_ticket_and_go_to_the_desk(service: Service) -> None:
    start(service)
    service.handle(msg("公司拖欠了我整整三个月的工资"), T0)
    service.desk_command("王律师", "/reply 1 请问您的身份证号？", T0 + timedelta(minutes=3))
    outs = service.handle(msg("补充：身份证440104199001011234"), T0 + timedelta(minutes=5))
    assert "已补充到工单 #1" in to(outs, "telegram", "r1")[0].text
    forwarded = to(outs, *DESK_TG)[0]
    assert forwarded.ref == "ticket:1" and "440104********1234" in forwarded.text
    assert [e.text for e in service.tickets.events(1)][-1].startswith("补充：身份证4401041990")


def test_a_new_question_the_faq_answers_is_answered_while_a_ticket_is_open(
    service: Service,
) -> None:
    start(service)
    service.handle(msg("公司拖欠了我整整三个月的工资"), T0)
    outs = service.handle(msg("房东押金不退怎么办"), T0 + timedelta(minutes=5))
    mine = [o.text for o in to(outs, "telegram", "r1")]
    assert len(mine) == 1 and "可以起诉。" in mine[0]
    assert to(outs, *DESK_TG) == []  # a question of its own does not go to ticket #1
    assert len(service.tickets.events(1)) == 2  # the question and why it went to people
    rows = service.db.execute("SELECT decision, entry_id FROM question_log ORDER BY id")
    logged = rows.fetchall()
    assert logged[-1] == ("answer", "rent-deposit")


def test_an_urgent_follow_up_flags_the_ticket(service: Service) -> None:
    start(service)
    service.handle(msg("公司拖欠了我整整三个月的工资"), T0)
    outs = service.handle(msg("老板说要打我"), T0)
    assert "110" in texts(outs)
    assert service.tickets.get(1).urgent == 1


def test_an_urgent_message_on_another_field_gets_its_own_urgent_ticket(
    service: Service, index: ScriptedIndex
) -> None:
    FaqStore(service.db).add(entry("wages", "拖欠工资", "可以申请仲裁。", category="劳动"), by="t")
    FaqStore(service.db).add(
        entry("dv", "家暴怎么办", "可以申请人身安全保护令。", category="婚姻家庭"), by="t"
    )
    index.escalate("工资", "wages")
    index.suggest("家暴", ("dv", "家暴怎么办"))
    start(service)
    service.handle(msg("公司拖欠了我整整三个月的工资"), T0)
    first = service.tickets.get(1)
    events = service.tickets.events(1)
    assert first.category == "劳动"
    outs = service.handle(msg("老公家暴我该怎么办"), T0 + timedelta(minutes=1))
    assert "110" in texts(outs)
    assert (service.tickets.get(1), service.tickets.events(1)) == (first, events)
    second = service.tickets.get(2)
    assert (second.urgent, second.category) == (1, "婚姻家庭")
    assert second.question == "老公家暴我该怎么办"
    # on the same field, it joins the open ticket of that field
    before = len(service.tickets.events(2))
    service.handle(msg("他刚才又家暴了，我很害怕"), T0 + timedelta(minutes=2))
    assert len(service.tickets.events(2)) == before + 1
    assert sorted(t.number for t in service.tickets.of_resident(second.resident_id)) == [1, 2]


def test_my_tickets_and_rating_the_answer(service: Service) -> None:
    start(service)
    service.handle(msg("公司拖欠了我整整三个月的工资"), T0)
    service.handle(msg("/reply 1 可以申请劳动仲裁。", who="111", chat="111"), T0)
    assert "#1 已答复" in service.handle(msg("/my"), T0)[0].text
    assert "谢谢您为工单 #1 打分" in service.handle(msg("4"), T0)[0].text
    assert service.tickets.get(1).rating == 4
    assert "没有找到" in service.handle(msg("/rate t1 5", who="intruder"), T0)[-1].text


def test_forget_deletes_words_and_identity_but_keeps_counts(
    service: Service, db: sqlite_utils.Database
) -> None:
    start(service)
    service.handle(msg("押金"), T0)
    service.handle(msg("公司拖欠了我整整三个月的工资，电话13812345678"), T0)
    outs = service.handle(msg("/forget"), T0)
    assert "已删除" in outs[0].text
    dump = "\n".join(str(row) for t in ("messages", "residents", "tickets", "ticket_events",
                                         "question_log", "outbox") for row in db[t].rows)
    assert "13812345678" not in dump
    assert "公司拖欠了我整整三个月的工资" not in dump
    assert "'r1'" not in dump.replace("'chat_id': 'r1'", "")  # only the goodbye is addressed
    assert db.execute("SELECT count(*) FROM question_log").fetchone()[0] == 2
    ticket = service.tickets.get(1)
    assert ticket.status == "closed" and ticket.community == "xinhepu"
    # the ticket is closed: the desk can no longer reach anyone through it
    reply = service.desk_command("王律师", "/reply 1 您好", T0)
    assert "已结束" in reply.ack and reply.outs == []


def test_a_flood_gets_one_slow_down_and_every_message_is_kept(
    service: Service, db: sqlite_utils.Database
) -> None:
    start(service)
    service.handle(msg("公司拖欠了我整整三个月的工资"), T0)
    service.desk_command("王律师", "/reply 1 还有什么情况？", T0)
    replies = []
    for i in range(12):
        replies.append(service.handle(msg(f"第{i}条补充"), T0 + timedelta(seconds=i)))
    slow = [o for outs in replies for o in outs if "有点多" in o.text]
    assert len(slow) == 1
    kept = db.execute("SELECT count(*) FROM messages WHERE text LIKE '第%条补充'").fetchone()[0]
    assert kept == 12
    assert len([e for e in service.tickets.events(1) if "条补充" in e.text]) == 12
    later = service.handle(msg("还有一件事"), T0 + timedelta(minutes=2))
    assert "已补充" in later[0].text
