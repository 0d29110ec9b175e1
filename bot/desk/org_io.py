"""Reading and validating the organisation file (YAML or XLSX) before anything is saved.

YAML: a mapping with the lists ``teams``, ``communities``, ``people`` and ``roster`` (shape in
DESIGN.md); errors name the key and the line of the list item.

XLSX: one sheet per key with a header row; errors name the sheet and the spreadsheet row.
Columns — teams: ``id, name, desk_telegram, desk_matrix, desk_terminal, reminder_minutes,
urgent_reminder_minutes``; communities: ``code, name, street, team``; people: ``name, role,
team, telegram, matrix, terminal, backup, specialties``; roster: ``person, days, dates, hours``;
pools (optional): ``id, name, people``; onsite (optional): ``community, person, days, dates,
hours, slot_minutes, place``; legal_aid (optional, one row; in YAML a mapping): ``centre,
address, phone, income_standard``. List cells (days, dates, specialties, people) are
separated by ``|`` or ``,``. A ``note`` column is allowed and ignored.

Chat identity: a person needs a Telegram or Matrix id, or ``terminal: true`` to say they work
only from the terminal (``lawbot tickets``); everyone can use the terminal under their name.

Bad files end in a message, never a traceback: files over :data:`MAX_FILE_BYTES`, encodings
other than UTF-8 / readable GBK, minutes over a week; YAML is read by :mod:`bot.desk.org_yaml`
(no aliases, no duplicate keys, bounded nesting) and rows are held to the limits of
:mod:`bot.desk.org_checks` (rows per sheet, text length, no list or mapping where text belongs).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from bot.desk.org import (
    ROLES,
    Community,
    Organisation,
    OrgFileError,
    OrgImportError,
    Person,
    RowError,
    Shift,
    Team,
)
from bot.desk.org_checks import Row, within_limits
from bot.desk.org_rows import Checker, items, text, when
from bot.desk.org_services import read_legal_aid, read_onsite, read_pools
from bot.desk.org_yaml import load_yaml
from bot.texts import org as t
from knowledge.files import UnknownEncoding, decode_csv, read_sheets

SHEETS = ("teams", "communities", "people", "roster", "pools", "onsite", "legal_aid")
REQUIRED_SHEETS = ("teams", "communities", "people")
MAX_FILE_BYTES = 5 * 1024 * 1024  # a district of 220 communities is ~100 KB of YAML
MAX_CATEGORY = 40  # as long as an FAQ category may be (knowledge/faqcheck.py)
CHECKS = {
    ("user", "telegram"): (re.compile(r"^\d{1,20}$"), t.BAD_TELEGRAM_USER),
    ("user", "matrix"): (re.compile(r"^@[^:\s]+:\S+$"), t.BAD_MATRIX_USER),
    ("desk", "telegram"): (re.compile(r"^-?\d{1,20}$"), t.BAD_TELEGRAM_CHAT),
    ("desk", "matrix"): (re.compile(r"^(![^:\s]+(:\S+)?|#[^:\s]+:\S+)$"), t.BAD_MATRIX_ROOM),
}



def read_org(path: Path) -> Organisation:
    """Read and validate the organisation file at ``path`` (.yaml, .yml or .xlsx)."""
    if not path.is_file():
        raise OrgFileError(t.FILE_NOT_FOUND.format(path=path))
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise OrgFileError(t.FILE_TOO_LARGE.format(size=size, limit=MAX_FILE_BYTES, path=path))
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        try:
            text = decode_csv(path.read_bytes())
        except UnknownEncoding as exc:
            raise OrgFileError(f"{path}：{exc}") from exc
        return parse_org_yaml(text, str(path))
    if suffix == ".xlsx":
        return validate(_xlsx_sheets(path))
    raise OrgFileError(t.BAD_EXTENSION.format(suffix=suffix or "（无扩展名）"))


def parse_org_yaml(text: str, name: str = "<yaml>") -> Organisation:
    """Validate an organisation written as YAML text."""
    data, node = load_yaml(text, name)
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        raise OrgImportError([RowError("", 0, "", t.NOT_A_MAPPING)])
    lines: dict[str, list[int]] = {}
    for key_node, value_node in node.value:
        if isinstance(value_node, yaml.SequenceNode):
            lines[str(key_node.value)] = [item.start_mark.line + 1 for item in value_node.value]
        elif isinstance(value_node, yaml.MappingNode):  # legal_aid: one row written as a mapping
            lines[str(key_node.value)] = [value_node.start_mark.line + 1]
    sheets: dict[str, list[Row]] = {}
    errors: list[RowError] = []
    for key, listed in data.items():
        if key not in SHEETS:
            errors.append(RowError(str(key), 0, "", t.UNKNOWN_FIELD.format(value=key)))
        elif listed is None:
            sheets[key] = []
        elif key == "legal_aid" and isinstance(listed, dict):
            sheets[key] = [(lines[key][0], {str(k): v for k, v in listed.items()})]
        elif not isinstance(listed, list):
            errors.append(RowError(key, 0, "", t.NOT_A_LIST))
        else:
            rows: list[Row] = []
            for line, item in zip(lines.get(key, []), listed, strict=False):
                if isinstance(item, dict):
                    rows.append((line, {str(k): v for k, v in item.items()}))
                else:
                    errors.append(RowError(key, line, "", t.NOT_A_ROW))
            sheets[key] = rows
    return validate(sheets, errors)


def _xlsx_sheets(path: Path) -> dict[str, list[Row]]:
    """Each known sheet's rows as (spreadsheet row number, {header: cell})."""
    workbook, errors = read_sheets(path)
    if errors:
        raise OrgFileError(t.BAD_XLSX.format(path=path, error=errors[0].message))
    sheets: dict[str, list[Row]] = {}
    for title, table in workbook.items():
        key = title.strip().lower()
        if key not in SHEETS or not table:
            continue
        header = [str(h).strip().lower() if h is not None else "" for h in table[0]]
        found: list[Row] = []
        for number, cells in enumerate(table[1:], start=2):
            values = {h: v for h, v in zip(header, cells, strict=False) if h}
            if any(text(v) for v in values.values()):
                found.append((number, values))
        sheets[key] = found
    return sheets


def _chats(values: dict[str, Any], prefix: str) -> Iterable[tuple[str, str, str]]:
    """(field, channel, id) for each chat id given flat (``desk_telegram``) or nested."""
    for channel in ("telegram", "matrix", "terminal"):
        field = f"{prefix}{channel}"
        if text(values.get(field)):
            yield field, channel, text(values.get(field))


def _teams(rows: list[Row], errors: list[RowError]) -> list[Team]:
    check, teams = Checker("teams", errors), []
    desks: dict[tuple[str, str], str] = {}
    for row, values in rows:
        check.known_fields(row, values)
        team_id = check.required(row, values, "id")
        check.unique(row, "id", team_id)
        name = check.required(row, values, "name")
        desk_cells = dict(values)
        nested = values.get("desk")
        if isinstance(nested, dict):
            for channel, chat in nested.items():
                if channel not in ("telegram", "matrix", "terminal"):
                    check.error(row, "desk", t.UNKNOWN_CHANNEL.format(value=channel))
                desk_cells[f"desk_{channel}"] = chat
        elif nested is not None:
            check.error(row, "desk", t.BAD_DESK)
        desk: dict[str, str] = {}
        for field, channel, chat in _chats(desk_cells, "desk_"):
            pattern = CHECKS.get(("desk", channel))
            if pattern and not pattern[0].match(chat):
                check.error(row, field, pattern[1].format(value=chat))
            elif (channel, chat) in desks:
                check.error(row, field, t.DESK_TAKEN.format(value=desks[channel, chat]))
            else:
                desks[channel, chat] = team_id
                desk[channel] = chat
        minutes = check.minutes(row, values, "reminder_minutes", 30)
        urgent = check.minutes(row, values, "urgent_reminder_minutes", 10)
        teams.append(Team(team_id, name, desk, minutes, urgent))
    return teams


def _communities(rows: list[Row], team_ids: set[str], errors: list[RowError]) -> list[Community]:
    check, found = Checker("communities", errors), []
    for row, values in rows:
        check.known_fields(row, values)
        code = check.key(row, values, "code")
        name = check.required(row, values, "name")
        street = check.required(row, values, "street")
        team = check.required(row, values, "team")
        if team and team not in team_ids:
            check.error(row, "team", t.UNKNOWN_TEAM.format(value=team))
        found.append(Community(code, name, street, team))
    return found


def _terminal_flag(check: Checker, row: int, value: Any) -> bool:
    if value is None or value is False or text(value).lower() in ("", "false", "no", "0", "否"):
        return False
    if value is True or text(value).lower() in ("true", "yes", "1", "是"):
        return True
    check.error(row, "terminal", t.BAD_TERMINAL.format(value=text(value)))
    return True


def _people(rows: list[Row], team_ids: set[str], errors: list[RowError]) -> list[Person]:
    check, found = Checker("people", errors), []
    owners: dict[tuple[str, str], str] = {}
    names = {text(v.get("name")) for _, v in rows}
    for row, values in rows:
        check.known_fields(row, values)
        name = check.required(row, values, "name")
        check.unique(row, "name", name)
        role = check.required(row, values, "role").lower()
        if role and role not in ROLES:
            check.error(row, "role", t.BAD_ROLE.format(value=role))
        team = check.required(row, values, "team")
        if team and team not in team_ids:
            check.error(row, "team", t.UNKNOWN_TEAM.format(value=team))
        identities: dict[str, str] = {}
        for field, channel, uid in _chats(values, ""):
            if channel == "terminal":
                continue
            pattern, message = CHECKS["user", channel]
            if not pattern.match(uid):
                check.error(row, field, message.format(value=uid))
            elif (channel, uid) in owners:
                check.error(row, field, t.IDENTITY_TAKEN.format(value=owners[channel, uid]))
            else:
                owners[channel, uid] = name
                identities[channel] = uid
        terminal = _terminal_flag(check, row, values.get("terminal"))
        if not identities and not terminal and not any(
            text(values.get(f)) for f in ("telegram", "matrix")
        ):
            check.error(row, "telegram/matrix", t.NO_IDENTITY)
        backup = text(values.get("backup")) or None
        if backup is not None and backup not in names:
            check.error(row, "backup", t.UNKNOWN_PERSON.format(value=backup))
        elif backup is not None and backup == name:
            check.error(row, "backup", t.SELF_BACKUP)
        specialties = tuple(dict.fromkeys(text(v) for v in items(values.get("specialties"))))
        for value in specialties:
            if len(value) > MAX_CATEGORY:
                check.error(row, "specialties", t.BAD_SPECIALTY.format(value=value[:20]))
        found.append(Person(name, role, team, identities, backup, specialties))
    return found


def _shifts(rows: list[Row], names: set[str], errors: list[RowError]) -> list[Shift]:
    check, found = Checker("roster", errors), []
    for row, values in rows:
        check.known_fields(row, values)
        person = check.required(row, values, "person")
        if person and person not in names:
            check.error(row, "person", t.UNKNOWN_PERSON.format(value=person))
        found_when = when(check, row, values)
        if found_when is not None:
            found.append(Shift(person, *found_when))
    return found


def validate(sheets: dict[str, list[Row]], errors: list[RowError] | None = None) -> Organisation:
    """Build the organisation from raw rows, or raise OrgImportError listing every problem."""
    errors = list(errors or [])
    sheets = within_limits(sheets, errors)
    for key in REQUIRED_SHEETS:
        if key not in sheets:
            errors.append(RowError(key, 0, "", t.MISSING_SHEET.format(value=key)))
    teams = _teams(sheets.get("teams", []), errors)
    team_ids = {team.id for team in teams if team.id}
    communities = _communities(sheets.get("communities", []), team_ids, errors)
    people = _people(sheets.get("people", []), team_ids, errors)
    shifts = _shifts(sheets.get("roster", []), {p.name for p in people if p.name}, errors)
    named = {p.name: p for p in people if p.name}
    pools = read_pools(sheets.get("pools", []), named, errors)
    onsite = read_onsite(
        sheets.get("onsite", []), {c.code: c for c in communities}, named, errors
    )
    legal_aid = read_legal_aid(sheets.get("legal_aid", []), errors)
    if errors:
        order = {key: i for i, key in enumerate(("", *SHEETS))}
        errors.sort(key=lambda e: (order.get(e.sheet, 0), e.row))
        raise OrgImportError(errors)
    return Organisation(teams, communities, people, shifts, pools, onsite, legal_aid)
