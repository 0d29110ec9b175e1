"""The FAQ index: word and character-n-gram TF-IDF over every phrasing and every whole entry."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from matcher.normalize import normalize
from matcher.tfidf import TfidfSpace, char_ngrams
from matcher.tokenize import Tokenizer
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
    """

    word: float = 0.5  # share of word cosine; the rest is character n-grams
    entry: float = 0.8  # share of the whole-entry document; the rest is the best phrasing


@dataclass(frozen=True)
class Query:
    """A question as the index sees it: tokens and (columns, weights) per vector space."""

    tokens: tuple[str, ...]
    vectors: tuple[tuple[np.ndarray, np.ndarray], ...]

    @property
    def empty(self) -> bool:
        """No feature of the question is known to the index."""
        return not any(len(columns) for columns, _ in self.vectors)


class _Layer:
    """One set of documents (phrasings, or whole entries) in a word and an n-gram space."""

    def __init__(self, docs: list[tuple[str, ...]], tokenizer: Tokenizer) -> None:
        self.words, self.word_rows = TfidfSpace.fit([word_features(d, tokenizer) for d in docs])
        self.chars, char_rows = TfidfSpace.fit([char_ngrams(d) for d in docs])
        self.n = len(docs)
        # Feature-major postings: for each feature, the documents that hold it and weights.
        self.postings = (sp.csr_matrix(self.word_rows.T), sp.csr_matrix(char_rows.T))

    def vectors(
        self, words: list[str], chars: list[str]
    ) -> tuple[tuple[np.ndarray, np.ndarray], ...]:
        return self.words.vector(words), self.chars.vector(chars)

    def scores(self, vectors: Sequence[tuple[np.ndarray, np.ndarray]], word: float) -> np.ndarray:
        """``word`` × word cosine + (1 - ``word``) × n-gram cosine, for every document."""
        rows: list[np.ndarray] = []
        values: list[np.ndarray] = []
        for postings, (columns, weights), share in zip(
            self.postings, vectors, (word, 1.0 - word), strict=True
        ):
            indptr, indices, data = postings.indptr, postings.indices, postings.data
            for column, weight in zip(columns.tolist(), (weights * share).tolist(), strict=True):
                start, end = indptr[column], indptr[column + 1]
                rows.append(indices[start:end])
                values.append(data[start:end] * weight)
        if not rows:
            return np.zeros(self.n)
        return np.bincount(np.concatenate(rows), np.concatenate(values), minlength=self.n)


def word_features(tokens: tuple[str, ...], tokenizer: Tokenizer) -> list[str]:
    """The word space's features: the tokens and the dictionary words inside long ones."""
    return [*tokens, *tokenizer.subwords(tokens)]


class Index:
    """Scores every entry against a question."""

    def __init__(self, docs: Sequence[Document], tokenizer: Tokenizer, weights: Weights) -> None:
        self.tokenizer = tokenizer
        self.weights = weights
        phrasings: list[tuple[str, ...]] = []
        entries: list[tuple[str, ...]] = []
        self.texts: list[str] = []  # phrasing row → the phrasing as written
        starts: list[int] = []
        for doc in docs:
            starts.append(len(phrasings))
            whole: list[str] = []
            for text in dict.fromkeys((doc.question, *doc.alternates)):
                tokens = tokenizer.tokens(normalize(text))
                self.texts.append(text)
                phrasings.append(tokens)
                whole.extend(tokens)
            whole.extend(tokenizer.tokens(normalize(doc.answer)))
            entries.append(tuple(whole))
        self.n_entries = len(docs)
        self.entry_start = np.asarray(starts, dtype=np.int64)
        self.phrasings = _Layer(phrasings, tokenizer)
        self.entries = _Layer(entries, tokenizer)
        self.terms = (list(self.phrasings.words.vocabulary), list(self.entries.words.vocabulary))

    def query(self, text: str) -> tuple[Query, Query]:
        """Normalise, tokenise and vectorise a question, for the phrasing and entry layers."""
        tokens = self.tokenizer.tokens(normalize(text))
        words, chars = word_features(tokens, self.tokenizer), char_ngrams(tokens)
        return (
            Query(tokens, self.phrasings.vectors(words, chars)),
            Query(tokens, self.entries.vectors(words, chars)),
        )

    def scores(self, queries: tuple[Query, Query]) -> tuple[np.ndarray, np.ndarray]:
        """(entry scores, phrasing scores): the entry mix, and each phrasing's own score."""
        w = self.weights
        rows = self.phrasings.scores(queries[0].vectors, w.word)
        if self.n_entries == 0:
            return np.zeros(0), rows
        best = np.maximum.reduceat(rows, self.entry_start)
        whole = self.entries.scores(queries[1].vectors, w.word)
        return (1.0 - w.entry) * best + w.entry * whole, rows

    def best_row(self, entry: int, rows: np.ndarray) -> int:
        """The phrasing of ``entry`` that scored best."""
        start = int(self.entry_start[entry])
        end = int(self.entry_start[entry + 1]) if entry + 1 < self.n_entries else len(rows)
        return start + int(np.argmax(rows[start:end]))

    def matched_terms(self, entry: int, query: Query) -> tuple[str, ...]:
        """The question's words that entry ``entry`` (phrasings or answer) also has."""
        matrix = self.entries.word_rows
        start, end = matrix.indptr[entry], matrix.indptr[entry + 1]
        shared = set(matrix.indices[start:end].tolist())
        columns = query.vectors[0][0].tolist()
        return tuple(self.terms[1][c] for c in columns if c in shared)
