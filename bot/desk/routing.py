"""Routing a resident's ticket: community → team → desk rooms and whoever is on duty now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.desk.org import Organisation, Person, Team
from bot.desk.roster import next_duty, on_duty
from bot.messages import Address


class UnknownCommunity(Exception):
    """No community with this code in the organisation."""


@dataclass(frozen=True)
class Route:
    """Where a new ticket goes and what the resident can be told about who answers.

    ``notify`` is the desk rooms followed by the private addresses of the advisers on duty.
    """

    team: Team
    desk: list[Address]
    on_duty: list[Person]
    next_duty: tuple[datetime, Person] | None
    notify: list[Address]


def route(org: Organisation, community_code: str, now: datetime, tz: ZoneInfo) -> Route:
    """The route for a ticket from ``community_code`` at ``now``.

    Raises:
        UnknownCommunity: the code is not in the organisation.
    """
    community = org.community(community_code)
    if community is None or community.team not in org.teams:
        raise UnknownCommunity(community_code)
    return route_team(org, org.teams[community.team], now, tz)


def route_team(org: Organisation, team: Team, now: datetime, tz: ZoneInfo) -> Route:
    """The route for a ticket of ``team`` at ``now``: its desk rooms and on-duty advisers."""
    desk = org.desk_addresses(team.id)
    people = on_duty(org, team.id, now, tz)
    notify = list(desk)
    for person in people:
        if person.role == "adviser":
            notify += [a for a in org.private_addresses(person) if a not in notify]
    return Route(team, desk, people, next_duty(org, team.id, now, tz), notify)


def backup_of(org: Organisation, person: Person) -> Person | None:
    """Who covers for ``person``: their named backup, else a lead of their team, else None."""
    if person.backup is not None:
        backup = org.person(person.backup)
        if backup is not None:
            return backup
    for other in org.people.values():
        if other.team == person.team and other.role == "lead" and other.name != person.name:
            return other
    return None
