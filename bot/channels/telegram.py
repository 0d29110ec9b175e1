"""Telegram through python-telegram-bot: long polling in the shared loop, sending from the outbox.

``TELEGRAM_BASE_URL`` is python-telegram-bot's ``base_url`` as it is: the bot token is
appended to it (``http://127.0.0.1:8081/bot`` → ``http://127.0.0.1:8081/bot<token>/getMe``),
or put where ``{token}`` stands. Unset means ``https://api.telegram.org/bot``.

Receiving drives ``Bot.get_updates`` itself rather than ``Application.run_polling()``, so
that it shares the loop with other channels and so that the update offset advances only after
:meth:`Service.handle` has stored the update: the offset is kept in the channel's state and
confirmed to Telegram by the next ``getUpdates``. After a crash Telegram hands the unconfirmed
updates again: the core drops those already handled and handles those that were stored but not
yet handled (the decision and the handled mark are one transaction): nothing is lost, nothing
is processed twice.

Webhook mode (an option, not used here): run a web server that posts each JSON update to
:meth:`TelegramChannel.process_update` after ``Update.de_json``; everything else is the same.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from contextlib import suppress
from datetime import datetime
from typing import Any

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    CallbackQuery,
    Update,
)
from telegram.error import (
    Conflict,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.request import HTTPXRequest

from bot.channel_core import ChannelState, Core
from bot.channels.telegram_sender import TelegramSender, retry_after_seconds
from bot.channels.telegram_translate import (
    CHANNEL,
    LONG_DATA_PREFIX,
    incoming_from_callback,
    incoming_from_update,
)
from bot.clock import system_now
from bot.commands import menu
from bot.messages import Incoming, Outgoing
from bot.runner import ChannelStartError, Sender
from bot.texts import telegram as texts

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.telegram.org/bot"
OFFSET_KEY = "update_offset"
ALLOWED_UPDATES = ("message", "callback_query")
MAX_RETRY_DELAY = 30.0


class TelegramStartError(ChannelStartError):
    """Telegram rejected the bot token (TELEGRAM_BOT_TOKEN) at start-up."""


def load_offset(state: ChannelState) -> int | None:
    """The first update id not yet stored, as persisted after the last handled update."""
    value = state.get(OFFSET_KEY)
    return int(value) if value else None


def quiet_http_log() -> None:
    """Keep httpx's per-request INFO lines out of the log: their URLs hold the bot token.

    Left alone when the operator configured the ``httpx`` logger's level themselves.
    """
    http_log = logging.getLogger("httpx")
    if http_log.level == logging.NOTSET:
        http_log.setLevel(logging.WARNING)


class TelegramChannel:
    """Receives by long polling inside the shared loop; sends through :class:`TelegramSender`."""

    channel = CHANNEL

    def __init__(
        self,
        service: Core,
        token: str,
        base_url: str | None = None,
        *,
        clock: Callable[[], datetime] = system_now,
        poll_timeout: int = 25,
        retry_delay: float = 1.0,
    ) -> None:
        self.service = service
        self.state = service.channel_state(CHANNEL)
        self.clock = clock
        self.poll_timeout = poll_timeout
        self.retry_delay = retry_delay
        self.bot = Bot(
            token,
            base_url=base_url or DEFAULT_BASE_URL,
            request=HTTPXRequest(connection_pool_size=8),
            get_updates_request=HTTPXRequest(read_timeout=poll_timeout + 10.0),
        )
        self.sender: Sender = TelegramSender(self.bot, self._remember_callback)
        self._stopping = asyncio.Event()
        self._fetching = False
        self._connected = False
        self._task: asyncio.Task[None] | None = None
        self.connection = service.connection(CHANNEL, clock)  # for `lawbot status`

    # -- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        """Check the token, leave webhook mode, publish commands, start polling.

        An unreachable server is not fatal: polling keeps trying to connect in the background.

        Raises:
            TelegramStartError: the token was rejected.
        """
        self._stopping.clear()
        quiet_http_log()
        try:
            await self._connect()
        except InvalidToken as error:
            # PTB's message quotes the token: never log or show it.
            raise TelegramStartError("the Telegram bot token was rejected") from error
        except NetworkError as error:
            log.warning("Telegram is not reachable yet, will keep trying: %s", error)
            self.connection.down(str(error))
        self._task = asyncio.create_task(self._poll(), name="telegram-poll")

    async def _connect(self) -> None:
        await self.bot.initialize()
        await self.bot.delete_webhook(drop_pending_updates=False)
        await self._publish_commands()
        self._connected = True

    async def stop(self) -> None:
        """Finish the update being handled, abandon a held long poll, close the HTTP pools."""
        self._stopping.set()
        task, self._task = self._task, None
        try:
            if task is not None:
                if self._fetching:
                    task.cancel()
                with suppress(asyncio.CancelledError):
                    await task
        finally:
            await self.bot.shutdown()

    async def _publish_commands(self) -> None:
        scopes: Sequence[tuple[Any, tuple[tuple[str, str], ...]]] = (
            (BotCommandScopeAllPrivateChats(), menu(("resident",))),
            (BotCommandScopeAllGroupChats(), menu(("desk", "staff"))),
        )
        for scope, commands in scopes:
            try:
                await self.bot.set_my_commands(
                    [BotCommand(name, about) for name, about in commands], scope=scope
                )
            except TelegramError as error:  # a menu is a nicety: never stop start-up for it
                log.warning("setMyCommands failed: %s", error)

    # -- receiving ---------------------------------------------------------------------------

    async def _poll(self) -> None:
        offset = load_offset(self.state)
        delay = self.retry_delay
        while not self._stopping.is_set():
            self._fetching = True
            if not self._connected:
                try:
                    await self._connect()
                except InvalidToken:
                    log.error("the Telegram bot token was rejected: receiving stops")
                    return
                except (NetworkError, RetryAfter) as error:
                    log.warning("Telegram still not reachable, retrying in %.1fs: %s", delay, error)
                    self.connection.down(str(error))
                    self._fetching = False
                    await self._pause(delay)
                    delay = min(MAX_RETRY_DELAY, delay * 2)
                    continue
            try:
                updates = await self.bot.get_updates(
                    offset=offset,
                    timeout=self.poll_timeout,
                    allowed_updates=list(ALLOWED_UPDATES),
                )
            except RetryAfter as error:
                await self._pause(retry_after_seconds(error))
                continue
            except (NetworkError, Conflict) as error:
                log.warning("getUpdates failed, retrying in %.1fs: %s", delay, error)
                self.connection.down(str(error))
                await self._pause(delay)
                delay = min(MAX_RETRY_DELAY, delay * 2)
                continue
            finally:
                self._fetching = False
            delay = self.retry_delay
            self.connection.up()
            for update in updates:
                await self.process_update(update)
                offset = update.update_id + 1
                try:
                    # Persisted only after the update is stored: a crash redelivers, never skips.
                    self.state.set(OFFSET_KEY, str(offset))
                except Exception:  # the core deduplicates a redelivered update: go on
                    log.exception("could not persist the Telegram update offset")

    async def _pause(self, seconds: float) -> None:
        with suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)

    async def process_update(self, update: Update) -> None:
        """Hand one update to the core; a failure is logged and the person gets an apology."""
        try:
            if update.callback_query is not None:
                await self._on_callback(update.callback_query)
                return
            incoming = incoming_from_update(update, self.bot.username)
            if incoming is not None:
                self._handle(incoming)
        except Exception:
            log.exception("handling Telegram update %s failed", update.update_id)
            chat = update.effective_chat
            if chat is not None:
                self._apologise(str(chat.id))

    async def _on_callback(self, query: CallbackQuery) -> None:
        """Resolve the pressed button's data, hand it to the core, always answer the query."""
        notice: str | None = None
        try:
            data = query.data or ""
            if data.startswith(LONG_DATA_PREFIX):
                stored = self.state.button(data)
                if stored is None:  # forged, or expired (bot.retention deletes old keys)
                    notice = texts.BUTTON_EXPIRED
                    return
                data = stored
            incoming = incoming_from_callback(query, data)
            if incoming is not None:
                self._handle(incoming)
        finally:
            try:
                await self.bot.answer_callback_query(query.id, text=notice)
            except TelegramError as error:  # an old query cannot be answered: harmless
                log.info("answerCallbackQuery failed: %s", error)

    def _handle(self, incoming: Incoming) -> None:
        # The core stores the message and its replies (in the outbox) in one go; the outbox
        # pump sends them.
        self.service.handle(incoming, self.clock())

    def _apologise(self, chat_id: str) -> None:
        try:
            self.service.post([Outgoing(CHANNEL, chat_id, texts.APOLOGY)], self.clock())
        except Exception:
            log.exception("could not store the apology for chat %s", chat_id)

    def _remember_callback(self, key: str, data: str) -> None:
        self.state.keep_button(key, data, self.clock())
