"""The Telegram channel's mechanics over real HTTP: unmodified python-telegram-bot against the
loopback Bot API server, a real SQLite file, the real outbox and storage of the Service.

The conversation itself is replaced by :class:`EchoCore` (a recording fake of the core
boundary) so that these tests pin what the channel does — offsets, restarts, buttons,
splitting, errors — whatever the conversation decides. Whole conversations are in
test_telegram_flows.py.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlite_utils
from botapi_server import BotApiServer, Call
from fakes import ChannelCoreBase
from telegram_harness import running

from bot.app import open_database
from bot.channels.telegram import TelegramChannel, TelegramStartError, load_offset
from bot.clock import FixedClock
from bot.messages import Button, Incoming, Outgoing
from bot.texts import telegram as texts

pytestmark = pytest.mark.integration

RESIDENT = 501
DESK = -100777
LONG_DATA = "faq:show:" + "tenancy-deposit-" * 6
TABLES = ("messages", "outbox", "button_keys")


class Crash(BaseException):
    """Stands for the process dying: escapes every ``except Exception``."""


class EchoCore(ChannelCoreBase):
    """The real Service's storage and outbox; the reply is an echo with two buttons."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        super().__init__(db)
        self.handled: list[Incoming] = []
        self.ticks = 0
        self.crash_after_store = False

    def handle(self, incoming: Incoming, now: datetime) -> list[Outgoing]:
        if incoming.text == "boom":
            raise RuntimeError("a bug in the core")
        if not self.service.store_incoming(incoming, now):
            return []
        self.handled.append(incoming)
        text = "长" * 5000 if incoming.text == "long" else f"收到：{incoming.text or incoming.kind}"
        buttons = ((Button("好的", "ok"), Button("查看法条", LONG_DATA)),)
        reply = Outgoing(
            "telegram", incoming.chat_id, text, buttons, ref="echo", reply_to=incoming.message_id
        )
        outs = [reply]
        with self.db.atomic():  # the reply and the handled mark together, as Service does
            self.outbox.put(outs, now)
            self.db.execute(
                "UPDATE messages SET handled_at = ? WHERE channel = ? AND message_id = ?",
                [now.isoformat(), incoming.channel, incoming.message_id],
            )
        if self.crash_after_store:
            raise Crash
        return outs

    def tick(self, now: datetime) -> list[Outgoing]:
        self.ticks += 1
        return []

    def resume(self, now: datetime) -> int:
        return 0  # nothing was left stored but unhandled



@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 12, 1, 2, 0, tzinfo=UTC))


async def test_text_is_handled_once_and_the_reply_sent_with_keyboard(
    server: BotApiServer, clock: FixedClock, db_path: Path
) -> None:
    core = EchoCore(open_database(db_path))
    async with running(core, server, clock):
        user_message = server.push_message(RESIDENT, RESIDENT, "押金不退怎么办")
        await server.wait_for(lambda: len(server.sent(RESIDENT)) == 1)
        await server.wait_for(lambda: server.pending_updates() == 0)
    [incoming] = core.handled
    assert incoming.message_id == f"{RESIDENT}:{user_message}" and incoming.kind == "text"
    [call] = server.sent(RESIDENT)
    assert call.params["text"] == "收到：押金不退怎么办"
    assert call.params["reply_parameters"]["message_id"] == user_message
    row = call.params["reply_markup"]["inline_keyboard"][0]
    assert row[0] == {"text": "好的", "callback_data": "ok"}
    assert len(row[1]["callback_data"].encode()) <= 64
    assert load_offset(core.channel_state("telegram")) is not None
    sent_as = f"{RESIDENT}:{call.result['message_id']}"
    assert core.outbox.ref_for("telegram", str(RESIDENT), sent_as) == "echo"
    assert core.ticks >= 1


async def greeted_with_a_long_button(server: BotApiServer) -> tuple[Call, str]:
    """The resident says 你好 and the echo arrives: the sent message and the key that stands
    for its second button's long data."""
    server.push_message(RESIDENT, RESIDENT, "你好")
    await server.wait_for(lambda: len(server.sent(RESIDENT)) == 1)
    sent = server.sent(RESIDENT)[0]
    return sent, str(sent.params["reply_markup"]["inline_keyboard"][0][1]["callback_data"])


async def test_buttons_answer_the_query_and_long_data_comes_back_whole(
    server: BotApiServer, clock: FixedClock, db_path: Path
) -> None:
    core = EchoCore(open_database(db_path))
    async with running(core, server, clock):
        sent, key = await greeted_with_a_long_button(server)
        q1 = server.push_callback(RESIDENT, RESIDENT, "ok", sent.result["message_id"])
        q2 = server.push_callback(RESIDENT, RESIDENT, key, sent.result["message_id"])
        await server.wait_for(lambda: len(server.calls("answerCallbackQuery")) == 2)
    pressed = [i for i in core.handled if i.kind == "button"]
    assert [(i.callback, i.message_id) for i in pressed] == [
        ("ok", f"cb:{q1}"),
        (LONG_DATA, f"cb:{q2}"),
    ]
    assert pressed[0].reply_to == f"{RESIDENT}:{sent.result['message_id']}"
    answered = [c.params["callback_query_id"] for c in server.calls("answerCallbackQuery")]
    assert answered == [q1, q2]


async def test_forged_key_is_answered_politely_and_never_reaches_the_core(
    server: BotApiServer, clock: FixedClock, db_path: Path
) -> None:
    core = EchoCore(open_database(db_path))
    async with running(core, server, clock):
        server.push_callback(RESIDENT, RESIDENT, "#k:0000deadbeef", 1)
        server.push_message(RESIDENT, RESIDENT, "还在吗")
        await server.wait_for(lambda: len(server.sent(RESIDENT)) == 1)
    [answer] = server.calls("answerCallbackQuery")
    assert answer.params["text"] == texts.BUTTON_EXPIRED
    assert [i.text for i in core.handled] == ["还在吗"]


async def test_a_long_button_older_than_a_month_answers_expired_and_changes_nothing(
    server: BotApiServer, clock: FixedClock, db_path: Path
) -> None:
    core = EchoCore(open_database(db_path))
    async with running(core, server, clock):
        sent, key = await greeted_with_a_long_button(server)
    assert core.channel_state("telegram").button(key) == LONG_DATA
    clock.advance(days=31)
    core.service.tick(clock())  # the daily retention job, a month after the button was sent
    before = [core.db.execute(f"SELECT count(*) FROM {t}").fetchone() for t in TABLES]
    async with running(core, server, clock):
        server.push_callback(RESIDENT, RESIDENT, key, sent.result["message_id"])
        await server.wait_for(lambda: len(server.calls("answerCallbackQuery")) == 1)
    [answer] = server.calls("answerCallbackQuery")
    assert answer.params["text"] == texts.BUTTON_EXPIRED
    assert [i.text for i in core.handled] == ["你好"]  # the press never reached the core
    assert [core.db.execute(f"SELECT count(*) FROM {t}").fetchone() for t in TABLES] == before
    assert len(server.sent(RESIDENT)) == 1


async def test_long_reply_is_split_and_the_keyboard_part_is_recorded(
    server: BotApiServer, clock: FixedClock, db_path: Path
) -> None:
    core = EchoCore(open_database(db_path))
    async with running(core, server, clock):
        server.push_message(RESIDENT, RESIDENT, "long")
        await server.wait_for(lambda: len(server.sent(RESIDENT)) == 2)
    first, second = server.sent(RESIDENT)
    assert len(first.params["text"]) == 4096 and len(second.params["text"]) == 5000 - 4096
    assert "reply_markup" not in first.params and "reply_markup" in second.params
    assert "reply_parameters" in first.params and "reply_parameters" not in second.params
    last = f"{RESIDENT}:{second.result['message_id']}"
    assert core.outbox.ref_for("telegram", str(RESIDENT), last) == "echo"


async def test_media_and_a_failing_core_do_not_stop_the_channel(
    server: BotApiServer, clock: FixedClock, db_path: Path
) -> None:
    core = EchoCore(open_database(db_path))
    async with running(core, server, clock):
        server.push_sticker(RESIDENT, RESIDENT)
        server.push_photo(RESIDENT, RESIDENT)
        server.push_message(RESIDENT, RESIDENT, "boom")
        server.push_message(RESIDENT, RESIDENT, "")
        server.push_message(RESIDENT, RESIDENT, "/nosuchcommand")
        await server.wait_for(lambda: len(server.sent(RESIDENT)) == 5)
    assert [(i.kind, i.text) for i in core.handled] == [
        ("unsupported", ""), ("unsupported", ""), ("text", ""), ("command", "/nosuchcommand"),
    ]
    texts_sent = [c.params["text"] for c in server.sent(RESIDENT)]
    assert texts.APOLOGY in texts_sent


async def test_network_trouble_and_flood_control_on_receiving_are_retried(
    server: BotApiServer, clock: FixedClock, db_path: Path
) -> None:
    core = EchoCore(open_database(db_path))
    async with running(core, server, clock):
        server.fail_next("getUpdates", "drop")
        server.fail_next("getUpdates", "429", retry_after=1)
        server.push_message(RESIDENT, RESIDENT, "网络不好")  # ends the poll being held
        await server.wait_for(lambda: server.pending_faults() == 0)
        server.push_message(RESIDENT, RESIDENT, "还在吗")
        await server.wait_for(lambda: len(server.sent(RESIDENT)) == 2)
    assert [i.text for i in core.handled] == ["网络不好", "还在吗"]


async def test_flood_control_on_sending_waits_and_sends_once(
    server: BotApiServer, clock: FixedClock, db_path: Path
) -> None:
    core = EchoCore(open_database(db_path))
    async with running(core, server, clock):
        server.fail_next("sendMessage", "429", retry_after=30)
        server.push_message(RESIDENT, RESIDENT, "请回复")
        await server.wait_for(lambda: len(server.calls("sendMessage")) == 1)
        assert server.sent(RESIDENT) == []
        clock.advance(seconds=31)
        await server.wait_for(lambda: len(server.sent(RESIDENT)) == 1)
    [item_row] = core.db.execute("SELECT attempts, sent_at FROM outbox").fetchall()
    assert item_row[0] == 2 and item_row[1] is not None


async def test_a_restart_loses_nothing_and_processes_nothing_twice(
    server: BotApiServer, clock: FixedClock, db_path: Path
) -> None:
    first = EchoCore(open_database(db_path))
    with pytest.raises(Crash):
        async with running(first, server, clock):
            server.push_message(RESIDENT, RESIDENT, "第一条")
            await server.wait_for(lambda: len(server.sent(RESIDENT)) == 1)
            # The process dies right after storing the second message and its reply: before
            # the offset is saved and before the reply is delivered.
            first.crash_after_store = True
            server.fail_next("sendMessage", "drop")
            server.push_message(RESIDENT, RESIDENT, "第二条")
            await server.wait_for(lambda: len(server.calls("sendMessage")) == 2)
    # While nobody polls, the resident writes again; the failed send is due again later.
    server.push_message(RESIDENT, RESIDENT, "第三条")
    clock.advance(seconds=10)
    second = EchoCore(open_database(db_path))
    async with running(second, server, clock):
        await server.wait_for(lambda: len(server.sent(RESIDENT)) == 3)
        await server.wait_for(lambda: server.pending_updates() == 0)
    assert [i.text for i in first.handled] == ["第一条", "第二条"]
    assert [i.text for i in second.handled] == ["第三条"]
    replies = sorted(c.params["text"] for c in server.sent(RESIDENT))
    assert replies == ["收到：第一条", "收到：第三条", "收到：第二条"]


async def test_a_server_unreachable_at_start_is_retried_in_the_background(
    server: BotApiServer, clock: FixedClock, db_path: Path
) -> None:
    core = EchoCore(open_database(db_path))
    server.fail_next("getMe", "drop")
    async with running(core, server, clock):
        server.push_message(RESIDENT, RESIDENT, "你好")
        await server.wait_for(lambda: len(server.sent(RESIDENT)) == 1)
    assert [c.method for c in server.calls()][:2] == ["getMe", "getMe"]


async def test_a_rejected_token_stops_start_up_without_showing_the_token(
    server: BotApiServer, db_path: Path
) -> None:
    core = EchoCore(open_database(db_path))
    channel = TelegramChannel(core, "123:WRONG-secret", base_url=server.base_url)
    with pytest.raises(TelegramStartError) as raised:
        await channel.start()
    await channel.stop()
    assert "WRONG-secret" not in str(raised.value)


async def test_long_polls_that_end_empty_are_simply_renewed(
    server: BotApiServer, clock: FixedClock, db_path: Path
) -> None:
    core = EchoCore(open_database(db_path))
    async with running(core, server, clock, poll_timeout=1):
        await server.wait_for(lambda: len(server.calls("getUpdates")) >= 3)
        server.push_message(RESIDENT, RESIDENT, "安静了一会儿")
        await server.wait_for(lambda: len(server.sent(RESIDENT)) == 1)
    empty = [c for c in server.calls("getUpdates") if c.result == []]
    assert len(empty) >= 2
    assert {c.params.get("timeout") for c in server.calls("getUpdates")} == {"1"}


async def test_the_command_menus_list_what_the_core_answers(
    server: BotApiServer, clock: FixedClock, db_path: Path
) -> None:
    core = EchoCore(open_database(db_path))
    async with running(core, server, clock):
        pass
    menus = {
        c.params["scope"]["type"]: [cmd["command"] for cmd in c.params["commands"]]
        for c in server.calls("setMyCommands")
    }
    assert menus["all_private_chats"][:2] == ["start", "help"]
    assert {"my", "forget"} <= set(menus["all_private_chats"])
    assert {"tickets", "claim", "reply", "close"} <= set(menus["all_group_chats"])
