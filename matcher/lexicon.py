"""The matcher's word lists: legal terms, synonyms and stop words, as plain text files."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from matcher.normalize import normalize

DATA_DIR = Path(__file__).resolve().parent / "data"
FILES = ("legal_terms.txt", "synonyms.txt", "stopwords.txt")


class LexiconError(Exception):
    """A word-list file is malformed."""


@dataclass(frozen=True)
class Lexicon:
    """Terms to keep whole (with optional frequency), variant → canonical, and stop words."""

    terms: tuple[tuple[str, int | None], ...]
    synonyms: dict[str, str]
    stopwords: frozenset[str]
    digest: str  # sha256 of the three files' contents: keys the tokenizer cache

    def words(self) -> list[tuple[str, int | None]]:
        """Every word the tokenizer must keep whole: the terms, then every synonym form."""
        seen = {word for word, _ in self.terms}
        extra = [w for pair in self.synonyms.items() for w in pair if w not in seen]
        return [*self.terms, *((w, None) for w in dict.fromkeys(extra))]


def _lines(text: str) -> list[str]:
    stripped = (line.strip() for line in text.splitlines())
    return [line for line in stripped if line and not line.startswith("#")]


def parse_terms(text: str) -> tuple[tuple[str, int | None], ...]:
    """Parse ``term [frequency]`` lines."""
    terms: list[tuple[str, int | None]] = []
    for line in _lines(text):
        parts = line.split()
        if len(parts) > 2 or (len(parts) == 2 and not parts[1].isdigit()):
            raise LexiconError(f"legal term line must be 'term [frequency]': {line!r}")
        terms.append((parts[0], int(parts[1]) if len(parts) == 2 else None))
    return tuple(terms)


def parse_synonyms(text: str) -> dict[str, str]:
    """Parse ``canonical: variant variant …`` lines into variant → canonical."""
    mapping: dict[str, str] = {}
    for line in _lines(text):
        canonical, sep, rest = line.partition(":")
        canonical = canonical.strip()
        if not sep or not canonical or " " in canonical or not rest.split():
            raise LexiconError(f"synonym line must be 'canonical: variant …': {line!r}")
        for variant in rest.split():
            if variant in mapping and mapping[variant] != canonical:
                raise LexiconError(
                    f"{variant!r} maps to both {mapping[variant]!r} and {canonical!r}"
                )
            if variant != canonical:
                mapping[variant] = canonical
    return mapping


def _word(text: str) -> str | None:
    """A word as questions will contain it after normalisation (None: not one word)."""
    word = normalize(text)
    return word if word and " " not in word else None


def load_lexicon(data_dir: Path = DATA_DIR) -> Lexicon:
    """Read the three word-list files from ``data_dir``, normalised like questions are.

    Normalising matters: OpenCC turns the Cantonese 𨋢 (lift) into 䢂, so the lists must too.
    """
    texts = [(data_dir / name).read_text(encoding="utf-8") for name in FILES]
    digest = hashlib.sha256("\0".join(texts).encode("utf-8")).hexdigest()
    terms = [(w, f) for t, f in parse_terms(texts[0]) if (w := _word(t))]
    synonyms: dict[str, str] = {}
    for variant, canonical in parse_synonyms(texts[1]).items():
        v, c = _word(variant), _word(canonical)
        if v and c and v != c:
            synonyms[v] = c
    stopwords = {w for line in _lines(texts[2]) if (w := _word(line))}
    return Lexicon(tuple(terms), synonyms, frozenset(stopwords), digest)
