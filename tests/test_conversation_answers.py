"""Whole conversations through the core with a fixed clock: notice, answers, suggestions, law."""

from __future__ import annotations

from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import sqlite_utils
from fakes import T0, ScriptedIndex, button_data, entry, load_org, msg, texts, to

from bot.app import build_service
from bot.service import Service
from knowledge.faq import FaqStore

DEPOSIT = entry(
    "rent-deposit", "房东不退押金怎么办", "先书面催告房东退还押金，协商不成可申请调解或起诉。",
    ("《民法典》第七百二十二条",),
)
NOISE = entry("noise", "楼上邻居噪音怎么办", "可以先找物业协调。", ("《民法典》第二百九十四条",),
              category="相邻关系")
FEE = entry("fee", "物业费可以不交吗", "不能以服务不好为由拒交。", (), category="物业")


@pytest.fixture
def index() -> ScriptedIndex:
    idx = ScriptedIndex()
    idx.answer("押金", "rent-deposit", "房东不退押金怎么办")
    idx.suggest("邻居", ("noise", "楼上邻居噪音怎么办"), ("fee", "物业费可以不交吗"))
    return idx


@pytest.fixture
def service(db: sqlite_utils.Database, index: ScriptedIndex) -> Iterator[Service]:
    load_org(db)
    store = FaqStore(db)
    for e in (DEPOSIT, NOISE, FEE):
        store.add(e, by="test")
    yield build_service(db, ZoneInfo("Asia/Shanghai"), index)


def test_first_question_gets_the_notice_and_the_answer_in_the_same_turn(
    service: Service,
) -> None:
    outs = service.handle(msg("房东不退押金怎么办？"), T0)
    assert len(outs) == 2
    notice, answer = outs
    assert "不是律师" in notice.text and "110" in notice.text and "12348" in notice.text
    assert "继续提问即表示您同意" in notice.text
    assert "先书面催告房东" in answer.text
    assert "法律依据：《民法典》第七百二十二条" in answer.text
    data = button_data(answer)
    assert data[0].endswith(" up") and data[1].endswith(" down")
    assert "/human" in data
    assert "/law 《民法典》第七百二十二条" in data


def test_the_notice_is_shown_once(service: Service) -> None:
    service.handle(msg("房东不退押金"), T0)
    outs = service.handle(msg("押金的事再问一下"), T0)
    assert "不是律师" not in texts(outs)


def test_law_button_shows_the_article_with_its_law_and_version(
    service: Service, laws_jsonl: object
) -> None:
    service.conversation.laws.import_jsonl(laws_jsonl)  # type: ignore[arg-type]
    service.handle(msg("押金"), T0)
    outs = service.handle(msg("/law 《民法典》第七百二十二条", button=True), T0)
    assert "《中华人民共和国民法典》第七百二十二条" in outs[0].text
    assert "承租人无正当理由未支付或者迟延支付租金" in outs[0].text
    assert "版）" in outs[0].text
    assert "已被修订或废止" not in outs[0].text


def test_superseded_law_is_flagged(service: Service, laws_jsonl: object) -> None:
    service.conversation.laws.import_jsonl(laws_jsonl)  # type: ignore[arg-type]
    outs = service.handle(msg("!law 治安管理处罚法第二十三条"), T0)
    assert "已被修订或废止" in outs[-1].text


def test_law_without_statutes_or_with_a_bad_citation_says_so(service: Service) -> None:
    assert "尚未加载" in service.handle(msg("/law 民法典第722条"), T0)[-1].text


def test_suggestions_offer_up_to_three_questions_and_a_way_to_a_person(
    service: Service,
) -> None:
    outs = service.handle(msg("邻居的事"), T0)
    suggest = outs[-1]
    assert suggest.text.startswith("您是不是想问")
    assert button_data(suggest) == ["/faq noise", "/faq fee", "/human none"]
    assert [b.label for b in suggest.flat_buttons()][-1] == "都不是，转人工"


def test_a_bare_number_picks_the_button_it_stands_for(service: Service) -> None:
    service.handle(msg("邻居的事", channel="matrix"), T0)
    outs = service.handle(msg("1", channel="matrix"), T0)
    assert "可以先找物业协调" in outs[0].text
    assert "《民法典》第二百九十四条" in outs[0].text


def test_thumbs_up_thanks_and_thumbs_down_offers_a_person(service: Service) -> None:
    answer = service.handle(msg("押金"), T0)[-1]
    up, down = button_data(answer)[:2]
    assert "谢谢" in service.handle(msg(up, button=True), T0)[0].text
    sorry = service.handle(msg(down, button=True), T0)[0]
    assert "您想问的是什么" in sorry.text and button_data(sorry) == ["/human"]
    ask = service.handle(msg("/human", button=True), T0)[0]
    assert "请先选择社区" in ask.text
    assert button_data(ask) == ["/street 东山街", "/street 北京街"]
    ask = service.handle(msg("1"), T0)[0]
    assert button_data(ask) == ["/community xinhepu", "/community dongyuan"]
    outs = service.handle(msg("2"), T0)
    assert "东园新村社区" in outs[0].text
    assert "工单号 #1" in outs[1].text
    desk = to(outs, "telegram", "-100")
    assert len(desk) == 1 and "居民问题：押金\n" in desk[0].text
    # the desk sees the answer the resident rejected and why the ticket exists
    assert "助手刚才的答复：答复了知识库条目【房东不退押金怎么办】" in desk[0].text
    assert "没帮助" in desk[0].text


def test_someone_else_cannot_rate_my_answer(service: Service) -> None:
    answer = service.handle(msg("押金", who="a"), T0)[-1]
    up = button_data(answer)[0]
    assert "没有找到" in service.handle(msg(up, who="b"), T0)[-1].text


def test_help_and_unknown_commands(service: Service) -> None:
    assert "/human" in service.handle(msg("/help"), T0)[-1].text
    assert "/help" in service.handle(msg("/frobnicate"), T0)[-1].text


def test_stickers_get_a_polite_answer(service: Service) -> None:
    outs = service.handle(msg("", kind="unsupported"), T0)
    assert "文字" in outs[-1].text


def test_the_index_sees_the_residents_community(
    service: Service, index: ScriptedIndex
) -> None:
    service.handle(msg("/start dongyuan"), T0)
    service.handle(msg("押金"), T0)
    assert index.asked[-1] == ("押金", "dongyuan")


@pytest.mark.parametrize(("text", "expected"), [("你好", "直接输入问题"), ("谢谢！", "不客气")])
def test_greetings_and_thanks_are_not_questions(
    service: Service, index: ScriptedIndex, text: str, expected: str
) -> None:
    service.handle(msg("/start xinhepu"), T0)
    assert expected in service.handle(msg(text), T0)[-1].text
    assert service.tickets.by_status() == [] and index.asked == []


def test_a_qr_code_link_binds_the_community_on_first_contact(service: Service) -> None:
    outs = service.handle(msg("/start beijinglu"), T0)
    assert "不是律师" in outs[0].text
    assert "北京路社区（北京街）" in outs[1].text
    assert "请选择" in service.handle(msg("/start nowhere"), T0)[-1].text


def test_choosing_by_street_then_community(service: Service) -> None:
    ask = service.handle(msg("/start"), T0)[-1]
    assert button_data(ask) == ["/street 东山街", "/street 北京街"]
    unknown = service.handle(msg("/street 火星街"), T0)[-1]
    assert "没有找到这个街道" in unknown.text
    assert "北京路社区" in service.handle(msg("2"), T0)[-1].flat_buttons()[0].label
    assert "已设置您的社区：北京路社区" in service.handle(msg("1"), T0)[-1].text


def test_help_texts_name_every_command(service: Service) -> None:
    from bot.commands import COMMANDS, desk_help, names, resident_help

    for command in COMMANDS:
        shown = resident_help() if command.audience == "resident" else desk_help()
        assert (f"/{command.name}" in shown) == command.menu, command
    # the table is what dispatches: every resident command has a handler, and no other
    assert set(service.conversation.commands()) == set(names("resident"))
    assert service.handle(msg("/help"), T0)[-1].text == resident_help()
