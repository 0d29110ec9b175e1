"""The organisation file's district services: expert pools, on-site hours, legal aid."""

from __future__ import annotations

from bot.desk.org import Community, LegalAid, Onsite, Person, Pool, RowError
from bot.desk.org_checks import Row
from bot.desk.org_rows import Checker, items, text, when
from bot.texts import org as t


def read_pools(rows: list[Row], people: dict[str, Person], errors: list[RowError]) -> list[Pool]:
    check, found = Checker("pools", errors), []
    for row, values in rows:
        check.known_fields(row, values)
        pool_id = check.key(row, values, "id")
        name = check.required(row, values, "name")
        members = tuple(dict.fromkeys(text(v) for v in items(values.get("people"))))
        if not members:
            check.error(row, "people", t.MISSING)
        for member in members:
            person = people.get(member)
            if person is None:
                check.error(row, "people", t.UNKNOWN_PERSON.format(value=member))
            elif not person.specialties:
                check.error(row, "people", t.POOL_WITHOUT_SPECIALTY.format(value=member))
        found.append(Pool(pool_id, name, members))
    return found


def read_onsite(
    rows: list[Row], communities: dict[str, Community], people: dict[str, Person],
    errors: list[RowError],
) -> list[Onsite]:
    """On-site hours: a known community, an adviser or lead, daytime hours, whole slots."""
    check, found = Checker("onsite", errors), []
    for row, values in rows:
        check.known_fields(row, values)
        community = check.required(row, values, "community")
        if community and community not in communities:
            check.error(row, "community", t.UNKNOWN_COMMUNITY.format(value=community))
        name = check.required(row, values, "person")
        person = people.get(name)
        if name and person is None:
            check.error(row, "person", t.UNKNOWN_PERSON.format(value=name))
        elif person is not None and person.role not in ("adviser", "lead"):
            check.error(row, "person", t.ONSITE_NOT_ADVISER.format(value=name))
        place = check.required(row, values, "place")
        slot = check.minutes(row, values, "slot_minutes", 30)
        hours = when(check, row, values)
        if hours is None:
            continue
        days, dates, start, end = hours
        length = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
        if end <= start:  # overnight, or 00:00-24:00
            check.error(row, "hours", t.ONSITE_OVERNIGHT.format(value=text(values["hours"])))
        elif slot > length:
            check.error(row, "slot_minutes", t.SLOT_TOO_LONG.format(value=slot, length=length))
        found.append(Onsite(community, name, days, dates, start, end, slot, place))
    return found


def read_legal_aid(rows: list[Row], errors: list[RowError]) -> LegalAid | None:
    """The district legal-aid centre (one row): name, address, phone, income standard."""
    check = Checker("legal_aid", errors)
    if len(rows) > 1:
        check.error(rows[1][0], "", t.ONE_ROW_ONLY)
    if not rows:
        return None
    row, values = rows[0]
    check.known_fields(row, values)
    centre, address, phone = (
        check.required(row, values, field) for field in ("centre", "address", "phone")
    )
    raw = check.required(row, values, "income_standard")
    good = raw.isascii() and raw.isdigit() and 0 < int(raw[:9]) and len(raw) <= 6
    if raw and not good:
        check.error(row, "income_standard", t.BAD_INCOME.format(value=raw[:20]))
    return LegalAid(centre, address, phone, int(raw) if good else 0)
