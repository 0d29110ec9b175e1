"""FAQ entries: the curated questions and answers, with their version history."""

from __future__ import annotations

import builtins
import dataclasses
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import sqlite_utils

from knowledge import texts
from knowledge.faqcheck import STATUSES, normalize, problems

if TYPE_CHECKING:
    from knowledge.laws import LawStore

__all__ = [
    "STATUSES", "CitationError", "FaqEntry", "FaqNotFound", "FaqStore", "InvalidEntry",
    "NotReviewed",
]

# The fields a change may touch (and that decide whether a change is a real change).
CONTENT_FIELDS = (
    "category", "question", "answer", "alternates", "legal_basis", "communities", "status",
    "review_by",
)
ROW_FIELDS = (
    "id", "category", "question", "answer", "alternates", "legal_basis", "communities",
    "status", "version", "updated_by", "updated_at", "review_by", "extra",
    "reviewed_by", "reviewed_at",
)
# What an adviser signs off: a change to either clears the sign-off.
REVIEWED_FIELDS = ("answer", "legal_basis")
_JSON_FIELDS = ("alternates", "legal_basis", "communities")


class FaqNotFound(Exception):
    """No FAQ entry has this id."""

    def __init__(self, id: str) -> None:
        super().__init__(texts.faq_not_found(id))
        self.id = id


class InvalidEntry(ValueError):
    """The entry breaks a rule; ``problems`` lists (field, message) pairs."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("；".join(f"{texts.field_name(f)}：{m}" for f, m in problems))
        self.problems = problems


class CitationError(InvalidEntry):
    """A legal-basis citation does not resolve or is not in force (the message names it)."""


class DuplicateId(InvalidEntry):
    """Adding an entry whose id is already taken."""


class NotReviewed(InvalidEntry):
    """Publishing an entry that no adviser has signed off, or that cites nothing."""


@dataclass(frozen=True)
class FaqEntry:
    """One FAQ entry as stored (and as imported/exported: the file fields of DESIGN.md).

    ``communities`` empty means the entry applies to every community. ``legal_basis`` holds
    citations such as ``《民法典》第七百二十二条``.
    """

    id: str
    category: str
    question: str
    answer: str
    alternates: tuple[str, ...] = ()
    legal_basis: tuple[str, ...] = ()
    communities: tuple[str, ...] = ()
    status: str = "draft"
    version: int = 1
    updated_by: str = ""
    updated_at: str = ""
    review_by: str | None = None
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    reviewed_by: str | None = None
    reviewed_at: str | None = None

    def content(self) -> tuple[Any, ...]:
        """What a change compares: everything but id, version, author, time and extra."""
        return tuple(getattr(self, f) for f in CONTENT_FIELDS)

    def applies_to(self, community: str | None) -> bool:
        """True when the entry serves ``community`` (entries without communities serve all)."""
        return not self.communities or community is None or community in self.communities


def _from_row(row: dict[str, Any]) -> FaqEntry:
    values = dict(row)
    for name in _JSON_FIELDS:
        values[name] = tuple(json.loads(values[name] or "[]"))
    values["extra"] = json.loads(values.get("extra") or "{}")
    return FaqEntry(**{k: values[k] for k in ROW_FIELDS})


def _to_params(entry: FaqEntry) -> list[Any]:
    params: list[Any] = []
    for name in ROW_FIELDS:
        value = getattr(entry, name)
        if name in _JSON_FIELDS:
            value = json.dumps(list(value), ensure_ascii=False)
        elif name == "extra":
            value = json.dumps(value, ensure_ascii=False, sort_keys=True)
        params.append(value)
    return params


def _utc_now() -> datetime:
    return datetime.now(UTC)


class FaqStore:
    """FAQ entries in the ``faq`` table, every version in ``faq_history``.

    With ``laws`` (and statutes loaded), citations of non-archived entries must resolve and
    be in force; without, only their syntax is checked ("unverified").
    """

    def __init__(
        self,
        db: sqlite_utils.Database,
        laws: LawStore | None = None,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self.db = db
        self.laws = laws
        self.clock = clock

    # --- reading --------------------------------------------------------------------------

    def _select(self, where: str = "", params: Iterable[Any] = ()) -> list[FaqEntry]:
        cursor = self.db.execute(
            f"SELECT {', '.join(ROW_FIELDS)} FROM faq {where} ORDER BY rowid", list(params)
        )
        return [_from_row(dict(zip(ROW_FIELDS, r, strict=True))) for r in cursor]

    def get(self, id: str) -> FaqEntry:
        """The current version of entry ``id``; raises FaqNotFound."""
        found = self._select("WHERE id = ?", [id])
        if not found:
            raise FaqNotFound(id)
        return found[0]

    def exists(self, id: str) -> bool:
        """True when an entry ``id`` exists."""
        return self.db.execute("SELECT 1 FROM faq WHERE id = ?", [id]).fetchone() is not None

    def list(
        self,
        status: str | None = None,
        category: str | None = None,
        community: str | None = None,
    ) -> list[FaqEntry]:
        """Current entries, in the order they were first added, optionally filtered."""
        clauses, params = [], []
        if status:
            clauses.append("status = ?")
            params.append(status)
        if category:
            clauses.append("category = ?")
            params.append(category)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        return [e for e in self._select(where, params) if e.applies_to(community)]

    def published(self) -> builtins.list[FaqEntry]:
        """Every published entry (what the matcher indexes)."""
        return self.list(status="published")

    def history(self, id: str) -> builtins.list[FaqEntry]:
        """Every version of entry ``id``, oldest first, the current one last."""
        cursor = self.db.execute(
            f"SELECT {', '.join(ROW_FIELDS)} FROM faq_history WHERE id = ? ORDER BY version",
            [id],
        )
        versions = [_from_row(dict(zip(ROW_FIELDS, r, strict=True))) for r in cursor]
        if not versions:
            raise FaqNotFound(id)
        return versions

    def revision(self) -> int:
        """The change counter: bumped in the same transaction as every FAQ change."""
        return int(self.db.execute("SELECT revision FROM faq_revision").fetchone()[0])

    def count(self) -> int:
        """Number of entries (any status)."""
        return int(self.db.execute("SELECT count(*) FROM faq").fetchone()[0])

    # --- changing -------------------------------------------------------------------------

    def add(self, entry: FaqEntry, by: str) -> FaqEntry:
        """Store a new entry (an id is generated when ``entry.id`` is empty) as version 1."""
        entry = normalize(entry)
        if entry.id and self.exists(entry.id):
            raise DuplicateId([("id", texts.id_exists(entry.id))])
        if not entry.id:
            entry = dataclasses.replace(entry, id=self.new_ids(1)[0])
        self.validate(entry)
        with self.db.atomic():
            saved = self.write(entry, by, previous=None)
            self.bump()
        return saved

    def edit(self, id: str, by: str, **changes: Any) -> FaqEntry:
        """Change the given fields as a new version (no new version when nothing changes).

        A change of the answer or the citations clears the adviser's sign-off and takes a
        published entry back to draft; a change to ``published`` needs a sign-off (see
        :meth:`publish`).
        """
        unknown = set(changes) - set(CONTENT_FIELDS)
        if unknown:
            raise TypeError(f"not editable: {sorted(unknown)}")
        current = self.get(id)
        for name in ("alternates", "legal_basis", "communities"):
            if name in changes:
                changes[name] = tuple(changes[name])
        entry = normalize(dataclasses.replace(current, **changes))
        if entry.content() == current.content():
            return current
        reviewed_changed = any(getattr(entry, f) != getattr(current, f) for f in REVIEWED_FIELDS)
        if reviewed_changed:
            entry = dataclasses.replace(entry, reviewed_by=None, reviewed_at=None)
            if current.status == "published" and "status" not in changes:
                # the new text is not what an adviser signed: off the live FAQ until one does
                entry = dataclasses.replace(entry, status="draft")
        self.validate(entry)
        if entry.status == "published" and (current.status != "published" or reviewed_changed):
            self.check_publishable(entry)
        with self.db.atomic():
            saved = self.write(entry, by, previous=current)
            self.bump()
        return saved

    def publish(self, id: str, by: str, reviewed_by: str | None = None) -> FaqEntry:
        """Make entry ``id`` visible to residents.

        It needs an adviser's sign-off (given before, or ``reviewed_by``: the adviser
        publishing signs off in the same version) and at least one citation; its citations
        must resolve and be in force when statutes are loaded. Raises NotReviewed or
        CitationError.
        """
        if reviewed_by is not None:
            current = self.get(id)
            entry = dataclasses.replace(
                current, status="published", reviewed_by=reviewed_by,
                reviewed_at=self.clock().isoformat(timespec="seconds"),
            )
            if current.status == "published" and current.reviewed_by:
                return current
            self.validate(entry)
            self.check_publishable(entry)
            with self.db.atomic():
                saved = self.write(entry, by, previous=current)
                self.bump()
            return saved
        return self.edit(id, by, status="published")

    def signoff(self, id: str, adviser: str) -> FaqEntry:
        """Record that ``adviser`` reviewed the current answer and citations (a new version).

        The caller checks that ``adviser`` is one; signing off twice adds nothing. A draft
        whose answer is still the placeholder raises NotReviewed.
        """
        current = self.get(id)
        if current.answer == texts.DRAFT_ANSWER:
            raise NotReviewed([("answer", texts.unwritten_answer(id))])
        if current.reviewed_by == adviser:
            return current
        entry = dataclasses.replace(
            current, reviewed_by=adviser,
            reviewed_at=self.clock().isoformat(timespec="seconds"),
        )
        with self.db.atomic():
            saved = self.write(entry, adviser, previous=current)
            self.bump()
        return saved

    def check_publishable(self, entry: FaqEntry) -> None:
        """Raise NotReviewed unless ``entry`` is signed off and cites at least one article."""
        found = []
        if entry.answer == texts.DRAFT_ANSWER:
            found.append(("answer", texts.unwritten_answer(entry.id)))
        if not entry.reviewed_by:
            found.append(("status", texts.not_reviewed(entry.id)))
        if not entry.legal_basis:
            found.append(("legal_basis", texts.no_citation(entry.id)))
        if found:
            raise NotReviewed(found)

    def unreviewed(self) -> builtins.list[FaqEntry]:
        """Entries no adviser has signed off (archived ones left out), in the order added."""
        return [e for e in self._select("WHERE reviewed_by IS NULL AND status != 'archived'")]

    def archive(self, id: str, by: str) -> FaqEntry:
        """Withdraw entry ``id`` (kept, with its history)."""
        return self.edit(id, by, status="archived")

    def validate(self, entry: FaqEntry) -> None:
        """Raise InvalidEntry (CitationError when only citations are wrong) for a bad entry."""
        found = problems(entry, self.laws)
        if not found:
            return
        if all(f == "legal_basis" for f, _ in found):
            raise CitationError(found)
        raise InvalidEntry(found)

    # --- building blocks for imports (the caller holds the transaction) -------------------

    def write(self, entry: FaqEntry, by: str, previous: FaqEntry | None) -> FaqEntry:
        """Write ``entry`` as the next version after ``previous``; no validation, no commit."""
        saved = dataclasses.replace(
            entry,
            version=previous.version + 1 if previous else 1,
            updated_by=by,
            updated_at=self.clock().isoformat(timespec="seconds"),
        )
        params = _to_params(saved)
        placeholders = ", ".join("?" for _ in ROW_FIELDS)
        columns = ", ".join(ROW_FIELDS)
        if previous is None:
            self.db.execute(f"INSERT INTO faq ({columns}) VALUES ({placeholders})", params)
        else:
            assignments = ", ".join(f"{c} = ?" for c in ROW_FIELDS[1:])
            self.db.execute(f"UPDATE faq SET {assignments} WHERE id = ?", params[1:] + params[:1])
        self.db.execute(f"INSERT INTO faq_history ({columns}) VALUES ({placeholders})", params)
        return saved

    def write_all(
        self, planned: Sequence[tuple[FaqEntry, FaqEntry | None]], by: str
    ) -> int:
        """Write every ``(entry, previous)`` pair and bump the revision in one transaction."""
        if planned:
            with self.db.atomic():
                for entry, previous in planned:
                    self.write(entry, by, previous)
                self.bump()
        return len(planned)

    def bump(self) -> None:
        """Advance the change counter (inside the caller's transaction)."""
        self.db.execute("UPDATE faq_revision SET revision = revision + 1")

    def new_ids(self, n: int) -> builtins.list[str]:
        """``n`` unused generated ids: faq-0001, faq-0002, …"""
        highest = 0
        for (id,) in self.db.execute("SELECT id FROM faq WHERE id GLOB 'faq-[0-9]*'"):
            m = re.fullmatch(r"faq-(\d+)", id)
            if m:
                highest = max(highest, int(m.group(1)))
        return [f"faq-{highest + i:04d}" for i in range(1, n + 1)]
