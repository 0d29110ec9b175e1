"""Matrix events to neutral messages and outgoing messages to event contents (pure)."""

from __future__ import annotations

from typing import Any

from nio import RoomSendError

from bot.channels.matrix_client import MatrixRequestError, as_send_error, checked
from bot.channels.matrix_translate import (
    MAX_CHARS,
    html_to_text,
    split_text,
    strip_reply_fallback,
    to_contents,
    to_incoming,
)
from bot.messages import Button, Outgoing
from bot.runner import PermanentSendError, TemporarySendError

BOT = "@bot:lawbot.test"
ROOM = "!room:lawbot.test"


def event(content: dict[str, Any], **extra: Any) -> dict[str, Any]:
    base = {
        "type": "m.room.message",
        "sender": "@resident:lawbot.test",
        "event_id": "$e1",
        "origin_server_ts": 1,
        "content": content,
    }
    return {**base, **extra}


def test_a_text_message_becomes_incoming_text() -> None:
    got = to_incoming(
        event({"msgtype": "m.text", "body": "房东不退押金怎么办"}),
        ROOM,
        BOT,
        sender_name="居民",
        is_group=False,
    )
    assert got is not None
    assert (got.channel, got.chat_id, got.sender_id) == ("matrix", ROOM, "@resident:lawbot.test")
    assert (got.text, got.message_id, got.kind, got.sender_name) == (
        "房东不退押金怎么办",
        "$e1",
        "text",
        "居民",
    )
    assert got.reply_to is None and not got.is_group


def test_a_notice_is_text_too() -> None:
    got = to_incoming(event({"msgtype": "m.notice", "body": "你好"}), ROOM, BOT)
    assert got is not None and got.kind == "text" and got.text == "你好"


def test_commands_with_either_prefix_pass_through_as_commands() -> None:
    for text in ("!claim 3", "/claim 3"):
        got = to_incoming(event({"msgtype": "m.text", "body": text}), ROOM, BOT, is_group=True)
        assert got is not None and got.kind == "command" and got.text == text and got.is_group


def test_a_reply_carries_its_target_and_loses_the_quoted_fallback() -> None:
    content = {
        "msgtype": "m.text",
        "body": "> <@bot:lawbot.test> 工单 #3：押金\n> 第二行\n\n可以先发函催告",
        "m.relates_to": {"m.in_reply_to": {"event_id": "$ticket"}},
    }
    got = to_incoming(event(content), ROOM, BOT)
    assert got is not None and got.reply_to == "$ticket" and got.text == "可以先发函催告"


def test_the_formatted_body_is_used_only_when_the_body_is_empty() -> None:
    content = {
        "msgtype": "m.text",
        "body": "",
        "format": "org.matrix.custom.html",
        "formatted_body": "<mx-reply><blockquote>旧</blockquote></mx-reply><b>物业费</b>&amp;电梯",
    }
    got = to_incoming(event(content), ROOM, BOT)
    assert got is not None and got.text == "物业费&电梯"
    both = {**content, "body": "纯文本"}
    assert (got2 := to_incoming(event(both), ROOM, BOT)) is not None and got2.text == "纯文本"


def test_images_files_stickers_and_encrypted_events_are_unsupported() -> None:
    image = event({"msgtype": "m.image", "body": "photo.jpg", "url": "mxc://x/y"})
    sticker = event({"body": "猫", "url": "mxc://x/z"}, type="m.sticker")
    encrypted = event({"algorithm": "m.megolm.v1.aes-sha2"}, type="m.room.encrypted")
    for source in (image, sticker, encrypted):
        got = to_incoming(source, ROOM, BOT)
        assert got is not None and got.kind == "unsupported"


def test_edits_redactions_state_and_own_messages_are_ignored() -> None:
    edit = event(
        {
            "msgtype": "m.text",
            "body": "* 改过的问题",
            "m.new_content": {"msgtype": "m.text", "body": "改过的问题"},
            "m.relates_to": {"rel_type": "m.replace", "event_id": "$e0"},
        }
    )
    redaction = event({}, type="m.room.redaction", redacts="$e0")
    redacted = event({})
    state = event({"membership": "join"}, type="m.room.member", state_key="@x:lawbot.test")
    own = event({"msgtype": "m.text", "body": "回答"}, sender=BOT)
    blank = event({"msgtype": "m.text", "body": "   "})
    for source in (edit, redaction, redacted, state, own, blank):
        assert to_incoming(source, ROOM, BOT) is None


def test_reply_fallback_stripping_leaves_ordinary_quotes_alone() -> None:
    assert strip_reply_fallback("> <@a:b> hi\n\nanswer") == "answer"
    assert strip_reply_fallback("no quote\n> kept") == "no quote\n> kept"
    assert html_to_text("a<br>b") == "a\nb"
    assert html_to_text("<p>a</p><p>b</p>") == "a\nb"


def test_buttons_become_a_numbered_list_and_reply_to_a_relation() -> None:
    out = Outgoing(
        "matrix",
        ROOM,
        "您是不是想问：",
        buttons=((Button("押金不退", "/faq t1"),), (Button("都不是，转人工", "/human"),)),
        reply_to="$q",
    )
    [content] = to_contents(out)
    assert content["msgtype"] == "m.text"
    assert "1. 押金不退" in content["body"] and "2. 都不是，转人工" in content["body"]
    assert content["m.relates_to"] == {"m.in_reply_to": {"event_id": "$q"}}


def test_long_texts_are_split_under_the_limit_at_line_ends() -> None:
    text = "\n".join(f"第{i}行" + "法" * 50 for i in range(300))
    pieces = split_text(text, 1000)
    assert len(pieces) > 1 and all(len(p) <= 1000 for p in pieces)
    assert "\n".join(pieces) == text
    assert split_text("法" * 2500, 1000) == ["法" * 1000, "法" * 1000, "法" * 500]
    contents = to_contents(Outgoing("matrix", ROOM, "律" * (MAX_CHARS * 2 + 1), reply_to="$q"))
    assert len(contents) == 3
    assert contents[0]["body"].startswith("（第 1/3 部分）")
    assert "m.relates_to" in contents[0] and "m.relates_to" not in contents[1]


def test_error_objects_become_one_exception_and_then_the_outbox_view() -> None:
    limited = RoomSendError("too many", "M_LIMIT_EXCEEDED", retry_after_ms=1500)
    try:
        checked("send", limited)
    except MatrixRequestError as error:
        mapped = as_send_error(error)
        assert isinstance(mapped, TemporarySendError) and mapped.retry_after == 1.5
    else:
        raise AssertionError("an error object must raise")
    forbidden = MatrixRequestError("send", "M_FORBIDDEN", "not in room")
    assert isinstance(as_send_error(forbidden), PermanentSendError)
    unreachable = MatrixRequestError("send", None, "connection refused")
    assert isinstance(as_send_error(unreachable), TemporarySendError)
    ok = object()
    assert checked("send", ok) is ok
