"""Text normalisation: one canonical form for what residents type, before tokenising."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Protocol

# Anything that is not a letter or a digit (punctuation, symbols, emoji, control and format
# characters, combining marks, underscores) becomes a space.
_NOT_WORD = re.compile(r"[\W_]+")


class _Converter(Protocol):
    def convert(self, text: str) -> str: ...


@lru_cache(maxsize=1)
def _t2s() -> tuple[_Converter, frozenset[str] | None]:
    """The traditional → simplified converter, built once, and the characters it changes.

    OpenCC's pure-Python conversion costs ~1 µs a character, a third of an index build, while
    most FAQ text is already simplified: we convert only text holding a character that some
    conversion rule changes. When OpenCC's tables are not where we expect, convert always.
    """
    from opencc import OpenCC

    converter = OpenCC("t2s")
    converter.convert("")  # loads the dictionaries
    try:
        tables = [table for _longest, _shortest, table in converter._dict_chain_data[0]]
        chars = {a for t in tables for a, b in t.items() if len(a) == 1 and a != b}
        changing = set(chars)
        for table in tables:
            for source, target in table.items():
                # A phrase rule can only fire on text that holds all of its source, so one
                # convertible character in it suffices (上鍊 → 上链 holds 鍊); otherwise we add
                # the characters it replaces, not all of them (so not every text with 上).
                if len(source) > 1 and source != target and chars.isdisjoint(source):
                    first = target.split(" ")[0]
                    pairs = zip(source, first, strict=False)
                    changing.update(a for a, b in pairs if a != b)
        return converter, frozenset(changing)
    except (AttributeError, IndexError, TypeError, ValueError):
        return converter, None


def normalize(text: str) -> str:
    """Half-width, simplified, lower-case text with punctuation, emoji and controls removed."""
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii():
        converter, changing = _t2s()
        if changing is None or not changing.isdisjoint(text):
            text = converter.convert(text)
    text = text.lower()
    return _NOT_WORD.sub(" ", text).strip()
