"""Which thread a resident's message belongs to, and the thread a new ticket carries.

A resident may have tickets open and still ask new questions: a message joins an open
ticket only when it is clearly a follow-up (a reply to the ticket's message, or a short
message soon after the desk wrote), otherwise it is a question on its own merits.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from bot.clock import iso, parse_iso
from bot.desk.tickets import Event
from bot.questions import LoggedQuestion, QuestionLog
from bot.smalltalk import squeeze
from bot.texts import desk as dt
from matcher.lexicon import load_lexicon

# A short message within ten minutes of the desk's question or reply is an answer to it:
# residents reply to "请问合同是哪年签的？" with "2019年" or "签了三年", not with a new case.
FOLLOW_UP_WINDOW = timedelta(minutes=10)
FOLLOW_UP_MAX_CHARS = 30
# One-turn context: a short question within fifteen minutes of an answer (那如果他不给呢,
# 要多久, 那怎么办) is read together with the answered entry.
CONTEXT_WINDOW = timedelta(minutes=15)
CONTEXT_MAX_CHARS = 12
# Vague: no confident candidate, at most this many characters and no legal term of the
# matcher's lexicon. Every chit-chat line of oos_chitchat.jsonl is at most 10 characters and
# none holds a legal term; "离婚后孩子抚养权归谁" is short but says what it is about.
VAGUE_MAX_CHARS = 12
# What a new ticket carries of the conversation before it.
THREAD_WINDOW = timedelta(hours=2)
THREAD_MAX = 6

ANSWERED = dt.REPLY_ANSWER.split("{")[0]  # how an answered question's reply begins
Line = tuple[str, str, str]  # role, author, text (a ticket event)


def size(text: str) -> int:
    """Characters that carry meaning (no spaces, punctuation or emoji)."""
    return len(squeeze(text))


@cache
def legal_words() -> frozenset[str]:
    """The legal terms of the matcher's lexicon (two characters or more)."""
    return frozenset(word for word, _ in load_lexicon().terms if len(word) > 1)


def is_vague(text: str) -> bool:
    """True for a message too short to describe a problem and without a legal term."""
    if size(text) > VAGUE_MAX_CHARS:
        return False
    return not any(word in text for word in legal_words())


def fresh(pending: dict[str, Any] | None, now: datetime) -> dict[str, Any]:
    """The bot's pending question to the resident, or {} when there is none or it is stale.

    A 👎 or a clarifying question from yesterday must not turn today's first question into a
    ticket: what the bot asked counts for the thread window. Waiting for the community (kind
    "ticket") never goes stale: the ticket is opened once it is known.
    """
    if not pending:
        return {}
    at = pending.get("at")
    if at is not None and now - parse_iso(str(at)) > THREAD_WINDOW:
        return {}
    return pending


def desk_spoke_within(events: Sequence[Event], now: datetime, window: timedelta) -> bool:
    """True when the desk's latest message to the resident is at most ``window`` old."""
    for event in reversed(events):
        if event.role == "desk":
            return now - parse_iso(event.at) <= window
    return False


def is_follow_up(events: Sequence[Event], text: str, now: datetime) -> bool:
    """A short message soon after the desk asked or answered joins that ticket."""
    return size(text) <= FOLLOW_UP_MAX_CHARS and desk_spoke_within(events, now, FOLLOW_UP_WINDOW)


def previous_topic(
    questions: QuestionLog, resident_id: int, now: datetime
) -> LoggedQuestion | None:
    """The resident's latest question if the bot answered it within the context window."""
    latest = questions.latest(resident_id)
    if latest is None or not latest.entry_id or not latest.reply.startswith(ANSWERED):
        return None
    if now - parse_iso(latest.at) > CONTEXT_WINDOW:
        return None
    return latest


def open_thread(questions: QuestionLog, resident_id: int, now: datetime) -> list[LoggedQuestion]:
    """The resident's recent questions not yet part of a ticket, oldest first."""
    rows = questions.recent(resident_id, iso(now - THREAD_WINDOW), THREAD_MAX)
    found: list[LoggedQuestion] = []
    for row in rows:  # newest first: stop at the first one a ticket already carries
        if row.ticket_id is not None or row.decision == "follow_up":
            break
        if row.text:
            found.append(row)
    return found[::-1]


def thread_lines(rows: Sequence[LoggedQuestion], reason: str) -> list[Line]:
    """Ticket events for ``rows``: each question and what the bot said, then the trigger."""
    lines: list[Line] = []
    for row in rows:
        lines.append(("resident", "", row.text or ""))
        if row.reply:
            lines.append(("bot", dt.BOT, row.reply))
    lines.append(("bot", dt.BOT, dt.TRIGGER.format(reason=dt.TRIGGERS.get(reason, reason))))
    return lines


def last_bot_reply(rows: Sequence[LoggedQuestion]) -> str:
    """The bot's latest answer or suggestions in ``rows``, or ""."""
    for row in reversed(rows):
        if row.reply:
            return row.reply
    return ""
