"""Reading and validating organisation files: YAML and XLSX, every error with its row."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import sqlite_utils

from bot.desk.org import Organisation, OrgFileError, OrgImportError, import_org
from bot.desk.org_io import parse_org_yaml, read_org

GOOD = {
    "teams": "  - {id: dongshan, name: 东山街团队, desk: {telegram: '-100123'}}\n",
    "communities": "  - {code: xinhepu, name: 新河浦社区, street: 东山街, team: dongshan}\n",
    "people": "  - {name: 王律师, role: adviser, team: dongshan, telegram: '123'}\n",
    "roster": "  - {person: 王律师, days: [mon], hours: '09:00-18:00'}\n",
}


def yaml_with(**extra: str) -> str:
    """The good file with extra list items appended under some keys."""
    return "".join(f"{key}:\n{GOOD[key]}{extra.get(key, '')}" for key in GOOD)


def errors_of(text: str) -> list[tuple[str, int, str]]:
    with pytest.raises(OrgImportError) as info:
        parse_org_yaml(text)
    return [(e.sheet, e.row, e.field) for e in info.value.errors]


def test_the_good_file_is_valid() -> None:
    org = parse_org_yaml(yaml_with())
    assert list(org.people) == ["王律师"]


@pytest.mark.parametrize(
    ("key", "item", "field"),
    [
        ("teams", "{id: dongshan, name: 重复}", "id"),
        ("teams", "{id: t2}", "name"),
        ("teams", "{id: t2, name: T, desk: {telegram: '-100123'}}", "desk_telegram"),
        ("teams", "{id: t2, name: T, desk: {wechat: x}}", "desk"),
        ("teams", "{id: t2, name: T, desk: {matrix: 'room'}}", "desk_matrix"),
        ("teams", "{id: t2, name: T, reminder_minutes: -5}", "reminder_minutes"),
        ("teams", "{id: t2, name: T, colour: red}", "colour"),
        ("communities", "{code: xinhepu, name: X, street: S, team: dongshan}", "code"),
        ("communities", "{code: 'a b', name: X, street: S, team: dongshan}", "code"),
        ("communities", "{code: c2, name: X, street: S, team: nowhere}", "team"),
        ("communities", "{code: c2, name: X, team: dongshan}", "street"),
        ("people", "{name: 王律师, role: adviser, team: dongshan, terminal: true}", "name"),
        ("people", "{name: 小李, role: intern, team: dongshan, terminal: true}", "role"),
        ("people", "{name: 小李, role: volunteer, team: nowhere, terminal: true}", "team"),
        ("people", "{name: 小李, role: volunteer, team: dongshan}", "telegram/matrix"),
        ("people", "{name: 小李, role: volunteer, team: dongshan, telegram: abc}", "telegram"),
        ("people", "{name: 小李, role: volunteer, team: dongshan, telegram: '123'}", "telegram"),
        ("people", "{name: 小李, role: volunteer, team: dongshan, matrix: li}", "matrix"),
        ("people", "{name: 小李, role: volunteer, team: dongshan, terminal: maybe}", "terminal"),
        ("people", "{name: 小李, role: volunteer, team: dongshan, terminal: true, backup: 陈}",
         "backup"),
        ("people", "{name: 小李, role: volunteer, team: dongshan, terminal: true, backup: 小李}",
         "backup"),
        ("roster", "{person: 陈律师, days: [mon], hours: '09:00-18:00'}", "person"),
        ("roster", "{person: 王律师, days: [mon], hours: '9-18'}", "hours"),
        ("roster", "{person: 王律师, days: [mon], hours: '25:00-26:00'}", "hours"),
        ("roster", "{person: 王律师, days: [mon], hours: '09:60-10:00'}", "hours"),
        ("roster", "{person: 王律师, days: [mon], hours: '09:00-24:30'}", "hours"),
        ("roster", "{person: 王律师, days: [mon], hours: '0900-1800'}", "hours"),
        ("roster", "{person: 王律师, days: [mon]}", "hours"),
        ("roster", "{person: 王律师, days: [funday], hours: '09:00-18:00'}", "days"),
        ("roster", "{person: 王律师, dates: [2026-13-01], hours: '09:00-18:00'}", "dates"),
        ("roster", "{person: 王律师, dates: [tomorrow], hours: '09:00-18:00'}", "dates"),
        ("roster", "{person: 王律师, hours: '09:00-18:00'}", "days/dates"),
    ],
)
def test_each_bad_row_is_named_with_its_line_and_field(key: str, item: str, field: str) -> None:
    text = yaml_with(**{key: f"  - {item}\n"})
    line = text.splitlines().index(f"  - {item}") + 1
    assert errors_of(text) == [(key, line, field)]


def test_every_error_is_reported_at_once_in_file_order() -> None:
    text = yaml_with(
        roster="  - {person: 陈律师, days: [fun], hours: '9-18'}\n",
        people="  - {name: 小李, role: boss, team: nowhere}\n",
    )
    found = errors_of(text)
    assert [f for _, _, f in found] == [
        "role", "team", "telegram/matrix", "person", "days", "hours",
    ]
    assert [s for s, _, _ in found] == ["people"] * 3 + ["roster"] * 3


def test_error_text_names_sheet_row_and_field_in_chinese() -> None:
    with pytest.raises(OrgImportError) as info:
        parse_org_yaml(yaml_with(roster="  - {person: 王律师, days: [mon], hours: '9-18'}\n"))
    assert str(info.value) == (
        "roster 第 9 行 hours：时间段应写成 09:00-18:00（跨夜如 18:00-09:00，全天 00:00-24:00），"
        "而不是 9-18"
    )


def test_missing_keys_and_unknown_keys_are_errors() -> None:
    assert errors_of("teams: []\nstaff: []\n") == [
        ("staff", 0, ""), ("communities", 0, ""), ("people", 0, ""),
    ]
    assert errors_of("- just a list\n") == [("", 0, "")]


def test_file_level_problems_raise_org_file_error(tmp_path: Path) -> None:
    with pytest.raises(OrgFileError, match="找不到"):
        read_org(tmp_path / "missing.yaml")
    (tmp_path / "org.csv").write_text("x", encoding="utf-8")
    with pytest.raises(OrgFileError, match=r"\.csv"):
        read_org(tmp_path / "org.csv")
    (tmp_path / "broken.yaml").write_text("teams: [\n", encoding="utf-8")
    with pytest.raises(OrgFileError, match="YAML"):
        read_org(tmp_path / "broken.yaml")
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    with pytest.raises(OrgFileError, match="Excel"):
        read_org(tmp_path / "broken.xlsx")


def test_days_accept_ranges_chinese_names_and_every_day() -> None:
    org = parse_org_yaml(yaml_with(roster=(
        "  - {person: 王律师, days: [mon-fri], hours: '09:00-18:00'}\n"
        "  - {person: 王律师, days: [周六, 星期日], hours: '09:00-12:00'}\n"
        "  - {person: 王律师, days: [每天], hours: '00:00-24:00'}\n"
        "  - {person: 王律师, days: 'fri-mon', hours: '22:00-06:00'}\n"
    )))
    assert [s.days for s in org.shifts[1:]] == [
        ("mon", "tue", "wed", "thu", "fri"),
        ("sat", "sun"),
        ("mon", "tue", "wed", "thu", "fri", "sat", "sun"),
        ("mon", "fri", "sat", "sun"),
    ]
    assert (org.shifts[3].start, org.shifts[3].end) == (time(0), time(0))


def write_xlsx(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(row)
    book.save(path)
    return path


XLSX_SHEETS: dict[str, list[list[Any]]] = {
    "teams": [
        ["id", "name", "desk_telegram", "desk_matrix", "reminder_minutes",
         "urgent_reminder_minutes"],
        ["dongshan", "东山街法律顾问团队", -1001234567, "!room:example.org", 20, 5],
    ],
    "communities": [
        ["code", "name", "street", "team"],
        ["xinhepu", "新河浦社区", "东山街", "dongshan"],
        [None, None, None, None],  # a blank row in the middle is skipped
        ["dongyuan", "东园新村社区", "东山街", "dongshan"],
    ],
    "people": [
        ["name", "role", "team", "telegram", "matrix", "terminal", "backup", "note"],
        ["王律师", "adviser", "dongshan", 123456789.0, "@wang:example.org", None, "小李", "主任"],
        ["小李", "volunteer", "dongshan", None, None, "是", None, None],
    ],
    "roster": [
        ["person", "days", "dates", "hours"],
        ["王律师", "mon|tue, wed", None, "09:00-18:00"],
        ["小李", None, datetime(2026, 12, 5), "18:00-09:00"],
        ["小李", None, "2026-12-24|2026-12-31", "00:00-24:00"],
    ],
}


def test_xlsx_import_reads_one_sheet_per_key(db: sqlite_utils.Database, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "org.xlsx", XLSX_SHEETS)
    assert import_org(db, path) == {"teams": 1, "communities": 2, "people": 2, "roster": 3}
    org = Organisation.load(db)
    team = org.teams["dongshan"]
    assert team.desk == {"telegram": "-1001234567", "matrix": "!room:example.org"}
    assert (team.reminder_minutes, team.urgent_reminder_minutes) == (20, 5)
    assert org.people["王律师"].identities["telegram"] == "123456789"
    assert org.people["小李"].identities == {}
    assert org.shifts[0].days == ("mon", "tue", "wed")
    assert org.shifts[1].dates == (date(2026, 12, 5),)
    assert org.shifts[1].end == time(9)
    assert org.shifts[2].dates == (date(2026, 12, 24), date(2026, 12, 31))


def test_xlsx_errors_name_the_sheet_and_spreadsheet_row(
    db: sqlite_utils.Database, tmp_path: Path
) -> None:
    sheets = {key: [list(r) for r in rows] for key, rows in XLSX_SHEETS.items()}
    sheets["communities"][3][3] = "nowhere"
    sheets["people"][2][5] = None  # 小李 left with no chat identity
    sheets["roster"][3][3] = "9-18"
    path = write_xlsx(tmp_path / "org.xlsx", sheets)
    with pytest.raises(OrgImportError) as info:
        import_org(db, path)
    assert [(e.sheet, e.row, e.field) for e in info.value.errors] == [
        ("communities", 4, "team"),
        ("people", 3, "telegram/matrix"),
        ("roster", 4, "hours"),
    ]
    assert db.execute("SELECT count(*) FROM teams").fetchone()[0] == 0


def test_xlsx_without_a_people_sheet_is_an_error(tmp_path: Path) -> None:
    sheets = {k: v for k, v in XLSX_SHEETS.items() if k != "people"}
    with pytest.raises(OrgImportError) as info:
        read_org(write_xlsx(tmp_path / "org.xlsx", sheets))
    assert ("people", 0, "") in [(e.sheet, e.row, e.field) for e in info.value.errors]


@pytest.mark.parametrize(
    "room",
    ["!room:example.org", "!Xf3kP9aZ_-b7qL2mN8cV1wR4tY6uI0oE5sD3fG7hJ9k", "#desk:example.org"],
)
def test_matrix_desk_rooms_of_every_room_version_are_accepted(room: str) -> None:
    text = yaml_with(teams=f"  - {{id: t2, name: T, desk: {{matrix: '{room}'}}}}\n")
    assert parse_org_yaml(text).teams["t2"].desk == {"matrix": room}
