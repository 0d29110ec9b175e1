"""Texts → the index's features: tokens, word ids and character-n-gram ids, remembered."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from matcher.normalize import normalize
from matcher.tfidf import Counts, Vocabulary, char_ngrams, counted, merge
from matcher.tokenize import Tokenizer


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
                self.chars.intern(char_ngrams(tokens)),
            )
            self._memo[text] = found
        return found

    def entry(self, texts: tuple[str, ...]) -> tuple[Counts, Counts]:
        """Word and n-gram counts of texts taken as one document (an entry and its answer)."""
        found = self._entries.get(texts)
        if found is None:
            parts = [self.document(t) for t in texts]
            found = merge([p.words for p in parts]), merge([p.chars for p in parts])
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
        tokens, words, chars = self.query_ids(text)
        return Features(tokens, counted(words), counted(chars))

    def query_ids(self, text: str) -> tuple[tuple[str, ...], list[int], list[int]]:
        """A question's tokens, word feature ids and n-gram ids (-1: never seen), in order."""
        tokens = self.tokenizer.tokens(normalize(text))
        words, chars = self.words.ids.get, self.chars.ids.get
        return (
            tokens,
            [words(f, -1) for f in self.word_features(tokens)],
            [chars(f, -1) for f in char_ngrams(tokens)],
        )

    def forget(self) -> None:
        """Drop remembered texts and tokens (to measure a cold build)."""
        self._memo.clear()
        self._entries.clear()
        self.tokenizer.forget()
