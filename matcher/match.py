"""The matcher: an index over the given FAQ entries, calibrated for it, plus the decision."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import numpy as np

from matcher.decide import Evidence, Thresholds, Verdict, decide
from matcher.domain import Domain
from matcher.features import Featurizer
from matcher.index import Index, Query, Weights
from matcher.lexicon import DATA_DIR, load_lexicon
from matcher.tokenize import Tokenizer, default_cache_dir
from matcher.types import Candidate, Document, MatchResult

OFFTOPIC_FILE = DATA_DIR / "offtopic.txt"
CALIBRATION_ENTRIES = 400  # canonical questions asked at build time, at most (evenly spread)


@lru_cache(maxsize=4)
def shared_tokenizer(data_dir: Path = DATA_DIR, cache_dir: Path | None = None) -> Tokenizer:
    """The tokenizer for these word lists, built once per process (and cached on disk)."""
    return Tokenizer(load_lexicon(data_dir), cache_dir or default_cache_dir())


@lru_cache(maxsize=4)
def featurizer_for(tokenizer: Tokenizer) -> Featurizer:
    """One featurizer per tokenizer, kept for the process: rebuilds reuse its remembered texts,
    and a start the tokens of the last run's (in the tokenizer's cache folder)."""
    return Featurizer(tokenizer, tokenizer.cache_dir)


@lru_cache(maxsize=1)
def offtopic_questions(path: Path = OFFTOPIC_FILE) -> tuple[str, ...]:
    """The bundled non-legal questions the calibration holds every FAQ's threshold above."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return tuple(q for line in lines if (q := line.strip()) and not q.startswith("#"))


class Matcher:
    """Ranks FAQ entries for a question and decides whether to answer, suggest or escalate."""

    def __init__(
        self,
        docs: list[Document],
        thresholds: Thresholds,
        tokenizer: Tokenizer,
        weights: Weights | None = None,
    ) -> None:
        self.docs = docs
        self.thresholds = thresholds
        featurizer = featurizer_for(tokenizer)
        self.index = Index(docs, featurizer, weights or Weights())
        starts = self.index.entry_start
        self.domain = Domain(
            tokenizer,
            (
                [
                    token
                    for text in (*self.index.texts[starts[e] : starts[e + 1]], doc.answer)
                    if text
                    for token in featurizer.document(text).tokens
                ]
                for e, doc in enumerate(docs)
            ),
        )
        self._masks: dict[str, np.ndarray] = {}
        self.answer_at = self._calibrate()

    @classmethod
    def build(
        cls,
        docs: Iterable[Document],
        thresholds: Thresholds | None = None,
        tokenizer: Tokenizer | None = None,
        weights: Weights | None = None,
    ) -> Matcher:
        """Index ``docs`` (the caller passes only published entries) and calibrate."""
        return cls(list(docs), thresholds or Thresholds(), tokenizer or shared_tokenizer(), weights)

    def __len__(self) -> int:
        return len(self.docs)

    def _calibrate(self) -> float:
        """This FAQ's answer threshold: above what questions it does not cover reach.

        Negatives: each entry's canonical question asked with that entry left out (it looks
        like the FAQ, but nothing else answers it), and the bundled off-topic questions. The
        threshold is their ``quantile`` confidence, never below ``thresholds.answer``.
        """
        n = len(self.docs)
        negatives: list[float] = []
        if n >= 2:
            mask = np.ones(n, dtype=bool)
            for e in range(0, n, max(1, n // CALIBRATION_ENTRIES)):
                mask[e] = False
                query = self.index.query_text_of(self.docs[e].question)
                ranked = self.index.rank(query, 1, mask)
                mask[e] = True
                negatives.append(ranked.confidences[0] if ranked.order else 0.0)
        for question in offtopic_questions():
            ranked = self.index.rank(self.index.query(question), 1)
            negatives.append(ranked.confidences[0] if ranked.order else 0.0)
        found = float(np.quantile(negatives, self.thresholds.quantile)) if negatives else 0.0
        return max(self.thresholds.answer, found)

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
        return mask

    def evidence(self, query: Query, best: int, confidences: list[float]) -> Evidence:
        """What the decision weighs for ``query`` whose best entry is ``best``."""
        return Evidence(
            best=confidences[0],
            second=confidences[1] if len(confidences) > 1 else 0.0,
            coverage=self.index.coverage(best, query),
            unknown=self.domain.unknown(query.tokens, query.unknown),
            domain=self.domain.signal(query.tokens),
            answer_at=self.answer_at,
        )

    def match(
        self, text: str, community: str | None = None, k: int = 5, explain: bool = False
    ) -> MatchResult:
        """Rank the entries that apply in ``community`` (None: all) and decide; never raises.

        ``top`` holds the best ``k`` applicable entries in score order, even weak ones, so
        that callers always see the nearest entries; when the decision is to suggest, only
        the suggestions worth showing (each above the suggest floor and near the best).
        With ``explain``, each candidate also names its best phrasing and the words it shares
        with the question (for advisers testing the FAQ).
        """
        query = self.index.query(text if isinstance(text, str) else "")
        mask = self._mask(community) if community is not None else None
        applicable = len(self.docs) if mask is None else int(mask.sum())
        k = max(0, min(k, applicable))
        if k == 0:
            return MatchResult(
                "escalate", (), "no FAQ entry applies", rule="no_entries", query_terms=query.tokens
            )
        ranked = self.index.rank(query, k, mask)
        candidates = tuple(
            self._candidate(i, score, confidence, row, query, explain)
            for i, score, confidence, row in zip(
                ranked.order, ranked.scores, ranked.confidences, ranked.rows, strict=True
            )
        )
        evidence = self.evidence(query, ranked.order[0], ranked.confidences)
        if query.empty:
            verdict = Verdict("escalate", "no_terms", "no word of the question is in the FAQ")
        else:
            verdict = decide(evidence, self.thresholds)
        if verdict.decision == "suggest":
            floor = max(
                evidence.answer_at * self.thresholds.suggest_share,
                evidence.best * self.thresholds.suggest_within,
            )
            candidates = tuple(c for c in candidates if c.confidence >= floor)
        return MatchResult(
            verdict.decision,
            candidates,
            verdict.reason,
            rule=verdict.rule,
            query_terms=query.tokens,
            unknown_terms=query.unknown,
            legal_terms=self.domain.legal_words(query.tokens),
            domain=round(evidence.domain, 4),
            unknown=round(evidence.unknown, 4),
            answer_threshold=round(self.answer_at, 4),
        )

    def _candidate(
        self,
        entry: int,
        score: float,
        confidence: float,
        row: int,
        query: Query,
        explain: bool,
    ) -> Candidate:
        """A candidate; with ``explain``, its best phrasing and the words it shares."""
        doc = self.docs[entry]
        score, confidence = round(max(score, 0.0), 4), round(max(confidence, 0.0), 4)
        if not explain or score <= 0:
            return Candidate(doc.id, score, doc.question, confidence=confidence)
        return Candidate(
            doc.id,
            score,
            doc.question,
            self.index.matched_terms(entry, query),
            phrasing=self.index.texts[row],
            confidence=confidence,
        )
