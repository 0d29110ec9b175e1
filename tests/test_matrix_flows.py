"""Whole conversations over Matrix: a real Synapse, the real Service on a SQLite file.

A resident and a volunteer (and a stranger) are driven with matrix-nio clients; the bot runs
under ``bot.runner.serve`` exactly as ``lawbot run`` runs it. Every wait is on something a
person sees, bounded by a deadline.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import secrets
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlite_utils
from synapse_server import SERVER_NAME, Person, Synapse, shared_synapse, stop_shared

from bot.app import build_service, open_database
from bot.channels.matrix import MatrixChannel
from bot.clock import system_now
from bot.desk.org import import_org
from bot.runner import serve
from bot.texts import desk as desk_texts
from bot.texts import legal_aid as legal_aid_texts
from bot.texts import resident as resident_texts
from knowledge.faq import FaqEntry, FaqStore
from knowledge.laws import LawStore

pytestmark = pytest.mark.integration

TZ = ZoneInfo("Asia/Shanghai")
RENT = FaqEntry(
    id="rent-arrears",
    category="租房",
    question="租客一直拖欠房租，房东可以解除租赁合同吗",
    answer="承租人无正当理由拖欠租金，出租人可以催告其在合理期限内支付；逾期仍不支付的，可以解除合同。",
    legal_basis=("《民法典》第七百二十二条",),
    status="published",
)
# Two entries that differ only at the end: asking the common part must offer both.
DEPOSIT_SUE = FaqEntry(
    id="deposit-sue",
    category="租房",
    question="退租时房东扣着押金不退，可以去法院起诉吗",
    answer="可以就押金返还向人民法院起诉，注意保留合同、付款记录和交房记录。",
    legal_basis=("《民法典》第五百七十七条",),
    status="published",
)
DEPOSIT_PROOF = FaqEntry(
    id="deposit-proof",
    category="租房",
    question="退租时房东扣着押金不退，要准备哪些证据",
    answer="准备租赁合同、押金收据或转账记录、交房时的照片和钥匙交接记录。",
    legal_basis=("《民法典》第五百七十七条",),
    status="published",
)
UNANSWERABLE = "楼上邻居装修噪音很大，晚上十一点也不停"


@pytest.fixture(scope="session")
def synapse() -> Iterator[Synapse]:
    """One real homeserver for the whole session."""
    yield shared_synapse()
    stop_shared()


@dataclass
class World:
    """Everything one flow needs: the database, the desk room and the people."""

    db_path: Path
    desk: str
    resident: Person
    volunteer: Person
    stranger: Person
    bot_id: str


def write_org(path: Path, desk_room: str, volunteer: str) -> Path:
    """An organisation file with one Matrix desk room and a volunteer always on duty."""
    path.write_text(
        f"""
teams:
  - {{id: dongshan, name: 东山街法律顾问团队, desk: {{matrix: "{desk_room}"}},
     reminder_minutes: 30, urgent_reminder_minutes: 10}}
communities:
  - {{code: xinhepu, name: 新河浦社区, street: 东山街, team: dongshan}}
people:
  - {{name: 王律师, role: adviser, team: dongshan, terminal: true, backup: 小李}}
  - {{name: 小李, role: volunteer, team: dongshan, matrix: "{volunteer}", backup: 王律师}}
roster:
  - {{person: 王律师, days: [mon, tue, wed, thu, fri, sat, sun], hours: "00:00-24:00"}}
  - {{person: 小李, days: [mon, tue, wed, thu, fri, sat, sun], hours: "00:00-24:00"}}
""",
        encoding="utf-8",
    )
    return path


def prepare_database(path: Path, laws_jsonl: Path, org_file: Path) -> None:
    """Statutes, a small checked FAQ and the organisation, in a real SQLite file."""
    db = open_database(path)
    laws = LawStore(db)
    laws.import_jsonl(laws_jsonl)
    faq = FaqStore(db, laws)
    for entry in (RENT, DEPOSIT_SUE, DEPOSIT_PROOF):
        faq.add(entry, by="test")
    import_org(db, org_file)
    db.close()


@contextlib.asynccontextmanager
async def people(synapse: Synapse, *names: str) -> AsyncIterator[list[Person]]:
    """Started matrix-nio clients for the named test users."""
    persons = [Person(synapse, synapse.users[n]) for n in names]
    try:
        for p in persons:
            await p.start()
        yield persons
    finally:
        for p in persons:
            await p.close()


@contextlib.asynccontextmanager
async def world(
    synapse: Synapse,
    tmp_path: Path,
    laws_jsonl: Path,
    resident_name: str = "resident",
    by_alias: bool = False,
) -> AsyncIterator[World]:
    """A desk room the volunteer made (bot and stranger in it) and a prepared database.

    The organisation file's validator wants ``!opaque:server`` ids, which room version 12
    (Synapse's default) no longer has: such a desk is named by its alias (``by_alias``),
    otherwise the desk room is made with version 11.
    """
    bot_id = synapse.users["bot"].user_id
    async with people(synapse, resident_name, "volunteer", "stranger") as (res, vol, stranger):
        invite = [bot_id, stranger.user.user_id]
        if by_alias:
            local = f"desk-{secrets.token_hex(4)}"
            desk = await vol.create_room(invite, alias=local)
            configured = f"#{local}:{SERVER_NAME}"
        else:
            desk = await vol.create_room(invite, version="11")
            configured = desk
        await stranger.join(desk)
        org = write_org(tmp_path / "org.yaml", configured, vol.user.user_id)
        prepare_database(tmp_path / "lawbot.db", laws_jsonl, org)
        yield World(tmp_path / "lawbot.db", desk, res, vol, stranger, bot_id)


@contextlib.asynccontextmanager
async def bot_running(synapse: Synapse, db_path: Path) -> AsyncIterator[sqlite_utils.Database]:
    """The bot under ``serve`` (channel, outbox pump, tick) until the block ends."""
    db = open_database(db_path)
    service = build_service(db, TZ)
    user = synapse.users["bot"]
    channel = MatrixChannel(
        service, synapse.url, user.user_id, password=user.password, sync_timeout_ms=2000
    )
    stop = asyncio.Event()
    task = asyncio.create_task(serve(service, [channel], stop, system_now))
    try:
        await asyncio.wait_for(channel.ready.wait(), 60)
        yield db
    finally:
        stop.set()
        await asyncio.wait_for(task, 60)
        db.close()


async def open_direct_chat(w: World, timeout: float = 30.0) -> str:
    """The resident opens a direct chat with the bot and binds a community by its code."""
    room = await w.resident.create_room([w.bot_id], direct=True)
    await w.resident.say(room, "!start xinhepu")
    await w.resident.wait_for_text(room, "新河浦社区", sender=w.bot_id, timeout=timeout)
    return room


def ticket_number(text: str) -> int:
    """The first ``#N`` in a message."""
    found = re.search(r"#(\d+)", text)
    assert found, f"no ticket number in {text!r}"
    return int(found.group(1))


async def test_the_resident_gets_an_faq_answer_and_picks_a_suggestion_by_number(
    synapse: Synapse, tmp_path: Path, laws_jsonl: Path
) -> None:
    async with world(synapse, tmp_path, laws_jsonl) as w, bot_running(synapse, w.db_path):
        room = await open_direct_chat(w)
        await w.resident.say(room, RENT.question)
        answer = await w.resident.wait_for_text(room, "第七百二十二条", sender=w.bot_id)
        assert RENT.answer in answer["content"]["body"]

        await w.resident.say(room, "退租时房东扣着押金不退")
        offer = await w.resident.wait_for_text(room, resident_texts.SUGGEST, sender=w.bot_id)
        lines = offer["content"]["body"].splitlines()
        number = next(
            line.split(".")[0] for line in lines if DEPOSIT_PROOF.question in line
        )
        await w.resident.say(room, number)
        await w.resident.wait_for_text(room, DEPOSIT_PROOF.answer, sender=w.bot_id)


@pytest.mark.parametrize("by_alias", [False, True], ids=["room-id", "room-alias"])
async def test_an_unanswerable_question_is_answered_from_the_desk_room(
    synapse: Synapse, tmp_path: Path, laws_jsonl: Path, by_alias: bool
) -> None:
    async with (
        world(synapse, tmp_path, laws_jsonl, by_alias=by_alias) as w,
        bot_running(synapse, w.db_path),
    ):
        room = await open_direct_chat(w)
        await w.resident.say(room, UNANSWERABLE)
        created = await w.resident.wait_for_text(room, "工单号", sender=w.bot_id)
        number = ticket_number(created["content"]["body"])
        posted = await w.volunteer.wait_for_text(w.desk, UNANSWERABLE, sender=w.bot_id)
        assert f"#{number}" in posted["content"]["body"]

        # Someone who is not in the organisation file may not act.
        await w.stranger.say(w.desk, f"!claim {number}")
        await w.stranger.wait_for_text(w.desk, desk_texts.NOT_A_MEMBER[:10], sender=w.bot_id)

        await w.volunteer.say(w.desk, f"!claim {number}")
        await w.volunteer.wait_for_text(w.desk, f"认领了工单 #{number}", sender=w.bot_id)
        await w.volunteer.say(w.desk, "!tickets")
        listing = await w.volunteer.wait_for_text(
            w.desk, desk_texts.OPEN_TICKETS_HEAD, sender=w.bot_id
        )
        assert f"#{number}" in listing["content"]["body"]

        reply = "可以先找物业和居委会调解，并保留录音；夜间噪音可以向派出所反映。"
        await w.volunteer.say(w.desk, reply, reply_to=posted["event_id"])
        relayed = await w.resident.wait_for_text(room, reply, sender=w.bot_id)
        assert f"#{number}" in relayed["content"]["body"]
        assert "> <" not in relayed["content"]["body"]  # the reply quote was not relayed

        await w.volunteer.say(w.desk, f"!adviser {number}")
        await w.volunteer.wait_for_text(w.desk, f"工单 #{number} 已转给顾问", sender=w.bot_id)

        await w.volunteer.say(w.desk, f"/close {number}")
        await w.volunteer.wait_for_text(w.desk, f"工单 #{number} 已结单", sender=w.bot_id)
        await w.resident.wait_for_text(room, f"您的工单 #{number} 已结束", sender=w.bot_id)


async def test_a_restart_answers_nothing_twice_and_misses_nothing(
    synapse: Synapse, tmp_path: Path, laws_jsonl: Path
) -> None:
    async with world(synapse, tmp_path, laws_jsonl, "resident2") as w:
        async with bot_running(synapse, w.db_path):
            room = await open_direct_chat(w)
            await w.resident.say(room, RENT.question)
            await w.resident.wait_for_text(room, "第七百二十二条", sender=w.bot_id)
        await w.resident.say(room, "!law 民法典第722条")  # while the bot is down
        async with bot_running(synapse, w.db_path) as db:
            await w.resident.wait_for_text(room, "承租人", sender=w.bot_id)
            await w.resident.say(room, "!my")
            await w.resident.wait_for_text(room, resident_texts.MY_TICKETS_NONE, sender=w.bot_id)
            stored = [
                row[0]
                for row in db.execute(
                    "SELECT text FROM messages WHERE channel = 'matrix' AND chat_id = ?", [room]
                )
            ]
        answers = [b for b in w.resident.messages(room, w.bot_id) if RENT.answer in b]
        assert len(answers) == 1
        assert stored == ["!start xinhepu", RENT.question, "!law 民法典第722条", "!my"]


async def test_images_long_texts_and_formatted_bodies_get_sensible_answers(
    synapse: Synapse, tmp_path: Path, laws_jsonl: Path
) -> None:
    async with world(synapse, tmp_path, laws_jsonl) as w, bot_running(synapse, w.db_path):
        room = await open_direct_chat(w)
        await w.resident.send(room, {"msgtype": "m.image", "body": "合同.jpg", "url": "mxc://x/y"})
        await w.resident.wait_for_text(room, resident_texts.UNSUPPORTED, sender=w.bot_id)
        await w.resident.send(
            room,
            {
                "msgtype": "m.text",
                "body": "",
                "format": "org.matrix.custom.html",
                "formatted_body": f"<p>{RENT.question}</p>",
            },
        )
        await w.resident.wait_for_text(room, "第七百二十二条", sender=w.bot_id)
        await w.resident.say(room, "我想问一下：" + "情况很复杂，" * 830)
        await w.resident.say(room, "!my")

        def my_tickets(r: str, e: dict[str, Any]) -> bool:
            body = e.get("content", {}).get("body", "")
            heads = (resident_texts.MY_TICKETS_HEAD, resident_texts.MY_TICKETS_NONE)
            return r == room and e.get("sender") == w.bot_id and any(h in body for h in heads)

        await w.resident.wait_for(my_tickets, what="the answer to !my after a long message")


async def test_two_lists_in_one_turn_are_numbered_on_and_picked_by_number(
    synapse: Synapse, tmp_path: Path, laws_jsonl: Path
) -> None:
    """The answer's (or suggestions') buttons, then the legal-aid offer numbered on after
    them: its number picks the offer."""
    async with world(synapse, tmp_path, laws_jsonl) as w, bot_running(synapse, w.db_path):
        room = await open_direct_chat(w)
        await w.resident.say(room, RENT.question + "？可以申请法律援助吗")
        offer = await w.resident.wait_for_text(room, legal_aid_texts.OFFER, sender=w.bot_id)
        number = re.search(rf"^(\d+)\. {legal_aid_texts.BTN_START}$",
                           offer["content"]["body"], re.M)
        said = w.resident.messages(room, sender=w.bot_id)
        before = said[said.index(offer["content"]["body"]) - 1]  # the same turn's first list
        listed = [int(n) for n in re.findall(r"^(\d+)\. ", before, re.M)]
        assert listed and listed[0] == 1, before
        assert number is not None and int(number.group(1)) == listed[-1] + 1
        await w.resident.say(room, number.group(1))
        await w.resident.wait_for_text(room, "【法律援助预评估】", sender=w.bot_id)
