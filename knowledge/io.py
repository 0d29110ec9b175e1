"""FAQ import and export: CSV, XLSX and JSONL (by extension), all-or-nothing imports.

Columns / keys are exactly DESIGN.md's: ``id, category, question, alternates, answer,
legal_basis, communities, status``; in CSV and XLSX list cells are joined with ``|``.
Rows are numbered as a spreadsheet shows them (the header is row 1) and JSONL by line.

Files are read through :mod:`knowledge.files` (limits, encodings, the generic
:func:`~knowledge.files.read_table`, formula neutralising); CSV export writes cells with
:func:`~knowledge.files.spreadsheet_safe`, so a spreadsheet never runs them as formulas and an
export → import round trip keeps the text exactly.
"""

from __future__ import annotations

import csv
import dataclasses
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from knowledge import texts
from knowledge.faq import REVIEWED_FIELDS, FaqEntry, FaqStore
from knowledge.faqcheck import LIST_FIELDS, clean_list, clean_text, normalize, problems
from knowledge.files import (
    MAX_ROWS,
    DuplicateKey,
    RowError,
    UnknownEncoding,
    decode_csv,
    json_depth,
    read_limited,
    read_table,
    spreadsheet_safe,
    unique_keys,
)
from knowledge.laws import LawStore

FIELDS = ("id", "category", "question", "alternates", "answer", "legal_basis", "communities",
          "status")
REQUIRED_COLUMNS = ("question", "answer")
FORMATS = (".csv", ".xlsx", ".jsonl")
PROGRESS_STEP = 100
MAX_JSON_DEPTH = 20  # an FAQ record is 2 deep (object → list of text)
Progress = Callable[[int], None]


class ImportFailed(Exception):
    """The file had bad rows; nothing was imported. ``errors`` lists every one."""

    def __init__(self, errors: list[RowError]) -> None:
        lines = [texts.import_failed(len(errors))] + [f"  {e}" for e in errors]
        super().__init__("\n".join(lines))
        self.errors = errors


class UnsupportedFormat(ValueError):
    """The file extension is not .csv, .xlsx or .jsonl."""

    def __init__(self, suffix: str) -> None:
        super().__init__(texts.unsupported_format(suffix))
        self.suffix = suffix


@dataclass(frozen=True)
class RawRow:
    """One data row as read from a file, before validation."""

    row: int
    values: dict[str, Any]


def _format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise UnsupportedFormat(suffix)
    return suffix


# --- reading --------------------------------------------------------------------------------

def _table_rows(
    rows: list[list[Any]],
    fields: tuple[str, ...] = FIELDS,
    required: tuple[str, ...] = REQUIRED_COLUMNS,
) -> tuple[list[RawRow], list[RowError]]:
    """Header + data rows of a CSV/XLSX sheet as RawRows (blank rows skipped)."""
    if not rows:
        return [], [RowError(1, c, texts.missing_column(c, fields)) for c in required]
    header = [clean_text(h).lstrip("\ufeff").lower() for h in rows[0]]
    errors = [
        RowError(1, c, texts.missing_column(c, fields)) for c in required if c not in header
    ]
    if errors:
        return [], errors
    raw = []
    for number, cells in enumerate(rows[1:], start=2):
        if all(clean_text(c) == "" for c in cells):
            continue
        values = {
            name: cells[i] if i < len(cells) else None
            for i, name in enumerate(header)
            if name in fields
        }
        raw.append(RawRow(number, values))
    return raw, errors


def read_csv(
    path: Path, fields: tuple[str, ...] = FIELDS, required: tuple[str, ...] = REQUIRED_COLUMNS
) -> tuple[list[RawRow], list[RowError]]:
    """Rows of a CSV file in any encoding Excel saves; comma or tab separated."""
    rows, errors = read_table(path)
    return _table_rows(rows, fields, required) if not errors else ([], errors)


def read_xlsx(
    path: Path,
    fields: tuple[str, ...] = FIELDS,
    required: tuple[str, ...] = REQUIRED_COLUMNS,
    sheet_name: str = "faq",
) -> tuple[list[RawRow], list[RowError]]:
    """Rows of the sheet called ``sheet_name``, else of the first sheet of an XLSX workbook."""
    rows, errors = read_table(path, sheet=sheet_name)
    return _table_rows(rows, fields, required) if not errors else ([], errors)


def read_jsonl(
    path: Path, fields: tuple[str, ...] = FIELDS
) -> tuple[list[RawRow], list[RowError]]:
    """Objects of a JSONL file, one per line (blank lines skipped), within the limits."""
    data, errors = read_limited(path)
    if data is None:
        return [], errors
    try:
        text = decode_csv(data)
    except UnknownEncoding as error:
        return [], [RowError(1, "file", str(error))]
    raw: list[RawRow] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if len(raw) >= MAX_ROWS:
            return [], [RowError(number, "file", texts.too_many_rows(MAX_ROWS))]
        if json_depth(line) > MAX_JSON_DEPTH:
            errors.append(RowError(number, "file", texts.nested_too_deep(MAX_JSON_DEPTH)))
            continue
        try:
            value = json.loads(line, object_pairs_hook=unique_keys)
        except json.JSONDecodeError as e:
            errors.append(RowError(number, "file", texts.bad_json(str(e))))
            continue
        except DuplicateKey as e:
            errors.append(RowError(number, e.key, texts.duplicate_key(e.key)))
            continue
        if not isinstance(value, dict):
            errors.append(RowError(number, "file", texts.bad_json(type(value).__name__)))
            continue
        raw.append(RawRow(number, {k: v for k, v in value.items() if k in fields}))
    return raw, errors


def read_rows(
    path: str | Path, fields: tuple[str, ...], required: tuple[str, ...], sheet_name: str
) -> tuple[list[RawRow], list[RowError]]:
    """The rows of any tabular file (CSV/XLSX/JSONL by extension) with these columns.

    Rows are numbered as a spreadsheet shows them (JSONL: by line); unknown columns are
    dropped. The FAQ importer and the bot's work log both read through here.
    """
    p = Path(path)
    kind = _format(p)
    if kind == ".csv":
        return read_csv(p, fields, required)
    if kind == ".xlsx":
        return read_xlsx(p, fields, required, sheet_name)
    return read_jsonl(p, fields)


def read_faq_file(path: str | Path) -> tuple[list[RawRow], list[RowError]]:
    """The rows of an FAQ file and any problems reading it, by extension."""
    return read_rows(path, FIELDS, REQUIRED_COLUMNS, "faq")


# --- validating and importing --------------------------------------------------------------

def _list_value(value: Any) -> tuple[str, ...] | None:
    if value is None:
        return ()
    if isinstance(value, list | tuple):
        if not all(isinstance(v, str | int | float) for v in value):
            return None
        return clean_list(value)
    if isinstance(value, dict):
        return None
    return clean_list(str(value).split("|"))


def entry_from_row(raw: RawRow) -> tuple[FaqEntry | None, list[RowError]]:
    """The FaqEntry a row describes (not yet validated), or the row's shape errors."""
    errors = []
    lists: dict[str, tuple[str, ...]] = {}
    for name in LIST_FIELDS:
        items = _list_value(raw.values.get(name))
        if items is None:
            errors.append(RowError(raw.row, name, texts.bad_list(name)))
        else:
            lists[name] = items
    if errors:
        return None, errors
    for name in FIELDS:
        value = raw.values.get(name)
        if name not in LIST_FIELDS and isinstance(value, dict | list | tuple):
            kind = "对象" if isinstance(value, dict) else "列表"
            errors.append(RowError(raw.row, name, texts.not_text(name, kind)))
    if errors:
        return None, errors
    values = {n: clean_text(raw.values.get(n)) for n in FIELDS if n not in LIST_FIELDS}
    entry = FaqEntry(
        id=values["id"],
        category=values["category"],
        question=values["question"],
        answer=values["answer"],
        status=values["status"] or "draft",
        alternates=lists["alternates"],
        legal_basis=lists["legal_basis"],
        communities=lists["communities"],
    )
    return normalize(entry), []


def import_rows(
    db: sqlite_utils.Database,
    rows: list[RawRow],
    by: str,
    laws: LawStore | None = None,
    progress: Progress | None = None,
    read_errors: list[RowError] | None = None,
    signoff: str | None = None,
) -> int:
    """Validate every row, then write them all in one transaction; return entries written.

    An id already in the database is updated as a new version (unchanged entries are left
    alone); a row without id gets a generated one.

    A row marked ``published`` that would put unreviewed text live (a new entry, one not yet
    published, or a changed answer or citations) needs an adviser's sign-off and a citation,
    as ``faq publish`` does: ``signoff`` names the adviser who reviewed those rows (the caller
    checks that they are one); without it such a row is an error.

    Raises:
        ImportFailed: listing every bad row (and ``read_errors``); nothing is written.
    """
    store = FaqStore(db, laws)
    errors: list[RowError] = list(read_errors or [])
    first_row: dict[str, int] = {}
    planned: list[tuple[FaqEntry, FaqEntry | None]] = []
    missing_ids = sum(1 for r in rows if not clean_text(r.values.get("id")))
    fresh_ids = iter(store.new_ids(missing_ids))
    existing = {e.id: e for e in store.list()}
    for done, raw in enumerate(rows, start=1):
        entry, shape_errors = entry_from_row(raw)
        errors.extend(shape_errors)
        if entry is not None:
            if not entry.id:
                entry = dataclasses.replace(entry, id=next(fresh_ids))
            elif entry.id in first_row:
                message = texts.duplicate_id(entry.id, first_row[entry.id])
                errors.append(RowError(raw.row, "id", message))
            else:
                first_row[entry.id] = raw.row
            previous = existing.get(entry.id)
            if previous is not None:
                entry = dataclasses.replace(entry, review_by=previous.review_by)
                if (entry.answer, entry.legal_basis) == (previous.answer, previous.legal_basis):
                    # the file does not carry the sign-off: keep it while what was signed stays
                    entry = dataclasses.replace(entry, reviewed_by=previous.reviewed_by,
                                                reviewed_at=previous.reviewed_at)
            if entry.status == "published":
                entry, refusals = _going_live(entry, previous, signoff, store)
                errors.extend(RowError(raw.row, f, m) for f, m in refusals)
            errors.extend(RowError(raw.row, f, m) for f, m in problems(entry, laws))
            if previous is None or previous.content() != entry.content():
                planned.append((entry, previous))
        if progress and done % PROGRESS_STEP == 0:
            progress(PROGRESS_STEP)
    if progress and len(rows) % PROGRESS_STEP:
        progress(len(rows) % PROGRESS_STEP)
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: e.row))
    return store.write_all(planned, by)


def _going_live(
    entry: FaqEntry, previous: FaqEntry | None, signoff: str | None, store: FaqStore
) -> tuple[FaqEntry, list[tuple[str, str]]]:
    """A published row as it may go live (signed by ``signoff`` when it carries no sign-off), or
    the reasons it may not. A row that keeps an already-published answer and citations
    unchanged puts nothing new live and passes as it is."""
    if previous is not None and previous.status == "published" and all(
        getattr(entry, f) == getattr(previous, f) for f in REVIEWED_FIELDS
    ):
        return entry, []
    refusals = []
    if not entry.reviewed_by and signoff is None:
        refusals.append(("status", texts.import_needs_signoff(entry.id)))
    if not entry.legal_basis:
        refusals.append(("legal_basis", texts.no_citation(entry.id)))
    if refusals or entry.reviewed_by:
        return entry, refusals
    reviewed_at = store.clock().isoformat(timespec="seconds")
    return dataclasses.replace(entry, reviewed_by=signoff, reviewed_at=reviewed_at), []


def import_faq(
    db: sqlite_utils.Database,
    path: str | Path,
    by: str,
    laws: LawStore | None = None,
    progress: Progress | None = None,
    signoff: str | None = None,
) -> int:
    """Import an FAQ file (CSV/XLSX/JSONL by extension), all or nothing; return entries written.

    Raises:
        UnsupportedFormat: for another extension.
        ImportFailed: listing every bad row with its row number and field.
    """
    rows, errors = read_faq_file(path)
    return import_rows(db, rows, by, laws, progress, read_errors=errors, signoff=signoff)


# --- exporting ------------------------------------------------------------------------------

def _cells(entry: FaqEntry) -> list[str]:
    return [
        "|".join(getattr(entry, n)) if n in LIST_FIELDS else str(getattr(entry, n))
        for n in FIELDS
    ]


def export_faq(db: sqlite_utils.Database, path: str | Path) -> int:
    """Write every entry (any status) to ``path`` by extension; return the number written."""
    p = Path(path)
    kind = _format(p)
    entries = FaqStore(db).list()
    p.parent.mkdir(parents=True, exist_ok=True)
    if kind == ".csv":
        # UTF-8 with BOM: what Excel needs to open Chinese text correctly.
        with p.open("w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f, lineterminator="\r\n")
            writer.writerow(FIELDS)
            writer.writerows([spreadsheet_safe(c) for c in _cells(e)] for e in entries)
    elif kind == ".xlsx":
        _write_xlsx(p, entries)
    else:
        with p.open("w", encoding="utf-8") as f:
            for e in entries:
                record = {n: list(getattr(e, n)) if n in LIST_FIELDS else getattr(e, n)
                          for n in FIELDS}
                f.write(json.dumps(record, ensure_ascii=False) + "\n")
    return len(entries)


def _write_xlsx(path: Path, entries: list[FaqEntry]) -> None:
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("faq")
    sheet.append(list(FIELDS))
    for entry in entries:
        row = []
        for value in _cells(entry):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"  # never a formula, even when the text starts with "="
            row.append(cell)
        sheet.append(row)
    workbook.save(path)
