"""Texts → the index's features: tokens, word ids and character ids, remembered.

Two kinds of character features share one vocabulary: bigrams, for every text, and single
characters, which only whole entries are scored by (see index.Weights.unigram_df for why).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from matcher.normalize import normalize
from matcher.tfidf import Counts, Vocabulary, char_ngrams, counted, merge
from matcher.tokenize import Tokenizer


@dataclass(frozen=True)
class Features:
    """One text as the index sees it."""

    tokens: tuple[str, ...]
    words: Counts
    chars: Counts  # character bigrams
    unigrams: Counts  # single characters (ids in the same vocabulary as the bigrams)


def bigrams(tokens: Sequence[str]) -> list[str]:
    """Character bigrams over the joined tokens (fillers already gone, synonyms folded)."""
    return char_ngrams(tokens, (2,))


def unigrams(tokens: Sequence[str]) -> list[str]:
    """Every character of the joined tokens but Latin letters and digits (alone, they mean
    nothing: a question of digits only has no terms)."""
    return [c for c in "".join(tokens) if not c.isascii()]


class Featurizer:
    """Turns FAQ texts into feature ids once, so an index rebuild only pays for changed texts."""

    def __init__(self, tokenizer: Tokenizer) -> None:
        self.tokenizer = tokenizer
        self.words = Vocabulary()
        self.chars = Vocabulary()
        self._memo: dict[str, Features] = {}
        self._single = bytearray()  # char feature id → 1 if it is a single character
        self._entries: dict[tuple[str, ...], tuple[Counts, Counts]] = {}

    def __len__(self) -> int:
        """How many FAQ texts are remembered."""
        return len(self._memo)

    def word_features(self, tokens: tuple[str, ...]) -> list[str]:
        """The word space's features: the tokens and the dictionary words inside long ones."""
        return [*tokens, *self.tokenizer.subwords(tokens)]

    def document(self, text: str) -> Features:
        """Features of an FAQ text (question, alternate or answer); new features get ids."""
        found = self._memo.get(text)
        if found is None:
            tokens = self.tokenizer.tokens(normalize(text), remember=False)
            found = Features(
                tokens,
                self.words.intern(self.word_features(tokens)),
                self.chars.intern(bigrams(tokens)),
                self.chars.intern(unigrams(tokens)),
            )
            self._memo[text] = found
            single = self._single
            if len(single) < len(self.chars):
                single.extend(bytes(len(self.chars) - len(single)))
            for i in found.unigrams[0].tolist():
                single[i] = 1
        return found

    def single_chars(self) -> np.ndarray:
        """For every character feature id, whether the feature is a single character."""
        flags = np.zeros(len(self.chars), dtype=bool)
        flags[: len(self._single)] = np.frombuffer(bytes(self._single), dtype=np.uint8) > 0
        return flags

    def entry(self, texts: tuple[str, ...]) -> tuple[Counts, Counts]:
        """Word and character counts (bigrams and single characters) of texts taken as one
        document (an entry and its answer)."""
        found = self._entries.get(texts)
        if found is None:
            parts = [self.document(t) for t in texts]
            chars = [p.chars for p in parts] + [p.unigrams for p in parts]
            found = merge([p.words for p in parts]), merge(chars)
            self._entries[texts] = found
        return found

    def keep_only(self, texts: set[str], entries: Sequence[tuple[str, ...]] = ()) -> None:
        """Forget every remembered text but ``texts``, and every entry but ``entries``.

        The memo then holds exactly the current FAQ, however large: a fixed cap (300,000
        texts) made a 100,000-entry rebuild (650,000 texts) re-tokenise everything.
        """
        if len(self._memo) > len(texts):
            self._memo = {t: f for t, f in self._memo.items() if t in texts}
        if len(self._entries) > len(entries):
            kept = self._entries
            self._entries = {key: kept[key] for key in entries if key in kept}

    def query(self, text: str) -> Features:
        """Features of a question; features no FAQ text ever had are dropped."""
        tokens, words, pairs, singles = self.query_ids(text)
        return Features(tokens, counted(words), counted(pairs), counted(singles))

    def query_ids(self, text: str) -> tuple[tuple[str, ...], list[int], list[int], list[int]]:
        """A question's tokens, word feature ids, bigram ids and single-character ids (-1:
        never seen), in order."""
        tokens = self.tokenizer.tokens(normalize(text))
        words, chars = self.words.ids.get, self.chars.ids.get
        joined = "".join(tokens)
        return (
            tokens,
            [words(f, -1) for f in self.word_features(tokens)],
            [chars(joined[i : i + 2], -1) for i in range(len(joined) - 1)],
            [chars(c, -1) for c in joined if not c.isascii()],
        )

    def forget(self) -> None:
        """Drop remembered texts and tokens (to measure a cold build)."""
        self._memo.clear()
        self._entries.clear()
        self.tokenizer.forget()
