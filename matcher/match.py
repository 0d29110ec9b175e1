"""The matcher: an index over the given FAQ entries plus the decision rule."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from matcher.decide import Thresholds, Verdict, decide
from matcher.features import Featurizer
from matcher.index import Index, Query, Weights
from matcher.lexicon import DATA_DIR, load_lexicon
from matcher.tokenize import Tokenizer, default_cache_dir
from matcher.topics import load_topics
from matcher.types import Candidate, Document, MatchResult


@lru_cache(maxsize=4)
def shared_tokenizer(data_dir: Path = DATA_DIR, cache_dir: Path | None = None) -> Tokenizer:
    """The tokenizer for these word lists, built once per process (and cached on disk)."""
    return Tokenizer(load_lexicon(data_dir), cache_dir or default_cache_dir())


@lru_cache(maxsize=4)
def featurizer_for(tokenizer: Tokenizer) -> Featurizer:
    """One featurizer per tokenizer, kept for the process: rebuilds reuse its remembered texts,
    and a start the tokens of the last run's (in the tokenizer's cache folder)."""
    return Featurizer(tokenizer, tokenizer.cache_dir)


class Matcher:
    """Ranks FAQ entries for a question and decides whether to answer, suggest or escalate."""

    def __init__(
        self,
        docs: list[Document],
        thresholds: Thresholds,
        tokenizer: Tokenizer,
        weights: Weights | None = None,
        topics: Sequence[Document] = (),
    ) -> None:
        self.docs = docs
        self.topics = tuple(topics)
        self.thresholds = thresholds
        # Uncovered topics are indexed after the entries, as documents of their own: one pass
        # scores both; rows from len(docs) on are topics and never ranked as answers.
        self.index = Index([*docs, *self.topics], featurizer_for(tokenizer), weights or Weights())
        self._masks: dict[str, np.ndarray] = {}
        self._applicable: dict[str, int] = {}

    @classmethod
    def build(
        cls,
        docs: Iterable[Document],
        thresholds: Thresholds | None = None,
        tokenizer: Tokenizer | None = None,
        weights: Weights | None = None,
        topics: Sequence[Document] | None = None,
    ) -> Matcher:
        """Index ``docs`` (the caller passes only published entries) beside uncovered topics.

        ``topics`` None: the examples in ``matcher/data/uncovered/`` (see matcher.topics).
        """
        return cls(
            list(docs),
            thresholds or Thresholds(),
            tokenizer or shared_tokenizer(),
            weights,
            load_topics() if topics is None else topics,
        )

    def __len__(self) -> int:
        return len(self.docs)

    def _mask(self, community: str) -> np.ndarray:
        """Which entries apply in ``community``: those naming it and those naming none."""
        mask = self._masks.get(community)
        if mask is None:
            mask = np.fromiter(
                (not d.communities or community in d.communities for d in self.docs),
                dtype=bool,
                count=len(self.docs),
            )
            self._masks[community] = mask
            self._applicable[community] = int(mask.sum())
        return mask

    def match(
        self, text: str, community: str | None = None, k: int = 5, explain: bool = False
    ) -> MatchResult:
        """Rank the entries that apply in ``community`` (None: all) and decide; never raises.

        ``top`` holds the best ``k`` applicable entries in score order, even weak ones, so
        that callers always see the nearest entries; show suggestions only when asked to.
        With ``explain``, each candidate also names its best phrasing and the words it shares
        with the question (for advisers testing the FAQ: ~40 µs more at 10,000 entries, which
        residents' questions need not pay).
        """
        queries = self.index.query(text if isinstance(text, str) else "")
        query = queries[1]
        n = len(self.docs)
        mask = None
        applicable = n
        if community is not None:
            mask = self._mask(community)
            applicable = self._applicable[community]
        k = max(0, min(k, applicable))
        if k == 0:
            return MatchResult(
                "escalate", (), "no FAQ entry applies", rule="no_entries", query_terms=query.tokens
            )
        ranked = self.index.rank(queries, k, n, mask)
        topic, topic_score = ranked.topic, ranked.topic_confidence
        order = ranked.order
        if explain:
            candidates = tuple(
                self._candidate(i, score, confidence, ranked.rows, query)
                for i, score, confidence in zip(
                    order, ranked.scores, ranked.confidences, strict=True
                )
            )
        else:  # _candidate without phrasing and shared words, inline (12 µs → 8 for five)
            docs = self.docs
            candidates = tuple(
                [
                    Candidate(
                        (doc := docs[i]).id,
                        round(score, 4) if score > 0.0 else 0.0,
                        doc.question,
                        (),
                        "",
                        round(confidence, 4) if confidence > 0.0 else 0.0,
                    )
                    for i, score, confidence in zip(
                        order, ranked.scores, ranked.confidences, strict=True
                    )
                ]
            )
        # The decision weighs confidences: the best-ranked entry's against the runner-up's.
        best = candidates[0].confidence
        second = candidates[1].confidence if len(candidates) > 1 else 0.0
        if query.empty:
            verdict = Verdict("escalate", "no_terms", "no word of the question is in the FAQ")
        else:
            # coverage only when its rule is on (decide treats 1.0 as "all words held")
            on = self.thresholds.coverage > 0
            coverage = self.index.coverage(order[0], query) if on else 1.0
            verdict = decide(best, second, self.thresholds, coverage, topic_score)
        return MatchResult(
            verdict.decision,
            candidates,
            verdict.reason,
            rule=verdict.rule,
            query_terms=query.tokens,
            topic=self.topics[topic - n].category if topic >= 0 else "",
            topic_score=round(topic_score, 4),
        )

    def _candidate(
        self,
        entry: int,
        score: float,
        confidence: float,
        rows: np.ndarray,
        query: Query,
    ) -> Candidate:
        """A candidate with its best phrasing and the words it shares with the question."""
        doc = self.docs[entry]
        confidence = round(max(confidence, 0.0), 4)
        if score <= 0:
            return Candidate(doc.id, round(max(score, 0.0), 4), doc.question, confidence=confidence)
        row = self.index.best_row(entry, rows)
        return Candidate(
            doc.id,
            round(score, 4),
            doc.question,
            self.index.matched_terms(entry, query),
            phrasing=self.index.texts[row],
            confidence=confidence,
        )
