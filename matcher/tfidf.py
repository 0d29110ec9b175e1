"""A TF-IDF vector space, fitted like scikit-learn's TfidfVectorizer, queried in microseconds.

The formula is scikit-learn's (``sublinear_tf=True, smooth_idf=True, norm="l2"``; a test pins
the matrices equal to ``TfidfVectorizer``'s). We fit it ourselves because importing
scikit-learn costs 0.8 s, more than half of `lawbot ask`'s start-up budget, and because its
``transform`` spends ~100 µs validating a single query, a third of the whole latency budget.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp


@dataclass(frozen=True)
class TfidfSpace:
    """Feature → column, and each column's inverse document frequency."""

    vocabulary: dict[str, int]
    idf: np.ndarray

    @classmethod
    def fit(cls, docs: Sequence[Sequence[str]]) -> tuple[TfidfSpace, sp.csr_matrix]:
        """Fit on ``docs`` (lists of features); return the space and the docs' L2-normed rows."""
        vocabulary: dict[str, int] = {}
        add = vocabulary.setdefault
        columns: list[int] = []
        lengths = np.zeros(len(docs), dtype=np.int64)
        for i, features in enumerate(docs):
            columns.extend([add(f, len(vocabulary)) for f in features])
            lengths[i] = len(features)
        n_docs, n_features = len(docs), len(vocabulary)
        rows = np.repeat(np.arange(n_docs, dtype=np.int64), lengths)
        ones = np.ones(len(columns), dtype=np.float64)
        cols = np.asarray(columns, dtype=np.int64)
        counts = sp.csr_matrix((ones, (rows, cols)), shape=(n_docs, n_features))
        counts.sum_duplicates()
        df = np.bincount(counts.indices, minlength=n_features)
        idf = np.log((1.0 + n_docs) / (1.0 + df)) + 1.0
        counts.data = (np.log(counts.data) + 1.0) * idf[counts.indices]
        norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel())
        norms[norms == 0.0] = 1.0
        matrix = sp.csr_matrix(sp.diags(1.0 / norms) @ counts)
        matrix.sort_indices()
        return cls(vocabulary, idf), matrix

    def vector(self, features: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """The L2-normed query vector of ``features`` as (columns, weights); unknown ones drop."""
        counts: dict[int, int] = {}
        get = self.vocabulary.get
        for feature in features:
            column = get(feature)
            if column is not None:
                counts[column] = counts.get(column, 0) + 1
        if not counts:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64)
        columns = np.fromiter(counts, dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        weights = (np.log(tf) + 1.0) * self.idf[columns]
        return columns, weights / np.sqrt(weights @ weights)


def char_ngrams(tokens: Sequence[str], sizes: Sequence[int] = (2, 3)) -> list[str]:
    """Character n-grams over the joined tokens (fillers already gone, synonyms folded)."""
    text = "".join(tokens)
    return [text[i : i + n] for n in sizes for i in range(len(text) - n + 1)]
