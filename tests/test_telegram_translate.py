"""Telegram ↔ neutral messages: updates in, texts and keyboards out (no network)."""

from __future__ import annotations

from typing import Any

import pytest
from telegram import Bot, Update

from bot.channels.telegram_translate import (
    MAX_CALLBACK_BYTES,
    callback_key,
    fits_callback,
    incoming_from_callback,
    incoming_from_update,
    keyboard,
    parse_message_ref,
    split_text,
    strip_bot_mention,
    utf16_len,
)
from bot.messages import Button, Outgoing

BOT = Bot("1:x")


def update(body: dict[str, Any]) -> Update:
    upd = Update.de_json({"update_id": 1, **body}, BOT)
    assert upd is not None
    return upd


def message(text: str | None = None, chat_type: str = "private", **extra: Any) -> Update:
    chat = {"id": -100 if chat_type != "private" else 42, "type": chat_type}
    body: dict[str, Any] = {
        "message_id": 7,
        "date": 0,
        "chat": chat,
        "from": {"id": 42, "is_bot": False, "first_name": "张", "last_name": "三"},
        **extra,
    }
    if text is not None:
        body["text"] = text
    return update({"message": body})


def test_private_text_becomes_incoming_with_chat_scoped_ids() -> None:
    incoming = incoming_from_update(message("押金不退怎么办"))
    assert incoming is not None
    assert (incoming.channel, incoming.chat_id, incoming.sender_id) == ("telegram", "42", "42")
    assert incoming.message_id == "42:7"
    assert incoming.sender_name == "张 三"
    assert incoming.kind == "text" and not incoming.is_group and incoming.reply_to is None


def test_deep_link_start_is_a_command_with_its_argument() -> None:
    incoming = incoming_from_update(message("/start xinhepu"))
    assert incoming is not None
    assert (incoming.kind, incoming.text) == ("command", "/start xinhepu")


def test_group_command_addressed_to_the_bot_loses_the_mention() -> None:
    incoming = incoming_from_update(message("/tickets@LawBot_bot", "supergroup"), "lawbot_bot")
    assert incoming is not None
    assert (incoming.text, incoming.is_group, incoming.chat_id) == ("/tickets", True, "-100")
    assert strip_bot_mention("/tickets@other_bot", "lawbot_bot") == "/tickets@other_bot"


def test_reply_in_a_group_carries_the_replied_message_id() -> None:
    replied = {"message_id": 3, "date": 0, "chat": {"id": -100, "type": "supergroup"}}
    incoming = incoming_from_update(
        message("已联系物业", "supergroup", reply_to_message=replied)
    )
    assert incoming is not None and incoming.reply_to == "-100:3"


@pytest.mark.parametrize(
    "extra",
    [
        {"sticker": {"file_id": "s", "file_unique_id": "s", "width": 1, "height": 1,
                     "is_animated": False, "is_video": False, "type": "regular"}},
        {"photo": [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]},
        {"voice": {"file_id": "v", "file_unique_id": "v", "duration": 3}},
    ],
)
def test_media_is_unsupported(extra: dict[str, Any]) -> None:
    incoming = incoming_from_update(message(None, **extra))
    assert incoming is not None and incoming.kind == "unsupported" and incoming.text == ""


def test_photo_caption_is_kept_as_text() -> None:
    photo = [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]
    incoming = incoming_from_update(message(None, photo=photo, caption="合同第三页"))
    assert incoming is not None and (incoming.kind, incoming.text) == ("unsupported", "合同第三页")


def test_messages_from_bots_are_ignored() -> None:
    upd = update(
        {"message": {"message_id": 1, "date": 0, "chat": {"id": 5, "type": "private"},
                     "from": {"id": 5, "is_bot": True, "first_name": "b"}, "text": "hi"}}
    )
    assert incoming_from_update(upd) is None


def test_callback_query_becomes_a_button_press() -> None:
    upd = update(
        {"callback_query": {
            "id": "99", "chat_instance": "c", "data": "ticket:claim:3",
            "from": {"id": 8, "is_bot": False, "first_name": "小李"},
            "message": {"message_id": 12, "date": 0, "chat": {"id": -100, "type": "group"}},
        }}
    )
    assert upd.callback_query is not None
    incoming = incoming_from_callback(upd.callback_query, "ticket:claim:3")
    assert incoming is not None
    assert incoming.kind == "button" and incoming.callback == incoming.text == "ticket:claim:3"
    assert incoming.message_id == "cb:99" and incoming.reply_to == "-100:12"
    assert incoming.is_group and incoming.sender_id == "8"


def test_message_refs_round_trip_only_within_their_chat() -> None:
    assert parse_message_ref("-100:12", "-100") == 12
    assert parse_message_ref("-100:12", "42") is None
    assert parse_message_ref(None, "42") is None
    assert parse_message_ref("12", "42") == 12
    assert parse_message_ref("42:abc", "42") is None


def test_short_text_is_one_part() -> None:
    assert split_text("你好") == ["你好"]


def test_long_text_splits_under_the_limit_at_line_breaks_and_loses_nothing() -> None:
    paragraph = "第" + "条" * 998 + "。\n"
    text = paragraph * 5
    parts = split_text(text, limit=4096)
    assert len(parts) == 2
    assert all(utf16_len(p) <= 4096 for p in parts)
    assert all(p.endswith("。") for p in parts[:-1])
    assert "".join(parts).replace("\n", "") == text.replace("\n", "")


def test_text_without_breaks_is_cut_hard_and_emoji_count_double() -> None:
    text = "😀" * 3000  # 6,000 UTF-16 units
    parts = split_text(text)
    assert [utf16_len(p) for p in parts] == [4096, 6000 - 4096]
    assert "".join(parts) == text


def test_keyboard_keeps_short_data_and_replaces_long_data_by_a_remembered_key() -> None:
    long_data = "faq:" + "租房押金" * 20
    out = Outgoing(
        "telegram", "42", "请选择",
        buttons=((Button("👍", "rate:up"), Button("查看法条", long_data)),),
    )
    remembered: dict[str, str] = {}
    markup = keyboard(out, remembered.__setitem__)
    assert markup is not None
    first, second = markup.inline_keyboard[0]
    assert (first.text, first.callback_data) == ("👍", "rate:up")
    assert second.callback_data == callback_key(long_data)
    assert isinstance(second.callback_data, str)
    assert len(second.callback_data.encode()) <= MAX_CALLBACK_BYTES
    assert remembered == {callback_key(long_data): long_data}
    assert keyboard(Outgoing("telegram", "42", "x"), remembered.__setitem__) is None


def test_data_that_looks_like_a_key_is_never_sent_as_is() -> None:
    assert not fits_callback(callback_key("x"))
    assert fits_callback("ticket:claim:1")
