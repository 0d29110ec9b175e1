"""FAQ entries: the curated questions and answers, with their version history."""

from __future__ import annotations

from dataclasses import dataclass, field

STATUSES = ("published", "draft", "archived")


class FaqNotFound(Exception):
    """No FAQ entry has this id."""


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
