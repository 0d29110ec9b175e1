"""How much of a question is legal, and how much of it the FAQ has never seen.

Both weigh each token by how informative it is in general Chinese (``Tokenizer.information``:
-log of its share of jieba's dictionary counts), so that 的-like words count for little and
糖尿病-like words for much.

Legal-domain words are those of ``matcher/data/domain_words.txt`` (generated from the statute
corpus by eval/build_domain_words.py) plus the FAQ's own words that are at least ``RATIO``
times as common in the entries that use them as in general Chinese (found when the index is
built, so a new FAQ brings its own vocabulary).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

from matcher.lexicon import DATA_DIR
from matcher.tokenize import Tokenizer

DOMAIN_FILE = DATA_DIR / "domain_words.txt"
VOCABULARY_FILE = DATA_DIR / "statute_vocabulary.txt"
RATIO = 10.0  # measured: see README
# A word's FAQ share is taken over the entries that use it, counted as at least this many tokens
# (about fifty starter entries with their answers; more than a whole FAQ of a few hundred bare
# questions) or the whole FAQ if it is smaller: a word in two short questions of a large FAQ is
# not yet its vocabulary.
SCOPE = 10_000
MIN_COUNT = 2  # an FAQ word must occur at least this often


@lru_cache(maxsize=4)
def statute_words(path: Path = DOMAIN_FILE) -> frozenset[str]:
    """The generated legal-domain words (or, given ``VOCABULARY_FILE``, every word the
    statutes use: both files come from eval/build_domain_words.py)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(w for line in lines if (w := line.strip()) and not w.startswith("#"))


class Domain:
    """The domain words of one FAQ, and the two shares a question is measured by."""

    def __init__(self, tokenizer: Tokenizer, faq_entries: Iterable[Iterable[str]]) -> None:
        """``faq_entries``: the tokens of each entry (its phrasings and answer together).

        A word's FAQ share is taken over the entries that use it (at least ``SCOPE`` tokens, or
        the whole FAQ if smaller), not over the whole FAQ: a topic's words (孩子 and 学校 of the
        school-injury entries) would otherwise fall below ``RATIO`` as entries on other topics
        are added, and questions on it would lose their legal content although nothing about
        the topic changed.
        """
        self.tokenizer = tokenizer
        counts: Counter[str] = Counter()
        scope: Counter[str] = Counter()  # tokens of the entries that use each word
        for tokens in faq_entries:
            entry = Counter(tokens)
            size = sum(entry.values())
            counts.update(entry)
            for word in entry:
                scope[word] += size
        least = min(SCOPE, sum(counts.values()))  # a smaller FAQ: the whole of it
        floor = math.log(RATIO)
        info = tokenizer.information
        own = {
            w
            for w, c in counts.items()
            if c >= MIN_COUNT
            and not w.isascii()
            and math.log(c / max(scope[w], least)) + info(w) >= floor
        }
        self.words = statute_words() | own
        # Every word the statutes use: of a question's words no FAQ text has, Index.coverage
        # counts only these (the legal-domain words are among them, by how both files are
        # generated; the FAQ's own words are not unknown to it).
        self.vocabulary = statute_words(VOCABULARY_FILE)

    def _share(self, tokens: Sequence[str], chosen: Iterable[str]) -> float:
        """Information-weighted share of ``tokens`` that are in ``chosen``.

        Numbers (a phone number, 3000元's 3000) are left out: they say nothing of the topic.
        """
        tokens = [t for t in tokens if not t.isdigit()]
        info = self.tokenizer.information
        total = math.fsum(info(t) for t in tokens)
        if total <= 0:
            return 0.0
        picked = set(chosen)
        return math.fsum(info(t) for t in tokens if t in picked) / total

    def signal(self, tokens: Sequence[str]) -> float:
        """The share of the question made of legal-domain words."""
        return self._share(tokens, (t for t in tokens if t in self.words))

    def unknown(self, tokens: Sequence[str], unknown: Sequence[str]) -> float:
        """The share of the question made of words no FAQ text has."""
        return self._share(tokens, unknown)

    def legal_words(self, tokens: Sequence[str]) -> tuple[str, ...]:
        """The question's legal-domain words (for explanations)."""
        return tuple(dict.fromkeys(t for t in tokens if t in self.words))
