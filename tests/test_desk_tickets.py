"""The desk: claim, reply (relayed across networks), hand to adviser, close, add to FAQ."""

from __future__ import annotations

from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import sqlite_utils
from fakes import DESK_MX, DESK_TG, T0, ScriptedIndex, load_org, msg, to

from bot.app import build_service
from bot.desk.masking import mask
from bot.messages import Incoming
from bot.service import Service, UnknownPerson
from knowledge.faq import FaqStore

LI = "@li:example.org"  # 小李 on Matrix
WANG = "111"  # 王律师 on Telegram


@pytest.fixture
def service(db: sqlite_utils.Database) -> Iterator[Service]:
    load_org(db)
    svc = build_service(db, ZoneInfo("Asia/Shanghai"), ScriptedIndex())
    svc.handle(msg("/start xinhepu", who="r1"), T0)
    svc.handle(msg("公司拖欠我工资，我的电话是13812345678", who="r1"), T0)
    yield svc


def in_desk(
    text: str, who: str = LI, reply_to: str | None = None, button: bool = False
) -> Incoming:
    """A message in the Matrix desk room."""
    return msg(text, who=who, channel="matrix", chat=DESK_MX[1], group=True,
               reply_to=reply_to, button=button)


def test_claim_by_button_then_reply_by_replying_to_the_ticket_message(
    service: Service,
) -> None:
    posted = service.outbox.due("matrix", T0)
    assert posted[0].out.ref == "ticket:1"
    service.outbox.mark_sent(posted[0].id, "$event1", T0)

    outs = service.handle(in_desk("/claim 1", button=True), T0)
    assert "小李 认领了工单 #1" in outs[0].text and outs[0].ref == "ticket:1"
    assert service.tickets.get(1).status == "claimed"

    outs = service.handle(in_desk("您好，可以先申请劳动仲裁。", reply_to="$event1"), T0)
    relay = to(outs, "telegram", "r1")  # the resident is on Telegram: cross-network relay
    assert len(relay) == 1
    assert "可以先申请劳动仲裁" in relay[0].text and "小李" in relay[0].text
    assert "已把答复转给" in to(outs, *DESK_MX)[0].text
    ticket = service.tickets.get(1)
    assert ticket.status == "answered" and ticket.first_reply_at is not None


def test_reply_command_from_the_advisers_private_chat(service: Service) -> None:
    outs = service.handle(msg("/reply 1 请保留工资条。", who=WANG, chat=WANG), T0)
    assert "请保留工资条" in to(outs, "telegram", "r1")[0].text
    assert service.tickets.get(1).assignee == "王律师"


def test_someone_else_cannot_claim_a_claimed_ticket(service: Service) -> None:
    service.handle(in_desk("/claim 1"), T0)
    outs = service.handle(msg("!claim 1", who=WANG, chat=DESK_TG[1], group=True), T0)
    assert "已由 小李 认领" in outs[0].text


def test_strangers_in_the_desk_room_are_refused_and_chatter_is_ignored(
    service: Service,
) -> None:
    outs = service.handle(in_desk("/claim 1", who="@stranger:example.org"), T0)
    assert "不在这个值班团队" in outs[0].text
    assert service.tickets.get(1).status == "open"
    assert service.handle(in_desk("大家早上好"), T0) == []


def test_hand_to_adviser_tells_the_adviser_privately(service: Service) -> None:
    outs = service.handle(in_desk("/adviser 1"), T0)
    assert "已转给顾问 王律师" in outs[0].text
    private = to(outs, "telegram", WANG)
    assert private and "小李 把工单 #1 转给您" in private[0].text
    assert "138****5678" in private[0].text
    assert service.tickets.get(1).assignee == "王律师"


def test_close_tells_the_resident_and_stops_further_actions(service: Service) -> None:
    outs = service.handle(in_desk("/close 1"), T0)
    assert "已结单" in outs[0].text
    assert "已结束" in to(outs, "telegram", "r1")[0].text
    again = service.handle(in_desk("/reply 1 还在吗"), T0)
    assert "不能再处理" in again[0].text


def test_unknown_ticket_and_usage(service: Service) -> None:
    assert "没有工单 #9" in service.handle(in_desk("/claim 9"), T0)[0].text
    assert "用法" in service.handle(in_desk("/reply 1"), T0)[0].text
    assert "/claim" in service.handle(in_desk("/help"), T0)[0].text


def test_open_ticket_list_masks_numbers(service: Service) -> None:
    text = service.handle(in_desk("/tickets"), T0)[0].text
    assert "#1 待认领" in text and "138****5678" in text and "13812345678" not in text


def test_add_to_faq_makes_a_draft_with_the_residents_wording(
    service: Service, db: sqlite_utils.Database
) -> None:
    assert "还没有答复" in service.handle(in_desk("/addfaq 1"), T0)[0].text
    service.handle(in_desk("/reply 1 可以向劳动监察大队投诉，或申请劳动仲裁。"), T0)
    ack = service.handle(in_desk("/addfaq 1"), T0)[0].text
    assert "知识库草稿" in ack
    drafts = FaqStore(db).list(status="draft")
    assert len(drafts) == 1
    draft = drafts[0]
    assert draft.answer == "可以向劳动监察大队投诉，或申请劳动仲裁。"
    assert "公司拖欠我工资，我的电话是138****5678" in draft.alternates
    assert draft.id in ack


def test_the_terminal_desk_acts_by_name(service: Service) -> None:
    result = service.desk_command("小李", "/claim 1", T0)
    assert "认领" in result.ack
    with pytest.raises(UnknownPerson):
        service.desk_command("路人", "/claim 1", T0)
    result = service.desk_command("管理员", "/close 1", T0)
    assert "已结单" in result.ack


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("电话13812345678", "电话138****5678"),
        ("tel:19900001111.", "tel:199****1111."),
        ("身份证44010419900101123X", "身份证440104********123X"),
        ("订单号 123456789012345", "订单号 123456789012345"),
        ("12345678901", "12345678901"),
    ],
)
def test_mask_phone_and_id_card_numbers(text: str, masked: str) -> None:
    assert mask(text) == masked
