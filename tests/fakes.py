"""Recording fakes of our own boundaries: a scripted FAQ index, a recording sender, helpers."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlite_utils

from bot.desk.org import Community
from bot.messages import Incoming, Outgoing
from bot.ops.health import ConnectionState
from bot.runner import PermanentSendError, TemporarySendError
from bot.store import ChannelState
from knowledge.faq import FaqEntry
from matcher.types import Candidate, MatchResult

# A Tuesday, 10:00 in Shanghai.
T0 = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)

ESCALATE = MatchResult("escalate", ())


class ScriptedIndex:
    """An FAQ index that answers from a table of substrings and records every question."""

    def __init__(self) -> None:
        self.rules: list[tuple[str, MatchResult]] = []
        self.asked: list[tuple[str, str | None]] = []

    def answer(self, words: str, entry_id: str, question: str = "", score: float = 0.9) -> None:
        """Questions containing ``words`` get entry ``entry_id`` as a confident answer."""
        self.rules.append(
            (words, MatchResult("answer", (Candidate(entry_id, score, question or words),)))
        )

    def suggest(self, words: str, *entries: tuple[str, str]) -> None:
        """Questions containing ``words`` get "did you mean" with these (id, question)."""
        top = tuple(Candidate(i, 0.5 - n * 0.1, q) for n, (i, q) in enumerate(entries))
        self.rules.append((words, MatchResult("suggest", top)))

    def escalate(self, words: str, entry_id: str) -> None:
        """Questions containing ``words`` escalate, with ``entry_id`` as the nearest entry."""
        self.rules.append((words, MatchResult("escalate", (Candidate(entry_id, 0.05, ""),))))

    def match(self, text: str, community: str | None = None) -> MatchResult:
        """The first rule whose words appear in ``text``, else escalate."""
        self.asked.append((text, community))
        for words, result in self.rules:
            if words in text:
                return result
        return ESCALATE


def entry(
    id: str, question: str, answer: str, basis: tuple[str, ...] = (), category: str = "租赁"
) -> FaqEntry:
    """A published FAQ entry."""
    return FaqEntry(
        id=id, category=category, question=question, answer=answer, legal_basis=basis,
        status="published",
    )


_ids = itertools.count(1)


def msg(
    text: str,
    who: str = "r1",
    channel: str = "telegram",
    chat: str | None = None,
    group: bool = False,
    reply_to: str | None = None,
    button: bool = False,
    message_id: str | None = None,
    kind: str = "text",
) -> Incoming:
    """An incoming message (a button press when ``button``) with a fresh message id."""
    return Incoming(
        channel=channel,
        chat_id=chat if chat is not None else who,
        sender_id=who,
        text=text,
        message_id=message_id or f"m{next(_ids)}",
        is_group=group,
        reply_to=reply_to,
        callback=text if button else None,
        kind="button" if button else kind,  # type: ignore[arg-type]
    )


@dataclass
class RecordingSender:
    """A sender that records what it sent; ``fail`` scripts exceptions for the next sends."""

    channel: str
    sent: list[Outgoing] = field(default_factory=list)
    fail: list[Exception] = field(default_factory=list)

    async def send(self, out: Outgoing) -> str:
        """Record ``out`` (or raise the next scripted failure) and return a message id."""
        if self.fail:
            raise self.fail.pop(0)
        self.sent.append(out)
        return f"{self.channel}-{len(self.sent)}"


__all__ = [
    "ESCALATE",
    "ORG_YAML",
    "T0",
    "PermanentSendError",
    "RecordingSender",
    "ScriptedIndex",
    "TemporarySendError",
    "button_data",
    "entry",
    "load_org",
    "msg",
    "texts",
    "to",
]


ORG_YAML = """
teams:
  - {id: dongshan, name: 东山街团队, desk: {telegram: "-100", matrix: "!desk:example.org"},
     reminder_minutes: 30, urgent_reminder_minutes: 10}
  - {id: beijing, name: 北京街团队, desk: {telegram: "-200"},
     reminder_minutes: 60, urgent_reminder_minutes: 15}
communities:
  - {code: xinhepu, name: 新河浦社区, street: 东山街, team: dongshan}
  - {code: dongyuan, name: 东园新村社区, street: 东山街, team: dongshan}
  - {code: beijinglu, name: 北京路社区, street: 北京街, team: beijing}
people:
  - {name: 王律师, role: adviser, team: dongshan, telegram: "111", backup: 陈律师}
  - {name: 陈律师, role: adviser, team: dongshan, telegram: "333"}
  - {name: 小李, role: volunteer, team: dongshan, matrix: "@li:example.org", backup: 王律师}
  - {name: 赵律师, role: adviser, team: beijing, telegram: "444"}
roster:
  - {person: 王律师, days: [mon, tue, wed, thu, fri], hours: "09:00-18:00"}
  - {person: 小李, days: [mon, tue, wed, thu, fri], hours: "09:00-18:00"}
  - {person: 陈律师, days: [sat], hours: "09:00-12:00"}
  - {person: 赵律师, days: [mon, tue, wed, thu, fri], hours: "09:00-18:00"}
"""

TZ_NAME = "Asia/Shanghai"
DESK_TG = ("telegram", "-100")
DESK_MX = ("matrix", "!desk:example.org")


def load_org(db: object) -> None:
    """Save the test organisation (two teams; weekday office hours in Shanghai)."""
    from bot.desk.org import save
    from bot.desk.org_io import parse_org_yaml

    save(db, parse_org_yaml(ORG_YAML), "test")  # type: ignore[arg-type]


def to(outs: list[Outgoing], channel: str, chat: str) -> list[Outgoing]:
    """The messages addressed to one chat."""
    return [o for o in outs if o.channel == channel and o.chat_id == chat]


def texts(outs: list[Outgoing]) -> str:
    """Every text, joined (for substring asserts)."""
    return "\n".join(o.text for o in outs)


def button_data(out: Outgoing) -> list[str]:
    """The commands behind a message's buttons, in order."""
    return [b.data for b in out.flat_buttons()]


class ChannelCoreBase:
    """The real core's answers to a channel (state, communities, desks, outbox) on ``db``.

    Fakes of the core boundary subclass it and replace only ``handle``, so channel tests pin
    what the channel does whatever the conversation decides.
    """

    def __init__(self, db: sqlite_utils.Database) -> None:
        from bot.app import build_service

        self.service = build_service(db, ZoneInfo("Asia/Shanghai"))
        self.db = db
        self.outbox = self.service.outbox

    def handle(self, incoming: Incoming, now: datetime) -> list[Outgoing]:
        raise NotImplementedError

    def post(self, outs: list[Outgoing], now: datetime) -> None:
        self.service.post(outs, now)

    def community_of(self, channel: str, user_id: str) -> str | None:
        return self.service.community_of(channel, user_id)

    def communities(self) -> dict[str, Community]:
        return self.service.communities()

    def desk_chats(self, channel: str) -> set[str]:
        return self.service.desk_chats(channel)

    def channel_state(self, channel: str) -> ChannelState:
        return self.service.channel_state(channel)

    def connection(self, channel: str, clock: Callable[[], datetime]) -> ConnectionState:
        return self.service.connection(channel, clock)
