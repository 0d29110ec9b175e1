"""Normalising and validating FAQ entries (shared by the store, imports and the starter)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from knowledge import texts
from knowledge.citations import CitationSyntaxError, parse_citation

if TYPE_CHECKING:
    from knowledge.faq import FaqEntry
    from knowledge.laws import LawStore

STATUSES = ("published", "draft", "archived")
LIST_FIELDS = ("alternates", "legal_basis", "communities")
TEXT_FIELDS = ("id", "category", "question", "answer", "status")

# Longest cell per field (list fields: per item). Excel holds 32,767 characters in a cell;
# these are far below it and well above the longest starter entry.
MAX_LENGTH = {
    "id": 64,
    "category": 40,
    "question": 300,
    "answer": 5000,
    "status": 20,
    "alternates": 300,
    "legal_basis": 120,
    "communities": 64,
}
MAX_ITEMS = {"alternates": 100, "legal_basis": 30, "communities": 500}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BAD_ID = re.compile(r"[\s|\x00-\x1f\x7f]")


def clean_text(value: object) -> str:
    """A cell as text: None → '', numbers without a trailing .0, CRLF → LF, ends trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def clean_list(values: Iterable[object]) -> tuple[str, ...]:
    """List items as cleaned text, empty ones dropped."""
    items = (clean_text(v) for v in values)
    return tuple(item for item in items if item)


def normalize(entry: FaqEntry) -> FaqEntry:
    """The entry with trimmed text and tidy lists, so what is stored round-trips exactly."""
    return dataclasses.replace(
        entry,
        id=clean_text(entry.id),
        category=clean_text(entry.category),
        question=clean_text(entry.question),
        answer=clean_text(entry.answer),
        status=clean_text(entry.status).lower(),
        alternates=clean_list(entry.alternates),
        legal_basis=clean_list(entry.legal_basis),
        communities=clean_list(entry.communities),
        review_by=clean_text(entry.review_by) or None,
    )


def problems(entry: FaqEntry, laws: LawStore | None = None) -> list[tuple[str, str]]:
    """Everything wrong with a normalised entry, as (field, Chinese message) pairs."""
    found: list[tuple[str, str]] = []
    for field in ("question", "answer"):
        if not getattr(entry, field):
            found.append((field, texts.required(field)))
    if entry.status not in STATUSES:
        found.append(("status", texts.unknown_status(entry.status)))
    if entry.id and _BAD_ID.search(entry.id):
        found.append(("id", texts.bad_id(entry.id)))
    for field in TEXT_FIELDS:
        value = getattr(entry, field)
        if len(value) > MAX_LENGTH[field]:
            found.append((field, texts.too_long(field, len(value), MAX_LENGTH[field])))
        elif _CONTROL.search(value):
            found.append((field, texts.control_chars(field)))
    for field in LIST_FIELDS:
        items: tuple[str, ...] = getattr(entry, field)
        if len(items) > MAX_ITEMS[field]:
            found.append((field, texts.too_many(field, len(items), MAX_ITEMS[field])))
        for item in items:
            if len(item) > MAX_LENGTH[field]:
                found.append((field, texts.too_long(field, len(item), MAX_LENGTH[field])))
            elif "|" in item:
                found.append((field, texts.pipe_in_item(field, item)))
            elif _CONTROL.search(item):
                found.append((field, texts.control_chars(field)))
    if entry.review_by is not None:
        try:
            date.fromisoformat(entry.review_by)
        except ValueError:
            found.append(("review_by", texts.bad_date(entry.review_by)))
    found.extend(("legal_basis", message) for message in citation_problems(entry, laws))
    return found


def citation_problems(entry: FaqEntry, laws: LawStore | None) -> list[str]:
    """Citations that cannot be read; and, when statutes are loaded, those that do not
    resolve or are not in force (archived entries are not checked against the corpus)."""
    found = []
    check = laws is not None and entry.status != "archived" and laws.count() > 0
    for citation in entry.legal_basis:
        if "|" in citation:
            continue  # reported as a bad list item
        try:
            parse_citation(citation)
        except CitationSyntaxError as e:
            found.append(str(e))
            continue
        if check and laws is not None:
            problem = laws.check(citation)
            if problem:
                found.append(problem)
    return found
