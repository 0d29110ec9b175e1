"""The bot's view of the matcher: an index over the published FAQ that follows every edit."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Protocol

from matcher import Document, Matcher, MatchResult, Thresholds

if TYPE_CHECKING:
    from knowledge.faq import FaqEntry


class PublishedFaq(Protocol):
    """What FaqIndex needs of ``knowledge.faq.FaqStore``."""

    def published(self) -> Sequence[FaqEntry]: ...

    def revision(self) -> int: ...


class Matching(Protocol):
    """Anything that matches a question against the published FAQ (``FaqIndex``)."""

    def match(self, text: str, community: str | None) -> MatchResult: ...


def answered_elsewhere(
    index: Matching, entry_id: str, phrasings: Iterable[str]
) -> list[tuple[str, str]]:
    """(phrasing, entry id) for each of ``phrasings`` (meant for entry ``entry_id``) that
    another published entry already answers directly.

    Such a phrasing is probably the other entry's question; filed under the wrong entry it
    also raises the other entry's answer threshold (``matcher.Matcher.answer_at``), so every
    place that adds phrasings warns with it.
    """
    found = []
    for phrasing in filter(None, phrasings):
        result = index.match(phrasing, None)
        if result.decision == "answer" and result.top[0].id != entry_id:
            found.append((phrasing, result.top[0].id))
    return found


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
