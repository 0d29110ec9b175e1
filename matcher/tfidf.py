"""TF-IDF fitted like scikit-learn's TfidfVectorizer, over feature ids remembered per text.

The formula is scikit-learn's (``sublinear_tf=True, smooth_idf=True, norm="l2"``; a test pins
the matrices and a question's weights equal to ``TfidfVectorizer``'s). We fit it ourselves:
importing scikit-learn costs 0.8 s, more than half of `lawbot ask`'s start-up budget; its
``transform`` spends ~100 µs validating one query; and its ``fit`` re-reads every feature
string, while an FAQ change should only pay for the texts that changed. So every text's
features are turned into integer ids once (the ids are global and stable), and a fit is a few
numpy operations.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

import numpy as np
import scipy.sparse as sp

EMPTY_IDS = np.empty(0, dtype=np.int32)
EMPTY_COUNTS = np.empty(0, dtype=np.float32)

Counts = tuple[np.ndarray, np.ndarray]  # (unique feature ids, how often each occurs)


class Vocabulary:
    """Feature string → stable integer id, for every feature ever seen in a document."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.names: list[str] = []

    def __len__(self) -> int:
        return len(self.names)

    def intern(self, features: Sequence[str]) -> Counts:
        """Ids (new ones added) and counts of a document's features."""
        ids, names = self.ids, self.names
        found: list[int] = []
        for feature in features:
            i = ids.get(feature)
            if i is None:
                i = ids[feature] = len(names)
                names.append(feature)
            found.append(i)
        return counted(found)

    def lookup(self, features: Sequence[str]) -> Counts:
        """Ids and counts of a query's features; all features never seen share the id -1."""
        get = self.ids.get
        return counted([get(f, -1) for f in features])


def counted(ids: list[int]) -> Counts:
    """Unique ids (ascending) and how often each occurs."""
    if not ids:
        return EMPTY_IDS, EMPTY_COUNTS
    # A Counter, not np.unique: a text has a few dozen features, and np.unique's fixed cost
    # was a third of `lawbot ask`'s index build.
    found = Counter(ids)
    unique = sorted(found)
    return (
        np.array(unique, dtype=np.int32),
        np.array([found[i] for i in unique], dtype=np.float32),
    )


@dataclass(frozen=True)
class Space:
    """A fitted space: idf per feature id (0 for features absent from the fitted documents)."""

    idf: np.ndarray
    n_docs: int = 0


def weigh(
    counts: dict[int, int], idf: array[float], penalty: float, offset: int = 0
) -> tuple[list[int], list[float]]:
    """A question's L2-normed sublinear TF-IDF weights in one space: scikit-learn's
    ``transform`` (a test pins it equal), except that features the space lacks (id -1, or
    idf 0) still count in the norm as ``penalty`` each, so a question about something the FAQ
    never mentions is not a perfect match on the one word it shares. Ids move by ``offset``.

    Plain Python: for the few dozen features of a question each numpy call costs more than
    the whole loop.
    """
    ids: list[int] = []
    weights: list[float] = []
    unknown = 0
    width = len(idf)
    for i, tf in counts.items():
        x = idf[i] if 0 <= i < width else 0.0
        if x > 0.0:
            ids.append(i + offset)
            weights.append((1.0 + math.log(tf)) * x if tf > 1 else x)
        else:
            unknown += tf
    if weights:
        norm = math.sqrt(math.fsum(w * w for w in weights) + unknown * penalty * penalty)
        weights = [w / norm for w in weights]
    return ids, weights


def merge(parts: Sequence[Counts]) -> Counts:
    """The counts of several parts taken as one text."""
    if len(parts) == 1:
        return parts[0]
    ids = np.concatenate([ids for ids, _ in parts]) if parts else EMPTY_IDS
    if not len(ids):
        return EMPTY_IDS, EMPTY_COUNTS
    unique, inverse = np.unique(ids, return_inverse=True)
    tf = np.bincount(inverse, weights=np.concatenate([tf for _, tf in parts]))
    return unique, tf.astype(np.float32)


def fit(
    docs: Sequence[Sequence[Counts]], width: int, max_df: float = 1.0
) -> tuple[Space, sp.csr_matrix]:
    """Fit on documents made of parts (each part's ids and counts); return the L2-normed rows.

    A document with several parts (an entry: its phrasings and its answer) counts each feature
    over all its parts, as if the parts were one text. Features in more than ``max_df`` of the
    documents are dropped, as scikit-learn's ``max_df`` does.
    """
    return fit_merged([merge(doc) for doc in docs], width, max_df)


def fit_merged(
    docs: Sequence[Counts], width: int, max_df: float = 1.0
) -> tuple[Space, sp.csr_matrix]:
    """``fit`` on documents of one part each (ids unique and ascending, as ``merge`` gives).

    The rows are laid end to end as they are (a CSR matrix needs nothing else): no COO
    conversion, duplicate summing or index sorting, which took half of a 10,000-entry rebuild.
    """
    n = len(docs)
    ids = [ids for ids, _ in docs]
    lengths = np.array(list(map(len, ids)), dtype=np.int64)
    total = int(lengths.sum())
    cols = _joined(ids, EMPTY_IDS.dtype, total)
    tf = _joined([tf for _, tf in docs], EMPTY_COUNTS.dtype, total)
    df = np.bincount(cols, minlength=width)
    kept = df <= max_df * n
    idf = np.where((df > 0) & kept, np.log((1.0 + n) / (1.0 + df)) + 1.0, 0.0)
    if not kept.all():  # scikit-learn's max_df: features in too many documents are dropped
        keep = kept[cols]
        rows = np.repeat(np.arange(n), lengths)[keep]
        cols, tf = cols[keep], tf[keep]
        lengths = np.bincount(rows, minlength=n)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    # float32 throughout (as the rows are kept): float64 temporaries over every entry of a
    # 10,000-entry FAQ's matrices cost 0.1 s; the rounding differs by an ulp at most.
    data = np.log(tf)
    data += 1.0
    data *= idf.astype(np.float32)[cols]
    if len(data):
        held = lengths > 0  # reduceat over the rows with entries: each ends where the next starts
        scale = np.ones(n, dtype=np.float32)
        squares = np.add.reduceat(np.square(data, dtype=np.float64), indptr[:-1][held])
        scale[held] = 1.0 / np.sqrt(squares)
        data *= np.repeat(scale, lengths)
    matrix = sp.csr_matrix((data, cols, indptr), shape=(n, width))
    matrix.has_sorted_indices = True
    return Space(idf, n), matrix


def _joined(arrays: list[np.ndarray], dtype: np.dtype, total: int) -> np.ndarray:
    """``total`` items of ``arrays`` end to end, as ``dtype`` (read-only).

    ``bytes.join`` copies each array's buffer with next to no overhead: a 10,000-entry FAQ's
    ~106,000 phrasings took 75 ms a space with ``np.concatenate``, 25 ms so. The arrays are
    ``Vocabulary``'s and ``merge``'s (int32 ids, float32 counts); one of another item size or
    layout shows in the byte count (checking every array's type costs as much as the join),
    and then, as when the first array's type differs, ``np.concatenate`` does it.
    """
    try:
        buffer = b"".join(cast("list[bytes]", arrays))  # numpy arrays are buffers
    except (BufferError, TypeError):  # pragma: no cover - not contiguous
        buffer = b""
    if len(buffer) == total * dtype.itemsize and all(a.dtype is dtype for a in arrays[:1]):
        return np.frombuffer(buffer, dtype=dtype)
    return np.concatenate(arrays).astype(dtype) if arrays else np.empty(0, dtype=dtype)


def char_ngrams(tokens: Sequence[str], sizes: Sequence[int] = (2, 3)) -> list[str]:
    """Character n-grams over the joined tokens (fillers already gone, synonyms folded)."""
    text = "".join(tokens)
    return [text[i : i + n] for n in sizes for i in range(len(text) - n + 1)]
