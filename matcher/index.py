"""The FAQ index: every phrasing of every entry in a word and a character-n-gram TF-IDF space."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from matcher.normalize import normalize
from matcher.tfidf import TfidfSpace, char_ngrams
from matcher.tokenize import Tokenizer
from matcher.types import Document

# Share of the word space in a phrasing's score; the rest is character n-grams. Words carry
# the legal terms exactly; n-grams catch what jieba segments differently (旧楼加装电梯 vs
# 加装电梯, 交通事故 vs 事故). See Weights in matcher/match.py for the measured choice.
DEFAULT_WORD_SHARE = 0.5


@dataclass(frozen=True)
class Query:
    """A question as the index sees it."""

    tokens: tuple[str, ...]
    word_columns: np.ndarray
    word_weights: np.ndarray
    char_columns: np.ndarray
    char_weights: np.ndarray

    @property
    def empty(self) -> bool:
        """No feature of the question is known to the index."""
        return not (len(self.word_columns) or len(self.char_columns))


class Index:
    """Scores every entry against a question by its best-matching phrasing."""

    def __init__(
        self,
        docs: Sequence[Document],
        tokenizer: Tokenizer,
        word_share: float = DEFAULT_WORD_SHARE,
    ) -> None:
        self.tokenizer = tokenizer
        self.word_share = word_share
        phrasings: list[tuple[str, ...]] = []
        self.texts: list[str] = []  # row → the phrasing as written, for explanations
        entry_start: list[int] = []
        for doc in docs:
            entry_start.append(len(phrasings))
            for text in dict.fromkeys((doc.question, *doc.alternates)):
                self.texts.append(text)
                phrasings.append(tokenizer.tokens(normalize(text)))
        self.n_entries = len(docs)
        self.n_rows = len(phrasings)
        self.entry_start = np.asarray(entry_start, dtype=np.int64)
        self.words, word_rows = TfidfSpace.fit(phrasings)
        self.chars, char_rows = TfidfSpace.fit([char_ngrams(p) for p in phrasings])
        self.terms = list(self.words.vocabulary)  # column → word, for explanations
        self.word_rows = word_rows  # row-major: which words a phrasing has
        # Feature-major postings: for each feature, the phrasings containing it and weights.
        self.word_postings = sp.csr_matrix(word_rows.T)
        self.char_postings = sp.csr_matrix(char_rows.T)

    def query(self, text: str) -> Query:
        """Normalise, tokenise and vectorise a question."""
        tokens = self.tokenizer.tokens(normalize(text))
        word_columns, word_weights = self.words.vector(tokens)
        char_columns, char_weights = self.chars.vector(char_ngrams(tokens))
        return Query(tokens, word_columns, word_weights, char_columns, char_weights)

    def row_scores(self, query: Query) -> np.ndarray:
        """The cosine mix of every phrasing with the question (dense, one per phrasing)."""
        rows: list[np.ndarray] = []
        values: list[np.ndarray] = []
        share = self.word_share
        for postings, columns, weights, scale in (
            (self.word_postings, query.word_columns, query.word_weights, share),
            (self.char_postings, query.char_columns, query.char_weights, 1.0 - share),
        ):
            indptr, indices, data = postings.indptr, postings.indices, postings.data
            for column, weight in zip(columns.tolist(), (weights * scale).tolist(), strict=True):
                start, end = indptr[column], indptr[column + 1]
                rows.append(indices[start:end])
                values.append(data[start:end] * weight)
        if not rows:
            return np.zeros(self.n_rows)
        return np.bincount(np.concatenate(rows), np.concatenate(values), minlength=self.n_rows)

    def entry_scores(self, row_scores: np.ndarray) -> np.ndarray:
        """Each entry's score: that of its best phrasing."""
        if self.n_entries == 0:
            return np.zeros(0)
        return np.maximum.reduceat(row_scores, self.entry_start)

    def best_row(self, entry: int, row_scores: np.ndarray) -> int:
        """The phrasing of ``entry`` that scored best."""
        start = int(self.entry_start[entry])
        end = int(self.entry_start[entry + 1]) if entry + 1 < self.n_entries else self.n_rows
        return start + int(np.argmax(row_scores[start:end]))

    def matched_terms(self, row: int, query: Query) -> tuple[str, ...]:
        """The words that the question shares with phrasing ``row``."""
        start, end = self.word_rows.indptr[row], self.word_rows.indptr[row + 1]
        shared = set(self.word_rows.indices[start:end].tolist())
        return tuple(self.terms[c] for c in query.word_columns.tolist() if c in shared)
