"""Threads, small talk, tickets with context, clarifying and one-turn context (issue 15)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlite_utils
from fakes import DESK_TG, T0, ScriptedIndex, button_data, entry, load_org, msg, texts, to

from bot.app import build_service
from bot.desk.commands import ticket_details
from bot.desk.org import Organisation
from bot.service import Service
from knowledge.faq import FaqStore

SHANGHAI = ZoneInfo("Asia/Shanghai")
LONG = "公司拖欠了我整整三个月的工资"  # no FAQ entry, long enough to describe a problem


@pytest.fixture
def index() -> ScriptedIndex:
    idx = ScriptedIndex()
    idx.answer("押金不退 那如果他不给呢", "rent-court")
    idx.answer("押金", "rent-deposit")
    idx.suggest("邻居", ("noise", "邻居噪音扰民怎么办"))
    return idx


@pytest.fixture
def service(db: sqlite_utils.Database, index: ScriptedIndex) -> Iterator[Service]:
    load_org(db)
    faq = FaqStore(db)
    faq.add(entry("rent-deposit", "押金不退", "先书面催告房东。"), by="t")
    faq.add(entry("rent-court", "房东拒不退押金能起诉吗", "可以向法院起诉。"), by="t")
    faq.add(entry("noise", "邻居噪音扰民怎么办", "先找物业。", category="邻里"), by="t")
    svc = build_service(db, SHANGHAI, index)
    svc.handle(msg("/start xinhepu"), T0)
    yield svc


def logged(db: sqlite_utils.Database) -> list[tuple[str, str | None, int | None]]:
    rows = db.execute("SELECT decision, text, ticket_id FROM question_log ORDER BY id")
    return [tuple(r) for r in rows.fetchall()]  # type: ignore[misc]


def test_with_a_ticket_open_a_covered_question_is_answered_and_counted(
    service: Service, db: sqlite_utils.Database
) -> None:
    service.handle(msg(LONG), T0)
    outs = service.handle(msg("押金不退怎么办"), T0 + timedelta(minutes=1))
    assert "先书面催告房东" in texts(outs) and "已补充" not in texts(outs)
    assert to(outs, *DESK_TG) == []
    assert [d for d, _, _ in logged(db)] == ["escalate", "answer"]


def test_an_unsure_message_offers_join_or_new_and_each_choice_works(
    service: Service, db: sqlite_utils.Database
) -> None:
    service.handle(msg(LONG), T0)
    ask = service.handle(msg("老板还扣着我的身份证原件不还给我"), T0 + timedelta(minutes=1))
    assert "未结的工单 #1" in ask[0].text
    assert button_data(ask[0]) == ["/join 1", "/new"]
    assert len(service.tickets.events(1)) == 2  # nothing joined yet
    joined = service.handle(msg("1"), T0 + timedelta(minutes=2))
    assert "已补充到工单 #1" in joined[0].text
    assert "身份证原件" in to(joined, *DESK_TG)[0].text
    assert service.tickets.events(1)[-1].text == "老板还扣着我的身份证原件不还给我"

    service.handle(msg("另外我想问问楼上装修一直到半夜怎么处理"), T0 + timedelta(minutes=3))
    new = service.handle(msg("/new", button=True), T0 + timedelta(minutes=4))
    assert "工单号 #2" in new[0].text
    assert service.tickets.get(2).question == "另外我想问问楼上装修一直到半夜怎么处理"
    decisions = [d for d, _, _ in logged(db)]
    assert decisions == ["escalate", "follow_up", "escalate"]  # each message counted once


def test_a_reply_to_the_ticket_or_a_short_answer_to_the_desk_joins_it(
    service: Service,
) -> None:
    outs = service.handle(msg(LONG), T0)
    assert to(outs, "telegram", "r1")[-1].ref == "ticket:1"
    rows = service.db.execute("SELECT id FROM outbox WHERE ref = 'ticket:1' AND chat_id = 'r1'")
    service.outbox.mark_sent(rows.fetchone()[0], "tg-77", T0)
    by_reply = service.handle(msg("合同在我这里，另外还有考勤记录和工资条", reply_to="tg-77"), T0)
    assert "已补充到工单 #1" in by_reply[0].text
    service.desk_command("王律师", "/reply 1 请问入职多久了？", T0 + timedelta(minutes=20))
    short = service.handle(msg("两年了"), T0 + timedelta(minutes=25))
    assert "已补充到工单 #1" in short[0].text
    late = service.handle(msg("两年了"), T0 + timedelta(minutes=45))
    assert "已补充" not in texts(late)  # long after the desk spoke: not assumed


@pytest.mark.parametrize(
    "text",
    ["早晨", "谢谢你", "唔该", "唔该晒", "多谢", "嗯嗯", "好的，谢谢！", "👍", "？？？", "asdfgh",
     "Hello, can you help me with my landlord?", "有人吗", "OK，收到，谢谢你！", "再见",
     "你是谁？", "你好，你是机器人吗", "你能做什么", "我想咨询一下", "在吗？我有个法律问题想问"],
)
def test_small_talk_gets_a_short_reply_and_never_a_ticket(
    service: Service, index: ScriptedIndex, db: sqlite_utils.Database, text: str
) -> None:
    asked = len(index.asked)
    outs = service.handle(msg(text), T0)
    assert len(outs) == 1 and "转人工" in outs[0].text
    assert service.tickets.by_status() == [] and logged(db) == []
    assert len(index.asked) == asked  # never matched, never given a category


def test_thumbs_down_then_a_question_opens_a_ticket_with_the_rejected_answer(
    service: Service, db: sqlite_utils.Database
) -> None:
    service.handle(msg("押金不退怎么办"), T0)
    ask = service.handle(msg("👎"), T0)
    assert "您想问的是什么" in ask[0].text and service.tickets.by_status() == []
    outs = service.handle(msg("房东说要扣清洁费"), T0 + timedelta(minutes=1))
    assert "工单号 #1" in outs[0].text
    ticket = service.tickets.get(1)
    assert ticket.question == "房东说要扣清洁费"
    desk = to(outs, *DESK_TG)[0].text
    assert "居民问题：房东说要扣清洁费" in desk and "【押金不退】" in desk and "没帮助" in desk
    shown = ticket_details(Organisation.load(db), service.tickets, ticket, SHANGHAI)
    lines = shown.splitlines()
    assert any("居民：押金不退怎么办" in line for line in lines)
    assert any("助手：答复了知识库条目【押金不退】先书面催告房东。" in line for line in lines)
    assert any("居民：房东说要扣清洁费" in line for line in lines)
    assert db.execute("SELECT rating FROM question_log WHERE id = 1").fetchone()[0] == "down"


def test_the_ticket_opened_after_a_thumbs_down_is_filed_under_the_nearest_field(
    service: Service,
) -> None:
    service.handle(msg("押金不退怎么办"), T0)
    service.handle(msg("👎"), T0)
    service.handle(msg("其实是邻居装修天天吵到半夜"), T0 + timedelta(minutes=1))
    assert service.tickets.get(1).category == "邻里"


@pytest.mark.parametrize("bare", ["没用", "7", "不对"])
def test_a_bare_rejection_or_stale_number_asks_first(service: Service, bare: str) -> None:
    outs = service.handle(msg(bare), T0)
    assert "您想问的是什么" in outs[0].text
    assert service.tickets.by_status() == []
    service.handle(msg("物业乱收停车费"), T0)
    assert service.tickets.get(1).question == "物业乱收停车费"


def test_a_vague_message_is_clarified_once_then_escalated_with_both(
    service: Service, db: sqlite_utils.Database
) -> None:
    ask = service.handle(msg("我想问个事"), T0)
    assert "类别" in ask[0].text
    assert button_data(ask[0]) == ["/topic 租赁", "/topic 邻里", "/human"]
    assert service.tickets.by_status() == []
    topic = service.handle(msg("/topic 邻里", button=True), T0)
    assert button_data(topic[0]) == ["/faq noise", "/human none"]
    outs = service.handle(msg("楼上半夜唱歌"), T0)
    assert "工单号 #1" in outs[0].text
    ticket = service.tickets.get(1)
    assert ticket.question == "我想问个事\n楼上半夜唱歌" and ticket.category == "邻里"
    assert [d for d, _, t in logged(db)] == ["clarify", "escalate"]


def test_a_clarified_tickets_faq_draft_asks_the_clarification_alone(
    service: Service, db: sqlite_utils.Database
) -> None:
    service.handle(msg("我想问个事"), T0)
    service.handle(msg("/topic 邻里", button=True), T0)
    service.handle(msg("楼上半夜唱歌"), T0)
    service.desk_command("王律师", "/reply 1 您好，可以先找物业，再打 110。", T0)
    drafted = service.desk_command("王律师", "/addfaq 1", T0)
    assert "知识库草稿" in drafted.ack
    [draft] = [e for e in FaqStore(db).unreviewed() if e.extra.get("source") == "ticket:1"]
    assert (draft.question, draft.alternates) == ("楼上半夜唱歌", ("楼上半夜唱歌",))
    assert draft.answer == "可以先找物业，再打 110。"
    ticket = service.tickets.get(1)
    assert ticket.question == "我想问个事\n楼上半夜唱歌"  # the ticket and its thread keep both
    said = [e.text for e in service.tickets.events(1) if e.role == "resident"]
    assert said == ["我想问个事", "楼上半夜唱歌"]


def test_a_short_follow_up_is_read_with_the_previous_answer(
    service: Service, index: ScriptedIndex
) -> None:
    service.handle(msg("押金不退怎么办"), T0)
    outs = service.handle(msg("那如果他不给呢"), T0 + timedelta(minutes=2))
    assert "可以向法院起诉" in outs[0].text
    assert index.asked[-1][0] == "押金不退 那如果他不给呢"
    later = service.handle(msg("那如果他不给呢"), T0 + timedelta(hours=1))
    assert "可以向法院起诉" not in texts(to(later, "telegram", "r1"))  # context has passed


def test_a_follow_up_that_escalates_carries_the_previous_topic(service: Service) -> None:
    service.handle(msg("押金不退怎么办"), T0)
    service.handle(msg("那他要是把我东西扔了怎么算"), T0 + timedelta(minutes=1))
    events = [e.text for e in service.tickets.events(1)]
    assert events[0] == "押金不退怎么办" and "【押金不退】" in events[1]


def test_what_the_bot_asked_yesterday_does_not_make_today_s_question_a_ticket(
    service: Service,
) -> None:
    service.handle(msg("押金不退怎么办"), T0)
    service.handle(msg("👎"), T0)
    outs = service.handle(msg("押金不退怎么办"), T0 + timedelta(days=1))
    assert "先书面催告房东" in texts(outs) and service.tickets.by_status() == []


def test_advisers_extend_the_phrase_file() -> None:
    from bot.smalltalk import PhrasesError, kind_of, parse_phrases

    phrases = parse_phrases("# 注释\n[thanks]\n劳烦晒\n[filler]\n啦\n")
    assert kind_of("劳烦晒啦！", phrases) == "thanks"
    assert kind_of("劳烦晒，押金点算", phrases) is None
    with pytest.raises(PhrasesError, match="第 1 行"):
        parse_phrases("谢谢\n")
    # a section the bot has no reply for is refused, naming its line, not met by a resident
    with pytest.raises(PhrasesError, match=r"第 3 行的分类 \[问候\] 不存在"):
        parse_phrases("[thanks]\n劳烦晒\n[问候]\n早晨\n")


@pytest.mark.parametrize(("kind", "said"), [
    ("about", ("你是谁？", "你是真人吗", "你好，请问你是律师吗")),  # told it is a bot
    ("ask", ("我想咨询一下", "你好，请问一下", "谢谢，我还有个问题")),  # asked for the question
])
def test_asking_what_the_bot_is_or_saying_a_question_is_coming_counts_no_consultation(
    service: Service, index: ScriptedIndex, db: sqlite_utils.Database, kind: str,
    said: tuple[str, ...],
) -> None:
    from bot.texts import resident as rt

    assert "机器人，不是真人" in rt.SMALLTALK["about"]
    for text in said:
        outs = service.handle(msg(text), T0)
        assert [o.text for o in outs] == [rt.SMALLTALK[kind]], text
    assert service.tickets.by_status() == [] and logged(db) == [] and index.asked == []
    # what comes next is the question, answered as any other
    service.handle(msg("押金不退怎么办"), T0)
    assert [q for q, _ in index.asked] == ["押金不退怎么办"] and len(logged(db)) == 1


def test_none_of_these_opens_a_ticket_that_says_so(service: Service) -> None:
    offer = service.handle(msg("邻居家的狗总是在楼道里大小便"), T0)
    assert button_data(offer[-1])[-1] == "/human none"
    outs = service.handle(msg("/human none", button=True), T0)
    assert "工单号 #1" in outs[0].text
    events = [e.text for e in service.tickets.events(1)]
    assert events[0] == "邻居家的狗总是在楼道里大小便"
    assert events[1].startswith("给出相近问题：邻居噪音扰民怎么办")
    assert events[-1] == "转人工原因：居民点了“都不是，转人工”"
