"""A draft made from a ticket: unreviewed, without greetings, filed by the nearest entry."""

from __future__ import annotations

import pytest
import sqlite_utils

from bot.cli.faq import entry_lines
from bot.desk.learning import asked, draft_from_ticket, without_greeting
from bot.desk.tickets import Event, Ticket
from knowledge.faq import FaqEntry, FaqStore, NotReviewed
from knowledge.laws import LawStore

DETENTION = FaqEntry(
    id="criminal-detention", category="刑事", question="家人被公安刑事拘留了，最长能关多久？",
    answer="拘留后三日内提请批准逮捕。", alternates=("刑拘最长多少天", "儿子被刑事拘留了怎么办"),
    legal_basis=("《刑事诉讼法》第九十一条",), status="published",
)
DIVORCE = FaqEntry(
    id="family-divorce", category="婚姻家庭", question="离婚要走什么程序？",
    answer="可以协议离婚或起诉离婚。", alternates=("怎么离婚",),
    legal_basis=("《民法典》第一千零七十九条",), status="published",
)


def ticket(question: str, category: str = "婚姻家庭") -> Ticket:
    return Ticket(
        id=7, resident_id=1, channel="terminal", chat_id="r1", community="xinhepu",
        team="dongshan", category=category, question=question, status="answered",
        assignee="王律师", urgent=0, created_at="2026-12-01T09:00:00+08:00", claimed_at=None,
        first_reply_at=None, answered_at=None, closed_at=None,
        updated_at="2026-12-01T09:00:00+08:00", last_reminded_at=None, reminders=0, rating=None,
    )


@pytest.mark.parametrize(
    ("reply", "answer"),
    [
        ("您好，拘留后三日内提请批捕。", "拘留后三日内提请批捕。"),
        ("你好！ 您好： 拘留后三日内提请批捕。", "拘留后三日内提请批捕。"),
        ("拘留后三日内提请批捕，您好好准备材料。", "拘留后三日内提请批捕，您好好准备材料。"),
        ("您好", "您好"),  # nothing but a greeting: kept rather than emptied
    ],
)
def test_greetings_are_dropped_from_the_start_only(reply: str, answer: str) -> None:
    assert without_greeting(reply) == answer


def test_ticket_draft_is_unreviewed_greetless_and_filed_by_the_nearest_entry(
    db: sqlite_utils.Database, laws: LawStore
) -> None:
    store = FaqStore(db, laws)
    for entry in (DETENTION, DIVORCE):
        store.add(entry, by="导入")
    detained = ticket("我儿子被刑事拘留了，电话13812345678，最长关多久")
    draft = draft_from_ticket(
        store, detained, [],
        "您好，拘留后三日内公安机关要提请检察院批准逮捕。", by="王律师",
    )
    assert (draft.status, draft.category, draft.reviewed_by) == ("draft", "刑事", None)
    assert draft.answer == "拘留后三日内公安机关要提请检察院批准逮捕。"
    assert "13812345678" not in draft.question
    assert draft.id in [e.id for e in store.unreviewed()]
    with pytest.raises(NotReviewed):  # nothing a desk writes goes live by itself
        store.publish(draft.id, by="小李")
    assert store.get(draft.id).status == "draft"


def test_without_published_entries_the_tickets_category_stays(db: sqlite_utils.Database) -> None:
    store = FaqStore(db)
    noise = ticket("邻居半夜唱歌", category="相邻关系")
    draft = draft_from_ticket(store, noise, [], "可以报警。", by="x")
    assert draft.category == "相邻关系"


def test_a_draft_the_faq_already_answers_names_the_entry(db: sqlite_utils.Database) -> None:
    store = FaqStore(db)
    store.add(DIVORCE, by="导入")
    divorce = ticket("离婚要走什么程序")
    draft = draft_from_ticket(store, divorce, [], "可以协议离婚。", by="王律师")
    assert draft.extra["duplicate_of"] == "family-divorce"
    assert draft.extra["source"] == "ticket:7"
    assert any("可能重复：已发布的条目 family-divorce" in line
               for line in entry_lines(store.get(draft.id), None))
    noisy = ticket("邻居装修太吵")
    other = draft_from_ticket(store, noisy, [], "可以找物业。", by="王律师")
    assert "duplicate_of" not in other.extra


@pytest.mark.parametrize(
    ("question", "said", "one"),
    [
        ("押金不退怎么办", ["押金不退怎么办"], "押金不退怎么办"),
        ("我想问个事\n楼上半夜唱歌", ["我想问个事", "楼上半夜唱歌"], "楼上半夜唱歌"),
        # one message of two lines, then a follow-up repeating its last line
        ("房东不退押金\n怎么办", ["房东不退押金\n怎么办", "怎么办"], "房东不退押金\n怎么办"),
        ("", [""], ""),  # a forgotten resident's ticket
    ],
)
def test_the_question_a_draft_asks_is_the_message_the_ticket_ends_with(
    question: str, said: list[str], one: str
) -> None:
    events = [Event("2026-12-01T01:00:00+00:00", "resident", "", text) for text in said]
    assert asked(ticket(question), events) == one
