"""Whole conversations over Telegram: the unmodified python-telegram-bot client, the loopback
Bot API server, the real Service on a real SQLite file with statutes, a small FAQ and an
organisation whose team desk is a Telegram group.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from botapi_server import BotApiServer
from telegram_harness import button, keyboard_of, running, texts_to

from bot.app import build_service, open_database
from bot.clock import FixedClock
from bot.desk.org import import_org
from bot.service import Service
from bot.texts import desk as dt
from bot.texts import resident as rt
from bot.texts import telegram as tt
from knowledge.faq import FaqEntry, FaqStore
from knowledge.laws import LawStore

pytestmark = pytest.mark.integration

RESIDENT = 501
DESK = -100777
ADVISER = 9001  # 王律师
VOLUNTEER = 9002  # 小李
STRANGER = 6666

ORG_YAML = f"""
teams:
  - {{id: dongshan, name: 东山街法律顾问团队, desk: {{telegram: "{DESK}"}}}}
communities:
  - {{code: xinhepu, name: 新河浦社区, street: 东山街, team: dongshan}}
people:
  - {{name: 王律师, role: adviser, team: dongshan, telegram: "{ADVISER}"}}
  - {{name: 小李, role: volunteer, team: dongshan, telegram: "{VOLUNTEER}"}}
roster:
  - {{person: 王律师, days: [mon, tue, wed, thu, fri, sat, sun], hours: "00:00-24:00"}}
  - {{person: 小李, days: [mon, tue, wed, thu, fri, sat, sun], hours: "00:00-24:00"}}
"""
DEPOSIT_ANSWER = "先与房东协商，保留租赁合同和付款凭证；协商不成可申请人民调解或起诉。"
CITATION = "《中华人民共和国民法典》第七百零三条"


@pytest.fixture
def world(tmp_path: Path, db_path: Path, laws_jsonl: Path) -> Path:
    """A database file with statutes, two published FAQ entries and the organisation."""
    db = open_database(db_path)
    laws = LawStore(db)
    laws.import_jsonl(laws_jsonl)
    faq = FaqStore(db, laws)
    faq.add(
        FaqEntry(
            id="deposit",
            category="租房",
            question="房东不退押金怎么办",
            alternates=("退租时房东扣押金不还", "租房押金要不回来"),
            answer=DEPOSIT_ANSWER,
            legal_basis=(CITATION,),
            status="published",
        ),
        by="test",
    )
    faq.add(
        FaqEntry(
            id="wages",
            category="劳动",
            question="公司拖欠工资怎么办",
            alternates=("老板不发工资", "公司拖欠了我整整三个月的工资"),
            answer="可以向劳动保障监察机构投诉，或申请劳动仲裁。",
            legal_basis=("《中华人民共和国劳动合同法》第三十条",),
            status="published",
        ),
        by="test",
    )
    org_file = tmp_path / "org.yaml"
    org_file.write_text(ORG_YAML, encoding="utf-8")
    import_org(db, org_file)
    db.close()
    return db_path



@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 12, 1, 2, 0, tzinfo=UTC))  # a Tuesday, 10:00 in Shanghai


def service_on(path: Path) -> Service:
    return build_service(open_database(path), ZoneInfo("Asia/Shanghai"))


def ask_for_a_person(server: BotApiServer, question: str) -> None:
    """The question, then 转人工: one ticket whatever the matcher decided about the question."""
    server.push_message(RESIDENT, RESIDENT, question)
    server.push_message(RESIDENT, RESIDENT, "转人工")


def has(server: BotApiServer, chat: int, fragment: str, times: int = 1) -> bool:
    return sum(fragment in t for t in texts_to(server, chat)) >= times


async def test_deep_link_then_an_faq_answer_with_its_statute(
    world: Path, server: BotApiServer, clock: FixedClock
) -> None:
    async with running(service_on(world), server, clock):
        server.push_message(RESIDENT, RESIDENT, "/start xinhepu")
        await server.wait_for(lambda: has(server, RESIDENT, "新河浦社区"))
        server.push_message(RESIDENT, RESIDENT, "房东不退押金怎么办")
        await server.wait_for(lambda: has(server, RESIDENT, DEPOSIT_ANSWER))
        data, message_id = button(server, RESIDENT, rt.BTN_LAW)
        server.push_callback(RESIDENT, RESIDENT, data, message_id)
        await server.wait_for(lambda: has(server, RESIDENT, "第七百零三条（"))
        up, message_id = button(server, RESIDENT, rt.BTN_UP)
        server.push_callback(RESIDENT, RESIDENT, up, message_id)
        await server.wait_for(lambda: has(server, RESIDENT, rt.THANKS_UP))
    answer = next(t for t in texts_to(server, RESIDENT) if DEPOSIT_ANSWER in t)
    assert CITATION in answer
    assert len(data.encode()) <= 64  # "/law 《…》第七百零三条" is longer: sent as a key
    assert len(server.calls("answerCallbackQuery")) == 2
    assert server.sent(DESK) == []


# Vague questions touching both entries. The matcher's thresholds are tuned elsewhere: the
# test asks the first one the matcher itself would answer with suggestions.
VAGUE = ("押金和工资的问题", "押金", "房东和老板都欠我钱", "押金工资", "租房的事", "钱要不回来")


async def test_a_suggestion_button_brings_the_answer(
    world: Path, server: BotApiServer, clock: FixedClock
) -> None:
    service = service_on(world)
    vague = [q for q in VAGUE if service.index.match(q, "xinhepu").decision == "suggest"]
    assert vague, "the matcher suggests for none of the vague questions"
    async with running(service, server, clock):
        server.push_message(RESIDENT, RESIDENT, "/start xinhepu")
        server.push_message(RESIDENT, RESIDENT, vague[0])
        await server.wait_for(lambda: has(server, RESIDENT, rt.SUGGEST))
        offered = [b["callback_data"] for row in keyboard_of(server, RESIDENT) for b in row]
        assert "/faq deposit" in offered and "/human none" in offered
        data, message_id = button(server, RESIDENT, "房东不退押金怎么办")
        server.push_callback(RESIDENT, RESIDENT, data, message_id)
        await server.wait_for(lambda: has(server, RESIDENT, DEPOSIT_ANSWER))
    assert data == "/faq deposit"


async def test_escalation_reaches_the_desk_and_a_volunteer_reply_reaches_the_resident(
    world: Path, server: BotApiServer, clock: FixedClock
) -> None:
    async with running(service_on(world), server, clock):
        server.push_message(RESIDENT, RESIDENT, "/start xinhepu")
        ask_for_a_person(server, "楼上漏水物业不管怎么办")
        await server.wait_for(lambda: has(server, DESK, "#1"))
        await server.wait_for(lambda: has(server, ADVISER, "#1"))  # on duty: told privately
        assert has(server, RESIDENT, rt.TICKET_CREATED.format(number=1))
        claim, post = button(server, DESK, dt.BTN_CLAIM)
        assert claim == "/claim 1"
        # A stranger in the group presses 认领: refused, nothing changes.
        server.push_callback(DESK, STRANGER, claim, post, chat_type="supergroup")
        await server.wait_for(lambda: has(server, DESK, dt.NOT_A_MEMBER))
        server.push_callback(DESK, VOLUNTEER, claim, post, chat_type="supergroup")
        await server.wait_for(lambda: has(server, DESK, "小李 认领了工单 #1"))
        server.push_message(
            DESK, VOLUNTEER, "请先拍照留证，再书面通知物业维修。", chat_type="supergroup",
            reply_to=post,
        )
        await server.wait_for(lambda: has(server, RESIDENT, "请先拍照留证"))
        server.push_message(DESK, VOLUNTEER, "/tickets", chat_type="supergroup")
        await server.wait_for(lambda: has(server, DESK, dt.OPEN_TICKETS_HEAD))
    relayed = next(t for t in texts_to(server, RESIDENT) if "请先拍照留证" in t)
    assert relayed.startswith(rt.DESK_REPLY.format(number=1, name="小李", text="")[:8])
    assert has(server, DESK, dt.REPLIED.format(number=1))


async def test_a_restart_in_the_middle_of_a_ticket(
    world: Path, server: BotApiServer, clock: FixedClock
) -> None:
    async with running(service_on(world), server, clock):
        server.push_message(RESIDENT, RESIDENT, "/start xinhepu")
        ask_for_a_person(server, "楼上漏水物业不管怎么办")
        await server.wait_for(lambda: has(server, DESK, "#1"))
        post = button(server, DESK, dt.BTN_CLAIM)[1]
        server.block(RESIDENT)  # the next replies to the resident cannot be delivered now
        server.push_message(DESK, VOLUNTEER, "/claim 1", chat_type="supergroup")
        await server.wait_for(lambda: has(server, DESK, "认领了工单 #1"))
    # Down: the volunteer answers and the resident adds something; nobody polls.
    server.push_message(DESK, VOLUNTEER, "请联系物业。", chat_type="supergroup", reply_to=post)
    server.push_message(RESIDENT, RESIDENT, "已经联系过物业了")
    delivered_before = len(server.sent())
    again = service_on(world)
    async with running(again, server, clock):
        await server.wait_for(lambda: has(server, DESK, dt.REPLIED.format(number=1)))
        await server.wait_for(lambda: has(server, DESK, "已经联系过物业了"))
        await server.wait_for(lambda: server.pending_updates() == 0)
    assert len(server.sent()) > delivered_before
    stored = again.db.execute("SELECT COUNT(*), COUNT(DISTINCT message_id) FROM messages")
    count, distinct = stored.fetchone()
    assert count == distinct == 6  # every update stored exactly once
    assert [t for t in texts_to(server, DESK) if "请联系物业" in t] == []  # not echoed twice
    assert sum(dt.REPLIED.format(number=1) in t for t in texts_to(server, DESK)) == 1


async def test_bad_inputs_are_answered_without_a_crash(
    world: Path, server: BotApiServer, clock: FixedClock
) -> None:
    async with running(service_on(world), server, clock):
        server.push_message(RESIDENT, RESIDENT, "/start xinhepu")
        await server.wait_for(lambda: has(server, RESIDENT, "新河浦社区"))
        server.push_sticker(RESIDENT, RESIDENT)
        server.push_photo(RESIDENT, RESIDENT)
        await server.wait_for(lambda: has(server, RESIDENT, rt.UNSUPPORTED, times=2))
        server.push_message(RESIDENT, RESIDENT, "")
        await server.wait_for(lambda: has(server, RESIDENT, rt.EMPTY))
        server.push_message(RESIDENT, RESIDENT, "/nosuchcommand")
        await server.wait_for(lambda: has(server, RESIDENT, rt.UNKNOWN_COMMAND))
        server.push_callback(RESIDENT, RESIDENT, "#k:forged0000", 1)
        server.push_callback(RESIDENT, RESIDENT, "/rate 999 up", 1)
        await server.wait_for(lambda: has(server, RESIDENT, rt.RATE_UNKNOWN))
        clock.advance(minutes=1)  # stay under the flood limit
        ask_for_a_person(server, "邻居" * 2500)  # 5,000 characters
        await server.wait_for(lambda: has(server, RESIDENT, rt.TICKET_CREATED.format(number=1)))
        # The desk post quotes the long question: split, buttons on the last part only.
        await server.wait_for(lambda: len(server.sent(DESK)) == 2)
        first, last = server.sent(DESK)
        assert "reply_markup" not in first.params and "reply_markup" in last.params
        # The pump sends in order: once the adviser has the copy, the desk post is recorded.
        await server.wait_for(lambda: len(server.sent(ADVISER)) == 2)
        # Replying to the part with the buttons reaches the ticket.
        server.push_message(
            DESK, VOLUNTEER, "邻里纠纷可以先找居委会调解。", chat_type="supergroup",
            reply_to=last.result["message_id"],
        )
        await server.wait_for(lambda: has(server, RESIDENT, "先找居委会调解"))
    expired = [c for c in server.calls("answerCallbackQuery") if c.params.get("text")]
    assert [c.params["text"] for c in expired] == [tt.BUTTON_EXPIRED]
    assert tt.APOLOGY not in texts_to(server, RESIDENT)


async def test_resident_commands_and_an_advisers_private_reply(
    world: Path, server: BotApiServer, clock: FixedClock
) -> None:
    async with running(service_on(world), server, clock):
        server.push_message(RESIDENT, RESIDENT, "/start@lawbot_test_bot xinhepu")
        server.push_message(RESIDENT, RESIDENT, "/help")
        await server.wait_for(lambda: has(server, RESIDENT, rt.HELP_HEAD[:10]))
        ask_for_a_person(server, "邻居装修太吵怎么办")
        await server.wait_for(lambda: has(server, ADVISER, "#1"))
        # The turn's last message (after the adviser's copy): the copy is recorded by now.
        created = rt.TICKET_CREATED.format(number=1)
        await server.wait_for(lambda: has(server, RESIDENT, created, times=2))
        # The on-duty adviser answers privately by replying to the copy they were sent.
        copy = server.sent(ADVISER)[-1].result["message_id"]
        server.push_message(ADVISER, ADVISER, "可以先找物业协调。", reply_to=copy)
        await server.wait_for(lambda: has(server, RESIDENT, "可以先找物业协调"))
        clock.advance(minutes=1)
        server.push_message(RESIDENT, RESIDENT, "/my")
        await server.wait_for(lambda: has(server, RESIDENT, rt.MY_TICKETS_HEAD))
        server.push_message(RESIDENT, RESIDENT, "/forget")
        await server.wait_for(lambda: has(server, RESIDENT, rt.FORGOTTEN))
    assert has(server, RESIDENT, "新河浦社区")
    assert has(server, ADVISER, dt.REPLIED.format(number=1))


async def test_a_reply_to_the_ticket_message_joins_it_and_small_talk_stays_with_the_bot(
    world: Path, server: BotApiServer, clock: FixedClock
) -> None:
    async with running(service_on(world), server, clock):
        server.push_message(RESIDENT, RESIDENT, "/start xinhepu")
        server.push_message(RESIDENT, RESIDENT, "早晨")
        ask_for_a_person(server, "楼上漏水物业不管怎么办")
        created = rt.TICKET_CREATED.format(number=1)
        await server.wait_for(lambda: has(server, RESIDENT, created))
        # The thanks is answered after the ticket message was sent and its id recorded.
        server.push_message(RESIDENT, RESIDENT, "谢谢")
        await server.wait_for(lambda: has(server, RESIDENT, rt.SMALLTALK["thanks"]))
        ticket_message = next(c for c in server.sent(RESIDENT) if created in c.params["text"])
        server.push_message(
            RESIDENT, RESIDENT, "补充一下：已经漏了三天，天花板都发霉了",
            reply_to=ticket_message.result["message_id"],
        )
        await server.wait_for(lambda: has(server, RESIDENT, rt.FOLLOW_UP_ADDED.format(number=1)))
        await server.wait_for(lambda: has(server, DESK, "天花板都发霉了"))
    assert has(server, RESIDENT, rt.SMALLTALK["greeting"])
    assert not has(server, DESK, "早晨")  # small talk never reaches the desk
    assert not has(server, DESK, "谢谢")


LONG_STREET = "越秀区东山街道办事处新河浦历史文化街区第一网格"  # 23 characters, 69 bytes
OTHER_STREET = "越秀区东山街道办事处新河浦历史文化街区第二网格"


async def test_buttons_named_far_over_telegrams_64_bytes_come_back_whole(
    world: Path, tmp_path: Path, server: BotApiServer, clock: FixedClock
) -> None:
    """Street buttons whose command and label hold a very long name: the callback data stays
    within Telegram's 64 bytes and the press reaches the core as the whole command."""
    long_org = ORG_YAML.replace(
        "  - {code: xinhepu, name: 新河浦社区, street: 东山街, team: dongshan}",
        f"  - {{code: xinhepu, name: 新河浦社区, street: {LONG_STREET}, team: dongshan}}\n"
        f"  - {{code: dongyuan, name: 东园新村社区, street: {OTHER_STREET}, team: dongshan}}",
    )
    assert long_org != ORG_YAML
    org_file = tmp_path / "long.yaml"
    org_file.write_text(long_org, encoding="utf-8")
    db = open_database(world)
    import_org(db, org_file)
    db.close()
    async with running(service_on(world), server, clock):
        ask_for_a_person(server, "公司拖欠了我整整三个月的工资")
        await server.wait_for(lambda: has(server, RESIDENT, rt.ASK_STREET))
        data, message_id = button(server, RESIDENT, LONG_STREET)
        assert len(data.encode("utf-8")) <= 64 < len(f"/street {LONG_STREET}".encode())
        server.push_callback(RESIDENT, RESIDENT, data, message_id)
        await server.wait_for(lambda: has(server, RESIDENT, rt.ASK_COMMUNITY.format(
            street=LONG_STREET)))
        data, message_id = button(server, RESIDENT, "新河浦社区")
        server.push_callback(RESIDENT, RESIDENT, data, message_id)
        await server.wait_for(lambda: has(server, RESIDENT, rt.TICKET_CREATED.format(number=1)))
    assert not [c for c in server.calls("answerCallbackQuery") if c.params.get("text")]
