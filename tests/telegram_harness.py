"""Running the Telegram channel against the loopback Bot API server, for tests and benchmarks."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from botapi_server import TOKEN, BotApiServer

from bot.channels.telegram import TelegramChannel
from bot.runner import serve


@asynccontextmanager
async def running(
    core: Any,
    server: BotApiServer,
    clock: Callable[[], datetime],
    poll_timeout: int = 5,
    pump_idle: float = 0.2,
) -> AsyncIterator[TelegramChannel]:
    """The channel served by :func:`bot.runner.serve` (pump and tick included) for the block."""
    channel = TelegramChannel(
        core,
        TOKEN,
        base_url=server.base_url,
        clock=clock,
        poll_timeout=poll_timeout,
        retry_delay=0.05,
    )
    stop = asyncio.Event()
    polls = len(server.calls("getUpdates"))
    task = asyncio.create_task(
        serve(core, [channel], stop, clock, tick_every=3600, pump_idle=pump_idle)
    )
    await server.wait_for(lambda: len(server.calls("getUpdates")) > polls or task.done())
    if task.done():
        task.result()  # start-up failed: show why
    try:
        yield channel
    finally:
        stop.set()
        await asyncio.wait_for(task, 15)


def texts_to(server: BotApiServer, chat_id: int) -> list[str]:
    """Every text the bot sent to ``chat_id``, in order."""
    return [str(c.params["text"]) for c in server.sent(chat_id)]


def keyboard_of(server: BotApiServer, chat_id: int, index: int = -1) -> list[list[dict[str, str]]]:
    """The inline keyboard of the ``index``-th message sent to ``chat_id`` (empty if none)."""
    call = server.sent(chat_id)[index]
    markup = call.params.get("reply_markup") or {}
    return list(markup.get("inline_keyboard", []))


def button(server: BotApiServer, chat_id: int, label: str) -> tuple[str, int]:
    """(callback data, message id) of the latest button labelled ``label`` sent to ``chat_id``."""
    for call in reversed(server.sent(chat_id)):
        markup = call.params.get("reply_markup") or {}
        for row in markup.get("inline_keyboard", []):
            for b in row:
                if b["text"] == label:
                    return b["callback_data"], int(call.result["message_id"])
    raise AssertionError(f"no button {label!r} sent to {chat_id}: {texts_to(server, chat_id)}")
