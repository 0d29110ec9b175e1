"""The starter FAQ: knowledge/starter/*.yaml, loaded by ``lawbot init``.

File format: ``{category: 租房, entries: [{id, question, alternates, answer, legal_basis,
communities?, status?}]}``; ``status: draft`` keeps an entry a draft even in the demo.

The starter entries are sample content no licensed adviser of the district has reviewed: they
load as unreviewed drafts, for the district's adviser to review (``lawbot faq list
--unreviewed``, ``lawbot faq signoff``) and publish; only the demo (``lawbot init --demo``)
publishes them straight away.
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
            # "published" here means: published by the demo; a file may keep one a draft
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
    publish: bool = False,
) -> int:
    """Load the starter FAQ, all or nothing; return how many entries were added or updated.

    New entries are unreviewed drafts, or published when ``publish`` (the demo). Idempotent:
    an entry already there is left alone unless the starter file changed it (or ``publish``
    asks to publish it) and nobody but the starter has edited it since (then it gets a new
    version, keeping its status unless ``publish``).

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
        status = entry.status if publish else previous.status if previous else "draft"
        entry = dataclasses.replace(entry, status=status)
        if previous is None:
            planned.append((entry, None))
            continue
        entry = dataclasses.replace(entry, review_by=previous.review_by)
        if previous.updated_by == by and previous.content() != entry.content():
            planned.append((entry, previous))
    return store.write_all(planned, by)
