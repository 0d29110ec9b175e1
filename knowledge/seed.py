"""The starter FAQ: knowledge/starter/*.yaml, loaded by ``lawbot init``.

File format: ``{category: 租房, entries: [{id, question, alternates, answer, legal_basis,
communities?, status?}]}``; entries are published unless they say otherwise.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import sqlite_utils
import yaml

from knowledge import texts
from knowledge.faq import FaqEntry, FaqStore
from knowledge.faqcheck import problems
from knowledge.io import ImportFailed, RawRow, RowError, entry_from_row
from knowledge.laws import LawStore

STARTER_DIR = Path(__file__).resolve().parent / "starter"
STARTER_BY = "starter"


def starter_files(folder: Path = STARTER_DIR) -> list[Path]:
    """The starter YAML files, in name order."""
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])


def read_starter(
    folder: Path = STARTER_DIR, laws: LawStore | None = None
) -> tuple[list[FaqEntry], list[RowError]]:
    """Every starter entry, and every problem (row = entry number within its file, from 1)."""
    entries: list[FaqEntry] = []
    errors: list[RowError] = []
    seen: dict[str, tuple[str, int]] = {}
    for path in starter_files(folder):
        source = path.name
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as e:
            errors.append(RowError(0, "file", texts.unreadable_file(str(e)), source))
            continue
        if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
            errors.append(RowError(0, "file", texts.unreadable_file("entries"), source))
            continue
        category = str(data.get("category") or "")
        for number, item in enumerate(data["entries"], start=1):
            if not isinstance(item, dict):
                errors.append(RowError(number, "file", texts.bad_json("entry"), source))
                continue
            values: dict[str, Any] = {"category": category, "status": "published", **item}
            entry, shape = entry_from_row(RawRow(number, values))
            errors.extend(dataclasses.replace(e, source=source) for e in shape)
            if entry is None:
                continue
            if not entry.id:
                errors.append(RowError(number, "id", texts.required("id"), source))
            elif entry.id in seen:
                message = texts.duplicate_starter_id(entry.id, *seen[entry.id])
                errors.append(RowError(number, "id", message, source))
            seen.setdefault(entry.id, (source, number))
            errors.extend(RowError(number, f, m, source) for f, m in problems(entry, laws))
            entries.append(entry)
    return entries, errors


def load_starter(
    db: sqlite_utils.Database,
    by: str = STARTER_BY,
    folder: Path = STARTER_DIR,
    laws: LawStore | None = None,
) -> int:
    """Load the starter FAQ, all or nothing; return how many entries were added or updated.

    Idempotent: an entry already there is left alone unless the starter file changed it and
    nobody but the starter has edited it since (then it gets a new version).

    Raises:
        ImportFailed: listing every bad entry by file, entry number and field.
    """
    if laws is None:
        candidate = LawStore(db)
        laws = candidate if candidate.count() else None
    entries, errors = read_starter(folder, laws)
    if errors:
        raise ImportFailed(errors)
    store = FaqStore(db, laws)
    planned: list[tuple[FaqEntry, FaqEntry | None]] = []
    for entry in entries:
        previous = store.get(entry.id) if store.exists(entry.id) else None
        if previous is None:
            planned.append((entry, None))
        elif previous.updated_by == by and previous.content() != dataclasses.replace(
            entry, review_by=previous.review_by
        ).content():
            planned.append((dataclasses.replace(entry, review_by=previous.review_by), previous))
    return store.write_all(planned, by)
