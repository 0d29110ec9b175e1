"""On-site appointments for the desk in chat: ``/onsite [DATE]`` lists the person's day and
``/held N`` marks one of their appointments held (logged as 现场咨询), like
``lawbot appointments list/held`` at the terminal."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.desk.appointments import AppointmentNotFound, Appointments, NotBooked
from bot.desk.commands import DeskResult
from bot.desk.org import Organisation, Person
from bot.messages import Button
from bot.texts import desk as dt


def day_list(
    appointments: Appointments, org: Organisation, person: Person, arg: str, now: datetime,
    tz: ZoneInfo,
) -> DeskResult:
    """The person's appointments of one day (a lead: the whole team's), with 已接待 buttons."""
    try:
        day = date.fromisoformat(arg.strip()) if arg.strip() else now.astimezone(tz).date()
    except ValueError:
        return DeskResult(dt.ONSITE_BAD_DAY_CHAT.format(value=arg.strip()[:20]))
    mine = [a for a in appointments.on_day(day, tz) if _may_mark(org, person, a.person)]
    if not mine:
        return DeskResult(dt.ONSITE_LIST_NONE.format(day=day.isoformat()))
    lines = [dt.ONSITE_LIST_HEAD.format(day=day.isoformat())]
    for a in mine:
        local = a.start.astimezone(tz)
        community = org.communities.get(a.community)
        lines.append(dt.ONSITE_LIST_LINE.format(
            id=a.id, start=local.strftime("%H:%M"),
            end=(local + timedelta(minutes=a.minutes)).strftime("%H:%M"),
            community=community.name if community else a.community, name=a.person,
            place=a.place, status=dt.ONSITE_STATUS.get(a.status, a.status),
        ))
    buttons = tuple(
        (Button(dt.BTN_ONSITE_HELD.format(id=a.id), f"/held {a.id}"),) for a in mine
        if a.status == "booked"
    )
    return DeskResult("\n".join(lines), buttons=buttons)


def mark_held(
    appointments: Appointments, org: Organisation, person: Person, arg: str, now: datetime,
    tz: ZoneInfo,
) -> DeskResult:
    """``/held N``: the receiving adviser (or their team's lead) marks N held."""
    number = arg.strip().lstrip("#")
    if not (number.isdecimal() and len(number) <= 9):
        return DeskResult(dt.ONSITE_HELD_USAGE)
    try:
        found = appointments.get(int(number))
        if not _may_mark(org, person, found.person):
            return DeskResult(dt.ONSITE_NOT_YOURS.format(id=found.id))
        held, log_id = appointments.mark_held(found.id, None, now, tz)
    except AppointmentNotFound:
        return DeskResult(dt.ONSITE_NOT_FOUND.format(id=number))
    except NotBooked as e:
        status = dt.ONSITE_STATUS.get(e.status, e.status)
        return DeskResult(dt.ONSITE_NOT_BOOKED.format(id=number, status=status))
    return DeskResult(dt.ONSITE_HELD.format(id=held.id, log=log_id))


def _may_mark(org: Organisation, person: Person, receiver: str) -> bool:
    other = org.person(receiver)
    same_team_lead = person.role == "lead" and other is not None and other.team == person.team
    return person.name == receiver or same_team_lead
