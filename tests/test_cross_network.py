"""A resident on one network answered by a volunteer on the other, in one Service and loop.

Both channels run under ``bot.runner.serve`` as ``lawbot run`` runs them: Telegram against
the loopback Bot API server, Matrix against a real Synapse.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from botapi_server import TOKEN, BotApiServer
from synapse_server import Person, Synapse, shared_synapse, stop_shared

from bot.app import build_service, open_database
from bot.channels.matrix import MatrixChannel
from bot.channels.telegram import TelegramChannel
from bot.clock import system_now
from bot.desk.org import import_org
from bot.runner import serve

pytestmark = pytest.mark.integration

TZ = ZoneInfo("Asia/Shanghai")
QUESTION = "楼上邻居装修噪音很大，晚上十一点也不停"
ANSWER = "可以先找物业和居委会调解，并保留录音；夜间噪音可以向派出所反映。"
TG_RESIDENT = 5001
TG_VOLUNTEER = 6001
TG_DESK = -1001234567


@pytest.fixture(scope="session")
def synapse() -> Iterator[Synapse]:
    """One real homeserver for the whole session."""
    yield shared_synapse()
    stop_shared()


def org_yaml(desk: str, volunteer: str) -> str:
    """One team whose desk (and volunteer) is on the network ``desk`` / ``volunteer`` name."""
    return f"""
teams:
  - {{id: dongshan, name: 东山街法律顾问团队, desk: {desk},
     reminder_minutes: 30, urgent_reminder_minutes: 10}}
communities:
  - {{code: xinhepu, name: 新河浦社区, street: 东山街, team: dongshan}}
people:
  - {{name: 小李, role: volunteer, team: dongshan, {volunteer}}}
roster:
  - {{person: 小李, days: [mon, tue, wed, thu, fri, sat, sun], hours: "00:00-24:00"}}
"""


def prepare(tmp_path: Path, org_text: str) -> Path:
    """A database with the organisation and no FAQ: every question becomes a ticket."""
    path = tmp_path / "lawbot.db"
    org_file = tmp_path / "org.yaml"
    org_file.write_text(org_text, encoding="utf-8")
    db = open_database(path)
    import_org(db, org_file)
    db.close()
    return path


@contextlib.asynccontextmanager
async def both_running(synapse: Synapse, api: BotApiServer, db_path: Path) -> AsyncIterator[None]:
    """Telegram and Matrix channels, the outbox pump and the tick in one loop."""
    db = open_database(db_path)
    service = build_service(db, TZ)
    user = synapse.users["bot"]
    matrix = MatrixChannel(
        service, synapse.url, user.user_id, password=user.password, sync_timeout_ms=2000
    )
    telegram = TelegramChannel(
        service, TOKEN, base_url=api.base_url, poll_timeout=2, retry_delay=0.05
    )
    stop = asyncio.Event()
    polls = len(api.calls("getUpdates"))
    task = asyncio.create_task(serve(service, [telegram, matrix], stop, system_now))
    try:
        await asyncio.wait_for(matrix.ready.wait(), 60)
        await api.wait_for(lambda: len(api.calls("getUpdates")) > polls or task.done())
        assert not task.done()
        yield
    finally:
        stop.set()
        await asyncio.wait_for(task, 60)
        db.close()


def telegram_texts(api: BotApiServer, chat_id: int) -> list[str]:
    """Every text the bot sent to a Telegram chat."""
    return [str(c.params["text"]) for c in api.sent(chat_id)]


def ticket_number(text: str) -> int:
    """The first ``#N`` in a message."""
    found = re.search(r"#(\d+)", text)
    assert found, f"no ticket number in {text!r}"
    return int(found.group(1))


async def test_a_telegram_resident_is_answered_from_a_matrix_desk(
    synapse: Synapse, tmp_path: Path
) -> None:
    bot_id = synapse.users["bot"].user_id
    volunteer = Person(synapse, synapse.users["volunteer"])
    await volunteer.start()
    try:
        desk = await volunteer.create_room([bot_id], version="11")
        org = org_yaml(f'{{matrix: "{desk}"}}', f'matrix: "{volunteer.user.user_id}"')
        db_path = prepare(tmp_path, org)
        with BotApiServer() as api:
            async with both_running(synapse, api, db_path):
                api.push_message(TG_RESIDENT, TG_RESIDENT, "/start xinhepu")
                api.push_message(TG_RESIDENT, TG_RESIDENT, QUESTION)
                await api.wait_for(
                    lambda: any("工单号" in t for t in telegram_texts(api, TG_RESIDENT))
                )
                posted = await volunteer.wait_for_text(desk, QUESTION, sender=bot_id)
                number = ticket_number(posted["content"]["body"])
                await volunteer.say(desk, ANSWER, reply_to=posted["event_id"])
                await api.wait_for(
                    lambda: any(ANSWER in t for t in telegram_texts(api, TG_RESIDENT)), 30
                )
        relayed = [t for t in telegram_texts(api, TG_RESIDENT) if ANSWER in t]
        assert len(relayed) == 1 and f"#{number}" in relayed[0]
    finally:
        await volunteer.close()


async def test_a_matrix_resident_is_answered_from_a_telegram_desk(
    synapse: Synapse, tmp_path: Path
) -> None:
    bot_id = synapse.users["bot"].user_id
    resident = Person(synapse, synapse.users["resident"])
    await resident.start()
    try:
        org = org_yaml(f'{{telegram: "{TG_DESK}"}}', f'telegram: "{TG_VOLUNTEER}"')
        db_path = prepare(tmp_path, org)
        with BotApiServer() as api:
            async with both_running(synapse, api, db_path):
                room = await resident.create_room([bot_id], direct=True)
                await resident.say(room, "!start xinhepu")
                await resident.say(room, QUESTION)
                await resident.wait_for_text(room, "工单号", sender=bot_id)
                await api.wait_for(lambda: any(QUESTION in t for t in telegram_texts(api, TG_DESK)))
                ticket = next(c for c in api.sent(TG_DESK) if QUESTION in str(c.params["text"]))
                api.push_message(
                    TG_DESK,
                    TG_VOLUNTEER,
                    ANSWER,
                    first_name="小李",
                    chat_type="supergroup",
                    reply_to=int(ticket.result["message_id"]),
                )
                relayed = await resident.wait_for_text(room, ANSWER, sender=bot_id)
        assert f"#{ticket_number(str(ticket.params['text']))}" in relayed["content"]["body"]
    finally:
        await resident.close()
