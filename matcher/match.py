"""The matcher: an index over the given FAQ entries, calibrated for it, plus the decision."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
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
# Phrasings asked at build time for the entries' ceilings, at most: every phrasing of an FAQ up
# to this size (the starter FAQ has 2,455), else the canonical questions, evenly spread.
# Build time at 10,000 entries (benchmarks/match_speed.py) grows with it.
CEILING_QUESTIONS = 4000


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
        self.floor = self._floor()
        # each entry's ceiling, and the other entry's phrasing (row of index.texts) reaching it
        self.ceilings, self.ceiling_rows = self.index.ceilings(self._ceiling_questions())

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

    def _floor(self) -> float:
        """The lowest answer threshold of this FAQ: the ``quantile`` confidence of the bundled
        off-topic questions (matcher/data/offtopic.txt), never below ``thresholds.answer``."""
        ranked = [self.index.rank(self.index.query(q), 1) for q in offtopic_questions()]
        found = [r.confidences[0] if r.order else 0.0 for r in ranked]
        quantile = float(np.quantile(found, self.thresholds.quantile)) if found else 0.0
        return max(self.thresholds.answer, quantile)

    def _ceiling_questions(self) -> Sequence[int]:
        """The phrasings (rows of ``index.texts``) asked for the entries' ceilings."""
        index = self.index
        if index.n_phrasings <= CEILING_QUESTIONS:
            return range(index.n_phrasings)
        firsts = index.entry_start[:-1]
        return firsts[:: max(1, -(-len(firsts) // CEILING_QUESTIONS))].tolist()

    def answer_at(self, entry: int) -> float:
        """The answer threshold of entry ``entry``: above what the other entries' phrasings
        reach on it (its ceiling), and at least this FAQ's floor.

        An entry among near neighbours (the three 加装电梯 entries) needs a higher confidence
        than one alone on its topic, where an FAQ-like question scoring this high is about it.
        """
        return max(self.floor, float(self.ceilings[entry]))

    def raised_by(self, entry: int) -> tuple[str, str, float] | None:
        """What raised entry ``entry``'s threshold above the floor: the other entry's id, its
        phrasing and that phrasing's score on ``entry``; None if the floor is its threshold."""
        row = int(self.ceiling_rows[entry])
        if row < 0 or float(self.ceilings[entry]) <= self.floor:
            return None
        owner = int(self.index.owners(np.asarray([row]))[0])
        return self.docs[owner].id, self.index.texts[row], float(self.ceilings[entry])

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
            coverage=self.index.coverage(best, query, self.domain.vocabulary),
            unknown=self.domain.unknown(query.tokens, query.unknown),
            domain=self.domain.signal(query.tokens),
            answer_at=self.answer_at(best),
            floor=self.floor,
        )

    def match(
        self, text: str, community: str | None = None, k: int = 5, explain: bool = False
    ) -> MatchResult:
        """Rank the entries that apply in ``community`` (None: all) and decide; never raises.

        ``top`` holds the best ``k`` applicable entries in score order, even weak ones, so
        that callers always see the nearest entries; when the decision is to suggest, only
        the suggestions worth showing (``_suggestions``).
        With ``explain``, each candidate also names its best phrasing and the words it shares
        with the question, and the result what raised the best entry's threshold (for
        advisers testing the FAQ; left off residents' questions).
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
            candidates = self._suggestions(candidates, ranked.order, query, evidence)
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
            answer_threshold=round(evidence.answer_at, 4),
            answer_floor=round(self.floor, 4),
            coverage=round(evidence.coverage, 4),
            missing_terms=(
                self.index.missing_terms(ranked.order[0], query, self.domain.vocabulary)
                if explain
                else ()
            ),
            raised_by=raised[:2] if explain and (raised := self.raised_by(ranked.order[0])) else (),
        )

    def _suggestions(
        self,
        candidates: tuple[Candidate, ...],
        order: list[int],
        query: Query,
        evidence: Evidence,
    ) -> tuple[Candidate, ...]:
        """The candidates worth offering: the best (it cleared the suggest floor to get here;
        its rounded confidence is not compared again), and each other one above the suggest
        floor, near the best and holding enough of the question's words."""
        t = self.thresholds
        floor = max(t.suggest_at(evidence.floor), evidence.best * t.suggest_within)
        vocabulary = self.domain.vocabulary
        return candidates[:1] + tuple(
            c
            for c, entry in zip(candidates[1:], order[1:], strict=True)
            if c.confidence >= floor
            and self.index.coverage(entry, query, vocabulary) >= t.suggest_coverage
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
