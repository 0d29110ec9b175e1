"""The bot's view of the matcher: an index over the published FAQ that follows every edit."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from matcher import Document, Matcher, MatchResult, Thresholds

if TYPE_CHECKING:
    from knowledge.faq import FaqEntry


class PublishedFaq(Protocol):
    """What FaqIndex needs of ``knowledge.faq.FaqStore``."""

    def published(self) -> Sequence[FaqEntry]: ...

    def revision(self) -> int: ...


def to_document(entry: FaqEntry) -> Document:
    """The matcher's view of an FAQ entry."""
    return Document(
        id=entry.id,
        question=entry.question,
        alternates=tuple(entry.alternates),
        communities=tuple(entry.communities),
        category=entry.category,
        answer=entry.answer,
    )


class FaqIndex:
    """Matches questions against the published FAQ, rebuilt whenever the FAQ changed.

    Every ``match`` first reads the store's revision counter (one small query); when it moved,
    the index is rebuilt from ``published()`` before matching, so an edit made by any process
    is live on the next question, without a restart.
    """

    def __init__(self, faq: PublishedFaq, thresholds: Thresholds | None = None) -> None:
        self.faq = faq
        self.thresholds = thresholds
        self._revision: int | None = None
        self._matcher: Matcher | None = None
        self.rebuilds = 0

    @property
    def matcher(self) -> Matcher:
        """The matcher for the FAQ as it is now (rebuilt first if the FAQ changed)."""
        revision = self.faq.revision()
        if self._matcher is None or revision != self._revision:
            # Read the revision before the entries: a change landing in between only
            # causes one extra rebuild on the next question, never a stale index.
            entries = self.faq.published()
            self._matcher = Matcher.build((to_document(e) for e in entries), self.thresholds)
            self._revision = revision
            self.rebuilds += 1
        return self._matcher

    def match(self, text: str, community: str | None = None, explain: bool = False) -> MatchResult:
        """Match ``text`` for a resident of ``community`` (None: every entry); never raises.

        ``explain``: candidates also carry their best phrasing and shared words (`lawbot ask`).
        """
        return self.matcher.match(text, community, explain=explain)

    def __len__(self) -> int:
        return len(self.matcher)
