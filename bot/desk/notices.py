"""What the desk and the resident are told about a ticket: announcements and expectations."""

from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.desk.masking import mask
from bot.desk.org import Organisation, Person
from bot.desk.routing import Route, UnknownCommunity, route, route_team
from bot.desk.tickets import Ticket
from bot.messages import Address, Button, Outgoing
from bot.texts import desk as dt
from bot.texts import resident as rt

log = logging.getLogger(__name__)


def route_of(org: Organisation, ticket: Ticket, now: datetime, tz: ZoneInfo) -> Route | None:
    """The ticket's route (by community, else by team), or None when neither is known."""
    if ticket.community is not None:
        try:
            return route(org, ticket.community, now, tz, ticket.category)
        except UnknownCommunity:
            log.warning("ticket %s: community %s unknown", ticket.id, ticket.community)
    team = org.teams.get(ticket.team or "")
    if team is None:
        return None
    return route_team(org, team, now, tz, ticket.category)


def desk_addresses(org: Organisation, ticket: Ticket) -> list[Address]:
    """The desk rooms of the ticket's team; every team's desk when its team is unknown."""
    if ticket.team and ticket.team in org.teams:
        return org.desk_addresses(ticket.team)
    found: list[Address] = []
    for team_id in org.teams:
        found += [a for a in org.desk_addresses(team_id) if a not in found]
    return found


def desk_buttons(number: int) -> tuple[tuple[Button, ...], ...]:
    """认领 / 转顾问 / 结单 for one ticket."""
    return (
        (
            Button(dt.BTN_CLAIM, f"/claim {number}"),
            Button(dt.BTN_ADVISER, f"/adviser {number}"),
            Button(dt.BTN_CLOSE, f"/close {number}"),
        ),
    )


def community_name(org: Organisation, code: str | None) -> str:
    """The community's name for people, or a placeholder."""
    if code is None:
        return dt.NO_COMMUNITY
    community = org.community(code)
    return community.name if community else code


def shown_question(ticket: Ticket) -> str:
    """The resident's question as the desk may see it (masked, or a placeholder)."""
    return mask(ticket.question) if ticket.question else dt.REDACTED


def to_addresses(
    addresses: list[Address], text: str, ticket: Ticket, with_buttons: bool = True
) -> list[Outgoing]:
    """One message per address about ``ticket`` (tagged with its ref)."""
    buttons = desk_buttons(ticket.number) if with_buttons else ()
    unique = list(dict.fromkeys(addresses))
    return [Outgoing(a.channel, a.chat_id, text, buttons=buttons, ref=ticket.ref) for a in unique]


def announce_new(
    org: Organisation, ticket: Ticket, now: datetime, tz: ZoneInfo, context: str = ""
) -> list[Outgoing]:
    """The new ticket posted to the desk rooms and to the advisers on duty.

    ``context`` (already masked) follows the question: the bot's last answer, the trigger.
    """
    template = dt.NEW_URGENT if ticket.urgent else dt.NEW_TICKET
    text = template.format(
        number=ticket.number,
        community=community_name(org, ticket.community),
        category=ticket.category or dt.NO_CATEGORY,
        question=shown_question(ticket),
        context=context,
    )
    found = route_of(org, ticket, now, tz)
    addresses = found.notify if found else desk_addresses(org, ticket)
    return to_addresses(addresses, text, ticket)


def format_when(moment: datetime, tz: ZoneInfo) -> str:
    """A time as residents read it: ``周一 12月1日 09:00``."""
    local = moment.astimezone(tz)
    return rt.WHEN.format(
        weekday=rt.WEEKDAYS[local.weekday()],
        month=local.month,
        day=local.day,
        hm=local.strftime("%H:%M"),
    )


def expectation(
    org: Organisation, ticket: Ticket, now: datetime, tz: ZoneInfo
) -> str:
    """What the resident may honestly expect: who is on duty and how soon, or when."""
    found = route_of(org, ticket, now, tz)
    if found is None:
        return rt.EXPECT_UNKNOWN
    if found.specialists:
        expert = found.specialists[0]
        pool = org.pools[expert.pools[0]]
        also = rt.EXPECT_SPECIALIST.format(category=ticket.category, pool=pool.name,
                                           name=expert.name)
        if found.on_duty:
            return _team_on_duty(found, ticket) + also
        return rt.EXPECT_SPECIALIST_ONLY + also
    if found.on_duty:
        return _team_on_duty(found, ticket)
    if found.next_duty is not None:
        when, person = found.next_duty
        return rt.EXPECT_NEXT_DUTY.format(when=format_when(when, tz), name=person.name)
    return rt.EXPECT_UNKNOWN


def _team_on_duty(found: Route, ticket: Ticket) -> str:
    minutes = found.team.urgent_reminder_minutes if ticket.urgent else found.team.reminder_minutes
    names = "、".join(p.name for p in found.on_duty[:2])
    return rt.EXPECT_ON_DUTY.format(names=names, minutes=minutes)


def private(org: Organisation, people: list[Person], text: str, ticket: Ticket) -> list[Outgoing]:
    """``text`` about ``ticket`` to each person's private addresses."""
    addresses: list[Address] = []
    for person in people:
        addresses += org.private_addresses(person)
    return to_addresses(addresses, text, ticket)
