"""Small talk: greetings, thanks, acknowledgements, emoji, other languages, gibberish.

The bot answers these itself with a short reply (what it can do, how to reach a person);
they never open a ticket and never get a category. The phrases live in a data file
(``bot/data/smalltalk.txt``) that advisers can extend: a message is small talk when, with
punctuation, spaces and emoji removed, it is made only of those phrases and filler words.
Measured on ../shared/data/eval/oos_chitchat.jsonl by ``benchmarks/smalltalk_oos.py``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bot.texts import cli as texts

PHRASES_FILE = Path(__file__).resolve().parent / "data" / "smalltalk.txt"
# The sections of the phrase file that have a reply (bot/texts/resident.py SMALLTALK). When a
# message mixes kinds (好的，谢谢，再见) the reply follows the first kind listed here; a
# resident who asks what the bot is (你好，你是谁) is told that first, and one who says a
# question is coming (谢谢，我还有个问题) is asked for it.
PRIORITY = ("about", "ask", "thanks", "bye", "greeting", "presence", "ack")
FILLER = "filler"
EMOJI = "emoji"  # nothing but emoji, symbols or punctuation
FOREIGN = "foreign"  # no Chinese at all: another language, or letters typed at random


class PhrasesError(Exception):
    """The small-talk phrase file is malformed (a phrase outside any section)."""


@dataclass(frozen=True)
class Phrases:
    """Phrase → kind, and the filler words that may pad a phrase."""

    kinds: dict[str, str]
    fillers: frozenset[str]

    @property
    def longest(self) -> int:
        """The length of the longest phrase or filler (the scan's window)."""
        return max(len(p) for p in [*self.kinds, *self.fillers, "x"])


def parse_phrases(text: str) -> Phrases:
    """Read ``[kind]`` sections of one phrase per line (``#`` starts a comment line).

    Raises:
        PhrasesError: a phrase comes before any ``[kind]`` line, or a section is not one of
            :data:`PRIORITY` or ``filler`` (the bot would have no reply for its phrases).
    """
    kinds: dict[str, str] = {}
    fillers: set[str] = set()
    section: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
            if section not in (*PRIORITY, FILLER):
                known = "、".join(f"[{name}]" for name in (*PRIORITY, FILLER))
                raise PhrasesError(texts.UNKNOWN_SECTION.format(
                    line=number, section=section, known=known))
            continue
        if section is None:
            raise PhrasesError(texts.PHRASE_OUTSIDE_SECTION.format(line=number))
        phrase = squeeze(line)
        if not phrase:
            continue
        if section == FILLER:
            fillers.add(phrase)
        else:
            kinds.setdefault(phrase, section)
    return Phrases(kinds, frozenset(fillers))


@cache
def default_phrases() -> Phrases:
    """The phrases of ``bot/data/smalltalk.txt`` (read once per process)."""
    return parse_phrases(PHRASES_FILE.read_text(encoding="utf-8"))


def squeeze(text: str) -> str:
    """Lower case, without spaces, punctuation, symbols and emoji (what phrases compare)."""
    kept = []
    for char in unicodedata.normalize("NFKC", text).lower():
        category = unicodedata.category(char)
        if category[0] in "PSZC":  # punctuation, symbols (emoji), separators, controls
            continue
        kept.append(char)
    return "".join(kept)


def is_chinese(char: str) -> bool:
    """True for a CJK ideograph."""
    return 0x4E00 <= ord(char) <= 0x9FFF or 0x3400 <= ord(char) <= 0x4DBF


def kind_of(text: str, phrases: Phrases | None = None) -> str | None:
    """The small-talk kind of ``text`` (thanks, greeting, …, emoji, foreign), or None.

    None means a question (or a number, or a command): the conversation handles it.
    """
    phrases = phrases or default_phrases()
    stripped = text.strip()
    if not stripped or stripped[0] in "/!":
        return None
    squeezed = squeeze(stripped)
    if not squeezed:
        return EMOJI
    if squeezed.isdigit():
        return None
    found = _scan(squeezed, phrases)
    if found is not None:
        return found
    if not any(is_chinese(c) for c in squeezed):
        return FOREIGN
    return None


def _scan(text: str, phrases: Phrases) -> str | None:
    """Cover ``text`` with phrases and fillers, longest first; the reply's kind, or None."""
    seen: list[str] = []
    i, window = 0, phrases.longest
    while i < len(text):
        for size in range(min(window, len(text) - i), 0, -1):
            piece = text[i : i + size]
            if piece in phrases.kinds:
                seen.append(phrases.kinds[piece])
                break
            if piece in phrases.fillers:
                break
        else:
            return None
        i += size
    if not seen:
        return "ack" if text else None  # 啊 / 哦哦 alone: an acknowledgement
    return min(seen, key=lambda k: PRIORITY.index(k) if k in PRIORITY else len(PRIORITY))
