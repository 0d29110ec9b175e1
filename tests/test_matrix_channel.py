"""The Matrix channel against a real Synapse, with a recording echo service as the core.

These tests pin what the channel itself does (login, sync token, history, invites, direct
rooms, translation of real events, rate limits), independent of the conversation's wording.
The whole conversation over Matrix is in test_matrix_flows.py.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path

import pytest
import sqlite_utils
from fakes import ChannelCoreBase
from synapse_server import Person, Synapse, shared_synapse, stop_shared

from bot import store
from bot.app import open_database
from bot.channels.matrix import MatrixChannel
from bot.channels.matrix_client import MatrixLoginError
from bot.channels.matrix_sender import direct_room_key
from bot.clock import system_now
from bot.desk.outbox import Outbox, pump
from bot.messages import Incoming, Outgoing
from bot.runner import TemporarySendError

pytestmark = pytest.mark.integration


@pytest.fixture(scope="session")
def synapse() -> Iterator[Synapse]:
    """One real homeserver for the whole session."""
    yield shared_synapse()
    stop_shared()


class EchoService(ChannelCoreBase):
    """Records what the channel hands over and answers ``收到：text`` through a real outbox."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        super().__init__(db)
        self.seen: list[Incoming] = []

    def handle(self, incoming: Incoming, now: datetime) -> list[Outgoing]:
        """Record ``incoming`` once and echo it back as a reply (``故障`` raises: a bug)."""
        if any(i.message_id == incoming.message_id for i in self.seen):
            return []
        self.seen.append(incoming)
        if incoming.text == "故障":
            raise RuntimeError("a bug in the core")
        text = f"收到（{incoming.kind}）：{incoming.text}"
        outs = [Outgoing("matrix", incoming.chat_id, text, reply_to=incoming.message_id)]
        self.outbox.put(outs, now)
        return outs

    def tick(self, now: datetime) -> list[Outgoing]:
        """Nothing is timed here."""
        return []


@contextlib.asynccontextmanager
async def running(channel: MatrixChannel, outbox: Outbox) -> AsyncIterator[MatrixChannel]:
    """The channel started (logged in, first sync handled) and the outbox pumped."""
    await channel.start()
    stop = asyncio.Event()
    task = asyncio.create_task(pump(outbox, {"matrix": channel.sender}, system_now, stop))
    try:
        yield channel
    finally:
        stop.set()
        await task
        await channel.stop()


@contextlib.asynccontextmanager
async def person(server: Synapse, name: str) -> AsyncIterator[Person]:
    """A started matrix-nio client for a registered test user."""
    p = Person(server, server.users[name])
    await p.start()
    try:
        yield p
    finally:
        await p.close()


def bot_channel(
    server: Synapse, service: EchoService, name: str = "bot", timeline_limit: int = 200
) -> MatrixChannel:
    user = server.users[name]
    return MatrixChannel(
        service,  # type: ignore[arg-type]
        server.url,
        user.user_id,
        password=user.password,
        sync_timeout_ms=2000,
        retry_seconds=0.2,
        timeline_limit=timeline_limit,
    )


async def test_first_start_skips_history_and_a_restart_neither_repeats_nor_misses(
    synapse: Synapse, tmp_path: Path
) -> None:
    db = open_database(tmp_path / "lawbot.db")
    service = EchoService(db)
    bot = synapse.users["bot"].user_id
    async with person(synapse, "resident") as resident:
        room = await resident.create_room([bot], direct=True)
        await resident.say(room, "机器人启动前的旧消息")
        async with running(bot_channel(synapse, service), service.outbox):
            await resident.say(room, "押金不退怎么办")
            answer = await resident.wait_for_text(room, "押金不退怎么办", sender=bot)
            assert answer["content"]["m.relates_to"]["m.in_reply_to"]["event_id"]
        device = store.get_state(db, "matrix", "device_id")
        assert device and store.get_state(db, "matrix", "access_token")
        assert store.get_state(db, "matrix", "next_batch")
        # While the bot is down, the resident writes again.
        await resident.say(room, "停机期间的问题")
        service2 = EchoService(open_database(tmp_path / "lawbot.db"))
        async with running(bot_channel(synapse, service2), service2.outbox):
            await resident.wait_for_text(room, "停机期间的问题", sender=bot)
            await resident.say(room, "重启后的问题")
            await resident.wait_for_text(room, "重启后的问题", sender=bot)
        assert store.get_state(db, "matrix", "device_id") == device  # token reused: one device
        replies = resident.messages(room, sender=bot)
        assert not [r for r in replies if "旧消息" in r]
        assert sum("押金不退怎么办" in r for r in replies) == 1
        assert [i.text for i in service2.seen] == ["停机期间的问题", "重启后的问题"]
        first = service.seen[0]
        assert (first.chat_id, first.sender_id) == (room, resident.user.user_id)
        assert not first.is_group
        assert first.sender_name == "resident"


async def test_a_gap_longer_than_one_sync_batch_is_backfilled_after_a_restart(
    synapse: Synapse, tmp_path: Path
) -> None:
    db_path = tmp_path / "lawbot.db"
    bot = synapse.users["bot"].user_id
    async with person(synapse, "resident2") as resident:
        room = await resident.create_room([bot], direct=True)
        service = EchoService(open_database(db_path))
        async with running(bot_channel(synapse, service, timeline_limit=2), service.outbox):
            await resident.say(room, "在吗")
            await resident.wait_for_text(room, "在吗", sender=bot)
        # Seven messages while the bot is down: a batch of two shows only the last two.
        questions = [f"停机时的第{n}个问题" for n in range(1, 8)]
        for question in questions:
            await resident.say(room, question)
        service2 = EchoService(open_database(db_path))
        async with running(bot_channel(synapse, service2, timeline_limit=2), service2.outbox):
            await resident.wait_for_text(room, questions[-1], sender=bot)
        texts = [i.text for i in service2.seen]
        assert [t for t in texts if t in questions] == questions  # all of them, in order
        # Backfilling may hand over an already handled message again: the real service
        # stores each message once (this recording one starts empty after the restart).
        assert set(texts) - set(questions) <= {"在吗"}


async def test_real_events_are_translated_and_the_bot_ignores_itself(
    synapse: Synapse, tmp_path: Path
) -> None:
    service = EchoService(open_database(tmp_path / "lawbot.db"))
    bot = synapse.users["bot"].user_id
    async with person(synapse, "resident2") as resident:
        room = await resident.create_room([bot], direct=True)
        async with running(bot_channel(synapse, service), service.outbox):
            await resident.send(
                room,
                {
                    "msgtype": "m.text",
                    "body": "",
                    "format": "org.matrix.custom.html",
                    "formatted_body": "<b>物业费</b>怎么交",
                },
            )
            await resident.send(room, {"msgtype": "m.notice", "body": "通知消息"})
            original = await resident.say(room, "原来的问题")
            await resident.send(
                room,
                {
                    "msgtype": "m.text",
                    "body": "* 改过的问题",
                    "m.new_content": {"msgtype": "m.text", "body": "改过的问题"},
                    "m.relates_to": {"rel_type": "m.replace", "event_id": original},
                },
            )
            doomed = await resident.say(room, "要撤回的话")
            await resident.redact(room, doomed)
            await resident.send(room, {"msgtype": "m.image", "body": "合同.jpg", "url": "mxc://x/y"})
            long_text = "长" * 5000
            await resident.say(room, long_text)
            await resident.say(room, "故障")  # the core fails on this one; the rest go on
            await resident.say(room, "最后一条")
            await resident.wait_for_text(room, "最后一条", sender=bot)
        kinds = [(i.kind, i.text) for i in service.seen]
        assert kinds == [
            ("text", "物业费怎么交"),
            ("text", "通知消息"),
            ("text", "原来的问题"),
            ("text", "要撤回的话"),
            ("unsupported", "合同.jpg"),
            ("text", long_text),
            ("text", "故障"),
            ("text", "最后一条"),
        ]
        bot_bodies = resident.messages(room, sender=bot)
        # The 5,000-character echo went out in two parts; the bot never answered itself.
        assert sum(b.startswith("（第 1/2 部分）") for b in bot_bodies) == 1
        assert sum(b.startswith("（第 2/2 部分）") for b in bot_bodies) == 1
        assert not any("收到（text）：收到" in b for b in bot_bodies)


async def test_a_user_id_gets_a_direct_room_that_is_remembered_until_left(
    synapse: Synapse, tmp_path: Path
) -> None:
    db = open_database(tmp_path / "lawbot.db")
    service = EchoService(db)
    volunteer_id = synapse.users["volunteer"].user_id
    async with person(synapse, "volunteer") as volunteer:
        async with running(bot_channel(synapse, service), service.outbox) as channel:
            first_id = await channel.sender.send(Outgoing("matrix", volunteer_id, "新工单 #1"))
            room = await volunteer.wait_for_invite()
            await volunteer.wait_for_text(room, "新工单 #1")
            await channel.sender.send(Outgoing("matrix", volunteer_id, "新工单 #2"))
            await volunteer.wait_for_text(room, "新工单 #2")
            assert store.get_state(db, "matrix", direct_room_key(volunteer_id)) == room
            # The volunteer leaves the direct room: the next message opens a new one.
            await volunteer.leave(room)
            await channel.sender.send(Outgoing("matrix", volunteer_id, "新工单 #3"))
            new_room = await volunteer.wait_for_invite()
            await volunteer.wait_for_text(new_room, "新工单 #3")
        assert first_id.startswith("$") and new_room != room
        assert store.get_state(db, "matrix", direct_room_key(volunteer_id)) == new_room


async def test_a_rate_limit_answer_is_a_temporary_error_with_retry_after(
    synapse: Synapse, tmp_path: Path
) -> None:
    db = open_database(tmp_path / "lawbot.db")
    service = EchoService(db)
    synapse.limit_messages(synapse.users["limited"].user_id, per_second=1, burst=1)
    async with person(synapse, "resident") as resident:
        room = await resident.create_room([synapse.users["limited"].user_id])
        channel = bot_channel(synapse, service, "limited")
        await channel.start()
        try:
            sender = channel.direct
            # One message a second: of ten sent at once, all but the first few are refused,
            # and the refusal comes back at once instead of being retried inside matrix-nio.
            refused: list[TemporarySendError] = []
            for n in range(10):
                try:
                    await sender.send(Outgoing("matrix", room, f"第{n}条"))
                except TemporarySendError as error:
                    refused.append(error)
            assert refused, "the homeserver never said M_LIMIT_EXCEEDED"
            assert all(e.retry_after is not None and e.retry_after > 0 for e in refused)
        finally:
            await channel.stop()


async def test_a_wrong_password_stops_start_with_a_login_error(
    synapse: Synapse, tmp_path: Path
) -> None:
    service = EchoService(open_database(tmp_path / "lawbot.db"))
    channel = MatrixChannel(
        service,  # type: ignore[arg-type]
        synapse.url,
        synapse.users["stranger"].user_id,
        password="wrong",
    )
    with pytest.raises(MatrixLoginError):
        await channel.start()
    await channel.stop()


async def test_an_access_token_logs_in_without_a_password(
    synapse: Synapse, tmp_path: Path
) -> None:
    db = open_database(tmp_path / "lawbot.db")
    service = EchoService(db)
    user = synapse.users["tokenbot"]
    async with person(synapse, "resident") as resident:
        room = await resident.create_room([user.user_id], direct=True)
        channel = MatrixChannel(
            service,  # type: ignore[arg-type]
            synapse.url,
            user.user_id,
            access_token=user.access_token,
            sync_timeout_ms=2000,
        )
        async with running(channel, service.outbox):
            await resident.say(room, "用令牌登录的机器人在吗")
            await resident.wait_for_text(room, "用令牌登录的机器人在吗", sender=user.user_id)
    assert store.get_state(db, "matrix", "device_id") == user.device_id
    assert store.get_state(db, "matrix", "access_token") == user.access_token
