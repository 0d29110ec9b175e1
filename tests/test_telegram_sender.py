"""TelegramSender over real HTTP: what the outbox is told when a send fails, and splitting."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from botapi_server import TOKEN, BotApiServer
from telegram import Bot

from bot.channels.telegram_sender import TelegramSender
from bot.messages import Button, Outgoing
from bot.runner import PermanentSendError, TemporarySendError

pytestmark = pytest.mark.integration

CHAT = 501



@pytest.fixture
async def sender(server: BotApiServer) -> AsyncIterator[TelegramSender]:
    bot = Bot(TOKEN, base_url=server.base_url)
    async with bot:
        yield TelegramSender(bot, lambda key, data: None)


def out(text: str = "您好") -> Outgoing:
    return Outgoing("telegram", str(CHAT), text, buttons=((Button("好", "ok"),),))


async def test_flood_control_is_temporary_with_the_servers_wait(
    server: BotApiServer, sender: TelegramSender
) -> None:
    server.fail_next("sendMessage", "429", retry_after=17)
    with pytest.raises(TemporarySendError) as raised:
        await sender.send(out())
    assert raised.value.retry_after == 17
    assert await sender.send(out()) == f"{CHAT}:1"


async def test_a_dropped_connection_is_temporary(
    server: BotApiServer, sender: TelegramSender
) -> None:
    server.fail_next("sendMessage", "drop")
    with pytest.raises(TemporarySendError):
        await sender.send(out())


async def test_a_blocked_bot_and_an_unknown_chat_are_permanent(
    server: BotApiServer, sender: TelegramSender
) -> None:
    server.block(CHAT)
    with pytest.raises(PermanentSendError):
        await sender.send(out())
    server.fail_next("sendMessage", "400", description="Bad Request: chat not found")
    with pytest.raises(PermanentSendError):
        await sender.send(Outgoing("telegram", "777", "x"))


async def test_a_retried_split_message_does_not_repeat_delivered_parts(
    server: BotApiServer, sender: TelegramSender
) -> None:
    long = out("甲" * 4096 + "乙" * 100)
    server.fail_next("sendMessage", "drop", when=lambda p: str(p["text"]).startswith("乙"))
    with pytest.raises(TemporarySendError):
        await sender.send(long)
    sent_as = await sender.send(long)
    texts = [str(c.params["text"])[0] for c in server.sent(CHAT)]
    assert texts == ["甲", "乙"]
    assert sent_as == f"{CHAT}:{server.sent(CHAT)[-1].result['message_id']}"


async def test_an_empty_text_is_sent_as_a_placeholder_not_refused(
    server: BotApiServer, sender: TelegramSender
) -> None:
    await sender.send(out("  "))
    assert server.sent(CHAT)[0].params["text"].strip()
