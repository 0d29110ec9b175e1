"""The organisation in the database: import replaces it whole, look-ups, the demo org."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlite_utils

from bot.desk.org import (
    Organisation,
    OrgImportError,
    Person,
    import_org,
    load_demo,
    org_source,
)
from bot.desk.roster import on_duty
from bot.messages import Address

ORG_YAML = """\
teams:
  - {id: dongshan, name: 东山街法律顾问团队,
     desk: {telegram: "-1001234567", matrix: "!room:example.org"},
     reminder_minutes: 30, urgent_reminder_minutes: 10}
  - {id: baiyun, name: 白云街团队, desk: {terminal: baiyun}}
communities:
  - {code: xinhepu, name: 新河浦社区, street: 东山街, team: dongshan}
  - {code: dongyuan, name: 东园新村社区, street: 东山街, team: dongshan}
  - {code: tongde, name: 同德社区, street: 白云街, team: baiyun}
people:
  - {name: 王律师, role: adviser, team: dongshan, telegram: 123456789, matrix: "@wang:example.org",
     backup: 陈律师}
  - {name: 小李, role: volunteer, team: dongshan, matrix: "@li:example.org"}
  - {name: 陈律师, role: lead, team: baiyun, terminal: true}
roster:
  - {person: 王律师, days: [mon, tue, wed, thu, fri], hours: "09:00-18:00"}
  - {person: 陈律师, dates: ["2026-12-05"], hours: "09:00-12:00"}
"""


@pytest.fixture
def org_file(tmp_path: Path) -> Path:
    path = tmp_path / "org.yaml"
    path.write_text(ORG_YAML, encoding="utf-8")
    return path


def test_import_returns_counts_and_loads_back(db: sqlite_utils.Database, org_file: Path) -> None:
    counts = import_org(db, org_file)
    assert counts == {"teams": 2, "communities": 3, "people": 3, "roster": 2}
    org = Organisation.load(db)
    assert org.teams["dongshan"].desk == {"telegram": "-1001234567", "matrix": "!room:example.org"}
    assert org.teams["baiyun"].reminder_minutes == 30  # default
    wang = org.person("王律师")
    assert wang == Person(
        "王律师", "adviser", "dongshan",
        {"telegram": "123456789", "matrix": "@wang:example.org"}, "陈律师",
    )
    assert org.shifts[0].days == ("mon", "tue", "wed", "thu", "fri")
    assert str(org.shifts[1].dates[0]) == "2026-12-05"
    assert org_source(db) == str(org_file)


def test_lookups(db: sqlite_utils.Database, org_file: Path) -> None:
    import_org(db, org_file)
    org = Organisation.load(db)
    assert org.streets() == ["东山街", "白云街"]
    assert [c.code for c in org.communities_in("东山街")] == ["xinhepu", "dongyuan"]
    assert org.community("xinhepu") is not None and org.community("nowhere") is None
    assert org.person_by_identity("telegram", "123456789") == org.person("王律师")
    assert org.person_by_identity("matrix", "@li:example.org") == org.person("小李")
    assert org.person_by_identity("terminal", "陈律师") == org.person("陈律师")
    assert org.person_by_identity("telegram", "999") is None
    assert org.team_of_desk("telegram", "-1001234567") == org.teams["dongshan"]
    assert org.team_of_desk("terminal", "baiyun") == org.teams["baiyun"]
    assert org.team_of_desk("telegram", "123456789") is None
    assert org.desk_addresses("dongshan") == [
        Address("telegram", "-1001234567"), Address("matrix", "!room:example.org")
    ]
    wang = org.person("王律师")
    assert wang is not None
    assert org.private_addresses(wang) == [
        Address("telegram", "123456789"),
        Address("matrix", "@wang:example.org"),
        Address("terminal", "王律师"),
    ]


def test_reimport_replaces_the_whole_organisation(
    db: sqlite_utils.Database, org_file: Path, tmp_path: Path
) -> None:
    import_org(db, org_file)
    smaller = tmp_path / "small.yaml"
    smaller.write_text(
        "teams: [{id: t1, name: 团队}]\n"
        "communities: [{code: c1, name: 社区, street: 街, team: t1}]\n"
        "people: [{name: 张三, role: volunteer, team: t1, terminal: true}]\n",
        encoding="utf-8",
    )
    assert import_org(db, smaller) == {"teams": 1, "communities": 1, "people": 1, "roster": 0}
    org = Organisation.load(db)
    assert list(org.teams) == ["t1"] and list(org.people) == ["张三"] and org.shifts == []
    assert db.execute("SELECT count(*) FROM person_identities").fetchone()[0] == 0


def test_a_bad_file_keeps_the_current_organisation(
    db: sqlite_utils.Database, org_file: Path, tmp_path: Path
) -> None:
    import_org(db, org_file)
    bad = tmp_path / "bad.yaml"
    bad.write_text(ORG_YAML.replace("role: volunteer", "role: intern"), encoding="utf-8")
    with pytest.raises(OrgImportError) as info:
        import_org(db, bad)
    assert [(e.sheet, e.field) for e in info.value.errors] == [("people", "role")]
    assert len(Organisation.load(db).people) == 3
    assert org_source(db) == str(org_file)


def test_demo_org_has_someone_on_duty_and_is_idempotent(db: sqlite_utils.Database) -> None:
    assert load_demo(db) is True
    first = Organisation.load(db)
    assert load_demo(db) is True
    again = Organisation.load(db)
    assert (again.teams, again.communities, again.people, again.shifts) == (
        first.teams, first.communities, first.people, first.shifts,
    )
    assert again.teams["dongshan"].desk == {"terminal": "dongshan"}
    assert {c.code: c.name for c in again.communities.values()} == {
        "xinhepu": "新河浦社区", "dongyuan": "东园新村社区",
    }
    assert again.streets() == ["东山街"]
    assert {p.name: p.role for p in again.people.values()} == {
        "王律师": "adviser", "小李": "volunteer", "张律师": "adviser",
    }
    assert again.people["张律师"].specialties == ("劳动", "工伤")
    assert again.people["张律师"].pools == ("laodong",)
    assert again.people["王律师"].pools == ()
    assert list(again.pools) == ["laodong"] and again.pools == first.pools
    assert db.execute("SELECT count(*) FROM teams").fetchone()[0] == 2


def test_demo_org_has_an_adviser_on_duty_at_every_hour_of_a_week(
    db: sqlite_utils.Database,
) -> None:
    load_demo(db)
    org = Organisation.load(db)
    tz = ZoneInfo("Asia/Shanghai")
    monday = datetime(2026, 11, 30, tzinfo=tz)
    for hour in range(7 * 24):
        now = monday + timedelta(hours=hour, minutes=30)
        assert [p.name for p in on_duty(org, "dongshan", now, tz)] == ["王律师", "小李"]


def test_people_and_teams_can_be_set_members(db: sqlite_utils.Database) -> None:
    load_demo(db)
    org = Organisation.load(db)
    assert len({*org.people.values(), *Organisation.load(db).people.values()}) == 3
    assert len(set(org.teams.values())) == 2


def test_demo_never_overwrites_an_imported_organisation(
    db: sqlite_utils.Database, org_file: Path
) -> None:
    import_org(db, org_file)
    assert load_demo(db) is False
    assert "baiyun" in Organisation.load(db).teams


def test_org_survives_reopening_a_file_database(db_path: Path, org_file: Path) -> None:
    from bot.app import open_database

    first = open_database(db_path)
    import_org(first, org_file)
    first.close()
    second = open_database(db_path)
    assert len(Organisation.load(second).communities) == 3
    second.close()


def test_a_save_that_fails_halfway_rolls_back_whole(
    db: sqlite_utils.Database, org_file: Path
) -> None:
    import sqlite3
    from dataclasses import replace

    from bot.desk.org import save

    import_org(db, org_file)
    org = Organisation.load(db)
    wang = org.people["王律师"]
    # Two people with the same Telegram id passes no validation: the database refuses the
    # second insert after the teams and the first people were already written.
    clash = replace(wang, name="冒名者", backup=None)
    broken = Organisation(
        list(org.teams.values()),
        list(org.communities.values()),
        [*org.people.values(), clash],
        org.shifts,
    )
    with pytest.raises(sqlite3.IntegrityError):
        save(db, broken, "broken")
    assert set(Organisation.load(db).people) == {"王律师", "小李", "陈律师"}
    assert org_source(db) == str(org_file)
