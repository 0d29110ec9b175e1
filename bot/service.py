"""The service the channels talk to: store the message, decide, store the replies.

``handle`` first stores the incoming message (a channel message seen before does nothing),
then lets the desk or the conversation decide, then stores every reply in the outbox before
returning them. Nothing is sent here: the outbox pump sends.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlite_utils

from bot.booking import reminders as appointment_reminders
from bot.clock import iso, parse_iso
from bot.commands import audience_of, desk_help
from bot.config import DEFAULT_RETAIN_DAYS
from bot.conversation import Conversation, Index, parse_command
from bot.desk.appointments import Appointments
from bot.desk.commands import Desk, DeskResult
from bot.desk.org import Community, Organisation, Person
from bot.desk.org_cache import OrgCache
from bot.desk.outbox import Outbox
from bot.desk.reminders import digests, expiries, reminders
from bot.desk.staff import Staff
from bot.desk.tickets import Tickets, ticket_number
from bot.messages import Incoming, Outgoing, number_turn
from bot.ops.health import ConnectionState
from bot.ops.logs import new_error_id
from bot.privacy import checkpoint_if_forgotten, erase_once_sent
from bot.residents import Residents
from bot.retention import purge_due
from bot.store import ChannelState, get_state, set_state
from bot.texts import desk as dt
from bot.texts import resident as rt
from knowledge.faq import FaqStore

log = logging.getLogger(__name__)

TICK_STATE = ("core", "last_tick")
ADMIN_COMMANDS = ("close", "tickets", "show")  # what the administrator may do at the terminal
MAX_DIGEST_WINDOW = timedelta(hours=24)  # after a long outage, digest only the last day


SURROGATE = re.compile("[\ud800-\udfff]")


def readable(incoming: Incoming) -> Incoming:
    """``incoming`` with lone surrogates (which SQLite cannot store) replaced by U+FFFD."""
    cleaned = replace(
        incoming,
        text=_clean(incoming.text),
        callback=None if incoming.callback is None else _clean(incoming.callback),
        sender_name=_clean(incoming.sender_name),
    )
    return incoming if cleaned == incoming else cleaned


def _clean(text: str) -> str:
    return SURROGATE.sub("\ufffd", text)


class UnknownPerson(Exception):
    """Nobody of this name is in the organisation."""


class Service:
    """Channel-neutral entry point: ``handle`` incoming messages, ``tick`` for timers.

    Built by :func:`bot.app.build_service`, which makes every collaborator once. It is the
    :class:`bot.channel_core.Core` the channels see.
    """

    def __init__(
        self,
        db: sqlite_utils.Database,
        tz: ZoneInfo,
        *,
        org: OrgCache,
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
        self.org = org
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
        """Store ``incoming`` once; False when this channel message was already handled.

        A message stored by a process that stopped before handling it is stored already
        but not handled: its redelivery returns True, so it is handled now.
        """
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
        if cursor.rowcount == 1:
            return True  # committed at once: stored before anything is decided
        row = self.db.execute(
            "SELECT handled_at FROM messages WHERE channel = ? AND message_id = ?",
            [incoming.channel, incoming.message_id],
        ).fetchone()
        return row is not None and row[0] is None

    def handle(self, incoming: Incoming, now: datetime) -> list[Outgoing]:
        """Store ``incoming`` (a handled duplicate does nothing), decide, store and return replies.

        The decision, its replies and the mark that the message is handled are one transaction.
        """
        incoming = readable(incoming)
        if not self.store_incoming(incoming, now):
            return []
        try:
            with self.db.atomic():
                # The mark comes first: it is the write that serialises two processes (a
                # /forget also renames the message), and the loser decides nothing.
                if not self._mark_handled(incoming, now):
                    return []
                outs = self._number_buttons(self._decide(incoming, now))
                erase_once_sent(self.db, self.outbox.put(outs, now))
        except Exception:  # a bug must not leave the person without an answer
            error_id = new_error_id()  # shown with the apology, to match a report to the log
            log.exception(
                "handling %s/%s failed", incoming.channel, incoming.message_id,
                extra={"error_id": error_id},
            )
            outs = [self._to(incoming, rt.APOLOGY.format(error_id=error_id))]
            with self.db.atomic():
                if not self._mark_handled(incoming, now):
                    return []
                self.outbox.put(outs, now)
        checkpoint_if_forgotten(self.db)  # a /forget's old pages leave the WAL too
        return outs

    def resume(self, now: datetime) -> int:
        """Handle every message a stopped process stored but never handled; return how many."""
        rows = list(self.db.table("messages").rows_where(
            "handled_at IS NULL", order_by="id",
            select="channel, chat_id, sender_id, text, message_id, is_group, reply_to, kind",
        ))
        for row in rows:
            callback = row["text"] if row["kind"] == "button" else None
            self.handle(Incoming(**{**row, "is_group": bool(row["is_group"])}, callback=callback),
                        now)
        return len(rows)

    def _mark_handled(self, incoming: Incoming, now: datetime) -> bool:
        """Mark ``incoming`` handled; False when another process already did."""
        cursor = self.db.execute(
            "UPDATE messages SET handled_at = ? WHERE channel = ? AND message_id = ?"
            " AND handled_at IS NULL",
            [iso(now), incoming.channel, incoming.message_id],
        )
        return cursor.rowcount == 1

    def _decide(self, incoming: Incoming, now: datetime) -> list[Outgoing]:
        org = self.org.current()
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
            org = self.org.current()
            person = org.person(name)
            command = parse_command(_clean(text))  # argv may carry undecodable bytes
            if person is None and name == dt.ADMIN and command and command[0] in ADMIN_COMMANDS:
                person = Person(name, "lead", "")  # the administrator: every team's tickets
            if person is None:
                raise UnknownPerson(name)
            if command is None:
                return DeskResult(desk_help())
            result = self._act(org, person, command[0], command[1], now)
            self.outbox.put(self._number_buttons(result.outs), now)
        return result

    def _act(
        self, org: Organisation, person: Person, command: str, arg: str, now: datetime
    ) -> DeskResult:
        """A desk command, or one of the staff's /duty, /faq and /review."""
        if audience_of(command, arg, True) == "staff":
            return self.staff.act(org, person, command, arg, now)
        return self.desk.act(org, person, command, arg, now)

    def _number_buttons(self, outs: list[Outgoing]) -> list[Outgoing]:
        """Number the turn's buttons (one numbering per chat) and remember them: a resident
        may answer a button by its number. Returns ``outs`` with their numbers."""
        numbered, offered = number_turn(outs)
        for address, buttons in offered.items():
            resident = self.residents.by_chat(address.channel, address.chat_id)
            if resident is not None:
                self.residents.set(resident.id, last_buttons=buttons)
        return numbered

    @staticmethod
    def _to(incoming: Incoming, text: str) -> Outgoing:
        return Outgoing(incoming.channel, incoming.chat_id, text)

    # --- what channels ask (bot.channel_core.Core) ---------------------------------------

    def post(self, outs: list[Outgoing], now: datetime) -> None:
        """Put a channel's own notices in the outbox for the pump to send."""
        self.outbox.put(outs, now)

    def community_of(self, channel: str, user_id: str) -> str | None:
        """The community code this resident chose, or None."""
        resident = self.residents.find(channel, user_id)
        return None if resident is None else resident.community

    def communities(self) -> dict[str, Community]:
        """Every community of the organisation by its code."""
        return self.org.current().communities

    def desk_chats(self, channel: str) -> set[str]:
        """Every team's desk room on ``channel``."""
        teams = self.org.current().teams.values()
        return {team.desk[channel] for team in teams if team.desk.get(channel)}

    def channel_state(self, channel: str) -> ChannelState:
        """``channel``'s own key/value store (offsets, sync tokens, device ids)."""
        return ChannelState(self.db, channel)

    def connection(self, channel: str, clock: Callable[[], datetime]) -> ConnectionState:
        """Where ``channel`` records whether its network answers."""
        return ConnectionState(self.db, channel, clock)

    # --- timers ---------------------------------------------------------------------------

    def tick(self, now: datetime) -> list[Outgoing]:
        """Reminders, expiry and duty-start digests due at ``now`` (also stored); appointment
        reminders; retention."""
        with self.db.atomic():
            org = self.org.current()
            last = get_state(self.db, *TICK_STATE)
            outs: list[Outgoing] = []
            if last is not None:
                since = max(parse_iso(last), now - MAX_DIGEST_WINDOW)
                if since < now:
                    outs += digests(org, self.tickets, since, now, self.tz)
            outs += reminders(org, self.tickets, now, self.tz)
            outs += expiries(self.tickets, now)
            outs += appointment_reminders(Appointments(self.db), now, self.tz)
            if last is None or parse_iso(last) < now:
                set_state(self.db, *TICK_STATE, iso(now))
            outs = self._number_buttons(outs)
            self.outbox.put(outs, now)
        purge_due(self.db, now, self.tz, self.retain_days)  # once a day: LAWBOT_RETAIN_DAYS
        return outs
