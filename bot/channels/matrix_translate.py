"""Matrix events to neutral messages and back: pure functions over the events' JSON.

Decisions, each tested:

* ``m.text``, ``m.notice`` and ``m.emote`` are text. ``body`` is the text; ``formatted_body``
  is used only when ``body`` is empty (tags stripped). The reply fallback that clients put in
  front of a reply (``> <@user> quoted`` lines, then a blank line) is removed.
* Images, files, audio, video, locations, stickers and encrypted events (this bot has no
  end-to-end encryption) become ``kind="unsupported"``: the core answers politely.
* Edits (``m.replace``) are ignored: the original was already answered or relayed, and
  answering a correction again would open a second ticket or relay a desk reply twice.
* Redactions, state events and the bot's own messages are ignored.
"""

from __future__ import annotations

import html
import re
from typing import Any

from bot.messages import Incoming, IncomingKind, Outgoing, numbered_text
from bot.texts import matrix as texts

CHANNEL = "matrix"
TEXT_TYPES = frozenset({"m.text", "m.notice", "m.emote"})
# Matrix caps an event at 64 KiB of JSON; Chinese escaped as \uXXXX takes 6 bytes a
# character, so 4,000 characters (24 KB worst case) stay well under it and read comfortably.
MAX_CHARS = 4000

_REPLY_HTML = re.compile(r"<mx-reply>.*?</mx-reply>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_BREAK = re.compile(r"<br\s*/?>|</p>|</li>|</h\d>", re.IGNORECASE)
_COMMAND = re.compile(r"^[!/][A-Za-z]")


def strip_reply_fallback(body: str) -> str:
    """The body without the quoted ``> `` lines a client puts in front of a reply."""
    lines = body.split("\n")
    if not lines or not lines[0].startswith(">"):
        return body
    index = 0
    while index < len(lines) and lines[index].startswith(">"):
        index += 1
    if index < len(lines) and lines[index] == "":
        index += 1
    return "\n".join(lines[index:])


def html_to_text(formatted: str) -> str:
    """Plain text from a ``formatted_body``: reply quote dropped, tags stripped, entities read."""
    text = _REPLY_HTML.sub("", formatted)
    text = _BREAK.sub("\n", text)
    return html.unescape(_TAG.sub("", text)).strip()


def reply_target(content: dict[str, Any]) -> str | None:
    """The event id this content replies to (``m.relates_to`` / ``m.in_reply_to``), if any."""
    relates = content.get("m.relates_to")
    if not isinstance(relates, dict):
        return None
    in_reply_to = relates.get("m.in_reply_to")
    if isinstance(in_reply_to, dict) and isinstance(in_reply_to.get("event_id"), str):
        return str(in_reply_to["event_id"])
    return None


def is_edit(content: dict[str, Any]) -> bool:
    """Whether the content replaces an earlier event (an edit)."""
    relates = content.get("m.relates_to")
    return isinstance(relates, dict) and relates.get("rel_type") == "m.replace"


def message_text(content: dict[str, Any]) -> str:
    """The person's text of a message content: body, reply quote removed, HTML as fallback."""
    body = content.get("body")
    text = body if isinstance(body, str) else ""
    if reply_target(content) is not None or text.startswith("> <"):
        text = strip_reply_fallback(text)
    if not text.strip():
        formatted = content.get("formatted_body")
        if isinstance(formatted, str):
            text = html_to_text(formatted)
    return text.strip()


def to_incoming(
    event: dict[str, Any],
    room_id: str,
    own_user_id: str,
    *,
    sender_name: str = "",
    is_group: bool = False,
) -> Incoming | None:
    """The neutral message for one timeline event, or None when the bot ignores it."""
    sender = event.get("sender")
    event_id = event.get("event_id")
    if not isinstance(sender, str) or not isinstance(event_id, str) or sender == own_user_id:
        return None
    if "state_key" in event:
        return None
    kind: IncomingKind
    content = event.get("content")
    if not isinstance(content, dict) or not content:
        return None  # redacted
    event_type = event.get("type")
    if event_type == "m.room.message":
        if is_edit(content):
            return None
        if content.get("msgtype") in TEXT_TYPES:
            text = message_text(content)
            if not text:
                return None
            kind = "command" if _COMMAND.match(text) else "text"
        else:
            text, kind = str(content.get("body") or ""), "unsupported"
    elif event_type in ("m.sticker", "m.room.encrypted"):
        text, kind = "", "unsupported"
    else:
        return None
    return Incoming(
        channel=CHANNEL,
        chat_id=room_id,
        sender_id=sender,
        text=text,
        message_id=event_id,
        sender_name=sender_name,
        is_group=is_group,
        reply_to=reply_target(content),
        kind=kind,
    )


def split_text(text: str, limit: int = MAX_CHARS) -> list[str]:
    """``text`` in pieces of at most ``limit`` characters, cut at line ends where possible."""
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = rest.rfind("\n", 0, limit + 1)
        if cut <= limit // 2:
            cut = limit
        pieces.append(rest[:cut].rstrip("\n"))
        rest = rest[cut:].lstrip("\n")
    if rest or not pieces:
        pieces.append(rest)
    return pieces


def to_contents(out: Outgoing, limit: int = MAX_CHARS) -> list[dict[str, Any]]:
    """The ``m.room.message`` contents that render ``out``: buttons numbered, long text split."""
    pieces = split_text(numbered_text(out), limit)
    if len(pieces) > 1:
        total = len(pieces)
        pieces = [
            texts.PART.format(n=n, total=total) + piece for n, piece in enumerate(pieces, start=1)
        ]
    contents: list[dict[str, Any]] = [{"msgtype": "m.text", "body": piece} for piece in pieces]
    if out.reply_to:
        contents[0]["m.relates_to"] = {"m.in_reply_to": {"event_id": out.reply_to}}
    return contents
