"""Translating between python-telegram-bot objects and the core's neutral messages.

Pure functions, no network: a Telegram ``Update`` becomes an :class:`~bot.messages.Incoming`,
an :class:`~bot.messages.Outgoing` becomes the texts and keyboard to send.

Channel message ids are ``"<chat id>:<message id>"`` everywhere (incoming ``message_id`` and
``reply_to``, and the id a send returns), so that the outbox's ``ref_for`` can trace a desk
reply back to the ticket message it answers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)

from bot.messages import Incoming, Outgoing

CHANNEL = "telegram"
MAX_TEXT = 4096  # Telegram's limit, counted in UTF-16 code units
MAX_CALLBACK_BYTES = 64  # Telegram's limit on callback_data
LONG_DATA_PREFIX = "#k:"  # a short key standing for callback data longer than 64 bytes


def message_ref(chat_id: int | str, message_id: int | str) -> str:
    """The channel-wide id of a Telegram message: ``"<chat id>:<message id>"``."""
    return f"{chat_id}:{message_id}"


def parse_message_ref(ref: str | None, chat_id: str) -> int | None:
    """The Telegram message id in ``ref`` when it belongs to ``chat_id`` (else None)."""
    if not ref:
        return None
    chat, sep, message = ref.rpartition(":")
    if not sep:
        chat, message = chat_id, ref
    if chat != chat_id or not message.lstrip("-").isdigit():
        return None
    return int(message)


def strip_bot_mention(text: str, bot_username: str) -> str:
    """``/start@lawbot_bot xinhepu`` → ``/start xinhepu`` (groups address commands so)."""
    if not text.startswith("/") or not bot_username:
        return text
    command, sep, rest = text.partition(" ")
    name, at, target = command.partition("@")
    if at and target.lower() == bot_username.lower():
        return name + sep + rest
    return text


def _sender_name(message: Message | CallbackQuery) -> str:
    user = message.from_user
    if user is None:
        return ""
    return user.full_name or (user.username or "")


def incoming_from_message(message: Message, bot_username: str = "") -> Incoming | None:
    """A person's message as the core's Incoming; None for the bot's own or service messages."""
    user = message.from_user
    if user is None or user.is_bot:
        return None
    chat = message.chat
    reply = message.reply_to_message
    text = message.text
    if text is not None:
        text = strip_bot_mention(text, bot_username)
        kind = "command" if text.startswith("/") else "text"
    else:
        # Stickers, photos, voice, files, locations...: the core answers politely. A caption
        # is kept so the core may still read what the person wrote under a photo.
        text = message.caption or ""
        kind = "unsupported"
    return Incoming(
        channel=CHANNEL,
        chat_id=str(chat.id),
        sender_id=str(user.id),
        sender_name=_sender_name(message),
        text=text,
        message_id=message_ref(chat.id, message.message_id),
        is_group=chat.type != "private",
        reply_to=message_ref(chat.id, reply.message_id) if reply is not None else None,
        kind=kind,  # type: ignore[arg-type]
    )


def incoming_from_callback(query: CallbackQuery, data: str) -> Incoming | None:
    """A button press (its ``data`` already resolved) as the core's Incoming."""
    message = query.message
    if message is None:
        return None
    chat = message.chat
    return Incoming(
        channel=CHANNEL,
        chat_id=str(chat.id),
        sender_id=str(query.from_user.id),
        sender_name=_sender_name(query),
        text=data,
        message_id=f"cb:{query.id}",
        is_group=chat.type != "private",
        reply_to=message_ref(chat.id, message.message_id),
        callback=data,
        kind="button",
    )


def incoming_from_update(update: Update, bot_username: str = "") -> Incoming | None:
    """The Incoming for a message update (callback queries need their data resolved first)."""
    message = update.message or update.edited_message
    if message is None:
        return None
    return incoming_from_message(message, bot_username)


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Split ``text`` into parts of at most ``limit`` UTF-16 units, at line breaks if possible."""
    if utf16_len(text) <= limit:
        return [text]
    parts: list[str] = []
    rest = text
    while utf16_len(rest) > limit:
        cut = _cut_point(rest, limit)
        head, rest = rest[:cut], rest[cut:]
        parts.append(head.rstrip("\n") or head)
        rest = rest.lstrip("\n") or rest
    if rest:
        parts.append(rest)
    return parts


def _cut_point(text: str, limit: int) -> int:
    """The largest index ≤ limit units, preferring a paragraph, then a line, then 。 break."""
    end = 0
    units = 0
    for i, ch in enumerate(text):
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > limit:
            break
        end = i + 1
    window = text[:end]
    for sep in ("\n\n", "\n", "。", "；", "，", " "):
        at = window.rfind(sep)
        if at > end // 2:
            return at + len(sep)
    return end


def callback_key(data: str) -> str:
    """The short stand-in for callback data that exceeds Telegram's 64 bytes."""
    return LONG_DATA_PREFIX + hashlib.sha256(data.encode("utf-8")).hexdigest()[:24]


def fits_callback(data: str) -> bool:
    """True when ``data`` may be sent as callback_data as it is."""
    return len(data.encode("utf-8")) <= MAX_CALLBACK_BYTES and not data.startswith(
        LONG_DATA_PREFIX
    )


def keyboard(
    out: Outgoing, remember: Callable[[str, str], None]
) -> InlineKeyboardMarkup | None:
    """The inline keyboard for ``out``; long data is replaced by a key passed to ``remember``."""
    if not out.buttons:
        return None
    rows = []
    for row in out.buttons:
        buttons = []
        for button in row:
            data = button.data
            if not fits_callback(data):
                key = callback_key(data)
                remember(key, data)
                data = key
            buttons.append(InlineKeyboardButton(button.label, callback_data=data))
        rows.append(buttons)
    return InlineKeyboardMarkup(rows)
