"""The organisation: teams, communities, people and the duty roster.

The whole organisation is loaded from one file (``lawbot org import``) and replaced as a
whole; :class:`Organisation` is the in-memory view every other part of the desk reads.
Tables: ``teams``, ``team_desks``, ``communities``, ``people``, ``person_identities``,
``roster`` and ``org_meta`` (where the organisation came from). Nothing should hold a
foreign key into these tables: a re-import deletes and re-inserts every row.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from datetime import date, time
from importlib import resources
from pathlib import Path

import sqlite_utils

from bot.messages import Address
from bot.texts.org import row_error
from knowledge.db import Migrations

migrations = Migrations("org")

ROLES = ("adviser", "lead", "volunteer")
CHANNELS = ("telegram", "matrix", "terminal")
DEMO_SOURCE = "demo"


@dataclass(frozen=True)
class Team:
    """A team of advisers and volunteers with its desk rooms (channel -> chat id)."""

    id: str
    name: str
    desk: dict[str, str]
    reminder_minutes: int = 30
    urgent_reminder_minutes: int = 10

    def __hash__(self) -> int:
        """Hash by id, so teams can be set members despite their ``desk`` dict."""
        return hash(self.id)


@dataclass(frozen=True)
class Community:
    """A residents' committee (社区), served by one team."""

    code: str
    name: str
    street: str
    team: str


@dataclass(frozen=True)
class Person:
    """An adviser, lead or volunteer with their chat identities (channel -> user id).

    Every person can also work from the terminal under their name; ``identities`` holds
    only the network ones (telegram, matrix).
    """

    name: str
    role: str
    team: str
    identities: dict[str, str] = field(default_factory=dict)
    backup: str | None = None
    specialties: tuple[str, ...] = ()  # FAQ categories this person knows (劳动, 婚姻家庭)
    pools: tuple[str, ...] = ()  # ids of the district expert pools they serve (set by Organisation)

    def __hash__(self) -> int:
        """Hash by name, so people can be set members despite their ``identities`` dict."""
        return hash(self.name)

    def knows(self, category: str) -> bool:
        """True when ``category`` is one of this person's specialties."""
        return bool(category) and category in self.specialties


@dataclass(frozen=True)
class Pool:
    """A district-wide pool of experts who may take any team's tickets of their specialties."""

    id: str
    name: str
    people: tuple[str, ...]


@dataclass(frozen=True)
class Shift:
    """One roster line: on these weekdays (mon..sun) and dates, from ``start`` to ``end``.

    ``end <= start`` means the shift runs past midnight; 00:00-24:00 is stored as
    ``start == end == 00:00`` and lasts the whole day.
    """

    person: str
    days: tuple[str, ...]
    dates: tuple[date, ...]
    start: time
    end: time


@dataclass(frozen=True)
class Onsite:
    """On-site hours residents can book: ``person`` receives at ``place`` in ``community`` on
    these weekdays and dates, from ``start`` to ``end``, in slots of ``slot_minutes``."""

    community: str
    person: str
    days: tuple[str, ...]
    dates: tuple[date, ...]
    start: time
    end: time
    slot_minutes: int
    place: str


@dataclass(frozen=True)
class LegalAid:
    """The district's legal-aid centre and its means-test standard (yuan per person a month)."""

    centre: str
    address: str
    phone: str
    income_standard: int


class Organisation:
    """The organisation as loaded from the database: look-ups by code, name and identity."""

    def __init__(
        self,
        teams: list[Team],
        communities: list[Community],
        people: list[Person],
        shifts: list[Shift],
        pools: list[Pool] | None = None,
        onsite: list[Onsite] | None = None,
        legal_aid: LegalAid | None = None,
    ) -> None:
        self.teams: dict[str, Team] = {t.id: t for t in teams}
        self.communities: dict[str, Community] = {c.code: c for c in communities}
        self.pools: dict[str, Pool] = {p.id: p for p in pools or []}
        people = [
            replace(p, pools=tuple(q.id for q in self.pools.values() if p.name in q.people))
            for p in people
        ]
        self.people: dict[str, Person] = {p.name: p for p in people}
        self.shifts: list[Shift] = list(shifts)
        self.onsite: list[Onsite] = list(onsite or [])
        self.legal_aid = legal_aid
        self._by_identity = {
            (channel, uid): p for p in people for channel, uid in p.identities.items()
        }
        self._by_desk = {
            (channel, chat): t for t in teams for channel, chat in t.desk.items()
        }

    @classmethod
    def load(cls, db: sqlite_utils.Database) -> Organisation:
        """Read the whole organisation from ``db``."""
        desks: dict[str, dict[str, str]] = {}
        for row in db.query("SELECT team, channel, chat_id FROM team_desks ORDER BY rowid"):
            desks.setdefault(row["team"], {})[row["channel"]] = row["chat_id"]
        teams = [
            Team(
                r["id"], r["name"], desks.get(r["id"], {}),
                r["reminder_minutes"], r["urgent_reminder_minutes"],
            )
            for r in db.query("SELECT * FROM teams ORDER BY position")
        ]
        communities = [
            Community(r["code"], r["name"], r["street"], r["team"])
            for r in db.query("SELECT * FROM communities ORDER BY position")
        ]
        idents: dict[str, dict[str, str]] = {}
        for row in db.query("SELECT * FROM person_identities ORDER BY rowid"):
            idents.setdefault(row["person"], {})[row["channel"]] = row["user_id"]
        people = [
            Person(
                r["name"], r["role"], r["team"], idents.get(r["name"], {}), r["backup"],
                tuple(json.loads(r["specialties"])),
            )
            for r in db.query("SELECT * FROM people ORDER BY position")
        ]
        members: dict[str, list[str]] = {}
        for row in db.query("SELECT pool, person FROM pool_members ORDER BY position"):
            members.setdefault(row["pool"], []).append(row["person"])
        pools = [
            Pool(r["id"], r["name"], tuple(members.get(r["id"], [])))
            for r in db.query("SELECT * FROM pools ORDER BY position")
        ]
        shifts = [
            Shift(
                r["person"],
                tuple(json.loads(r["days"])),
                tuple(date.fromisoformat(d) for d in json.loads(r["dates"])),
                time.fromisoformat(r["start"]),
                time.fromisoformat(r["end"]),
            )
            for r in db.query("SELECT * FROM roster ORDER BY position")
        ]
        onsite = [
            Onsite(
                r["community"], r["person"], tuple(json.loads(r["days"])),
                tuple(date.fromisoformat(d) for d in json.loads(r["dates"])),
                time.fromisoformat(r["start"]), time.fromisoformat(r["end"]),
                r["slot_minutes"], r["place"],
            )
            for r in db.query("SELECT * FROM onsite ORDER BY position")
        ]
        row = db.execute("SELECT value FROM org_meta WHERE key = 'legal_aid'").fetchone()
        legal_aid = LegalAid(**json.loads(row[0])) if row else None
        return cls(teams, communities, people, shifts, pools, onsite, legal_aid)

    def community(self, code: str) -> Community | None:
        """The community with this code, or None."""
        return self.communities.get(code)

    def streets(self) -> list[str]:
        """Every street (街道) in file order, once each."""
        return list(dict.fromkeys(c.street for c in self.communities.values()))

    def communities_in(self, street: str) -> list[Community]:
        """The communities of one street, in file order."""
        return [c for c in self.communities.values() if c.street == street]

    def person(self, name: str) -> Person | None:
        """The person with this name, or None."""
        return self.people.get(name)

    def person_by_identity(self, channel: str, user_id: str) -> Person | None:
        """Who this chat user is (on the terminal the user id is the person's name)."""
        if channel == "terminal":
            return self.people.get(user_id)
        return self._by_identity.get((channel, user_id))

    def team_of_desk(self, channel: str, chat_id: str) -> Team | None:
        """The team whose desk room this chat is, or None."""
        return self._by_desk.get((channel, chat_id))

    def desk_addresses(self, team_id: str) -> list[Address]:
        """One address per desk room the team has configured."""
        team = self.teams.get(team_id)
        if team is None:
            return []
        return [Address(channel, chat) for channel, chat in team.desk.items()]

    def private_addresses(self, person: Person) -> list[Address]:
        """Where to reach a person privately: each network identity, then the terminal.

        A Telegram user id is also the id of the private chat with the bot; the Matrix
        channel resolves a user id to a direct room itself.
        """
        found = [Address(channel, uid) for channel, uid in person.identities.items()]
        return [*found, Address("terminal", person.name)]


class OrgFileError(Exception):
    """The organisation file cannot be read at all (missing, wrong type, not YAML/XLSX)."""


@dataclass(frozen=True)
class RowError:
    """One problem in the organisation file: sheet (or YAML key), row (or line), field."""

    sheet: str
    row: int
    field: str
    message: str

    def __str__(self) -> str:
        return row_error(self.sheet, self.row, self.field, self.message)


class OrgImportError(Exception):
    """The organisation file has errors; nothing was imported."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


@migrations
def create_org_tables(db: sqlite_utils.Database) -> None:
    """Teams, their desk rooms, communities, people, identities and the roster."""
    db.executescript(
        """
        CREATE TABLE teams (
            id TEXT PRIMARY KEY, name TEXT NOT NULL, position INTEGER NOT NULL,
            reminder_minutes INTEGER NOT NULL, urgent_reminder_minutes INTEGER NOT NULL);
        CREATE TABLE team_desks (
            team TEXT NOT NULL REFERENCES teams(id), channel TEXT NOT NULL,
            chat_id TEXT NOT NULL, PRIMARY KEY (team, channel), UNIQUE (channel, chat_id));
        CREATE TABLE communities (
            code TEXT PRIMARY KEY, name TEXT NOT NULL, street TEXT NOT NULL,
            team TEXT NOT NULL REFERENCES teams(id), position INTEGER NOT NULL);
        CREATE TABLE people (
            name TEXT PRIMARY KEY, role TEXT NOT NULL,
            team TEXT NOT NULL REFERENCES teams(id), backup TEXT,
            position INTEGER NOT NULL);
        CREATE TABLE person_identities (
            person TEXT NOT NULL REFERENCES people(name), channel TEXT NOT NULL,
            user_id TEXT NOT NULL, PRIMARY KEY (person, channel), UNIQUE (channel, user_id));
        CREATE TABLE roster (
            position INTEGER PRIMARY KEY, person TEXT NOT NULL REFERENCES people(name),
            days TEXT NOT NULL, dates TEXT NOT NULL, start TEXT NOT NULL, "end" TEXT NOT NULL);
        CREATE TABLE org_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        """
    )


@migrations
def add_specialties_and_pools(db: sqlite_utils.Database) -> None:
    """People's specialties and the district expert pools (issue 21)."""
    db.executescript(
        """
        ALTER TABLE people ADD COLUMN specialties TEXT NOT NULL DEFAULT '[]';
        CREATE TABLE pools (id TEXT PRIMARY KEY, name TEXT NOT NULL, position INTEGER NOT NULL);
        CREATE TABLE pool_members (
            pool TEXT NOT NULL REFERENCES pools(id), person TEXT NOT NULL,
            position INTEGER NOT NULL, PRIMARY KEY (pool, person));
        """
    )


@migrations
def add_onsite_hours(db: sqlite_utils.Database) -> None:
    """On-site hours per community that residents can book (issue 21)."""
    db.execute(
        "CREATE TABLE onsite (position INTEGER PRIMARY KEY, community TEXT NOT NULL,"
        " person TEXT NOT NULL, days TEXT NOT NULL, dates TEXT NOT NULL, start TEXT NOT NULL,"
        ' "end" TEXT NOT NULL, slot_minutes INTEGER NOT NULL, place TEXT NOT NULL)'
    )


def save(db: sqlite_utils.Database, org: Organisation, source: str) -> dict[str, int]:
    """Replace the whole organisation in ``db`` with ``org`` in one transaction."""
    with db.atomic():
        for table in (
            "onsite", "pool_members", "pools", "roster", "person_identities", "people",
            "communities", "team_desks", "teams", "org_meta",
        ):
            db.execute(f"DELETE FROM {table}")
        for i, t in enumerate(org.teams.values()):
            db.execute(
                "INSERT INTO teams VALUES (?, ?, ?, ?, ?)",
                [t.id, t.name, i, t.reminder_minutes, t.urgent_reminder_minutes],
            )
            for channel, chat in t.desk.items():
                db.execute("INSERT INTO team_desks VALUES (?, ?, ?)", [t.id, channel, chat])
        for i, c in enumerate(org.communities.values()):
            db.execute(
                "INSERT INTO communities VALUES (?, ?, ?, ?, ?)",
                [c.code, c.name, c.street, c.team, i],
            )
        for i, p in enumerate(org.people.values()):
            db.execute(
                "INSERT INTO people (name, role, team, backup, position, specialties)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [p.name, p.role, p.team, p.backup, i, json.dumps(list(p.specialties))],
            )
            for channel, uid in p.identities.items():
                db.execute("INSERT INTO person_identities VALUES (?, ?, ?)", [p.name, channel, uid])
        for i, s in enumerate(org.shifts):
            db.execute(
                "INSERT INTO roster VALUES (?, ?, ?, ?, ?, ?)",
                [
                    i, s.person, json.dumps(list(s.days)),
                    json.dumps([d.isoformat() for d in s.dates]),
                    s.start.strftime("%H:%M"), s.end.strftime("%H:%M"),
                ],
            )
        for i, pool in enumerate(org.pools.values()):
            db.execute("INSERT INTO pools VALUES (?, ?, ?)", [pool.id, pool.name, i])
            for j, name in enumerate(pool.people):
                db.execute("INSERT INTO pool_members VALUES (?, ?, ?)", [pool.id, name, j])
        for i, o in enumerate(org.onsite):
            db.execute(
                "INSERT INTO onsite VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    i, o.community, o.person, json.dumps(list(o.days)),
                    json.dumps([d.isoformat() for d in o.dates]),
                    o.start.strftime("%H:%M"), o.end.strftime("%H:%M"), o.slot_minutes, o.place,
                ],
            )
        db.execute("INSERT INTO org_meta VALUES ('source', ?)", [source])
        if org.legal_aid is not None:
            value = json.dumps(asdict(org.legal_aid), ensure_ascii=False)
            db.execute("INSERT INTO org_meta VALUES ('legal_aid', ?)", [value])
    return {
        "teams": len(org.teams),
        "communities": len(org.communities),
        "people": len(org.people),
        "roster": len(org.shifts),
    }


def import_org(db: sqlite_utils.Database, path: str | Path) -> dict[str, int]:
    """Validate the YAML or XLSX file at ``path``, then replace the organisation with it.

    Returns the counts per key (teams, communities, people, roster).

    Raises:
        OrgFileError: the file cannot be read.
        OrgImportError: listing every bad row; nothing is imported.
    """
    # org_io builds this module's dataclasses, so it is imported here, not at the top.
    from bot.desk.org_io import read_org

    org = read_org(Path(path))
    return save(db, org, str(path))


def org_source(db: sqlite_utils.Database) -> str | None:
    """Where the current organisation came from: a file path, ``"demo"``, or None if empty."""
    row = db.execute("SELECT value FROM org_meta WHERE key = 'source'").fetchone()
    return row[0] if row else None


def load_demo(db: sqlite_utils.Database) -> bool:
    """Load the demo organisation (东山街, team dongshan, 王律师 and 小李 always on duty).

    Idempotent. An organisation imported from a file is never overwritten: then nothing
    happens and False is returned.
    """
    from bot.desk.org_io import parse_org_yaml

    if org_source(db) not in (None, DEMO_SOURCE):
        return False
    text = resources.files("bot.desk").joinpath("demo_org.yaml").read_text(encoding="utf-8")
    save(db, parse_org_yaml(text), DEMO_SOURCE)
    return True
