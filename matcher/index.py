"""The FAQ index: word and character TF-IDF over every phrasing and every whole entry.

Phrasings are scored by their words and character bigrams; whole entries by their words,
character bigrams and single characters (see Weights.unigram_df).
"""

from __future__ import annotations

import copy
import math
import operator
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp

try:  # the C kernels behind scipy's sparse matrices: a private module, hence the fallback
    from scipy.sparse import _sparsetools
except ImportError:  # pragma: no cover
    _sparsetools = None

try:  # a question's weighing and scoring in C (matcher/_rank.c), built at install if it can be
    from matcher import _rank
except ImportError:  # pragma: no cover - not built: Index.query and Index.rank stay in Python
    _rank = None  # type: ignore[assignment]

from matcher.features import Featurizer
from matcher.tfidf import Counts, fit_merged
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

    Rechecked once the starter FAQ had ~10 phrasings per entry (leave-one-alternate-out, 1,609
    questions / tuning split top-1, uncovered topics indexed): entry 0.7: 79.8% / 93.8%; 0.8:
    81.3% / 95.9%; 0.85: 81.9% / 95.9%; 0.9: 82.2% / 96.4%; 0.95: 82.4% / 95.9%; 1.0: 82.0% /
    95.4%. Word share 0.4 or 0.6, phrasing_word 0.8 and oov 0.5 moved either by under half a
    point. With thresholds re-tuned, entry 0.9 answers 78.4% of the tuning split right against
    71.1% at 0.8 (both 0.0% wrong): the whole entry is now rich enough to lean on.
    """

    word: float = 0.5  # share of word cosine; the rest is character n-grams
    entry: float = 0.9  # share of the whole-entry document; the rest is the best phrasing
    max_df: float = 1.0  # drop features found in more than this share of the documents
    phrasing_word: float = 0.5  # word share in the best-phrasing score
    # Weight of a question's unknown words in its norm (see tfidf.Space). On the tuning split,
    # with thresholds re-tuned for each: 0 → 67.5% of in-scope answered right, 0.25 → 74.7%,
    # 0.5 → 74.2%, 1.0 → 71.1% (all at 1.5% wrong and within the out-of-scope limits).
    oov: float = 0.25
    # Character features. Until now phrasings and entries had character 2- and 3-grams. Measured
    # (leave-one-alternate-out on the starter FAQ, 1,609 questions / tuning split top-1 and MRR,
    # weights as above): 2+3-grams 82.1% / 96.4% / 97.9%; bigrams only 82.2% / 96.4% / 98.0%;
    # 1+2-grams 84.0% / 97.4% / 98.6%; 1+2+3-grams 83.3% / 96.4%. Single characters help where
    # words differ but share characters (铺头/店铺, Cantonese one-character words, 借条/借钱),
    # and nearly all of the gain is in the whole-entry layer (single characters there only:
    # 83.7% / 97.4%). But a common character's postings are long: at 10,000 entries they made
    # a question touch 87,000 entry postings instead of 24,000. So phrasings have bigrams, the
    # whole-entry layer bigrams and single characters, and a question's single characters
    # found in more than ``unigram_df`` of the entries are not scored: their weight still
    # counts in the question's norm, their postings are dropped. Common characters add almost
    # the same to every entry, so the ranking hardly moves: 0.5 → 83.7% / 97.9% / 98.8%
    # (33,000-48,000 postings at 10,000 entries), 0.3 → 83.5% / 96.9%, 0.1 → 83.0% / 96.4%;
    # 1.0 scores all.
    # Single characters rank but do not decide: they raise every score a little, medical
    # questions' too (疫苗 in the dog-bite entry), so deciding on the full score needs a higher
    # answer threshold and answers 73.7% of the tuning split right instead of 79.4%. The
    # decision weighs the score without them (Candidate.confidence; matcher.decide).
    unigram_df: float = 0.5


_FOLD_BELOW = 64  # slots holding fewer entries than this are folded by one maximum.at


class Query(NamedTuple):
    """A question as one layer sees it: its tokens and its weighted features in that layer.

    A named tuple: a question builds two, and a frozen dataclass's ``__init__`` costs 2 µs.
    """

    tokens: tuple[str, ...]
    words: tuple[int, ...]  # the word features this layer knows, ascending ids
    known: int  # how many word and n-gram features this layer knows
    # Feature ids in the layer's postings (word ids, then n-gram ids after the words) and
    # each one's L2-normed TF-IDF weight in its own space: what scoring multiplies.
    ids: np.ndarray
    weights: np.ndarray
    # Every distinct word feature of the question with its idf in this layer; features the
    # layer lacks (all unknown words as one, id -1) weigh the highest idf. For coverage: the
    # entry layer's query only (the phrasing layer's is left empty).
    informative: tuple[tuple[int, float], ...]

    @property
    def empty(self) -> bool:
        """No feature of the question is known to the index."""
        return not self.known


class Ranked(NamedTuple):
    """The best entries for a question (``Index.rank``), best first, and its nearest topic."""

    order: list[int]  # entry indices
    scores: list[float]  # their ranking scores
    confidences: list[float]  # their confidences (what the decision weighs)
    topic: int  # the best-scoring document from ``ranked`` on (an uncovered topic), or -1
    topic_confidence: float  # its confidence (0.0 when there is none)
    rows: np.ndarray  # each phrasing slot's score, for ``best_row``


_NO_IDF = array("d")  # a layer that knows no feature

Weighed = tuple[list[int], list[float], int]  # known ids, sublinear tf × idf, unknown count
# A question's tokens, word ids, bigram ids and single-character ids (Featurizer.query_ids)
QueryIds = tuple[tuple[str, ...], list[int], list[int], list[int]]


def _weighed_in_c(
    tokens: tuple[str, ...],
    layer: tuple[tuple[int, ...], int, bytes, bytes],
    informative: tuple[tuple[int, float], ...],
) -> Query:
    """A layer's Query from ``_rank.weigh``'s (words, known, int32 ids, float32 weights)."""
    words, known, ids, weights = layer
    return Query(
        tokens,
        words,
        known,
        np.frombuffer(ids, dtype=np.int32),
        np.frombuffer(weights, dtype=np.float32),
        informative,
    )


def _counted(ids: list[int]) -> tuple[dict[int, int], int]:
    """How often each known feature occurs, and how many occurrences are unknown (id -1)."""
    counts: dict[int, int] = {}
    get = counts.get
    for i in ids:
        counts[i] = get(i, 0) + 1
    return counts, counts.pop(-1, 0)


def _weigh_both(
    counts: Iterable[tuple[int, int]], missing: int, first: array[float], second: array[float]
) -> tuple[Weighed, Weighed]:
    """(known ids, their sublinear tf × idf, how many unknown occurrences) of a question's
    features (``missing`` occurrences already unknown to both), in two layers' spaces at once
    (their feature ids are shared): one loop, one log a repeated feature.

    Plain Python: for the few dozen features of a question, each numpy call (a few µs)
    costs more than the whole loop.
    """
    ids_a: list[int] = []
    weights_a: list[float] = []
    unknown_a = missing
    ids_b: list[int] = []
    weights_b: list[float] = []
    unknown_b = missing
    width_a, width_b = len(first), len(second)
    log = math.log
    for i, tf in counts:
        tf_weight = 1.0 if tf == 1 else log(tf) + 1.0
        x = first[i] if i < width_a else 0.0
        if x > 0.0:
            ids_a.append(i)
            weights_a.append(tf_weight * x)
        else:
            unknown_a += tf
        x = second[i] if i < width_b else 0.0
        if x > 0.0:
            ids_b.append(i)
            weights_b.append(tf_weight * x)
        else:
            unknown_b += tf
    return (ids_a, weights_a, unknown_a), (ids_b, weights_b, unknown_b)


def _normed(weights: list[float], unknown: int, penalty: float) -> list[float]:
    """Weights divided by the vector's norm, each unknown occurrence adding ``penalty``²."""
    if not weights:
        return weights
    norm = math.sqrt(math.fsum(map(operator.mul, weights, weights)) + unknown * penalty * penalty)
    return [w / norm for w in weights]


def _by_feature(
    rows: sp.csr_matrix, indptr: np.ndarray, indices: np.ndarray, data: np.ndarray
) -> None:
    """``rows.tocsc()`` written into ``indptr``, ``indices`` and ``data`` (of one index type):
    for each feature, the documents that hold it, ascending, and their weights."""
    if _sparsetools is None:  # pragma: no cover - scipy without its kernels
        by_feature = rows.tocsc()
        indptr[:] = by_feature.indptr
        indices[: by_feature.nnz] = by_feature.indices
        data[: by_feature.nnz] = by_feature.data
        return
    kind = indices.dtype
    _sparsetools.csr_tocsc(
        rows.shape[0],
        rows.shape[1],
        rows.indptr.astype(kind, copy=False),
        rows.indices.astype(kind, copy=False),
        rows.data,
        indptr,
        indices,
        data,
    )


class _Layer:
    """One set of documents (phrasings, or whole entries) in a word and an n-gram space."""

    def __init__(
        self,
        docs: list[tuple[Counts, Counts]],
        widths: tuple[int, int],
        max_df: float,
        word: float,
        share: float = 1.0,
    ) -> None:
        self.words, self.word_rows = fit_merged([d[0] for d in docs], widths[0], max_df)
        self.chars, char_rows = fit_merged([d[1] for d in docs], widths[1], max_df)
        self.n = len(docs)
        self.word_width = widths[0]
        self.uses_chars = word < 1.0
        # Feature-major postings of both spaces in one matrix (word features first), already
        # weighted by each space's share and by the layer's ``share`` of an entry's score: for
        # each feature, the documents that hold it.
        # Converted straight into the one matrix (no CSC matrices to concatenate after).
        words, chars = self.word_rows.nnz, char_rows.nnz
        self.index_type = np.int32 if max(words + chars, self.n) < 2**31 else np.int64
        self.indptr = np.empty(widths[0] + widths[1] + 1, dtype=self.index_type)
        self.indices = np.empty(words + chars, dtype=self.index_type)
        self.data = np.empty(words + chars, dtype=np.float32)
        _by_feature(self.word_rows, self.indptr[: widths[0] + 1], self.indices[:words], self.data)
        starts = np.empty(widths[1] + 1, dtype=self.index_type)
        _by_feature(char_rows, starts, self.indices[words:], self.data[words:])
        np.add(starts[1:], words, out=self.indptr[widths[0] + 1 :])
        self.data[:words] *= word * share
        self.data[words:] *= (1.0 - word) * share
        self.lengths = np.diff(self.indptr)  # postings per feature, so a question needs one take
        self.first = 0  # document d is scored at first + d (see Index._join_layers)
        # For the question's Python loop: an array.array gives Python floats as fast as a
        # list, at 8 bytes a feature instead of a float object each (a 100,000-entry FAQ
        # has millions of n-grams).
        self.word_idf = array("d", self.words.idf.astype(np.float64).tobytes())
        self.char_idf = array("d", self.chars.idf.astype(np.float64).tobytes())
        self.highest = math.log(1.0 + self.n) + 1.0  # idf of a feature no document has

    def query(
        self,
        tokens: tuple[str, ...],
        words: list[tuple[int, int]],
        weighed: tuple[Weighed, Weighed],
        oov: float,
        informative: bool = True,
    ) -> Query:
        """The question in this layer, from its word (feature id, count) pairs in ascending
        ids and its word and n-gram features weighed in this layer (``_weigh_both``).

        The same arithmetic as ``Space.vector`` and ``Space.informative``, in plain Python.
        Without ``informative`` (only coverage needs it, from the entry layer) it is left empty.
        """
        (word_ids, word_weights, word_unknown), (char_ids, char_weights, char_unknown) = weighed
        penalty = oov * self.highest
        word_weights = _normed(word_weights, word_unknown, penalty)
        known = len(word_ids) + len(char_ids)
        if self.uses_chars:
            char_weights = _normed(char_weights, char_unknown, penalty)
            offset = self.word_width
            ids = np.array([*word_ids, *(c + offset for c in char_ids)], dtype=self.index_type)
            weights = np.array([*word_weights, *char_weights], dtype=np.float32)
        else:
            ids = np.array(word_ids, dtype=self.index_type)
            weights = np.array(word_weights, dtype=np.float32)
        held: tuple[tuple[int, float], ...] = ()
        if informative:
            idf, width, highest = self.word_idf, len(self.word_idf), self.highest
            held = tuple(
                (i, x if (x := idf[i] if 0 <= i < width else 0.0) > 0.0 else highest)
                for i, _ in words
            )
        return Query(tokens, tuple(word_ids), known, ids, weights, held)

    def renumber(self, position: np.ndarray, n: int) -> None:
        """Score document d into slot ``position[d]`` of ``n`` (see Index._lay_out_slots)."""
        self.index_type = np.int32 if max(len(self.indices), n) < 2**31 else np.int64
        self.indptr = self.indptr.astype(self.index_type, copy=False)
        self.indices = position.astype(self.index_type)[self.indices]
        self.n = n

    def drop(self, features: np.ndarray) -> None:
        """Score no document by ``features`` (their weight still counts in every norm)."""
        self.split(features)

    def split(self, features: np.ndarray) -> _Layer:
        """Move the postings of ``features`` to a layer of their own, and return it.

        The two layers then score, added up, what this one scored: same spaces, same norms.
        """
        moved = np.zeros(len(self.lengths), dtype=bool)
        moved[features] = True
        other = copy.copy(self)
        if not moved.any():
            other.set_postings(np.zeros_like(self.lengths), self.indices[:0], self.data[:0])
            return other
        taken = np.repeat(moved, self.lengths)
        other.set_postings(np.where(moved, self.lengths, 0), self.indices[taken], self.data[taken])
        taken = ~taken
        self.set_postings(np.where(moved, 0, self.lengths), self.indices[taken], self.data[taken])
        return other

    def set_postings(self, lengths: np.ndarray, indices: np.ndarray, data: np.ndarray) -> None:
        """Replace the postings: each feature's count of documents, then all of them in order."""
        self.lengths, self.indices, self.data = lengths, indices, data
        self.indptr = np.zeros(len(lengths) + 1, dtype=self.index_type)
        np.cumsum(lengths, out=self.indptr[1:])

    def scores(self, query: Query) -> np.ndarray:
        """share × (word share × word cosine + n-gram share × n-gram cosine), for every
        document.

        One pass in C over the question's postings, with scipy's sparse kernels
        (``_add_postings``); numpy's gather (offsets, fancy indexing, bincount) took three
        times as long. Sums are float32, as the postings are: ~1e-7 off a float64 sum, far
        below any threshold step.
        """
        n = self.first + self.n
        if _sparsetools is None:  # pragma: no cover - scipy without its kernels
            return self._gather(query.ids, query.weights)
        out = np.zeros(n, dtype=np.float32)
        _add_postings(self.indptr, self.indices, self.data, query.ids, query.weights, out)
        return out[self.first :]

    def _gather(self, ids: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """``scores`` in numpy alone."""
        starts = self.indptr[ids].astype(np.int64)
        lengths = self.indptr[ids + 1] - starts
        total = int(lengths.sum())
        if total == 0:
            return np.zeros(self.n, dtype=np.float32)
        offsets = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths) + np.arange(total)
        weights = np.repeat(weights, lengths)
        docs = self.indices[offsets] - self.first
        sums = np.bincount(docs, self.data[offsets] * weights, minlength=self.n)
        return sums.astype(np.float32)


def _add_postings(
    indptr: np.ndarray,
    indices: np.ndarray,
    data: np.ndarray,
    ids: np.ndarray,
    weights: np.ndarray,
    out: np.ndarray,
) -> None:
    """``out[d] += weight × data`` for every posting (d, data) of every feature in ``ids``:
    one pass in C over the features' postings, where they lie.

    scipy's CSC matrix-vector kernel walks column j over ``Ap[j]:Ap[j + 1]``. Given the
    features' (start, end) pairs one after the other, ``Ap = s₁ e₁ s₂ e₂ …``, column 2i is
    feature i and column 2i + 1 the range from e_i to s_(i+1), which is empty (a C loop from
    a higher start to a lower end runs no step) when the features come in descending order of
    start. So the postings are read once, in place: copying them out first with
    ``csr_row_index`` (as scipy's column indexing does) took 27% longer at 10,000 entries
    (~72,000 postings a question; 109 against 86 µs).
    """
    if len(ids) == 0:
        return
    order = np.argsort(ids)[::-1]  # features in descending order: starts descend too
    features = ids.take(order).repeat(2)
    features[1::2] += 1
    bounds = indptr.take(features)  # s₁ e₁ s₂ e₂ …
    spread = weights.take(order).repeat(2)  # the gaps' weights multiply no posting
    _sparsetools.csc_matvec(len(out), len(bounds) - 1, bounds, indices, data, spread, out)


def best_k(scores: np.ndarray, k: int) -> list[int]:
    """Indices of the ``k`` highest scores, best first, ties by index.

    For the usual k ≤ 10, k passes of argmax (10 µs at 10,000 entries) beat argpartition
    (100 µs here). Each found score is set to -inf for the next pass and put back after,
    rather than working on a copy (5 µs at 10,000 entries): ``scores`` is unchanged on return.
    """
    if k > 10:
        order = np.lexsort((np.arange(len(scores)), -scores))
        return [int(i) for i in order[:k]]
    found: list[int] = []
    kept: list[float] = []
    try:
        for _ in range(k):
            i = int(scores.argmax())
            found.append(i)
            kept.append(scores[i])
            scores[i] = -np.inf
    finally:
        for i, value in zip(reversed(found), reversed(kept), strict=True):
            scores[i] = value
    return found


class Index:
    """Scores every entry against a question."""

    def __init__(self, docs: Sequence[Document], featurizer: Featurizer, weights: Weights) -> None:
        self.featurizer = featurizer
        self.weights = weights
        self.texts: list[str] = []  # phrasing row → the phrasing as written
        starts: list[int] = []
        keys: list[tuple[str, ...]] = []  # entry → its phrasings, then its answer
        for doc in docs:
            starts.append(len(self.texts))
            own = tuple(dict.fromkeys((doc.question, *doc.alternates)))
            self.texts.extend(own)
            keys.append((*own, doc.answer) if doc.answer else own)
        document = featurizer.document
        phrasings = [(f.words, f.chars) for f in map(document, self.texts)]
        entries = [featurizer.entry(key) for key in keys]
        self.n_entries = len(docs)
        self.entry_start = np.asarray([*starts, len(phrasings)], dtype=np.int64)
        featurizer.keep_only({*self.texts, *(d.answer for d in docs)}, keys)
        widths = len(featurizer.words), len(featurizer.chars)
        # The entry layer's postings carry its share of an entry's score (the phrasing layer's
        # stay whole, so that best_row still finds the best phrasing at share 0), so that the
        # mix is float32 arithmetic: mixing in float64 took 19 µs a question at 10,000
        # entries (numpy's mixed-type operations are slow), this takes 4.
        self.phrasings = _Layer(phrasings, widths, weights.max_df, weights.phrasing_word)
        self.entries = _Layer(entries, widths, weights.max_df, weights.word, weights.entry)
        # Single characters order the entries but do not vouch for an answer: their postings
        # move to a layer of their own (see Weights.unigram_df), the commonest are dropped.
        single = np.zeros(len(self.entries.lengths), dtype=bool)
        single[widths[0] :] = featurizer.single_chars()[: widths[1]]
        common = single & (self.entries.lengths > weights.unigram_df * self.entries.n)
        self.singles = self.entries.split(np.flatnonzero(single))
        self.singles.drop(np.flatnonzero(common))
        self._held_by: dict[int, frozenset[int]] = {}
        self._lay_out_slots()
        self._join_layers()

    def _lay_out_slots(self) -> None:
        """Score phrasings straight into slots, so the best of each entry is one reduction.

        Slot j holds the j-th phrasing of every entry. The slots most entries fill (at least
        half of them) form a grid, one row of ``n_entries`` a slot in entry order: the best
        phrasing of every entry is the grid's maximum down its columns, with no reordering
        after (scores are never negative, so an empty cell's 0 changes no maximum). A take
        from rank order back to entry order cost 10 µs at 10,000 entries, as much as the
        grid's maximum. Phrasings past the grid (entries with more phrasings than most) go
        in overflow slots laid out by rank, most phrasings first: overflow slot j holds the
        j-th phrasing of every entry that has more than j, a prefix of the ranks, so it folds
        into the first ``len(slot j)`` with one maximum; overflow slots holding fewer than
        ``_FOLD_BELOW`` entries (rare, very long entries) fold in one ``maximum.at``.
        """
        counts = np.diff(self.entry_start)
        n = self.n_entries
        deepest = int(counts.max(initial=0))
        # lengths[j]: how many entries have more than j phrasings (lengths[0] is all of them)
        lengths = n - np.cumsum(np.bincount(counts, minlength=deepest + 1))[:deepest]
        grid = int(np.count_nonzero(2 * lengths >= n))
        self.grid = grid
        order = np.argsort(-counts, kind="stable")  # rank → entry, most phrasings first
        rank = np.empty(n, dtype=np.int64)  # entry → rank
        rank[order] = np.arange(n)
        deep = int(lengths[grid]) if grid < deepest else 0  # entries past the grid
        self.deep_entries = order[:deep].astype(np.int32)  # int32: the C pass reads it too
        offsets = np.zeros(deepest + 1, dtype=np.int64)
        offsets[: grid + 1] = np.arange(grid + 1) * n
        np.cumsum(lengths[grid:], out=offsets[grid + 1 :])
        offsets[grid + 1 :] += grid * n
        # phrasing j of entry e (row entry_start[e] + j): grid cell j × n + e, or overflow
        # slot j's offset + e's rank
        owner = np.repeat(np.arange(n), counts)
        j = np.arange(len(owner)) - self.entry_start[owner]
        self.position = offsets[j] + np.where(j < grid, owner, rank[owner])
        # overflow slots after the first: each with one maximum, then the rest together
        direct = int(np.searchsorted(-lengths, -_FOLD_BELOW, side="right"))
        direct = max(direct, grid + 1)
        self.slot_bounds = [(int(offsets[k]), int(lengths[k])) for k in range(grid + 1, direct)]
        self.tail = int(offsets[min(direct, deepest)])
        tail = [np.arange(lengths[k]) for k in range(direct, deepest)]
        self.tail_rank = np.concatenate(tail) if tail else np.zeros(0, dtype=np.int64)
        # The same overflow for the C pass: each deep entry's slots past the grid, in a CSR of
        # deep entries (their ranks, 0 … deep - 1).
        past = j >= grid
        ranks = rank[owner[past]]
        by_rank = np.argsort(ranks, kind="stable")
        self.deep_slots = self.position[past][by_rank].astype(np.int32)
        self.deep_start = np.searchsorted(ranks[by_rank], np.arange(deep + 1)).astype(np.int32)
        self.phrasings.renumber(self.position, int(offsets[deepest]))

    def _best_phrasings(self, rows: np.ndarray) -> np.ndarray:
        """Each entry's best phrasing score, from the phrasing layer's slots."""
        n, grid = self.n_entries, self.grid
        best = np.maximum.reduce(rows[: grid * n].reshape(grid, n), axis=0)
        deep = len(self.deep_entries)
        if deep:
            start = grid * n
            over = rows[start : start + deep].copy()
            for offset, length in self.slot_bounds:
                np.maximum(over[:length], rows[offset : offset + length], out=over[:length])
            if self.tail < len(rows):
                np.maximum.at(over, self.tail_rank, rows[self.tail :])
            np.maximum(over, best.take(self.deep_entries), out=over)
            best[self.deep_entries] = over
        return best

    def _join_layers(self) -> None:
        """The layers' postings in one feature-major matrix, to score them in one pass.

        Its features are the phrasing layer's, then the entry layer's, then the single
        characters' (each block's ids shifted by the widths before it); its documents the
        phrasing slots, then the entries, then the entries again (their single characters).
        The layers keep their own ``scores`` over views of the same arrays (each layer's
        documents numbered from its ``first``).
        """
        layers = (self.phrasings, self.entries, self.singles)
        self.width = len(self.phrasings.lengths)
        self.single_offset = self.width + len(self.entries.lengths)
        self.n_slots = self.phrasings.n
        sizes = [len(layer.indices) for layer in layers]
        total = sum(sizes)
        documents = sum(layer.n for layer in layers)
        kind = np.int32 if max(total, documents) < 2**31 else np.int64
        self.index_type = kind
        indices = np.empty(total, dtype=kind)
        data = np.empty(total, dtype=np.float32)
        indptrs: list[np.ndarray] = []
        start = first = 0
        for layer, size in zip(layers, sizes, strict=True):
            end = start + size
            np.add(layer.indices, first, out=indices[start:end], dtype=kind, casting="unsafe")
            data[start:end] = layer.data
            indptrs.append((layer.indptr[1:] if indptrs else layer.indptr) + start)
            layer.index_type = kind
            layer.indptr = layer.indptr.astype(kind, copy=False)
            layer.indices, layer.data, layer.first = indices[start:end], data[start:end], first
            start, first = end, first + layer.n
        self.indptr = np.concatenate(indptrs).astype(kind)
        self.lengths = np.concatenate([layer.lengths for layer in layers])
        self.indices, self.data = indices, data
        self.n_documents = first
        # the C module takes int32 indexes only; larger ones stay on the Python paths
        self.compiled = _rank is not None and kind == np.int32

    def _score_all(self, queries: tuple[Query, Query]) -> np.ndarray:
        """``_Layer.scores`` of the three layers at once: phrasing slots, entries, then the
        entries' single characters."""
        entry = queries[1]
        ids = np.concatenate(
            (queries[0].ids, entry.ids + self.width, entry.ids + self.single_offset)
        )
        weights = np.concatenate((queries[0].weights, entry.weights, entry.weights))
        out = np.zeros(self.n_documents, dtype=np.float32)
        if _sparsetools is not None:
            _add_postings(self.indptr, self.indices, self.data, ids, weights, out)
        return out

    def query(self, text: str) -> tuple[Query, Query]:
        """Normalise, tokenise and vectorise a question, for the phrasing and entry layers.

        Both layers weigh its words and bigrams; the entry layer its single characters too.
        The weighing runs in C when ``matcher/_rank.c`` was built (``_query_c``: the same
        weights to the bit, ~0.09 ms less a question at 10,000 entries), else in Python
        (``_query_python``).
        """
        ids = self.featurizer.query_ids(text)
        if self.compiled:
            return self._query_c(ids)
        return self._query_python(ids)

    def _query_c(self, ids: QueryIds) -> tuple[Query, Query]:
        assert _rank is not None
        tokens, word_ids, pair_ids, single_ids = ids
        phrasing_layer, entry_layer = self.phrasings, self.entries
        oov = self.weights.oov
        phrasing, entry = _rank.weigh(
            word_ids,
            pair_ids,
            single_ids,
            phrasing_layer.word_idf,
            phrasing_layer.char_idf,
            entry_layer.word_idf,
            entry_layer.char_idf,
            oov * phrasing_layer.highest,
            oov * entry_layer.highest,
            entry_layer.highest,
            entry_layer.word_width,
            phrasing_layer.uses_chars,
            entry_layer.uses_chars,
        )
        return _weighed_in_c(tokens, phrasing, ()), _weighed_in_c(tokens, entry[:4], entry[4])

    def _query_python(self, ids: QueryIds) -> tuple[Query, Query]:
        tokens, word_ids, pair_ids, single_ids = ids
        words, unknown_words = _counted(word_ids)
        word_counts = sorted(words.items())
        pairs, unknown_pairs = _counted(pair_ids)
        oov = self.weights.oov
        phrasing_layer, entry_layer = self.phrasings, self.entries
        by_word = _weigh_both(
            word_counts, unknown_words, phrasing_layer.word_idf, entry_layer.word_idf
        )
        by_pair = _weigh_both(
            pairs.items(), unknown_pairs, phrasing_layer.char_idf, entry_layer.char_idf
        )
        # single characters: only the entry layer's weights (the phrasing layer has none)
        singles, unknown_singles = _counted(single_ids)
        by_single = _weigh_both(singles.items(), unknown_singles, _NO_IDF, entry_layer.char_idf)[1]
        entry_chars = (
            by_pair[1][0] + by_single[0],
            by_pair[1][1] + by_single[1],
            by_pair[1][2] + by_single[2],
        )
        if unknown_words:
            word_counts.insert(0, (-1, unknown_words))
        return (
            phrasing_layer.query(
                tokens, word_counts, (by_word[0], by_pair[0]), oov, informative=False
            ),
            entry_layer.query(tokens, word_counts, (by_word[1], entry_chars), oov),
        )

    def scores(self, queries: tuple[Query, Query]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(confidences, scores, phrasing scores) of every document.

        A confidence mixes the whole entry's and its best phrasing's scores by words and
        bigrams; the score, which ranks, adds what the whole entry's single characters share
        with the question. Each phrasing's own score is returned for ``best_row``.
        """
        n = self.n_entries
        if _sparsetools is None:  # pragma: no cover - scipy without its kernels
            rows, whole = self.phrasings.scores(queries[0]), self.entries.scores(queries[1])
            single = self.singles.scores(queries[1])
        else:
            every = self._score_all(queries)
            rows = every[: self.n_slots]
            whole = every[self.n_slots : self.n_slots + n]
            single = every[self.n_slots + n :]
        if n == 0:
            return np.zeros(0), np.zeros(0), rows
        confidence = self._best_phrasings(rows)
        confidence *= 1.0 - self.weights.entry
        confidence += whole
        ranking = single + confidence
        return confidence, ranking, rows

    def rank(
        self,
        queries: tuple[Query, Query],
        k: int,
        ranked: int,
        mask: np.ndarray | None = None,
    ) -> Ranked:
        """The ``k`` best of the first ``ranked`` documents (the entries; the rest are
        uncovered topics) by score, ties to the lower index, skipping those ``mask`` (bools)
        rules out, and the topic with the best confidence.

        In C when ``matcher/_rank.c`` was built (``_rank_c``): ~0.08 ms less a question at
        10,000 entries than the same arithmetic in numpy (``_rank_numpy``), to the bit.
        """
        if self.compiled and 0 <= k <= _rank.MAX_K and self.n_entries > 0:
            return self._rank_c(queries, k, ranked, mask)
        return self._rank_numpy(queries, k, ranked, mask)

    def _rank_c(
        self, queries: tuple[Query, Query], k: int, ranked: int, mask: np.ndarray | None
    ) -> Ranked:
        out = np.empty(self.n_documents, dtype=np.float32)
        assert _rank is not None
        order, scores, confidences, topic, topic_confidence = _rank.rank(
            queries[0].ids,
            queries[0].weights,
            queries[1].ids,
            queries[1].weights,
            self.indptr,
            self.indices,
            self.data,
            out,
            self.deep_entries,
            self.deep_start,
            self.deep_slots,
            mask,
            self.n_slots,
            self.n_entries,
            ranked,
            self.grid,
            self.width,
            self.single_offset,
            1.0 - self.weights.entry,
            k,
        )
        return Ranked(order, scores, confidences, topic, topic_confidence, out[: self.n_slots])

    def _rank_numpy(
        self, queries: tuple[Query, Query], k: int, ranked: int, mask: np.ndarray | None
    ) -> Ranked:
        confidences, scores, rows = self.scores(queries)
        topic = int(confidences[ranked:].argmax()) + ranked if len(confidences) > ranked else -1
        topic_confidence = float(confidences[topic]) if topic >= 0 else 0.0
        scores = scores[:ranked]
        if mask is not None:
            scores = np.where(mask, scores, -1.0)
        order = best_k(scores, k) if k > 0 else []
        return Ranked(
            order,
            scores[order].tolist(),
            confidences[order].tolist(),
            topic,
            topic_confidence,
            rows,
        )

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
        total = math.fsum(idf for _, idf in query.informative)
        if total <= 0:
            return 0.0
        held = self._held(entry)
        if not held:
            return 0.0
        return math.fsum(idf for i, idf in query.informative if i in held) / total

    def matched_terms(self, entry: int, query: Query) -> tuple[str, ...]:
        """The question's words that entry ``entry`` (phrasings or answer) also has."""
        if not query.words:
            return ()
        held = self._held(entry)
        names = self.featurizer.words.names
        return tuple(names[i] for i in query.words if i in held)

    def _held(self, entry: int) -> frozenset[int]:
        """The word features entry ``entry`` holds (in its phrasings or answer).

        Kept once asked for: each question asks for its top five entries (matched terms) and
        its best one (coverage), and the same entries come up again and again.
        """
        held = self._held_by.get(entry)
        if held is None:
            matrix = self.entries.word_rows
            row = matrix.indices[matrix.indptr[entry] : matrix.indptr[entry + 1]]
            held = self._held_by[entry] = frozenset(row.tolist())
        return held
