"""Sending one outgoing message to Telegram, and what the outbox is told when that fails.

Texts over 4,096 UTF-16 units are split; the keyboard goes on the last part, whose id is
returned so that the outbox's ``ref_for`` traces a reply to it back to the ticket. Flood
control (429) and network trouble are temporary; a blocked bot, an unknown chat or a bad
request are permanent.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from datetime import timedelta

from telegram import Bot, ReplyParameters
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    RetryAfter,
    TelegramError,
)
from telegram.warnings import PTBDeprecationWarning

from bot.channels.telegram_translate import (
    CHANNEL,
    keyboard,
    message_ref,
    parse_message_ref,
    split_text,
)
from bot.messages import Outgoing
from bot.runner import PermanentSendError, TemporarySendError
from bot.texts import telegram as texts


def retry_after_seconds(error: RetryAfter) -> float:
    """Seconds Telegram asks us to wait (PTB 22 gives an int, later versions a timedelta)."""
    # PTB 22 warns that retry_after becomes a timedelta; accept both, without the warning.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def send_error(error: TelegramError) -> TemporarySendError | PermanentSendError:
    """The runner's error for a failed Bot API call: retry it, or give up on it."""
    if isinstance(error, RetryAfter):
        return TemporarySendError(str(error), retry_after=retry_after_seconds(error))
    if isinstance(error, ChatMigrated):
        # A group became a supergroup: the organisation file must name the new chat id.
        return PermanentSendError(f"chat migrated to {error.new_chat_id}: update the org file")
    if isinstance(error, Forbidden | BadRequest | InvalidToken):
        return PermanentSendError(f"{type(error).__name__}: {error}")
    return TemporarySendError(f"{type(error).__name__}: {error}")


class TelegramSender:
    """Sends one outgoing message: split under 4,096 units, keyboard on the last part."""

    channel = CHANNEL

    def __init__(self, bot: Bot, remember: Callable[[str, str], None]) -> None:
        self.bot = bot
        self._remember = remember
        # Parts of a split message already delivered when a later part failed: the outbox
        # retries the whole message, and these parts are not sent twice (within one process).
        self._delivered: dict[Outgoing, int] = {}

    async def send(self, out: Outgoing) -> str:
        """Send ``out``; return ``"<chat>:<message id>"`` of the part that carries the buttons."""
        parts = split_text(out.text) if out.text.strip() else [texts.EMPTY_TEXT]
        markup = keyboard(out, self._remember)
        reply_id = parse_message_ref(out.reply_to, out.chat_id)
        last_id = 0
        for index, part in enumerate(parts):
            if index < self._delivered.get(out, 0):
                continue
            first, last = index == 0, index == len(parts) - 1
            try:
                message = await self.bot.send_message(
                    chat_id=out.chat_id,
                    text=part,
                    reply_markup=markup if last else None,
                    reply_parameters=(
                        ReplyParameters(reply_id, allow_sending_without_reply=True)
                        if first and reply_id is not None
                        else None
                    ),
                )
            except TelegramError as error:
                if index > 0:
                    self._delivered[out] = index
                raise send_error(error) from error
            last_id = message.message_id
        self._delivered.pop(out, None)
        return message_ref(out.chat_id, last_id)
