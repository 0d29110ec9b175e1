"""The organisation file's district services: expert pools (and the rows they name)."""

from __future__ import annotations

from bot.desk.org import Person, Pool, RowError
from bot.desk.org_checks import Row
from bot.desk.org_rows import CODE, Checker, items, text
from bot.texts import org as t


def read_pools(rows: list[Row], people: dict[str, Person], errors: list[RowError]) -> list[Pool]:
    check, found = Checker("pools", errors), []
    for row, values in rows:
        check.known_fields(row, values)
        pool_id = check.required(row, values, "id")
        if pool_id and not CODE.match(pool_id):
            check.error(row, "id", t.BAD_CODE.format(value=pool_id))
        check.unique(row, "id", pool_id)
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
