"""Texts → the index's features: tokens, word ids and character-n-gram ids, remembered."""

from __future__ import annotations

from dataclasses import dataclass

from matcher.normalize import normalize
from matcher.tfidf import Counts, Vocabulary, char_ngrams
from matcher.tokenize import Tokenizer

_MEMO_LIMIT = 300_000  # texts remembered; past it the memo starts afresh (ids stay valid)


@dataclass(frozen=True)
class Features:
    """One text as the index sees it."""

    tokens: tuple[str, ...]
    words: Counts
    chars: Counts


class Featurizer:
    """Turns FAQ texts into feature ids once, so an index rebuild only pays for changed texts."""

    def __init__(self, tokenizer: Tokenizer) -> None:
        self.tokenizer = tokenizer
        self.words = Vocabulary()
        self.chars = Vocabulary()
        self._memo: dict[str, Features] = {}

    def word_features(self, tokens: tuple[str, ...]) -> list[str]:
        """The word space's features: the tokens and the dictionary words inside long ones."""
        return [*tokens, *self.tokenizer.subwords(tokens)]

    def document(self, text: str) -> Features:
        """Features of an FAQ text (question, alternate or answer); new features get ids."""
        found = self._memo.get(text)
        if found is None:
            tokens = self.tokenizer.tokens(normalize(text))
            found = Features(
                tokens,
                self.words.intern(self.word_features(tokens)),
                self.chars.intern(char_ngrams(tokens)),
            )
            if len(self._memo) >= _MEMO_LIMIT:
                self._memo.clear()
            self._memo[text] = found
        return found

    def query(self, text: str) -> Features:
        """Features of a question; features no FAQ text ever had are dropped."""
        tokens = self.tokenizer.tokens(normalize(text))
        return Features(
            tokens,
            self.words.lookup(self.word_features(tokens)),
            self.chars.lookup(char_ngrams(tokens)),
        )

    def forget(self) -> None:
        """Drop remembered texts and tokens (to measure a cold build)."""
        self._memo.clear()
        self.tokenizer.forget()
