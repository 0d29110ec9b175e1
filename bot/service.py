"""The service the channels talk to: store the message, decide, store the replies.

``handle`` first stores the incoming message (a channel message seen before does nothing),
then lets the desk or the conversation decide, then stores every reply in the outbox before
returning them. Nothing is sent here: the outbox pump sends.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlite_utils

from bot.clock import iso, parse_iso
from bot.commands import audience_of, desk_help
from bot.config import DEFAULT_RETAIN_DAYS
from bot.conversation import Conversation, Index, parse_command
from bot.desk.commands import Desk, DeskResult
from bot.desk.org import Organisation, Person
from bot.desk.outbox import Outbox
from bot.desk.reminders import digests, expiries, reminders
from bot.desk.staff import Staff
from bot.desk.tickets import Tickets, ticket_number
from bot.messages import Incoming, Outgoing
from bot.ops.logs import new_error_id
from bot.residents import Residents
from bot.retention import purge_due
from bot.store import get_state, set_state
from bot.texts import desk as dt
from bot.texts import resident as rt
from knowledge.faq import FaqStore

log = logging.getLogger(__name__)

TICK_STATE = ("core", "last_tick")
ADMIN_COMMANDS = ("close", "tickets", "show")  # what the administrator may do at the terminal
MAX_DIGEST_WINDOW = timedelta(hours=24)  # after a long outage, digest only the last day


class UnknownPerson(Exception):
    """Nobody of this name is in the organisation."""


class Service:
    """Channel-neutral entry point: ``handle`` incoming messages, ``tick`` for timers.

    Built by :func:`bot.app.build_service`, which makes every collaborator once.
    """

    def __init__(
        self,
        db: sqlite_utils.Database,
        tz: ZoneInfo,
        *,
        faq: FaqStore,
        index: Index,
        outbox: Outbox,
        tickets: Tickets,
        residents: Residents,
        conversation: Conversation,
        desk: Desk,
        staff: Staff,
        retain_days: int = DEFAULT_RETAIN_DAYS,
    ) -> None:
        self.db = db
        self.tz = tz
        self.retain_days = retain_days
        self.faq = faq
        self.index = index
        self.outbox = outbox
        self.tickets = tickets
        self.residents = residents
        self.conversation = conversation
        self.desk = desk
        self.staff = staff

    # --- incoming -------------------------------------------------------------------------

    def store_incoming(self, incoming: Incoming, now: datetime) -> bool:
        """Store ``incoming`` once; False when this channel message was seen before."""
        cursor = self.db.execute(
            "INSERT OR IGNORE INTO messages (channel, message_id, chat_id, sender_id, text,"
            " kind, is_group, reply_to, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                incoming.channel,
                incoming.message_id,
                incoming.chat_id,
                incoming.sender_id,
                incoming.text,
                incoming.kind,
                int(incoming.is_group),
                incoming.reply_to,
                iso(now),
            ],
        )
        return cursor.rowcount == 1  # committed at once: stored before anything is decided

    def handle(self, incoming: Incoming, now: datetime) -> list[Outgoing]:
        """Store ``incoming`` (a duplicate does nothing), decide, store replies, return them."""
        if not self.store_incoming(incoming, now):
            return []
        try:
            with self.db.atomic():
                outs = self._decide(incoming, now)
                self._remember_buttons(outs)
                self.outbox.put(outs, now)
        except Exception:  # a bug must not leave the person without an answer
            error_id = new_error_id()  # shown with the apology, to match a report to the log
            log.exception(
                "handling %s/%s failed", incoming.channel, incoming.message_id,
                extra={"error_id": error_id},
            )
            outs = [self._to(incoming, rt.APOLOGY.format(error_id=error_id))]
            self.outbox.put(outs, now)
        return outs

    def _decide(self, incoming: Incoming, now: datetime) -> list[Outgoing]:
        org = Organisation.load(self.db)
        team = org.team_of_desk(incoming.channel, incoming.chat_id)
        person = org.person_by_identity(incoming.channel, incoming.sender_id)
        text = (incoming.callback or incoming.text) if incoming.kind == "button" else incoming.text
        command = parse_command(text)
        ref = None
        if incoming.reply_to:
            ref = self.outbox.ref_for(incoming.channel, incoming.chat_id, incoming.reply_to)
        replied_ticket = ticket_number(ref)
        in_room = team is not None or incoming.is_group
        is_desk_command = (
            command is not None and audience_of(command[0], command[1], in_room) is not None
        )
        if in_room:
            wants_desk = is_desk_command or replied_ticket is not None or (
                command is not None and command[0] == "help" and team is not None
            )
            if not wants_desk:
                return []  # ordinary talk in a group is not for the bot
            if person is None or team is None or person.team != team.id:
                return [self._to(incoming, dt.NOT_A_MEMBER)]
            return self._desk(incoming, org, person, command, replied_ticket, text, now)
        if person is not None and (is_desk_command or replied_ticket is not None):
            return self._desk(incoming, org, person, command, replied_ticket, text, now)
        return self.conversation.handle(incoming, org, now, replied_ticket)

    def _desk(
        self,
        incoming: Incoming,
        org: Organisation,
        person: Person,
        command: tuple[str, str] | None,
        replied_ticket: int | None,
        text: str,
        now: datetime,
    ) -> list[Outgoing]:
        if command is None and replied_ticket is not None:
            result = self.desk.act(org, person, "reply", f"{replied_ticket} {text.strip()}", now)
        elif command is not None:
            result = self._act(org, person, command[0], command[1], now)
        else:
            result = DeskResult(desk_help())
        ref = result.ticket.ref if result.ticket is not None else None
        ack = Outgoing(incoming.channel, incoming.chat_id, result.ack, result.buttons, ref=ref)
        return [ack, *result.outs]

    def desk_command(self, name: str, text: str, now: datetime) -> DeskResult:
        """Run a desk command as the person called ``name`` (the terminal desk, scripts).

        The acknowledgement is returned, not stored; messages to others go to the outbox.

        Raises:
            UnknownPerson: ``name`` is not in the organisation.
        """
        with self.db.atomic():
            org = Organisation.load(self.db)
            person = org.person(name)
            command = parse_command(text)
            if person is None and name == dt.ADMIN and command and command[0] in ADMIN_COMMANDS:
                person = Person(name, "lead", "")  # the administrator: every team's tickets
            if person is None:
                raise UnknownPerson(name)
            if command is None:
                return DeskResult(desk_help())
            result = self._act(org, person, command[0], command[1], now)
            self._remember_buttons(result.outs)
            self.outbox.put(result.outs, now)
        return result

    def _act(
        self, org: Organisation, person: Person, command: str, arg: str, now: datetime
    ) -> DeskResult:
        """A desk command, or one of the staff's /duty, /faq and /review."""
        if audience_of(command, arg, True) == "staff":
            return self.staff.act(org, person, command, arg, now)
        return self.desk.act(org, person, command, arg, now)

    def _remember_buttons(self, outs: list[Outgoing]) -> None:
        """A resident may answer a button by its number: remember the latest offered."""
        for out in outs:
            if not out.buttons:
                continue
            resident = self.residents.by_chat(out.channel, out.chat_id)
            if resident is not None:
                self.residents.set(resident.id, last_buttons=out.flat_buttons())

    @staticmethod
    def _to(incoming: Incoming, text: str) -> Outgoing:
        return Outgoing(incoming.channel, incoming.chat_id, text)

    # --- timers ---------------------------------------------------------------------------

    def tick(self, now: datetime) -> list[Outgoing]:
        """Reminders, expiry and duty-start digests due at ``now`` (also stored); retention."""
        with self.db.atomic():
            org = Organisation.load(self.db)
            last = get_state(self.db, *TICK_STATE)
            outs: list[Outgoing] = []
            if last is not None:
                since = max(parse_iso(last), now - MAX_DIGEST_WINDOW)
                if since < now:
                    outs += digests(org, self.tickets, since, now, self.tz)
            outs += reminders(org, self.tickets, now, self.tz)
            outs += expiries(self.tickets, now)
            if last is None or parse_iso(last) < now:
                set_state(self.db, *TICK_STATE, iso(now))
            self._remember_buttons(outs)
            self.outbox.put(outs, now)
        purge_due(self.db, now, self.tz, self.retain_days)  # once a day: LAWBOT_RETAIN_DAYS
        return outs
