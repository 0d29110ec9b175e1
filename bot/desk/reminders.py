"""Timers of the desk: reminders for unclaimed tickets, duty-start digests, expiry.

All of it is decided from ``now`` and the database, so a restart loses nothing: the next tick
sees the same overdue tickets.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.clock import parse_iso
from bot.desk.notices import (
    community_name,
    desk_addresses,
    private,
    route_of,
    shown_question,
    to_addresses,
)
from bot.desk.org import Organisation, Person
from bot.desk.roster import duty_starts_between, on_duty
from bot.desk.routing import backup_of
from bot.desk.tickets import Ticket, Tickets
from bot.messages import Outgoing
from bot.texts import desk as dt
from bot.texts import resident as rt

DEFAULT_REMINDER_MINUTES = 30
DEFAULT_URGENT_MINUTES = 10
# An unclaimed ticket nobody took for three days is better told honestly than kept waiting;
# an answered one with a week of silence is done.
EXPIRE_UNANSWERED = timedelta(days=3)
CLOSE_ANSWERED = timedelta(days=7)


def _teams_of(org: Organisation, ticket: Ticket) -> list[str]:
    if ticket.team and ticket.team in org.teams:
        return [ticket.team]
    return list(org.teams)


def _on_duty(org: Organisation, ticket: Ticket, now: datetime, tz: ZoneInfo) -> list[Person]:
    people: dict[str, Person] = {}
    for team_id in _teams_of(org, ticket):
        for person in on_duty(org, team_id, now, tz):
            people.setdefault(person.name, person)
    return list(people.values())


def reminder_minutes(org: Organisation, ticket: Ticket) -> int:
    """How long the ticket may wait unclaimed before it is announced again."""
    team = org.teams.get(ticket.team or "")
    if ticket.urgent:
        return team.urgent_reminder_minutes if team else DEFAULT_URGENT_MINUTES
    return team.reminder_minutes if team else DEFAULT_REMINDER_MINUTES


def reminders(org: Organisation, tickets: Tickets, now: datetime, tz: ZoneInfo) -> list[Outgoing]:
    """Unclaimed tickets past their time, announced again and sent to the backups.

    Claimed tickets still unanswered past their time go to the assignee and their backup.

    Pool specialists on duty for the ticket's field are reminded too. Off duty nobody is
    reminded: the ticket waits for the duty-start digest.
    """
    outs: list[Outgoing] = []
    for ticket in tickets.by_status(("open",)):
        minutes = reminder_minutes(org, ticket)
        since = parse_iso(ticket.last_reminded_at or ticket.created_at)
        if now - since < timedelta(minutes=minutes):
            continue
        people = _on_duty(org, ticket, now, tz)
        found = route_of(org, ticket, now, tz)
        experts = found.specialists if found else []
        if not people and not experts:
            continue
        waited = int((now - ticket.created()).total_seconds() // 60)
        template = dt.REMINDER_URGENT if ticket.urgent else dt.REMINDER
        text = template.format(
            number=ticket.number,
            minutes=waited,
            community=community_name(org, ticket.community),
            question=shown_question(ticket),
        )
        outs += to_addresses(desk_addresses(org, ticket), text, ticket)
        backups: dict[str, Person] = {}
        for person in people:
            backup = backup_of(org, person)
            if backup is not None:
                backups.setdefault(backup.name, backup)
        outs += private(org, [*backups.values(), *experts], text, ticket)
        tickets.mark_reminded(ticket.number, now)
    outs += claimed_reminders(org, tickets, now, tz)
    return unique(outs)


def claimed_reminders(
    org: Organisation, tickets: Tickets, now: datetime, tz: ZoneInfo
) -> list[Outgoing]:
    """Claimed tickets still unanswered past their time: to the assignee and their backup."""
    outs: list[Outgoing] = []
    for ticket in tickets.by_status(("claimed",)):
        assignee = org.person(ticket.assignee or "")
        if assignee is None:
            continue
        since = parse_iso(ticket.last_reminded_at or ticket.claimed_at or ticket.created_at)
        if now - since < timedelta(minutes=reminder_minutes(org, ticket)):
            continue
        if not _on_duty(org, ticket, now, tz) and not on_duty(org, {assignee.name}, now, tz):
            continue  # the team and the assignee are off duty: the digest will tell them
        waited = int((now - parse_iso(ticket.claimed_at or ticket.created_at)).total_seconds())
        text = dt.REMINDER_CLAIMED.format(
            number=ticket.number,
            name=assignee.name,
            minutes=waited // 60,
            question=shown_question(ticket),
        )
        people = [assignee]
        backup = backup_of(org, assignee)
        if backup is not None and backup.name != assignee.name:
            people.append(backup)
        outs += private(org, people, text, ticket)
        tickets.mark_reminded(ticket.number, now)
    return outs


def digests(
    org: Organisation, tickets: Tickets, since: datetime, now: datetime, tz: ZoneInfo
) -> list[Outgoing]:
    """For each duty period starting in ``(since, now]``: the waiting tickets, to that person.

    A team member is told of the team's tickets (and of those no team holds); a member of an
    expert pool also of every team's tickets in their specialties. The tickets in a digest
    count as reminded at ``now``, so reminders restart from there.
    """
    waiting = tickets.by_status(("open",))
    if not waiting:
        return []
    experts = {p.name for p in org.people.values() if p.pools}
    starts = [s for team_id in org.teams for s in duty_starts_between(org, team_id, since, now, tz)]
    starts += duty_starts_between(org, experts, since, now, tz) if experts else []
    outs: list[Outgoing] = []
    for _start, person in starts:  # one in a team and a pool: the same text, sent once
        mine = [t for t in waiting if _digest_holds(org, person, t)]
        if not mine:
            continue
        lines = [dt.DIGEST_HEAD.format(count=len(mine))]
        lines += [
            dt.DIGEST_LINE.format(
                number=t.number,
                urgent=dt.URGENT_MARK if t.urgent else "",
                community=community_name(org, t.community),
                question=shown_question(t),
            )
            for t in mine
        ]
        text = "\n".join(lines)
        for address in org.private_addresses(person):
            outs.append(Outgoing(address.channel, address.chat_id, text))
        for t in mine:  # the digest told them: the reminder clock starts now
            tickets.mark_reminded(t.number, now)
    return unique(outs)


def _digest_holds(org: Organisation, person: Person, ticket: Ticket) -> bool:
    """Whether ``person``'s duty-start digest lists ``ticket``: their team's (or no team's),
    or, for a pool member, one in their specialties."""
    if person.team in org.teams and (
        ticket.team in (person.team, None) or ticket.team not in org.teams
    ):
        return True
    return bool(person.pools) and person.knows(ticket.category)


def expiries(tickets: Tickets, now: datetime) -> list[Outgoing]:
    """Expire long-unanswered tickets (telling the resident); close long-quiet answered ones."""
    outs: list[Outgoing] = []
    for ticket in tickets.by_status(("open", "claimed")):
        if now - ticket.created() < EXPIRE_UNANSWERED:
            continue
        ticket = tickets.expire(ticket.number, now)
        address = ticket.resident_address
        if address is not None:
            text = rt.TICKET_EXPIRED.format(number=ticket.number)
            outs.append(Outgoing(address.channel, address.chat_id, text, ref=ticket.ref))
    for ticket in tickets.by_status(("answered",)):
        if now - parse_iso(ticket.updated_at) >= CLOSE_ANSWERED:
            tickets.close(ticket.number, now)
    return outs


def unique(outs: list[Outgoing]) -> list[Outgoing]:
    """``outs`` without repeats (one message per chat and text)."""
    return list(dict.fromkeys(outs))
