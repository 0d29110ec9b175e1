"""The resident's side of on-site appointments: ``/预约`` (or ``/book``) in any channel.

``/预约`` offers free slots as buttons (or shows the booking the resident has);
``/预约 YYYYMMDDTHHMM 姓名`` books that slot; ``/预约 取消 N`` cancels booking N. The adviser
receiving is told privately of each booking and cancellation. Composed into
:class:`bot.conversation.Conversation` by ``bot.app``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot import replies
from bot.desk.appointments import (
    Appointment,
    AppointmentNotFound,
    Appointments,
    Slot,
    SlotTaken,
)
from bot.desk.org import Organisation
from bot.messages import Button, Outgoing
from bot.replies import Turn
from bot.residents import Resident
from bot.texts import appointments as at
from bot.texts import desk as dt
from bot.texts import resident as rt

MAX_SLOTS = 8  # buttons offered at once


def when_text(start: datetime, minutes: int, tz: ZoneInfo) -> str:
    """``周二 12月8日 14:00–14:30`` in local time."""
    local = start.astimezone(tz)
    return at.WHEN.format(
        weekday=rt.WEEKDAYS[local.weekday()], month=local.month, day=local.day,
        start=local.strftime("%H:%M"),
        end=(local + timedelta(minutes=minutes)).strftime("%H:%M"),
    )


def cancel_button(appointment: Appointment) -> tuple[tuple[Button, ...], ...]:
    """The 取消预约 button of one booking."""
    return ((Button(at.BTN_CANCEL, f"/{at.COMMAND} {at.CANCEL} {appointment.id}"),),)


def has_onsite(org: Organisation, community: str | None) -> bool:
    """True when the community publishes on-site hours residents can book."""
    return any(hours.community == community for hours in org.onsite)


class Booking:
    """Offers, books and cancels on-site appointments for residents."""

    def __init__(self, tz: ZoneInfo, appointments: Appointments) -> None:
        self.tz = tz
        self.appointments = appointments

    def command(
        self, turn: Turn, r: Resident, org: Organisation, arg: str, now: datetime,
        ticket_id: int | None = None,
    ) -> None:
        """``/预约 [slot person | 取消 N]``."""
        words = arg.split()
        if r.community is None or org.community(r.community) is None:
            turn.say(*replies.street_choice(org, at.COMMUNITY_FIRST))
        elif words[:1] == [at.CANCEL]:
            self.cancel(turn, r, org, words[1] if len(words) > 1 else "", now)
        elif self.show_existing(turn, r, now):
            return
        elif len(words) == 2:
            self.book(turn, r, org, words[0], words[1], now, ticket_id)
        else:
            self.offer(turn, r, org, now)

    def show_existing(self, turn: Turn, r: Resident, now: datetime) -> bool:
        """Tell the resident of their upcoming booking, if they have one."""
        upcoming = self.appointments.upcoming_of(r.id, now)
        if not upcoming:
            return False
        a = upcoming[0]
        turn.say(at.ALREADY.format(id=a.id, when=when_text(a.start, a.minutes, self.tz),
                                   place=a.place, name=a.person), cancel_button(a))
        return True

    def offer(self, turn: Turn, r: Resident, org: Organisation, now: datetime,
              head: str = "") -> None:
        """The free slots of the resident's community as buttons."""
        assert r.community is not None
        community = org.communities[r.community]
        if not has_onsite(org, community.code):
            turn.say(at.NO_HOURS.format(community=community.name))
            return
        slots = self.appointments.free_slots(org, community.code, now, self.tz)[:MAX_SLOTS]
        if not slots:
            turn.say(head + at.ALL_TAKEN.format(community=community.name))
            return
        text = head + at.CHOOSE.format(community=community.name, minutes=slots[0].minutes)
        turn.say(text, tuple((self._slot_button(s),) for s in slots))

    def _slot_button(self, slot: Slot) -> Button:
        label = at.BTN_SLOT.format(when=when_text(slot.start, slot.minutes, self.tz),
                                   name=slot.person)
        return Button(label, f"/{at.COMMAND} {slot.key(self.tz)} {slot.person}")

    def book(
        self, turn: Turn, r: Resident, org: Organisation, key: str, person: str,
        now: datetime, ticket_id: int | None,
    ) -> None:
        """Book one slot, confirm with the address, tell the adviser; or offer others."""
        assert r.community is not None
        try:
            a = self.appointments.book(
                org, r.community, key, person, now, self.tz, (r.id, r.channel, r.chat_id),
                ticket_id,
            )
        except SlotTaken:
            self.offer(turn, r, org, now, at.TAKEN + "\n")
            return
        when = when_text(a.start, a.minutes, self.tz)
        turn.say(at.BOOKED.format(id=a.id, when=when, place=a.place, name=a.person),
                 cancel_button(a))
        self._tell_adviser(turn, org, a, dt.ONSITE_BOOKED.format(
            id=a.id, when=when, community=org.communities[a.community].name, place=a.place))

    def cancel(self, turn: Turn, r: Resident, org: Organisation, arg: str,
               now: datetime) -> None:
        """Cancel the resident's own upcoming booking ``arg``."""
        try:
            a = self.appointments.get(int(arg)) if arg.isdecimal() and len(arg) <= 9 else None
        except AppointmentNotFound:
            a = None
        if a is None or a.resident_id != r.id or a.status != "booked" or a.start <= now:
            turn.say(at.NOT_YOURS)
            return
        a = self.appointments.set_status(a.id, "cancelled", now)
        when = when_text(a.start, a.minutes, self.tz)
        turn.say(at.CANCELLED.format(id=a.id, when=when))
        community = org.communities.get(a.community)
        self._tell_adviser(turn, org, a, dt.ONSITE_CANCELLED.format(
            id=a.id, when=when, community=community.name if community else a.community))

    def _tell_adviser(self, turn: Turn, org: Organisation, a: Appointment, text: str) -> None:
        person = org.person(a.person)
        if person is not None:
            turn.extra += [
                Outgoing(address.channel, address.chat_id, text, ref=f"appointment:{a.id}")
                for address in org.private_addresses(person)
            ]


def reminders(appointments: Appointments, now: datetime, tz: ZoneInfo) -> list[Outgoing]:
    """The day-before and hour-before reminders due at ``now``, to the residents."""
    outs = []
    for a, kind in appointments.due_reminders(now):
        if a.channel is None or a.chat_id is None:
            continue  # the resident asked to be forgotten
        template = at.REMIND_DAY if kind == "day" else at.REMIND_HOUR
        text = template.format(id=a.id, when=when_text(a.start, a.minutes, tz), place=a.place,
                               name=a.person)
        outs.append(Outgoing(a.channel, a.chat_id, text, buttons=cancel_button(a),
                             ref=f"appointment:{a.id}"))
    return outs
