"""Text normalisation: one canonical form for what residents type, before tokenising."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from opencc import OpenCC

# Anything that is not a letter or a digit (punctuation, symbols, emoji, control and format
# characters, combining marks, underscores) becomes a space.
_NOT_WORD = re.compile(r"[\W_]+")


@lru_cache(maxsize=1)
def _t2s() -> OpenCC:
    """The traditional → simplified converter, built once (imported late: only non-ASCII text
    needs it)."""
    from opencc import OpenCC

    return OpenCC("t2s")


def normalize(text: str) -> str:
    """Half-width, simplified, lower-case text with punctuation, emoji and controls removed."""
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii():
        text = _t2s().convert(text)
    text = text.lower()
    return _NOT_WORD.sub(" ", text).strip()
