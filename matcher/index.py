"""The FAQ index: word and character TF-IDF over every phrasing and every whole entry.

One scorer, in scipy's public sparse API. The whole entries (their phrasings and answer as one
text, by words and character bigrams) and the whole entries again by their single characters
are the rows of one sparse matrix held feature-major (CSC: a column per feature); the
phrasings are rows of another. A question is two weighted feature vectors (one in the phrasing
layer's spaces, one in the entry layer's); its entries' scores are
``postings[:, ids] @ weights``: only the columns of the question's features are read.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Container, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp

from matcher.features import Featurizer, QueryIds
from matcher.tfidf import Counts, fit_merged, weigh
from matcher.types import Document


@dataclass(frozen=True)
class Weights:
    """How the cosines mix into an entry's score.

    Measured by leave-one-alternate-out on the starter FAQ and on eval/heldout_tune.jsonl in
    earlier rounds (see git history of this file for the tables): the whole entry with its
    answer ranks best (entry 0.9; 0.8 lost 3 points answered-right, 1.0 lost 0.5 top-1), words
    and character n-grams half and half (0.4 or 0.6 moved under half a point), single
    characters help ranking where words differ but share characters (铺头/店铺, 借条/借钱:
    +1.8 points top-1) but not deciding (they raise every score, medical questions' too).
    """

    word: float = 0.5  # share of word cosine in the whole-entry score; the rest is n-grams
    entry: float = 0.9  # share of the whole-entry document; the rest is the best phrasing
    phrasing_word: float = 0.5  # word share in the best-phrasing score
    # An unknown feature of the question counts in its norm as a feature of ``oov`` × the
    # highest idf (tfidf.weigh): 0 → 67.5% of the tuning split answered right, 0.25 →
    # 74.7%, 1.0 → 71.1%.
    oov: float = 0.25
    # Single characters found in more than this share of the entries are not scored (their
    # weight still counts in the norm): they add almost the same to every entry, and their
    # postings are long. 0.5 → 97.9% tuning top-1, 1.0 (all) the same ±0.5 point. With the
    # 230-entry FAQ and ``rank_phrasing`` 0.2: 0.5 and 0.3 rank the tuning split alike (one
    # question of ablation 1 lost, one of ablation 3 won); 0.3 reads ~1/5 fewer postings.
    unigram_df: float = 0.3
    # The best phrasing's share when ranking (its share of a confidence stays 1 - ``entry``):
    # an entry whose answer merely mentions the question's words (the commuting work-injury
    # entry's answer on 交通事故对方全责但是拖着不赔钱) ranks below one whose phrasing says
    # them. Tuning split, starter / ablations 1-3 / canonical-only top-1: 0.1 → 95.6 / 98.5 /
    # 96.2 / 97.2 / 76.0%; 0.2 → 96.1 / 98.5 / 97.0 / 96.5 / 77.0%; 0.3 → 95.1 / 97.0 / 97.0 /
    # 95.7 / 77.0%. Decisions moved by one uncovered question (ablation 3).
    rank_phrasing: float = 0.2


class Query(NamedTuple):
    """A question as the index sees it."""

    tokens: tuple[str, ...]
    words: tuple[int, ...]  # word feature ids the FAQ knows, ascending
    unknown: tuple[str, ...]  # the question's tokens that no FAQ text holds
    ids: np.ndarray  # the entry layer's features (columns of ``Index.postings``) …
    weights: np.ndarray  # … and each one's weight
    phrasing_ids: np.ndarray  # the phrasing layer's features …
    phrasing_weights: np.ndarray  # … and each one's weight
    # Every distinct word of the question that coverage weighs: its feature id (-1 if the FAQ
    # lacks it), how informative it is in general Chinese, and the word. For ``Index.coverage``.
    informative: tuple[tuple[int, float, str], ...]

    @property
    def empty(self) -> bool:
        """No feature of the question is known to the index."""
        return not len(self.ids)


class Ranked(NamedTuple):
    """The best entries for a question (``Index.rank``), best first."""

    order: list[int]  # entry indices
    scores: list[float]  # their ranking scores
    confidences: list[float]  # their confidences (what the decision weighs)
    rows: list[int]  # each one's best phrasing (its row in ``Index.texts``)


# Entries re-ranked with their best phrasing (see Index.rank). 10, 7 and 5 gave the same
# tuning figures on every starter variant; 6 reads ~40% fewer phrasings than 10.
RERANK = 6


def best_k(scores: np.ndarray, k: int) -> list[int]:
    """Indices of the ``k`` highest scores, best first, ties to the lower index.

    ``k`` passes of argmax, each best set aside and put back at the end: for the few entries
    a question needs, faster than a partition or a copy (argmax takes the first of equal
    maxima).
    """
    found: list[int] = []
    kept: list[float] = []
    for _ in range(min(k, len(scores))):
        i = int(scores.argmax())
        found.append(i)
        kept.append(float(scores[i]))
        scores[i] = -np.inf
    scores[found] = kept
    return found


class _Layer(NamedTuple):
    """One set of documents fitted in a word and a character space."""

    word_idf: array[float]  # idf per word feature id (0: not in these documents)
    char_idf: array[float]
    word_rows: sp.csr_matrix  # each document's L2-normed word vector
    rows: sp.csr_matrix  # each document's word and character vectors, weighted, side by side
    penalty: float  # an unknown feature's weight in a question's norm (Weights.oov)


def _layer(
    words: list[Counts], chars: list[Counts], widths: tuple[int, int], word: float, oov: float
) -> _Layer:
    """Fit a layer's word and character spaces; its documents' rows over both, weighted."""
    word_space, word_rows = fit_merged(words, widths[0])
    char_space, char_rows = fit_merged(chars, widths[1])
    rows = sp.hstack([word_rows * word, char_rows * (1.0 - word)], format="csr", dtype=np.float32)
    highest = math.log(1.0 + len(words)) + 1.0  # the idf of a feature no document has
    return _Layer(
        array("d", word_space.idf.astype(np.float64).tobytes()),
        array("d", char_space.idf.astype(np.float64).tobytes()),
        word_rows,
        rows,
        oov * highest,
    )


class Index:
    """Scores every entry against a question."""

    def __init__(self, docs: Sequence[Document], featurizer: Featurizer, weights: Weights) -> None:
        self.featurizer = featurizer
        self.weights = weights
        self.texts: list[str] = []  # phrasing → the phrasing as written
        starts: list[int] = []
        keys: list[tuple[str, ...]] = []  # entry → its phrasings, then its answer
        for doc in docs:
            starts.append(len(self.texts))
            own = tuple(dict.fromkeys((doc.question, *doc.alternates)))
            self.texts.extend(own)
            keys.append((*own, doc.answer) if doc.answer else own)
        phrasings = [featurizer.document(t) for t in self.texts]
        entries = [featurizer.entry(key) for key in keys]
        featurizer.keep_only({*self.texts, *(d.answer for d in docs)}, keys)
        self.n_entries = len(docs)
        self.n_phrasings = len(self.texts)
        self.entry_start = np.asarray([*starts, self.n_phrasings], dtype=np.int64)
        widths = len(featurizer.words), len(featurizer.chars)
        self.word_width = widths[0]
        self.width = widths[0] + widths[1]  # features of one layer: words, then characters
        self.phrasings = _layer(
            [f.words for f in phrasings],
            [f.chars for f in phrasings],
            widths,
            weights.phrasing_word,
            weights.oov,
        )
        self.entries = _layer(
            [e[0] for e in entries], [e[1] for e in entries], widths, weights.word, weights.oov
        )
        entry_rows = self.entries.rows * weights.entry
        # Single characters rank but do not decide: their postings go to documents of their
        # own (the entries again), and the commonest are not scored at all.
        single = np.zeros(self.width, dtype=bool)
        single[widths[0] :] = featurizer.single_chars()[: widths[1]]
        df = np.bincount(entry_rows.indices, minlength=self.width)
        scored = single & (df <= weights.unigram_df * max(self.n_entries, 1))
        by_words = entry_rows @ sp.diags((~single).astype(np.float32))
        by_singles = entry_rows @ sp.diags(scored.astype(np.float32))
        # Feature-major: for each feature, the entries that hold it (rows 0 … n - 1) and the
        # entries again by their single characters (rows n … 2n - 1). CSC, not the transpose of
        # a CSR matrix: column indexing and the product then need no transposed copy (~20 µs a
        # question at 10,000 entries).
        documents = sp.vstack([by_words, by_singles], format="csr")
        documents.eliminate_zeros()
        self.postings = sp.csc_matrix(documents, dtype=np.float32)
        # Phrasings stay document-major: only the leading entries' phrasings are scored.
        self.phrasing_rows = self.phrasings.rows
        self._query_buffer = np.zeros(self.width, dtype=np.float32)
        self._held_by: dict[int, frozenset[int]] = {}

    def query(self, text: str) -> Query:
        """Normalise, tokenise and weigh a question in both layers."""
        return self.weighed(self.featurizer.query_ids(text))

    def query_text_of(self, text: str) -> Query:
        """``query`` of an FAQ text, from the tokens the featurizer remembers."""
        return self.weighed(self.featurizer.ids_of(self.featurizer.document(text).tokens))

    def weighed(self, found: QueryIds) -> Query:
        """A question's tokens and feature ids (``Featurizer.query_ids``), weighed."""
        tokens, features, word_ids, pair_ids, single_ids = found
        words, pairs, chars = Counter(word_ids), Counter(pair_ids), Counter(pair_ids + single_ids)
        p, e, w = self.phrasings, self.entries, self.word_width
        p_words, p_word_weights = weigh(words, p.word_idf, p.penalty, 0)
        p_chars, p_char_weights = weigh(pairs, p.char_idf, p.penalty, w)
        e_words, e_word_weights = weigh(words, e.word_idf, e.penalty, 0)
        e_chars, e_char_weights = weigh(chars, e.char_idf, e.penalty, w)
        # Coverage weighs each distinct word feature by how informative it is in general
        # Chinese (as the unknown-word share does), not by its idf in this FAQ, so that a
        # word common to many entries (工资, 房东) still counts as much as it says. A word the
        # FAQ lacks is kept too (id -1), unless it is a single character (不, 吗: they say
        # little, and whether an earlier FAQ gave them an id must not matter) or a number.
        idf, information = e.word_idf, self.featurizer.tokenizer.information
        width = len(idf)
        informative = []
        for feature, i in dict(zip(features, word_ids, strict=True)).items():
            in_faq = 0 <= i < width and idf[i] > 0.0
            if in_faq or (len(feature) > 1 and not feature.isdigit()):
                informative.append((i if in_faq else -1, information(feature), feature))
        known = set(e_words)
        unknown = tuple(
            t for t, i in zip(tokens, word_ids[: len(tokens)], strict=True) if i not in known
        )
        return Query(
            tokens,
            tuple(sorted(known)),
            unknown,
            np.array([*e_words, *e_chars], dtype=np.int64),
            np.array([*e_word_weights, *e_char_weights], dtype=np.float32),
            np.array([*p_words, *p_chars], dtype=np.int64),
            np.array([*p_word_weights, *p_char_weights], dtype=np.float32),
            tuple(informative),
        )

    def rank(self, query: Query, k: int, mask: np.ndarray | None = None) -> Ranked:
        """The ``k`` best entries (ties to the lower index), skipping those ``mask`` (bools)
        rules out.

        A confidence mixes the whole entry's score by words and bigrams with its best
        phrasing's; the ranking score adds what the entry's single characters share with the
        question. The best phrasing weighs 1 - ``Weights.entry`` of a score, so it is looked
        up only for the ``RERANK`` entries that lead without it, which are then re-ranked.
        """
        n = self.n_entries
        if query.empty or n == 0:
            order = best_k(np.where(mask, 0.0, -1.0) if mask is not None else np.zeros(n), k)
            zeros = [0.0] * len(order)
            return Ranked(order, zeros, zeros, [int(self.entry_start[i]) for i in order])
        every = self.postings[:, query.ids] @ query.weights
        whole = every[:n]
        scores = whole + every[n:]
        if mask is not None:
            scores = np.where(mask, scores, -1.0)
        leading = best_k(scores, max(k, RERANK))
        share = 1.0 - self.weights.entry
        ranking = self.weights.rank_phrasing
        mixed = sorted(
            (
                (float(scores[e]) + ranking * best, e, float(whole[e]) + share * best, row)
                for e, (row, best) in zip(leading, self.best_phrasings(leading, query), strict=True)
            ),
            key=lambda x: (-x[0], x[1]),
        )[:k]
        return Ranked(
            [m[1] for m in mixed],
            [m[0] for m in mixed],
            [m[2] for m in mixed],
            [m[3] for m in mixed],
        )

    def ceilings(self, rows: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        """For each entry, the highest whole-entry score that a phrasing among ``rows`` of
        *another* entry reaches on it (0 where none does): what a question the entry does not
        answer, worded like the FAQ, can score there; and that phrasing's row (-1 if none).

        The phrasings are asked as questions, a block at a time (one sparse product each).
        """
        n = self.n_entries
        out = np.zeros(n, dtype=np.float32)
        by = np.full(n, -1, dtype=np.int64)
        if n < 2 or not len(rows):
            return out, by
        at = np.asarray(rows, dtype=np.int64)
        asked = [self.query_text_of(self.texts[r]) for r in at.tolist()]
        lengths = np.fromiter((len(q.ids) for q in asked), dtype=np.int64, count=len(asked))
        indptr = np.zeros(len(asked) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        ids = np.concatenate([q.ids for q in asked])
        weights = np.concatenate([q.weights for q in asked])
        questions = sp.csr_matrix((weights, ids, indptr), shape=(len(asked), self.width))
        owners = self.owners(at)
        entries = self.postings[:n].T  # the whole-entry scores only (no single characters)
        step = max(1, 2_000_000 // n)  # a dense block of at most ~8 MB
        for a in range(0, len(asked), step):
            block = (questions[a : a + step] @ entries).toarray()
            block[np.arange(len(block)), owners[a : a + step]] = 0.0
            best = block.argmax(axis=0)
            scores = block[best, np.arange(n)]
            higher = scores > out
            out[higher] = scores[higher]
            by[higher] = at[a + best[higher]]
        return out, by

    def owners(self, rows: np.ndarray) -> np.ndarray:
        """The entry each phrasing of ``rows`` (rows of ``texts``) belongs to."""
        return np.searchsorted(self.entry_start, rows, side="right") - 1

    def best_phrasings(self, entries: list[int], query: Query) -> list[tuple[int, float]]:
        """For each of ``entries``, its best-scoring phrasing (row) and that score.

        The entries' phrasings are consecutive rows of ``phrasing_rows``: their postings are
        gathered in one pass and multiplied by the question's weights laid out densely.
        """
        if not entries:
            return []
        matrix = self.phrasing_rows
        firsts = self.entry_start[entries]
        counts = self.entry_start[np.asarray(entries) + 1] - firsts  # phrasings per entry
        rows = np.repeat(firsts - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
        starts, ends = matrix.indptr[rows], matrix.indptr[rows + 1]
        sizes = ends - starts  # postings per phrasing
        at = np.repeat(starts - np.cumsum(sizes) + sizes, sizes) + np.arange(sizes.sum())
        buffer = self._query_buffer
        buffer[query.phrasing_ids] = query.phrasing_weights
        products = buffer[matrix.indices[at]] * matrix.data[at]
        buffer[query.phrasing_ids] = 0.0
        sums = np.bincount(np.repeat(np.arange(len(rows)), sizes), products, len(rows))
        out = []
        offset = 0
        for count in counts.tolist():
            best = offset + int(sums[offset : offset + count].argmax())
            out.append((int(rows[best]), float(sums[best])))
            offset += count
        return out

    def coverage(self, entry: int, query: Query, legal: Container[str]) -> float:
        """Share of the question's words that entry ``entry`` holds, each weighed by how
        informative it is in general Chinese (``Query.informative``).

        1.0 when every informative word of the question is in the entry (phrasings or
        answer); low when the question's rare words (烂尾楼, 军婚 …) are not, even if a few
        topical ones (房, 离婚) are. A word no FAQ text has counts only if it is in ``legal``
        (``Domain.vocabulary``: the words the statutes use): a legal term the FAQ lacks
        (宅基地, 现役军人) says the question asks something else, a word of the resident's
        story (跺脚, 手头紧) says nothing about which entry answers it. 0.0 for a question
        without such words.
        """
        words = self._counted(query, legal)
        total = math.fsum(weight for _, weight, _ in words)
        if total <= 0:
            return 0.0
        held = self._held(entry)
        return math.fsum(weight for i, weight, _ in words if i in held) / total

    def missing_terms(self, entry: int, query: Query, legal: Container[str]) -> tuple[str, ...]:
        """The question's words that ``coverage`` counts and entry ``entry`` does not hold."""
        held = self._held(entry)
        return tuple(word for i, _, word in self._counted(query, legal) if i not in held)

    @staticmethod
    def _counted(query: Query, legal: Container[str]) -> list[tuple[int, float, str]]:
        """The question's words that coverage weighs: those the FAQ has, and of the others
        those in ``legal``."""
        return [w for w in query.informative if w[0] >= 0 or w[2] in legal]

    def matched_terms(self, entry: int, query: Query) -> tuple[str, ...]:
        """The question's words that entry ``entry`` (phrasings or answer) also has."""
        held = self._held(entry)
        names = self.featurizer.words.names
        return tuple(names[i] for i in query.words if i in held)

    def _held(self, entry: int) -> frozenset[int]:
        """The word features entry ``entry`` holds (in its phrasings or answer), kept once
        asked for."""
        held = self._held_by.get(entry)
        if held is None:
            matrix = self.entries.word_rows
            row = matrix.indices[matrix.indptr[entry] : matrix.indptr[entry + 1]]
            held = self._held_by[entry] = frozenset(row.tolist())
        return held
