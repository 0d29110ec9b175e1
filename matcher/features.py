"""Texts → the index's features: tokens, word ids and character ids, remembered.

Two kinds of character features share one vocabulary: bigrams, for every text, and single
characters, which only whole entries are scored by (see index.Weights.unigram_df for why).
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import jieba
import numpy as np

from matcher import normalize as _normalize
from matcher import tokenize as _tokenize
from matcher.normalize import normalize
from matcher.tfidf import Counts, Vocabulary, char_ngrams, counted, merge
from matcher.tokenize import Tokenizer, mark_used, write_cache


@dataclass(frozen=True)
class Features:
    """One text as the index sees it."""

    tokens: tuple[str, ...]
    words: Counts
    chars: Counts  # character bigrams
    unigrams: Counts  # single characters (ids in the same vocabulary as the bigrams)


class QueryIds(NamedTuple):
    """A question's tokens and the ids of its features (-1: no FAQ text has it), in order."""

    tokens: tuple[str, ...]
    features: list[str]  # the word features: the tokens, then the words inside long ones
    words: list[int]  # each word feature's id
    pairs: list[int]  # character bigram ids
    singles: list[int]  # single-character ids


def bigrams(tokens: Sequence[str]) -> list[str]:
    """Character bigrams over the joined tokens (fillers already gone, synonyms folded)."""
    return char_ngrams(tokens, (2,))


def unigrams(tokens: Sequence[str]) -> list[str]:
    """Every character of the joined tokens but Latin letters and digits (alone, they mean
    nothing: a question of digits only has no terms)."""
    return [c for c in "".join(tokens) if not c.isascii()]


_STORE_LIMIT = 100_000  # texts: larger FAQs are not stored (a 10,000-entry FAQ has ~116,000)


class TokenStore:
    """The FAQ texts' tokens from the last run, on disk, so a start need not re-tokenise them
    (0.2 s of `lawbot ask`'s start-up for the starter FAQ).

    The file is named by what tokens depend on: jieba's version, our word lists and the code
    that normalises and tokenises (any edit to them starts a new file; files unused for a month
    are removed then, see ``tokenize.prune_stale``). Unreadable files are ignored and
    replaced; writes are atomic, failures ignored.
    """

    def __init__(self, tokenizer: Tokenizer, cache_dir: Path) -> None:
        code = b"".join(Path(m.__file__ or "").read_bytes() for m in (_normalize, _tokenize))
        key = hashlib.sha256(code + tokenizer.lexicon.digest.encode()).hexdigest()[:16]
        self.path = cache_dir / f"tokens-{jieba.__version__}-{key}.pickle"
        self._tokens: dict[str, tuple[str, ...]] | None = None

    def get(self, text: str) -> tuple[str, ...] | None:
        """The stored tokens of ``text``, if any."""
        if self._tokens is None:
            self._tokens = {}
            try:
                with self.path.open("rb") as fh:
                    stored = pickle.load(fh)
                if isinstance(stored, dict):
                    self._tokens = stored
                    mark_used(self.path)
            except (OSError, EOFError, ValueError, TypeError, AttributeError, pickle.PickleError):
                pass
        return self._tokens.get(text)

    def put(self, tokens: dict[str, tuple[str, ...]]) -> None:
        """Store these texts' tokens in place of the stored ones."""
        self._tokens = tokens
        if len(tokens) <= _STORE_LIMIT:
            write_cache(self.path, tokens)

    def forget(self) -> None:
        """Use no stored tokens from now on (to measure a cold build)."""
        self._tokens = {}


class Featurizer:
    """Turns FAQ texts into feature ids once, so an index rebuild only pays for changed texts.

    With a ``cache_dir``, the texts' tokens are also kept on disk for the next start
    (``TokenStore``).
    """

    def __init__(self, tokenizer: Tokenizer, cache_dir: Path | None = None) -> None:
        self.tokenizer = tokenizer
        self.words = Vocabulary()
        self.chars = Vocabulary()
        self._memo: dict[str, Features] = {}
        self._single = bytearray()  # char feature id → 1 if it is a single character
        self._entries: dict[tuple[str, ...], tuple[Counts, Counts]] = {}
        self._store = TokenStore(tokenizer, cache_dir) if cache_dir is not None else None
        self._tokenised = 0  # texts tokenised since the store was last written

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
            tokens = self._store.get(text) if self._store is not None else None
            if tokens is None:
                tokens = self.tokenizer.tokens(normalize(text), remember=False)
                self._tokenised += 1
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
        if self._store is not None and self._tokenised:
            self._store.put({t: f.tokens for t, f in self._memo.items()})
            self._tokenised = 0
        if len(self._entries) > len(entries):
            kept = self._entries
            self._entries = {key: kept[key] for key in entries if key in kept}

    def query(self, text: str) -> Features:
        """Features of a question; features no FAQ text ever had are dropped."""
        found = self.query_ids(text)
        return Features(
            found.tokens, counted(found.words), counted(found.pairs), counted(found.singles)
        )

    def query_ids(self, text: str) -> QueryIds:
        """A question's tokens and feature ids (-1: never seen), in order."""
        return self.ids_of(self.tokenizer.tokens(normalize(text)))

    def ids_of(self, tokens: tuple[str, ...]) -> QueryIds:
        """``query_ids`` of text already tokenised (an FAQ text asked as a question)."""
        words, chars = self.words.ids.get, self.chars.ids.get
        features = self.word_features(tokens)
        return QueryIds(
            tokens,
            features,
            [words(f, -1) for f in features],
            [chars(f, -1) for f in bigrams(tokens)],
            [chars(f, -1) for f in unigrams(tokens)],
        )

    def forget(self) -> None:
        """Drop remembered texts and tokens (to measure a cold build)."""
        self._memo.clear()
        self._entries.clear()
        self.tokenizer.forget()
        if self._store is not None:
            self._store.forget()
