"""The resident's conversation: notice, community, answers, suggestions, tickets, forget-me.

Pure decisions over the database: :meth:`Conversation.handle` returns what to send and never
sends anything itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import sqlite_utils

from bot.clock import iso
from bot.conversation_commands import ResidentCommands, Turn
from bot.desk.masking import mask
from bot.desk.notices import (
    announce_new,
    desk_addresses,
    expectation,
    private,
    to_addresses,
)
from bot.desk.org import Organisation
from bot.desk.tickets import Ticket, Tickets
from bot.messages import Button, Incoming, Outgoing
from bot.questions import QuestionLog
from bot.residents import FLOOD_EXEMPT_CHANNELS, Resident, Residents
from bot.texts import desk as dt
from bot.texts import resident as rt
from bot.triage import is_urgent
from knowledge.faq import FaqEntry, FaqNotFound, FaqStore
from matcher.types import MatchResult

HUMAN_WORDS = ("转人工", "找律师", "人工服务", "人工客服", "找人工", "找真人", "人工")
HUMAN_MAX_LEN = 10  # "我要转人工！" yes; a long question that mentions 律师 is still a question
# Greetings and thanks are not questions: a ticket for "你好" would waste a volunteer's time.
GREETINGS = ("你好", "您好", "在吗", "在不在", "hi", "hello", "哈喽", "早上好", "下午好", "晚上好")
THANKS = ("谢谢", "多谢", "感谢", "谢啦", "好的", "知道了", "明白了", "ok")
MAX_LAW_BUTTONS = 3
MAX_SUGGESTIONS = 3


class Index(Protocol):
    """What the conversation needs of the FAQ index."""

    def match(self, text: str, community: str | None) -> MatchResult:
        """Rank the published entries for ``text`` and decide."""
        ...


def parse_command(text: str) -> tuple[str, str] | None:
    """``("law", "民法典第722条")`` for ``/law 民法典第722条`` (``!`` works too), else None."""
    text = text.strip()
    if len(text) < 2 or text[0] not in "/!" or not text[1].isalpha():
        return None
    head, _, rest = text[1:].partition(" ")
    return head.split("@")[0].lower(), rest.strip()


def wants_human(text: str) -> bool:
    """True when a short message asks for a person (转人工 / 找律师 / 人工)."""
    short = text.strip(" 。.!！？?~～，,")
    return len(short) <= HUMAN_MAX_LEN and any(word in short for word in HUMAN_WORDS)


class Conversation(ResidentCommands):
    """Decides every reply to a resident."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        tz: ZoneInfo,
        faq: FaqStore,
        index: Index,
        laws: Any,
        tickets: Tickets,
    ) -> None:
        self.db = db
        self.tz = tz
        self.faq = faq
        self.index = index
        self.laws = laws
        self.tickets = tickets
        self.residents = Residents(db)
        self.questions = QuestionLog(db)

    def handle(self, incoming: Incoming, org: Organisation, now: datetime) -> list[Outgoing]:
        """Every reply to one resident message (stored message, fresh decisions)."""
        turn = Turn(incoming.address)
        resident = self.residents.get_or_create(incoming, now)
        if resident.consent_at is None:
            self.residents.set(resident.id, consent_at=iso(now))
            turn.say(rt.NOTICE)
        flood = (
            "ok"
            if incoming.channel in FLOOD_EXEMPT_CHANNELS
            else self.residents.flood(resident.id, now)
        )
        if flood != "ok":
            ticket = self.tickets.open_of_resident(resident.id)
            if ticket is not None and incoming.text.strip():
                self.tickets.add_event(ticket.number, "resident", "", incoming.text, now)
            if flood == "warn":
                turn.say(rt.SLOW_DOWN)
            return turn.outs
        if incoming.kind == "unsupported":
            turn.say(rt.UNSUPPORTED)
            return turn.outs
        text = (incoming.callback if incoming.kind == "button" and incoming.callback else "")
        text = (text or incoming.text).strip()
        if text.isdecimal() and len(text) < 4 and 1 <= int(text) <= len(resident.last_buttons):
            text = resident.last_buttons[int(text) - 1].data
        command = parse_command(text)
        if command is not None:
            self.command(turn, resident, org, command[0], command[1], now)
        elif not text:
            turn.say(rt.EMPTY)
        else:
            self.question(turn, resident, org, text, now)
        return turn.outs

    # --- commands -------------------------------------------------------------------------

    def command(
        self, turn: Turn, r: Resident, org: Organisation, name: str, arg: str, now: datetime
    ) -> None:
        """One resident command (``/law``, ``/faq``, ``/rate``, ``/human``, …)."""
        handlers: dict[str, Callable[[], None]] = {
            "start": lambda: self.start(turn, r, org, arg, now),
            "help": lambda: turn.say(rt.HELP),
            "law": lambda: self.show_law(turn, arg),
            "faq": lambda: self.show_faq(turn, r, arg, now),
            "rate": lambda: self.rate(turn, r, arg, now),
            "human": lambda: self.human(turn, r, org, now),
            "my": lambda: self.my_tickets(turn, r),
            "forget": lambda: self.forget(turn, r, now),
            "community": lambda: self.bind(turn, r, org, arg, now),
            "street": lambda: self.ask_community(turn, org, arg),
        }
        handler = handlers.get(name)
        if handler is None:
            turn.say(rt.UNKNOWN_COMMAND)
        else:
            handler()

    def start(self, turn: Turn, r: Resident, org: Organisation, arg: str, now: datetime) -> None:
        """``/start [community]``: what a deep link or QR code sends."""
        if arg:
            self.bind(turn, r, org, arg, now)
        elif r.community is None and org.communities:
            self.ask_street(turn, org)
        else:
            turn.say(rt.HELP)

    def bind(self, turn: Turn, r: Resident, org: Organisation, code: str, now: datetime) -> None:
        """Set the resident's community, then open a ticket that was waiting for it."""
        community = org.community(code.strip())
        if community is None:
            if org.communities:
                self.ask_street(turn, org, rt.UNKNOWN_COMMUNITY.format(code=code) + "\n")
            else:
                turn.say(rt.NO_ORGANISATION)
            return
        self.residents.set(r.id, community=community.code, street=community.street)
        turn.say(rt.COMMUNITY_SET.format(name=community.name, street=community.street))
        pending = r.pending
        if pending and pending.get("kind") == "ticket":
            self.residents.set(r.id, pending=None)
            logged = self.questions.get(int(pending["question_id"]))
            if logged is not None and logged.text:
                fresh = self.residents.find(r.channel, r.user_id)
                assert fresh is not None
                self.open_ticket(turn, fresh, org, logged.id, logged.text, logged.category,
                                 False, now)

    def show_faq(self, turn: Turn, r: Resident, entry_id: str, now: datetime) -> None:
        """``/faq ID`` (a suggestion button): the entry's answer."""
        try:
            entry = self.faq.get(entry_id.strip())
        except FaqNotFound:
            entry = None
        if entry is None or entry.status != "published":
            turn.say(rt.FAQ_NOT_FOUND, ((Button(rt.BTN_HUMAN, "/human"),),))
            return
        latest = self.questions.latest(r.id)
        if latest is not None and latest.decision == "suggest" and latest.entry_id is not None:
            self.questions.set(
                latest.id, entry_id=entry.id, decision="suggest", category=entry.category
            )
            self.answer(turn, entry, latest.id)
        else:
            self.log_and_answer(turn, r, entry.question, entry, None, now)

    # --- questions ------------------------------------------------------------------------

    def question(
        self, turn: Turn, r: Resident, org: Organisation, text: str, now: datetime
    ) -> None:
        """A free-text message: person wanted, urgent, follow-up, or a question to match."""
        if wants_human(text):
            self.human(turn, r, org, now)
            return
        short = text.strip(" 。.!！？?~～，,").lower()
        if short in GREETINGS:
            turn.say(rt.GREETING)
            return
        if short in THANKS:
            turn.say(rt.YOU_ARE_WELCOME)
            return
        if r.pending and r.pending.get("kind") == "describe":
            self.residents.set(r.id, pending=None)
            self.escalate(turn, r, org, text, "human", None, now)
            return
        urgent = is_urgent(text)
        ticket = self.tickets.open_of_resident(r.id)
        if ticket is not None:
            # A new question the FAQ answers outright is answered now, not only queued behind
            # the open ticket (a resident waiting on 取保候审 may also ask about a deposit); the
            # desk still sees the message, in case it was meant as a detail of the ticket.
            result = None if urgent else self.safe_match(text, r)
            entry = self.entry_of(result)
            if result is not None and result.decision == "answer" and entry is not None:
                self.log_and_answer(turn, r, text, entry, result.top[0].score, now)
            self.follow_up(turn, org, ticket, text, urgent, now)
            return
        if urgent:
            turn.say(rt.EMERGENCY)
            self.escalate(turn, r, org, text, "urgent", self.safe_match(text, r), now, True)
            return
        result = self.safe_match(text, r)
        entry = self.entry_of(result)
        top = result.top[0] if result.top else None
        if result.decision == "answer" and entry is not None and top is not None:
            self.log_and_answer(turn, r, text, entry, top.score, now)
        elif result.decision == "suggest" and top is not None:
            self.questions.add(
                resident_id=r.id, channel=r.channel, community=r.community, text=text,
                decision="suggest", entry_id=top.id, score=top.score,
                category=entry.category if entry else "", now=now,
            )
            rows = [(Button(c.question, f"/faq {c.id}"),) for c in result.top[:MAX_SUGGESTIONS]]
            rows.append((Button(rt.BTN_NONE, "/human"),))
            turn.say(rt.SUGGEST, tuple(rows))
        else:
            self.escalate(turn, r, org, text, "escalate", result, now)

    def safe_match(self, text: str, r: Resident) -> MatchResult:
        """The index's decision for ``text`` in the resident's community."""
        return self.index.match(text, r.community)

    def entry_of(self, result: MatchResult | None) -> FaqEntry | None:
        """The best candidate's entry, or None."""
        if result is None or not result.top:
            return None
        try:
            return self.faq.get(result.top[0].id)
        except FaqNotFound:
            return None

    def log_and_answer(
        self,
        turn: Turn,
        r: Resident,
        text: str,
        entry: FaqEntry,
        score: float | None,
        now: datetime,
    ) -> None:
        """Log a question the FAQ answered directly (score None: picked, not matched), then
        answer it."""
        qid = self.questions.add(
            resident_id=r.id, channel=r.channel, community=r.community, text=text,
            decision="answer", entry_id=entry.id, score=score,
            category=entry.category, now=now,
        )
        self.answer(turn, entry, qid)

    def answer(self, turn: Turn, entry: FaqEntry, qid: int) -> None:
        """The FAQ answer with its legal basis and 👍 / 👎 / 转人工 / 查看法条."""
        parts = [rt.ANSWER.format(question=entry.question, answer=layout_answer(entry.answer))]
        if entry.legal_basis:
            parts.append(rt.LEGAL_BASIS.format(basis="；".join(entry.legal_basis)))
        parts.append(rt.DISCLAIMER)
        second: list[Button] = [Button(rt.BTN_HUMAN, "/human")]
        citations = entry.legal_basis[:MAX_LAW_BUTTONS]
        for citation in citations:
            label = rt.BTN_LAW if len(citations) == 1 else rt.BTN_LAW_NAMED.format(
                citation=citation
            )
            second.append(Button(label, f"/law {citation}"))
        buttons = (
            (Button(rt.BTN_UP, f"/rate {qid} up"), Button(rt.BTN_DOWN, f"/rate {qid} down")),
            tuple(second),
        )
        turn.say("\n\n".join(parts), buttons)

    def human(self, turn: Turn, r: Resident, org: Organisation, now: datetime) -> None:
        """转人工: a ticket from the last question, or ask what it is about."""
        ticket = self.tickets.open_of_resident(r.id)
        if ticket is not None:
            turn.say(
                rt.TICKET_CREATED.format(number=ticket.number)
                + expectation(org, ticket, now, self.tz)
            )
            return
        latest = self.questions.latest(r.id)
        if latest is not None and latest.text and latest.ticket_id is None:
            self.open_ticket(turn, r, org, latest.id, latest.text, latest.category, False, now)
            return
        self.residents.set(r.id, pending={"kind": "describe"})
        turn.say(rt.DESCRIBE_PROBLEM)

    def escalate(
        self,
        turn: Turn,
        r: Resident,
        org: Organisation,
        text: str,
        decision: str,
        result: MatchResult | None,
        now: datetime,
        urgent: bool = False,
    ) -> None:
        """Log the question and hand it to people."""
        entry = self.entry_of(result)
        top = result.top[0] if result and result.top else None
        qid = self.questions.add(
            resident_id=r.id, channel=r.channel, community=r.community, text=text,
            decision=decision, entry_id=top.id if top else None,
            score=top.score if top else None,
            category=entry.category if entry else "", now=now,
        )
        self.open_ticket(turn, r, org, qid, text, entry.category if entry else "", urgent, now)

    def open_ticket(
        self,
        turn: Turn,
        r: Resident,
        org: Organisation,
        qid: int,
        text: str,
        category: str,
        urgent: bool,
        now: datetime,
    ) -> None:
        """Create the ticket (asking for the community first unless urgent), announce it."""
        community = r.community
        if community is None and len(org.communities) == 1:
            only = next(iter(org.communities.values()))
            self.residents.set(r.id, community=only.code, street=only.street)
            community = only.code
        if community is None and not urgent:
            if not org.communities:
                turn.say(rt.NO_ORGANISATION)
                return
            self.residents.set(r.id, pending={"kind": "ticket", "question_id": qid})
            self.ask_street(turn, org, rt.COMMUNITY_NEEDED + "\n")
            return
        known = org.community(community) if community else None
        team = known.team if known else None
        if team is None and len(org.teams) == 1:
            team = next(iter(org.teams))
        ticket = self.tickets.create(
            resident_id=r.id,
            address=turn.address,
            community=community,
            team=team,
            category=category,
            question=text,
            urgent=urgent,
            now=now,
        )
        self.questions.set(qid, ticket_id=ticket.number)
        head = rt.TICKET_URGENT if urgent else rt.TICKET_CREATED
        turn.say(
            head.format(number=ticket.number)
            + expectation(org, ticket, now, self.tz)
            + "\n"
            + rt.EXPECT_FOLLOW_UP
        )
        turn.extra += announce_new(org, ticket, now, self.tz)

    def follow_up(
        self,
        turn: Turn,
        org: Organisation,
        ticket: Ticket,
        text: str,
        urgent: bool,
        now: datetime,
    ) -> None:
        """A message from a resident with an open ticket joins it and goes to the desk."""
        self.tickets.add_event(ticket.number, "resident", "", text, now)
        if urgent:
            self.tickets.mark_urgent(ticket.number, now)
            turn.say(rt.EMERGENCY)
        body = dt.FOLLOW_UP.format(number=ticket.number, text=mask(text))
        if urgent:
            body = dt.URGENT_MARK + body
        turn.extra += to_addresses(desk_addresses(org, ticket), body, ticket, with_buttons=False)
        assignee = org.person(ticket.assignee) if ticket.assignee else None
        if assignee is not None:
            turn.extra += private(org, [assignee], body, ticket)
        turn.say(rt.FOLLOW_UP_ADDED.format(number=ticket.number))


STEP = re.compile(r"[；;]?\s*(?<!（)(?<!\()(\d{1,2}[）)])")


def layout_answer(answer: str) -> str:
    """Put the "建议：" part and each of its numbered steps on lines of their own.

    Answers are written as one paragraph (easy to review in a diff); on a phone the steps
    read better one per line.
    """
    rule, mark, advice = answer.strip().partition(rt.ADVICE_MARK)
    if not mark:
        return rule
    return f"{rule.rstrip()}\n\n{mark}" + STEP.sub(r"\n\1", advice).rstrip()
