"""The FAQ index: word and character-n-gram TF-IDF over every phrasing and every whole entry."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from matcher.features import Features, Featurizer
from matcher.tfidf import EMPTY_COUNTS, EMPTY_IDS, Counts, fit
from matcher.types import Document


@dataclass(frozen=True)
class Weights:
    """How the four cosines mix into an entry's score.

    Measured by leave-one-alternate-out on the starter FAQ (346 questions, tuning folds;
    benchmarks/match_quality.py): top-1 was 51.7% scoring each entry by its best phrasing
    alone, 61.3% by the whole entry (all phrasings in one document), 68.8% when that document
    also holds the answer text, and 68.5% mixing 0.2 best phrasing + 0.8 whole entry with
    answer. We keep the 0.2 phrasing share: it costs 0.3 points there, but a question worded
    like one of the entry's phrasings then scores clearly higher, which the answer threshold
    needs. Words and n-grams half and half: 0.3 or 0.7 word share lost 1-3 points.

    Rechecked on eval/heldout_tune.jsonl once it existed (thresholds re-tuned per setting,
    answered right / top-1): word 0.5, entry 0.8: 67.5% / 92.8%; entry 0.7: 58.8%; entry 0.9:
    67.5% / 90.7%; word 0.4: 69.1% / 92.3%; word 0.6: 67.5% / 92.3%. max_df 0.5 or 0.3 changed
    little (68.6%, 67.5%), 0.1 cost 10 points, and none made queries faster: kept at 1.0.
    A word-only best-phrasing score (phrasing_word 1.0) lost 2 points.
    """

    word: float = 0.5  # share of word cosine; the rest is character n-grams
    entry: float = 0.8  # share of the whole-entry document; the rest is the best phrasing
    max_df: float = 1.0  # drop features found in more than this share of the documents
    phrasing_word: float = 0.5  # word share in the best-phrasing score
    # Weight of a question's unknown words in its norm (see tfidf.Space). On the tuning split,
    # with thresholds re-tuned for each: 0 → 67.5% of in-scope answered right, 0.25 → 74.7%,
    # 0.5 → 74.2%, 1.0 → 71.1% (all at 1.5% wrong and within the out-of-scope limits).
    oov: float = 0.25


SLOTS = 8  # phrasings per entry in the scoring grid; more continue in extra columns


@dataclass(frozen=True)
class Query:
    """A question as the index sees it: tokens and (ids, weights) per vector space."""

    tokens: tuple[str, ...]
    vectors: tuple[Counts, Counts]
    # Every distinct word feature of the question with its idf in this layer; features the
    # layer lacks (all unknown words as one, id -1) weigh the highest idf. For coverage.
    informative: Counts = (EMPTY_IDS, EMPTY_COUNTS)

    @property
    def empty(self) -> bool:
        """No feature of the question is known to the index."""
        return not any(len(ids) for ids, _ in self.vectors)


class _Layer:
    """One set of documents (phrasings, or whole entries) in a word and an n-gram space."""

    def __init__(
        self, docs: list[list[Features]], featurizer: Featurizer, max_df: float, word: float
    ) -> None:
        width = len(featurizer.words), len(featurizer.chars)
        self.words, self.word_rows = fit([[f.words for f in d] for d in docs], width[0], max_df)
        self.chars, char_rows = fit([[f.chars for f in d] for d in docs], width[1], max_df)
        self.n = len(docs)
        self.word_width = width[0]
        self.uses_chars = word < 1.0
        # Feature-major postings of both spaces in one matrix (word features first), already
        # weighted by each space's share: for each feature, the documents that hold it.
        postings = sp.vstack(
            [self.word_rows.T * word, char_rows.T * (1.0 - word)], format="csr", dtype=np.float32
        )
        self.indptr, self.indices, self.data = postings.indptr, postings.indices, postings.data

    def query(self, features: Features, oov: float) -> Query:
        """The question's vectors in this layer's spaces."""
        words = self.words.vector(features.words, oov)
        chars = self.chars.vector(features.chars, oov)
        return Query(features.tokens, (words, chars), self.words.informative(features.words[0]))

    def scores(self, query: Query) -> np.ndarray:
        """word share × word cosine + n-gram share × n-gram cosine, for every document.

        All postings of the question's features are gathered in one go: a Python loop over
        features cost ~1.5 µs each, 0.1 ms a question.
        """
        (word_ids, word_weights), (char_ids, char_weights) = query.vectors
        if not self.uses_chars:
            char_ids, char_weights = char_ids[:0], char_weights[:0]
        ids = np.concatenate((word_ids, char_ids + self.word_width))
        starts = self.indptr[ids]
        lengths = self.indptr[ids + 1] - starts
        total = int(lengths.sum())
        if total == 0:
            return np.zeros(self.n)
        offsets = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths) + np.arange(total)
        weights = np.repeat(np.concatenate((word_weights, char_weights)), lengths)
        return np.bincount(self.indices[offsets], self.data[offsets] * weights, minlength=self.n)


class Index:
    """Scores every entry against a question."""

    def __init__(self, docs: Sequence[Document], featurizer: Featurizer, weights: Weights) -> None:
        self.featurizer = featurizer
        self.weights = weights
        phrasings: list[list[Features]] = []
        entries: list[list[Features]] = []
        self.texts: list[str] = []  # phrasing row → the phrasing as written
        starts: list[int] = []
        for doc in docs:
            starts.append(len(phrasings))
            parts = [featurizer.document(t) for t in dict.fromkeys((doc.question, *doc.alternates))]
            self.texts.extend(dict.fromkeys((doc.question, *doc.alternates)))
            phrasings.extend([p] for p in parts)
            entries.append([*parts, featurizer.document(doc.answer)] if doc.answer else parts)
        self.n_entries = len(docs)
        self.entry_start = np.asarray([*starts, len(phrasings)], dtype=np.int64)
        featurizer.keep_only({t for d in docs for t in (d.question, *d.alternates, d.answer)})
        self.phrasings = _Layer(phrasings, featurizer, weights.max_df, weights.phrasing_word)
        self.entries = _Layer(entries, featurizer, weights.max_df, weights.word)
        self._lay_out_slots()

    def _lay_out_slots(self) -> None:
        """Score phrasings straight into an (slot, entry) grid, so the best is a few maxima.

        Phrasing j of entry e lands at ``(j % K) * width + column``; an entry with more than K
        phrasings continues in extra columns past the entries, folded back after the maxima.
        numpy's ``maximum.reduceat`` over ragged groups took 0.19 ms at 10,000 entries; K
        contiguous maxima over the grid take 0.02 ms.
        """
        counts = np.diff(self.entry_start)
        self.slots = int(min(max(counts.max(initial=1), 1), SLOTS))
        chunks = -(-counts // self.slots)  # ceil
        extra_owner = np.repeat(np.arange(self.n_entries), np.maximum(chunks - 1, 0))
        self.extra_owner = extra_owner
        self.width = self.n_entries + len(extra_owner)
        first_extra = np.cumsum(np.maximum(chunks - 1, 0)) - np.maximum(chunks - 1, 0)
        position = np.empty(int(counts.sum()), dtype=np.int64)
        for e in np.flatnonzero(counts > 0).tolist():  # once per build, cheap next to the fit
            j = np.arange(counts[e])
            chunk = j // self.slots
            column = np.where(chunk == 0, e, self.n_entries + first_extra[e] + chunk - 1)
            position[self.entry_start[e] + j] = (j % self.slots) * self.width + column
        self.position = position
        self.phrasings.indices = position[self.phrasings.indices]
        self.phrasings.n = self.slots * self.width

    def query(self, text: str) -> tuple[Query, Query]:
        """Normalise, tokenise and vectorise a question, for the phrasing and entry layers."""
        features = self.featurizer.query(text)
        oov = self.weights.oov
        return self.phrasings.query(features, oov), self.entries.query(features, oov)

    def scores(self, queries: tuple[Query, Query]) -> tuple[np.ndarray, np.ndarray]:
        """(entry scores, phrasing scores): the entry mix, and each phrasing's own score."""
        w = self.weights
        rows = self.phrasings.scores(queries[0])
        if self.n_entries == 0:
            return np.zeros(0), rows
        width = self.width
        best = rows[:width].copy()
        for slot in range(1, self.slots):
            np.maximum(best, rows[slot * width : (slot + 1) * width], out=best)
        if len(self.extra_owner):
            np.maximum.at(best, self.extra_owner, best[self.n_entries :])
            best = best[: self.n_entries]
        whole = self.entries.scores(queries[1])
        return (1.0 - w.entry) * best + w.entry * whole, rows

    def best_row(self, entry: int, rows: np.ndarray) -> int:
        """The phrasing of ``entry`` that scored best (``rows`` as ``scores`` returned them)."""
        start, end = int(self.entry_start[entry]), int(self.entry_start[entry + 1])
        return start + int(np.argmax(rows[self.position[start:end]]))

    def coverage(self, entry: int, query: Query) -> float:
        """Idf-weighted share of the question's word features that entry ``entry`` holds.

        1.0 when every informative word of the question is in the entry (phrasings or
        answer); low when the question's rare words (烂尾楼, 军婚 …) are not, even if a few
        topical ones (房, 离婚) are. 0.0 for a question without words.
        """
        ids, idf = query.informative
        total = float(idf.sum())
        if total <= 0:
            return 0.0
        matrix = self.entries.word_rows
        held = matrix.indices[matrix.indptr[entry] : matrix.indptr[entry + 1]]  # sorted
        if not len(held):
            return 0.0
        at = np.minimum(np.searchsorted(held, ids), len(held) - 1)  # np.isin: 3× slower
        return float(idf[held[at] == ids].sum()) / total

    def matched_terms(self, entry: int, query: Query) -> tuple[str, ...]:
        """The question's words that entry ``entry`` (phrasings or answer) also has."""
        matrix = self.entries.word_rows  # canonical CSR: each row's ids are sorted
        held = matrix.indices[matrix.indptr[entry] : matrix.indptr[entry + 1]]
        asked = query.vectors[0][0]
        if not len(held) or not len(asked):
            return ()
        at = np.minimum(np.searchsorted(held, asked), len(held) - 1)
        names = self.featurizer.words.names
        return tuple(names[i] for i in asked[held[at] == asked].tolist())
