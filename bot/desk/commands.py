"""The desk's actions: claim, reply (relayed to the resident), hand to adviser, close, add FAQ.

Desk rooms, advisers' private chats and ``lawbot tickets`` all come through :meth:`Desk.act`,
so the rules are the same everywhere.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.clock import parse_iso
from bot.commands import desk_help, names
from bot.desk.learning import draft_from_ticket
from bot.desk.masking import mask
from bot.desk.notices import (
    community_name,
    private,
    route_of,
    shown_question,
)
from bot.desk.org import Organisation, Person
from bot.desk.roster import on_duty
from bot.desk.tickets import Ticket, TicketFinished, TicketNotFound, Tickets
from bot.messages import Button, Outgoing
from bot.texts import desk as dt
from bot.texts import resident as rt
from knowledge.faq import FaqStore, InvalidEntry

log = logging.getLogger(__name__)

DESK_ROLES = ("adviser", "lead", "volunteer")
ADVISER_ROLES = ("adviser", "lead")
MAX_OFFERED = 6  # specialists offered as buttons by 转顾问


@dataclass
class DeskResult:
    """What a desk action says back to whoever acted, and what it sends elsewhere."""

    ack: str
    outs: list[Outgoing] = field(default_factory=list)
    ticket: Ticket | None = None
    buttons: tuple[tuple[Button, ...], ...] = ()  # offered with the acknowledgement


def rating_buttons(number: int) -> tuple[tuple[Button, ...], ...]:
    """1–5 points for a ticket answer, in order, so a typed number is the points."""
    return (
        tuple(Button(rt.BTN_STAR.format(n=n), f"/rate t{number} {n}") for n in range(1, 6)),
    )


def is_admin(person: Person) -> bool:
    """The administrator at the terminal (``lawbot tickets … --as 管理员``): every team."""
    return person.name == dt.ADMIN and person.team == ""


def may_handle(person: Person, ticket: Ticket) -> bool:
    """True when ``person`` may see and act on ``ticket``: a desk role in the ticket's team,
    or a district pool expert in the ticket's field (any team's).

    A ticket without a team (its community unknown) was sent to every team's desk, so any
    team's people may take it.
    """
    if person.role not in DESK_ROLES:
        return False
    if bool(person.pools) and person.knows(ticket.category):
        return True
    return is_admin(person) or ticket.team is None or ticket.team == person.team


def may_claim(person: Person, ticket: Ticket) -> bool:
    """True when ``person`` may take ``ticket`` (``may_handle`` granted): nobody holds it,
    or they do already."""
    return not ticket.assignee or ticket.assignee == person.name


def may_reply(person: Person, ticket: Ticket) -> bool:
    """True when ``person`` may answer ``ticket`` (``may_handle`` granted): they may claim it,
    or they are an adviser, a lead or an administrator. A volunteer does not answer a ticket
    another person claimed: the resident would get two answers from two people."""
    return may_claim(person, ticket) or person.role in ADVISER_ROLES or is_admin(person)


def parse_number(arg: str) -> tuple[int | None, str]:
    """The leading ticket number of ``arg`` (``#12`` or ``12``) and the rest."""
    head, _, rest = arg.strip().partition(" ")
    head = head.lstrip("#")
    if head.isdecimal() and len(head) <= 9:  # not ² or ①; no number SQLite cannot hold
        return int(head), rest.strip()
    return None, arg.strip()


class Desk:
    """Ticket actions by people of the organisation."""

    def __init__(
        self, tickets: Tickets, tz: ZoneInfo, faq: FaqStore | None = None
    ) -> None:
        self.tickets = tickets
        self.tz = tz
        self.faq = faq

    def act(
        self, org: Organisation, person: Person, command: str, arg: str, now: datetime
    ) -> DeskResult:
        """Run one desk command (``claim``, ``reply``, …) as ``person``.

        Every action on a ticket first checks that ``person`` may handle it
        (:func:`may_handle`); a refused action changes nothing.
        """
        if command == "tickets":
            return DeskResult(self.open_list(org, person))
        if command not in names("desk") or command == "help":
            return DeskResult(desk_help())
        number, rest = parse_number(arg)
        if number is None or (command == "reply" and not rest):
            usage = dt.USAGE_REPLY if command == "reply" else dt.USAGE_NUMBER
            return DeskResult(usage.format(command=command))
        try:
            ticket = self.tickets.get(number)
            if not may_handle(person, ticket):
                return DeskResult(dt.NOT_YOUR_TEAM.format(number=number))
            if command == "show":
                return DeskResult(ticket_details(org, self.tickets, ticket, self.tz), [], ticket)
            if command == "claim":
                return self.claim(ticket, person, now)
            if command == "reply":
                return self.reply(ticket, person, rest, now)
            if command == "adviser":
                return self.hand_to_adviser(org, ticket, person, now, rest)
            if command == "close":
                return self.close(ticket, person, now)
            return self.add_faq(ticket, person)
        except TicketNotFound:
            return DeskResult(dt.NOT_FOUND.format(number=number))
        except TicketFinished:
            ticket = self.tickets.get(number)
            status = rt.STATUS.get(ticket.status, ticket.status)
            return DeskResult(dt.ALREADY_FINISHED.format(number=number, status=status), [], ticket)

    def claim(self, ticket: Ticket, person: Person, now: datetime) -> DeskResult:
        """Take the ticket (refused when someone else has it)."""
        if not may_claim(person, ticket):
            ack = dt.ALREADY_CLAIMED.format(number=ticket.number, name=ticket.assignee)
            return DeskResult(ack, [], ticket)
        ticket = self.tickets.claim(ticket.number, person.name, now)
        self.tickets.add_event(ticket.number, "bot", person.name, dt.BTN_CLAIM, now)
        return DeskResult(dt.CLAIMED.format(name=person.name, number=ticket.number), [], ticket)

    def reply(self, ticket: Ticket, person: Person, text: str, now: datetime) -> DeskResult:
        """Record ``text`` as the answer and relay it to the resident (refused, changing
        nothing, to a volunteer when someone else holds the ticket)."""
        if not may_reply(person, ticket):
            ack = dt.CLAIMED_NO_REPLY.format(number=ticket.number, name=ticket.assignee)
            return DeskResult(ack, [], ticket)
        ticket = self.tickets.record_reply(ticket.number, person.name, text, now)
        address = ticket.resident_address
        if address is None:
            return DeskResult(dt.RESIDENT_GONE.format(number=ticket.number), [], ticket)
        relay = Outgoing(
            address.channel,
            address.chat_id,
            rt.DESK_REPLY.format(number=ticket.number, name=person.name, text=text)
            + "\n\n"
            + rt.RATE_TICKET,
            buttons=rating_buttons(ticket.number),
            ref=ticket.ref,
        )
        return DeskResult(dt.REPLIED.format(number=ticket.number), [relay], ticket)

    def hand_to_adviser(
        self, org: Organisation, ticket: Ticket, person: Person, now: datetime, name: str = ""
    ) -> DeskResult:
        """Give the ticket to the adviser named, else offer the advisers who know its field
        (team's and pool's, on duty first), else give it to an adviser of its team."""
        if name:
            adviser = org.person(name)
            if adviser is None or adviser.role not in ADVISER_ROLES or not may_handle(
                adviser, ticket
            ):
                return DeskResult(dt.NOT_AN_ADVISER.format(name=name), [], ticket)
        else:
            experts = self._specialists_for(org, ticket, now)
            if experts:
                buttons = tuple(
                    (Button(dt.BTN_TO_SPECIALIST.format(name=p.name, category=ticket.category),
                            f"/adviser {ticket.number} {p.name}"),)
                    for p in experts
                )
                ack = dt.CHOOSE_SPECIALIST.format(number=ticket.number, category=ticket.category)
                return DeskResult(ack, [], ticket, buttons)
            adviser = self._adviser_for(org, ticket, now)
        if adviser is None:
            return DeskResult(dt.NO_ADVISER, [], ticket)
        ticket = self.tickets.claim(ticket.number, adviser.name, now)
        self.tickets.add_event(ticket.number, "bot", person.name, dt.BTN_ADVISER, now)
        text = dt.HANDED_TO_YOU.format(
            by=person.name,
            number=ticket.number,
            community=community_name(org, ticket.community),
            question=shown_question(ticket),
        )
        outs = private(org, [adviser], text, ticket)
        return DeskResult(dt.HANDED.format(number=ticket.number, name=adviser.name), outs, ticket)

    def close(self, ticket: Ticket, person: Person, now: datetime) -> DeskResult:
        """Close the ticket (who closed it goes in the transcript) and tell the resident."""
        ticket = self.tickets.close(ticket.number, now)
        self.tickets.add_event(ticket.number, "bot", person.name, dt.BTN_CLOSE, now)
        outs = []
        address = ticket.resident_address
        if address is not None:
            outs.append(
                Outgoing(
                    address.channel,
                    address.chat_id,
                    rt.TICKET_CLOSED.format(number=ticket.number),
                    ref=ticket.ref,
                )
            )
        return DeskResult(dt.CLOSED.format(number=ticket.number), outs, ticket)

    def add_faq(self, ticket: Ticket, person: Person) -> DeskResult:
        """Make a draft FAQ entry from the ticket's question and latest reply."""
        reply = self.tickets.last_desk_reply(ticket.number)
        if not reply or not ticket.question:
            return DeskResult(dt.FAQ_NEEDS_REPLY.format(number=ticket.number), [], ticket)
        if self.faq is None:
            return DeskResult(dt.FAQ_UNAVAILABLE, [], ticket)
        try:
            events = self.tickets.events(ticket.number)
            entry = draft_from_ticket(self.faq, ticket, events, reply, by=person.name)
        except InvalidEntry as error:
            log.warning("draft from ticket %s refused: %s", ticket.number, error)
            return DeskResult(f"{dt.FAQ_UNAVAILABLE}（{error}）", [], ticket)
        ack = dt.FAQ_DRAFTED.format(number=ticket.number, faq_id=entry.id)
        return DeskResult(ack, [], ticket)

    def open_list(self, org: Organisation, person: Person) -> str:
        """Every ticket not yet closed that ``person`` may handle, one line each."""
        tickets = [
            t for t in self.tickets.by_status(("open", "claimed", "answered"))
            if may_handle(person, t)
        ]
        if not tickets:
            return dt.OPEN_TICKETS_NONE
        return "\n".join([dt.OPEN_TICKETS_HEAD] + [ticket_line(org, t) for t in tickets])

    def _specialists_for(
        self, org: Organisation, ticket: Ticket, now: datetime
    ) -> list[Person]:
        """Advisers who know the ticket's field and may take it: on duty first."""
        known = [
            p for p in org.people.values()
            if p.role in ADVISER_ROLES and p.knows(ticket.category) and may_handle(p, ticket)
        ]
        duty = on_duty(org, {p.name for p in known}, now, self.tz) if known else []
        return [*duty, *(p for p in known if p not in duty)][:MAX_OFFERED]

    def _adviser_for(self, org: Organisation, ticket: Ticket, now: datetime) -> Person | None:
        found = route_of(org, ticket, now, self.tz)
        if found is not None:
            for person in found.on_duty:
                if person.role == "adviser":
                    return person
        team = ticket.team or (found.team.id if found else None)
        for role in ("adviser", "lead"):
            for person in org.people.values():
                if person.role == role and (team is None or person.team == team):
                    return person
        return None


def ticket_line(org: Organisation, ticket: Ticket) -> str:
    """One ticket in a list: number, status, community, assignee, masked question."""
    question = shown_question(ticket)
    return dt.TICKET_LINE.format(
        number=ticket.number,
        status=rt.STATUS.get(ticket.status, ticket.status),
        urgent=dt.URGENT_MARK if ticket.urgent else "",
        community=community_name(org, ticket.community),
        assignee=ticket.assignee or dt.UNASSIGNED,
        question=question[:40] + ("…" if len(question) > 40 else ""),
    )


def ticket_details(org: Organisation, tickets: Tickets, ticket: Ticket, tz: ZoneInfo) -> str:
    """A ticket with its transcript, masked, as the desk sees it."""
    lines = [
        dt.SHOW_HEAD.format(
            number=ticket.number,
            status=rt.STATUS.get(ticket.status, ticket.status),
            urgent=" " + dt.URGENT_MARK if ticket.urgent else "",
            community=community_name(org, ticket.community),
            category=ticket.category or dt.NO_CATEGORY,
            assignee=ticket.assignee or dt.UNASSIGNED,
            created=parse_iso(ticket.created_at).astimezone(tz).strftime("%Y-%m-%d %H:%M"),
        ),
        dt.SHOW_QUESTION.format(question=shown_question(ticket)),
    ]
    for event in tickets.events(ticket.number):
        who = event.author or dt.ROLE.get(event.role, event.role)
        text = mask(event.text) if event.text else dt.REDACTED
        at = parse_iso(event.at).astimezone(tz).strftime("%m-%d %H:%M")
        lines.append(dt.SHOW_EVENT.format(at=at, who=who, text=text))
    if ticket.rating is not None:
        lines.append(dt.RATING.format(rating=ticket.rating))
    return "\n".join(lines)
