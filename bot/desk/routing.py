"""Routing a resident's ticket: community → team → desk rooms and whoever is on duty now.

A ticket has a field (its category, from the matcher's nearest FAQ entry). When nobody on duty
in the team knows that field and a member of a district expert pool who does is on duty, that
specialist is told too and may claim the ticket (:func:`bot.desk.commands.may_handle`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
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

    ``notify`` is the desk rooms followed by the private addresses of the advisers on duty
    and of the pool ``specialists`` called in for the ticket's field.
    """

    team: Team
    desk: list[Address]
    on_duty: list[Person]
    next_duty: tuple[datetime, Person] | None
    notify: list[Address]
    specialists: list[Person] = field(default_factory=list)


def route(
    org: Organisation, community_code: str, now: datetime, tz: ZoneInfo, category: str = ""
) -> Route:
    """The route for a ticket from ``community_code`` at ``now``.

    Raises:
        UnknownCommunity: the code is not in the organisation.
    """
    community = org.community(community_code)
    if community is None or community.team not in org.teams:
        raise UnknownCommunity(community_code)
    return route_team(org, org.teams[community.team], now, tz, category)


def route_team(
    org: Organisation, team: Team, now: datetime, tz: ZoneInfo, category: str = ""
) -> Route:
    """The route for a ticket of ``team`` at ``now``: its desk rooms, on-duty advisers and,
    when none of them knows ``category``, the pool's on-duty specialists in it."""
    desk = org.desk_addresses(team.id)
    people = on_duty(org, team.id, now, tz)
    extra = [] if any(p.knows(category) for p in people) else specialists(org, category, now, tz)
    notify = list(desk)
    for person in people + extra:
        if person.role == "adviser" or person in extra:
            notify += [a for a in org.private_addresses(person) if a not in notify]
    return Route(team, desk, people, next_duty(org, team.id, now, tz), notify, extra)


def pool_experts(org: Organisation, category: str) -> list[Person]:
    """Every pool member whose specialties include ``category``, in the file's order."""
    return [p for p in org.people.values() if p.pools and p.knows(category)]


def specialists(org: Organisation, category: str, now: datetime, tz: ZoneInfo) -> list[Person]:
    """The pool members who know ``category`` and are on duty at ``now`` (advisers first)."""
    names = {p.name for p in pool_experts(org, category)}
    return on_duty(org, names, now, tz) if names else []


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
