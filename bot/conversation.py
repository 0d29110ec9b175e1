"""The resident's conversation: notice, community, answers, suggestions, tickets, forget-me.

Pure decisions over the database: :meth:`Conversation.handle` returns what to send and never
sends anything itself. A message is, in this order: a command, a request for a person, a
rejection of the last answer, small talk, the answer to a pending question of the bot, a
follow-up to an open ticket, or a question matched on its own merits.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import sqlite_utils

from bot import replies, threads
from bot.booking import Booking
from bot.clock import iso
from bot.commands import resident_help
from bot.desk.org import Organisation
from bot.desk.tickets import Tickets
from bot.escalation import Escalation
from bot.legal_aid import LegalAidCheck
from bot.messages import Button, Incoming, Outgoing
from bot.privacy import forget_resident
from bot.questions import QuestionLog
from bot.replies import Turn
from bot.residents import FLOOD_EXEMPT_CHANNELS, Resident, Residents
from bot.smalltalk import kind_of
from bot.texts import appointments as at
from bot.texts import desk as dt
from bot.texts import legal_aid as lt
from bot.texts import resident as rt
from bot.triage import is_urgent, rejects_answer, wants_human
from knowledge.faq import FaqEntry, FaqNotFound, FaqStore
from matcher.types import Candidate, MatchResult

MAX_CATEGORIES = 8


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


class Conversation:
    """Decides every reply to a resident."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        tz: ZoneInfo,
        faq: FaqStore,
        index: Index,
        laws: Any,
        tickets: Tickets,
        residents: Residents,
        questions: QuestionLog,
        escalation: Escalation,
        booking: Booking,
        legal_aid: LegalAidCheck,
    ) -> None:
        self.db = db
        self.tz = tz
        self.faq = faq
        self.index = index
        self.laws = laws
        self.tickets = tickets
        self.residents = residents
        self.questions = questions
        self.escalation = escalation
        self.booking = booking
        self.legal_aid = legal_aid

    def handle(
        self,
        incoming: Incoming,
        org: Organisation,
        now: datetime,
        replied_ticket: int | None = None,
    ) -> list[Outgoing]:
        """Every reply to one resident message (``replied_ticket``: the ticket it replies to)."""
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
        # A button typed by its number (not ², ①): the number printed with it (number_turn).
        if text.isdecimal() and len(text) < 4:
            if 1 <= int(text) <= len(resident.last_buttons):
                text = resident.last_buttons[int(text) - 1].data
            else:
                self.residents.set(resident.id, pending={
                    "kind": "describe", "reason": "human", "at": iso(now)})
                turn.say(rt.NO_SUCH_CHOICE.format(n=text))
                return turn.outs
        command = parse_command(text)
        if command is not None:
            self.command(turn, resident, org, command[0], command[1], now)
        elif not text:
            turn.say(rt.EMPTY)
        else:
            self.message(turn, resident, org, text, now, replied_ticket)
        return turn.outs

    # --- commands -------------------------------------------------------------------------

    def command(
        self, turn: Turn, r: Resident, org: Organisation, name: str, arg: str, now: datetime
    ) -> None:
        """One resident command (``/law``, ``/faq``, ``/rate``, ``/human``, …)."""
        handler = self.commands().get(name)
        if handler is None:
            turn.say(rt.UNKNOWN_COMMAND)
        else:
            handler(turn, r, org, arg, now)

    def commands(self) -> dict[str, Callable[[Turn, Resident, Organisation, str, datetime], None]]:
        """The resident's commands by name."""
        return {
            "start": self.start,
            "help": lambda turn, *_: turn.say(resident_help()),
            "law": lambda turn, r, org, arg, now: turn.say(replies.law_text(self.laws, arg)),
            "faq": self.show_faq,
            "rate": self.escalation.rate,
            "human": lambda turn, r, org, arg, now: self.escalation.human(
                turn, r, org, now, "button" if arg == replies.NONE_OF_THESE else "human"
            ),
            "my": lambda turn, r, org, arg, now: turn.say(
                replies.my_tickets_text(self.tickets.of_resident(r.id), self.tz)
            ),
            "forget": lambda turn, r, org, arg, now: self.forget(turn, r, now),
            "community": self.bind,
            "street": lambda turn, r, org, arg, now: turn.say(
                *replies.community_choice(org, arg)
            ),
            "topic": self.topic,
            "join": self.escalation.join,
            "new": self.new,
            "book": self.book,
            at.COMMAND: self.book,
            "legalaid": self.legal_aid.command,
        }

    def book(self, turn: Turn, r: Resident, org: Organisation, arg: str, now: datetime) -> None:
        """``/预约``: on-site appointments, linked to the resident's open ticket if any."""
        ticket = self.tickets.open_of_resident(r.id)
        self.booking.command(turn, r, org, arg, now, ticket.number if ticket else None)

    def start(self, turn: Turn, r: Resident, org: Organisation, arg: str, now: datetime) -> None:
        """``/start [community]``: what a deep link or QR code sends."""
        if arg:
            self.bind(turn, r, org, arg, now)
        elif r.community is None and org.communities:
            turn.say(*replies.street_choice(org))
        else:
            turn.say(resident_help())

    def bind(self, turn: Turn, r: Resident, org: Organisation, code: str, now: datetime) -> None:
        """Set the resident's community, then open a ticket that was waiting for it."""
        community = org.community(code.strip())
        if community is None:
            if org.communities:
                prefix = rt.UNKNOWN_COMMUNITY.format(code=code) + "\n"
                turn.say(*replies.street_choice(org, prefix))
            else:
                turn.say(rt.NO_ORGANISATION)
            return
        self.residents.set(r.id, community=community.code, street=community.street)
        turn.say(rt.COMMUNITY_SET.format(name=community.name, street=community.street))
        pending = r.pending or {}
        if pending.get("kind") == "ticket":
            self.residents.set(r.id, pending=None)
            fresh = self.residents.find(r.channel, r.user_id)
            assert fresh is not None
            self.escalation.open_ticket(
                turn, fresh, org, pending["question"], pending["qids"], pending["category"],
                False, pending["reason"], now,
            )

    def show_faq(
        self, turn: Turn, r: Resident, org: Organisation, entry_id: str, now: datetime
    ) -> None:
        """``/faq ID`` (a suggestion button): the entry's answer."""
        entry = self.entry(entry_id.strip())
        if entry is None or entry.status != "published":
            turn.say(rt.FAQ_NOT_FOUND, ((Button(rt.BTN_HUMAN, "/human"),),))
            return
        self.residents.set(r.id, pending=None)
        latest = self.questions.latest(r.id)
        if latest is not None and latest.decision in ("suggest", "clarify") and latest.text:
            self.questions.set(
                latest.id, entry_id=entry.id, decision="suggest", category=entry.category,
                reply=replies.answer_summary(entry),
            )
            turn.say(*replies.answer_reply(entry, latest.id))
        else:
            self.log_and_answer(turn, r, entry.question, entry, None, now)

    def topic(
        self, turn: Turn, r: Resident, org: Organisation, category: str, now: datetime
    ) -> None:
        """``/topic CATEGORY`` (a clarifying button): its entries nearest the question."""
        pending = r.pending or {}
        logged = self.questions.get(int(pending.get("qid", 0)))
        text = logged.text or "" if logged is not None else ""
        if pending.get("kind") == "clarify":
            self.residents.set(r.id, pending={**pending, "category": category})
        found: list[tuple[str, str]] = []
        for candidate in self.index.match(f"{category} {text}", r.community).top:
            entry = self.entry(candidate.id)
            if entry is not None and entry.category == category:
                found.append((entry.id, entry.question))
        if not found:
            entries = self.faq.list(status="published", category=category, community=r.community)
            found = [(e.id, e.question) for e in entries]
        if not found:
            turn.say(rt.CATEGORY_EMPTY.format(category=category),
                     ((Button(rt.BTN_HUMAN, "/human"),),))
            return
        turn.say(rt.CATEGORY_ENTRIES.format(category=category),
                 replies.suggestion_buttons(found))

    def new(self, turn: Turn, r: Resident, org: Organisation, arg: str, now: datetime) -> None:
        """``/new`` ("这是新问题"): the message the bot asked about is a question of its own."""
        pending = threads.fresh(r.pending, now)
        if pending.get("kind") != "choose":
            turn.say(rt.CHOICE_GONE)
            return
        self.residents.set(r.id, pending=None)
        self.new_question(turn, r, org, pending["text"], now, {}, reuse=pending.get("qid"))

    def forget(self, turn: Turn, r: Resident, now: datetime) -> None:
        """``/forget``: delete the resident's words and identity; counts stay anonymous."""
        # bot/privacy.py: every table, and the file's bytes
        forget_resident(self.db, r, now, self.tickets, self.questions, self.residents)
        turn.say(rt.FORGOTTEN)

    # --- messages -------------------------------------------------------------------------

    def message(
        self, turn: Turn, r: Resident, org: Organisation, text: str, now: datetime,
        replied_ticket: int | None,
    ) -> None:
        """A free-text message: person wanted, 👎, small talk, follow-up, or a question."""
        pending = threads.fresh(r.pending, now)
        if wants_human(text):
            self.escalation.human(turn, r, org, now)
            return
        if rejects_answer(text):
            self.escalation.reject(turn, r, now)
            return
        small = kind_of(text)
        if small is not None:
            turn.say(rt.SMALLTALK[small])
            return
        urgent = is_urgent(text)
        if pending.get("kind") == "describe":
            self.residents.set(r.id, pending=None)
            qid = self.questions.log(r, text, "urgent" if urgent else "human", now)
            if urgent:
                turn.say(rt.EMERGENCY)
            reason = pending["reason"]
            _result, _top, entry = self.nearest(text, r)
            field = entry.category if entry is not None else ""  # for routing
            self.escalation.open_ticket(turn, r, org, text, [qid], field, urgent, reason, now)
            return
        ticket = self.escalation.follow_up_target(r, text, now, replied_ticket)
        if urgent and ticket is None:
            self.urgent(turn, r, org, text, now)
            return
        if ticket is not None:
            self.residents.set(r.id, pending=None)
            self.escalation.follow_up(turn, r, org, ticket, text, urgent, now)
            return
        self.new_question(turn, r, org, text, now, pending)
        if lt.KEYWORD in text:
            self.legal_aid.offer(turn)

    def urgent(
        self, turn: Turn, r: Resident, org: Organisation, text: str, now: datetime
    ) -> None:
        """Danger words: the emergency numbers, the FAQ's answer when it has a sure one, and
        an urgent ticket (or the open ticket of the same field, which is flagged urgent)."""
        result, top, entry = self.nearest(text, r)
        field = entry.category if entry is not None else ""  # the ticket's field, for routing
        ticket = self.tickets.open_of_resident(r.id)
        sure = entry is not None and result.decision != "escalate"
        if ticket is not None and sure and ticket.category not in ("", field):
            ticket = None  # plainly another field: 老公家暴 after a wage ticket gets its own
        self.residents.set(r.id, pending=None)
        if ticket is not None:
            self.escalation.follow_up(turn, r, org, ticket, text, True, now)
            return
        turn.say(rt.EMERGENCY)
        if result.decision == "answer" and entry is not None and top is not None:
            qid = self.log_and_answer(turn, r, text, entry, top.score, now, decision="urgent")
        else:
            qid = self.questions.log(r, text, "urgent", now)
        self.escalation.open_ticket(turn, r, org, text, [qid], field, True, "urgent", now)

    def nearest(
        self, text: str, r: Resident
    ) -> tuple[MatchResult, Candidate | None, FaqEntry | None]:
        """The matcher's result for ``text`` in ``r``'s community, its best candidate and that
        candidate's entry (None when there is none)."""
        result = self.index.match(text, r.community)
        top = result.top[0] if result.top else None
        return result, top, (self.entry(top.id) if top is not None else None)

    def new_question(
        self, turn: Turn, r: Resident, org: Organisation, text: str, now: datetime,
        pending: dict[str, Any], reuse: int | None = None,
    ) -> None:
        """A question on its own merits: answer, suggest, ask, or hand to people.

        ``reuse``: the row this question was logged as while the bot asked whether it
        belongs to an open ticket ("这是新问题" was chosen), so it is counted once.
        """
        result, top, entry = self.nearest(text, r)
        # Only a message that found nothing of its own is read with the previous answer
        # (那如果他不给呢 / 要多久 / 那怎么办 all escalate with the starter FAQ on their own).
        if result.decision == "escalate" and self.in_context(turn, r, text, now, reuse):
            return
        if result.decision == "answer" and entry is not None and top is not None:
            self.residents.set(r.id, pending=None)
            self.log_and_answer(turn, r, text, entry, top.score, now, reuse)
            return
        open_ticket = self.tickets.open_of_resident(r.id) if reuse is None else None
        if result.decision == "suggest" and top is not None:
            found = [(c.id, c.question) for c in result.top]
            qid = self.questions.log(r, text, "suggest", now, entry_id=top.id, score=top.score,
                           category=entry.category if entry else "",
                           reply=replies.suggest_summary([q for _, q in found]), reuse=reuse)
            extra = () if open_ticket is None else ((Button(
                rt.BTN_JOIN.format(number=open_ticket.number), f"/join {open_ticket.number}"
            ),),)
            if open_ticket is not None:
                self.residents.set(r.id, pending={
                    "kind": "choose", "text": text, "qid": qid, "at": iso(now)})
            turn.say(rt.SUGGEST, replies.suggestion_buttons(found, extra))
            return
        if open_ticket is not None:
            qid = self.questions.log(r, text, "choose", now, reply=dt.REPLY_CHOOSE)
            self.residents.set(r.id, pending={
                    "kind": "choose", "text": text, "qid": qid, "at": iso(now)})
            number = open_ticket.number
            turn.say(rt.CHOOSE_TICKET.format(number=number), (
                (Button(rt.BTN_JOIN.format(number=number), f"/join {number}"),
                 Button(rt.BTN_NEW, "/new")),
            ))
            return
        if pending.get("kind") == "clarify":
            self.residents.set(r.id, pending=None)
            first = self.questions.get(int(pending["qid"]))
            qid = self.questions.log(r, text, "escalate", now, reuse=reuse)
            rows = [first] if first is not None and first.text else []
            self.escalation.open_ticket(
                turn, r, org, "\n".join([*(row.text or "" for row in rows), text]),
                [*(row.id for row in rows), qid], pending.get("category", ""), False,
                "clarified", now,
            )
            return
        if threads.is_vague(text):
            qid = self.questions.log(r, text, "clarify", now, reply=dt.REPLY_CLARIFY, reuse=reuse)
            self.residents.set(r.id, pending={"kind": "clarify", "qid": qid, "at": iso(now)})
            turn.say(rt.CLARIFY, replies.category_buttons(self.categories(r)))
            return
        qid = self.questions.log(r, text, "escalate", now, reuse=reuse)
        reason = "escalate" if reuse is None else "new"
        field = entry.category if entry is not None else ""  # the ticket's field, for routing
        self.escalation.open_ticket(turn, r, org, text, [qid], field, False, reason, now)

    def in_context(
        self, turn: Turn, r: Resident, text: str, now: datetime, reuse: int | None
    ) -> bool:
        """A short follow-up question read with the entry answered just before it."""
        previous = threads.previous_topic(self.questions, r.id, now)
        if previous is None or threads.size(text) > threads.CONTEXT_MAX_CHARS:
            return False
        topic = self.entry(previous.entry_id or "")
        if topic is None:
            return False
        result = self.index.match(f"{topic.question} {text}", r.community)
        others = [c for c in result.top if c.id != topic.id and c.score > 0]
        if result.decision == "answer" and result.top and result.top[0].id != topic.id:
            entry = self.entry(result.top[0].id)
            if entry is not None:
                self.residents.set(r.id, pending=None)
                self.log_and_answer(turn, r, text, entry, result.top[0].score, now, reuse)
                return True
        related = []
        for candidate in others:
            entry = self.entry(candidate.id)
            if entry is not None and entry.category == topic.category:
                related.append((entry.id, entry.question))
        if not related:
            return False
        self.residents.set(r.id, pending=None)
        self.questions.log(r, text, "suggest", now, entry_id=related[0][0], category=topic.category,
                 reply=replies.suggest_summary([q for _, q in related]), reuse=reuse)
        turn.say(rt.RELATED.format(topic=topic.question), replies.suggestion_buttons(related))
        return True

    # --- helpers --------------------------------------------------------------------------

    def log_and_answer(
        self, turn: Turn, r: Resident, text: str, entry: FaqEntry, score: float | None,
        now: datetime, reuse: int | None = None, decision: str = "answer",
    ) -> int:
        """Log a question the FAQ answered (score None: picked, not matched), answer it;
        return the logged row's id (``decision`` "urgent": answered and escalated)."""
        qid = self.questions.log(r, text, decision, now, entry_id=entry.id, score=score,
                       category=entry.category, reply=replies.answer_summary(entry), reuse=reuse)
        turn.say(*replies.answer_reply(entry, qid))
        return qid

    def entry(self, entry_id: str) -> FaqEntry | None:
        """The FAQ entry, or None."""
        try:
            return self.faq.get(entry_id)
        except FaqNotFound:
            return None

    def categories(self, r: Resident) -> list[str]:
        """The categories of the entries published for the resident's community, those with
        the most entries first: the fields advisers wrote most for are the fields residents
        ask most (劳动, 租房, 相邻关系), not whichever come first by entry id."""
        found = Counter(
            e.category for e in self.faq.list(status="published", community=r.community)
            if e.category
        )
        return [category for category, _ in found.most_common(MAX_CATEGORIES)]

