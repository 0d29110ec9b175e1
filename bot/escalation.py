"""Handing a resident to people: tickets opened with their thread, follow-ups, 转人工, and
the resident's verdict on answers (👍/👎, ticket points).

Composed into :class:`bot.conversation.Conversation` (built once by ``bot.app``): the
conversation decides that people are needed, this part opens or extends the ticket and says
so to the resident and the desk.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot import replies, threads
from bot.booking import has_onsite
from bot.clock import iso
from bot.desk.masking import mask
from bot.desk.notices import announce_new, desk_addresses, expectation, private, to_addresses
from bot.desk.org import Organisation
from bot.desk.tickets import Ticket, TicketNotFound, Tickets
from bot.messages import Button
from bot.questions import QuestionLog
from bot.replies import Turn
from bot.residents import Resident, Residents
from bot.texts import appointments as at
from bot.texts import desk as dt
from bot.texts import resident as rt


class Escalation:
    """Opens tickets with the conversation so far, joins follow-ups, takes ratings."""

    def __init__(
        self, tz: ZoneInfo, tickets: Tickets, residents: Residents, questions: QuestionLog
    ) -> None:
        self.tz = tz
        self.tickets = tickets
        self.residents = residents
        self.questions = questions

    def human(
        self, turn: Turn, r: Resident, org: Organisation, now: datetime, reason: str = "human"
    ) -> None:
        """转人工: a ticket for the latest question not yet with people, or ask what it is."""
        rows = threads.open_thread(self.questions, r.id, now)
        if rows:
            latest = rows[-1]
            reason = "down" if latest.rating == "down" else reason
            self.residents.set(r.id, pending=None)
            self.open_ticket(turn, r, org, latest.text or "", [latest.id], latest.category,
                             False, reason, now)
            return
        ticket = self.tickets.open_of_resident(r.id)
        if ticket is not None:
            turn.say(
                rt.TICKET_CREATED.format(number=ticket.number)
                + expectation(org, ticket, now, self.tz)
            )
            return
        self.residents.set(r.id, pending={"kind": "describe", "reason": "human", "at": iso(now)})
        turn.say(rt.WHAT_QUESTION)

    def open_ticket(
        self,
        turn: Turn,
        r: Resident,
        org: Organisation,
        question: str,
        qids: list[int],
        category: str,
        urgent: bool,
        reason: str,
        now: datetime,
    ) -> None:
        """Create the ticket with the thread so far (asking for the community first unless
        urgent), announce it."""
        community = r.community
        if community is None and len(org.communities) == 1:
            only = next(iter(org.communities.values()))
            self.residents.set(r.id, community=only.code, street=only.street)
            community = only.code
        if community is None and not urgent:
            if not org.communities:
                turn.say(rt.NO_ORGANISATION)
                return
            self.residents.set(r.id, pending={
                "kind": "ticket", "question": question, "qids": qids, "category": category,
                "reason": reason,
            })
            turn.say(*replies.street_choice(org, rt.COMMUNITY_NEEDED + "\n"))
            return
        known = org.community(community) if community else None
        team = known.team if known else None
        if team is None and len(org.teams) == 1:
            team = next(iter(org.teams))
        rows = threads.open_thread(self.questions, r.id, now)
        ticket = self.tickets.create(
            resident_id=r.id,
            address=turn.address,
            community=community,
            team=team,
            category=category,
            question=question,
            urgent=urgent,
            now=now,
            thread=threads.thread_lines(rows, reason),
        )
        for qid in qids:
            self.questions.set(qid, ticket_id=ticket.number)
        head = rt.TICKET_URGENT if urgent else rt.TICKET_CREATED
        book = ((Button(at.BTN_BOOK, f"/{at.COMMAND}"),),) if has_onsite(org, community) else ()
        turn.say(
            head.format(number=ticket.number)
            + expectation(org, ticket, now, self.tz)
            + "\n"
            + rt.EXPECT_FOLLOW_UP,
            book,
            ref=ticket.ref,
        )
        context = dt.CONTEXT_TRIGGER.format(reason=dt.TRIGGERS.get(reason, reason))
        last = threads.last_bot_reply(rows)
        if last:
            context = dt.CONTEXT_REPLY.format(reply=mask(last)) + context
        turn.extra += announce_new(org, ticket, now, self.tz, context)

    def follow_up_target(
        self, r: Resident, text: str, now: datetime, replied: int | None
    ) -> Ticket | None:
        """The open ticket this message follows up, or None (a question of its own)."""
        if replied is not None:
            ticket = self.own_open_ticket(r, replied)
            if ticket is not None:
                return ticket
        for ticket in self.tickets.of_resident(r.id):
            if ticket.is_open and threads.is_follow_up(
                self.tickets.events(ticket.number), text, now
            ):
                return ticket
        return None

    def own_open_ticket(self, r: Resident, number: int) -> Ticket | None:
        """The resident's own open ticket ``number``, or None."""
        try:
            ticket = self.tickets.get(number)
        except TicketNotFound:
            return None
        return ticket if ticket.resident_id == r.id and ticket.is_open else None

    def follow_up(
        self,
        turn: Turn,
        r: Resident,
        org: Organisation,
        ticket: Ticket,
        text: str,
        urgent: bool,
        now: datetime,
        reuse: int | None = None,
    ) -> None:
        """A follow-up joins the ticket and goes to the desk (and is counted)."""
        self.questions.log(r, text, "follow_up", now, reuse=reuse)
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
        turn.say(rt.FOLLOW_UP_ADDED.format(number=ticket.number), ref=ticket.ref)

    def rate(self, turn: Turn, r: Resident, org: Organisation, arg: str, now: datetime) -> None:
        """``/rate QID up|down`` for an answer, ``/rate tN 1-5|up|down`` for a ticket."""
        target, _, value = arg.partition(" ")
        value = value.strip().lower()
        if target.lower().startswith("t") and _small(target[1:]):
            self.rate_ticket(turn, r, int(target[1:]), value, now)
            return
        logged = self.questions.get(int(target)) if _small(target) else None
        if logged is None or logged.resident_id != r.id or value not in ("up", "down"):
            turn.say(rt.RATE_UNKNOWN)
            return
        self.questions.set(logged.id, rating=value)
        if value == "up":
            turn.say(rt.THANKS_UP)
        else:
            self.residents.set(r.id, pending={"kind": "describe", "reason": "down", "at": iso(now)})
            turn.say(rt.SORRY_DOWN, ((Button(rt.BTN_HUMAN, "/human"),),))

    def rate_ticket(self, turn: Turn, r: Resident, number: int, value: str, now: datetime) -> None:
        """Store a 1–5 rating (👍 = 5, 👎 = 1) of the resident's own ticket."""
        stars = {"up": 5, "down": 1}.get(value) or (int(value) if _small(value) else 0)
        owned = {t.number for t in self.tickets.of_resident(r.id)}
        if number not in owned or not 1 <= stars <= 5:
            turn.say(rt.RATE_UNKNOWN)
            return
        self.tickets.rate(number, stars, now)
        turn.say(rt.TICKET_RATED.format(number=number))

    def join(self, turn: Turn, r: Resident, org: Organisation, arg: str, now: datetime) -> None:
        """``/join N`` ("补充到工单 #N"): the message the bot asked about joins ticket N."""
        pending = threads.fresh(r.pending, now)
        number = int(arg) if arg.strip().isdigit() else 0
        ticket = self.own_open_ticket(r, number)
        if pending.get("kind") != "choose" or ticket is None:
            turn.say(rt.CHOICE_GONE)
            return
        self.residents.set(r.id, pending=None)
        qid = pending.get("qid")
        self.follow_up(turn, r, org, ticket, pending["text"], False, now, qid)

    def reject(self, turn: Turn, r: Resident, now: datetime) -> None:
        """👎 / 没用 typed: note it on the last answer and ask what the question is."""
        latest = self.questions.latest(r.id)
        answered = latest is not None and latest.decision in ("answer", "suggest")
        if latest is not None and answered and latest.rating is None:
            self.questions.set(latest.id, rating="down")
        self.residents.set(r.id, pending={"kind": "describe", "reason": "down", "at": iso(now)})
        turn.say(rt.SORRY_DOWN, ((Button(rt.BTN_HUMAN, "/human"),),))


def _small(text: str) -> bool:
    """A plain decimal number SQLite can hold (not ², ① or 25 nines)."""
    return text.isdecimal() and len(text) <= 9
