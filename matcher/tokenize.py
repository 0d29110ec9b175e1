"""Our private jieba tokenizer: legal terms kept whole, synonyms folded, fillers dropped."""

from __future__ import annotations

import logging
import math
import os
import pickle
import tempfile
import time
from pathlib import Path

import jieba

from matcher.lexicon import Lexicon

_MEMO_LIMIT = 200_000  # texts remembered (questions are often asked again)

# Our cache files (jieba's dictionary per word-list version, the FAQ's tokens per code
# version) that no start has used for this long are removed when a new one is written.
STALE_DAYS = 30
_CACHE_FILES = ("jieba-*.pickle", "tokens-*.pickle", "*.tmp")


def default_cache_dir() -> Path | None:
    """Where the initialised tokenizer is cached: ``$XDG_CACHE_HOME/lawbot`` or ``~/.cache``.

    None when there is no home to find (then every start builds the dictionary, 0.7 s).
    """
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:
            return None
    return Path(base) / "lawbot"


class Tokenizer:
    """Turns normalised text into the tokens the index works on."""

    def __init__(self, lexicon: Lexicon, cache_dir: Path | None = None) -> None:
        self.lexicon = lexicon
        self.cache_dir = cache_dir  # where jieba's dictionary (and the FAQ's tokens) are cached
        self._jieba = _load_jieba(lexicon, cache_dir)
        self._memo: dict[str, tuple[str, ...]] = {}
        self._information: dict[str, float] = {}  # word → ``information``, kept

    def tokens(self, normalized: str, remember: bool = True) -> tuple[str, ...]:
        """Tokens of already normalised text: synonyms mapped, stop words and spaces dropped.

        ``remember`` keeps the result for the next time (questions are often asked again);
        FAQ texts are remembered by the featurizer instead.
        """
        found = self._memo.get(normalized)
        if found is not None:
            return found
        synonyms, stopwords = self.lexicon.synonyms, self.lexicon.stopwords
        out: list[str] = []
        for piece in self._cut(normalized):
            if piece == " " or piece in stopwords:
                continue
            word = synonyms.get(piece, piece)
            if word not in stopwords:
                out.append(word)
        result = tuple(out)
        if remember:
            if len(self._memo) >= _MEMO_LIMIT:
                self._memo.clear()
            self._memo[normalized] = result
        return result

    def _cut(self, text: str) -> list[str]:
        """jieba's pieces of ``text`` (its default mode, without HMM guesses for new words)."""
        return self._jieba.lcut(text, HMM=False)

    def forget(self) -> None:
        """Drop remembered tokens."""
        self._memo.clear()

    def information(self, word: str) -> float:
        """How informative ``word`` is in general Chinese: -log of its share of jieba's
        dictionary counts (a word jieba does not know counts as seen once)."""
        found = self._information.get(word)
        if found is None:
            jb = self._jieba
            found = math.log(jb.total / max(jb.FREQ.get(word) or 1, 1))
            if len(self._information) >= _MEMO_LIMIT:
                self._information.clear()
            self._information[word] = found
        return found

    def subwords(self, tokens: tuple[str, ...]) -> list[str]:
        """Dictionary words inside long tokens (协议离婚 → 协议, 离婚), as jieba's search mode.

        Added to the word features so that a question's compound term still meets an entry
        that writes its parts apart, and the other way round.
        """
        freq, synonyms, stopwords = self._jieba.FREQ, self.lexicon.synonyms, self.lexicon.stopwords
        found: list[str] = []
        for token in tokens:
            for n in (2, 3):
                if len(token) <= n:
                    continue
                for i in range(len(token) - n + 1):
                    part = token[i : i + n]
                    if freq.get(part) and part not in stopwords:
                        found.append(synonyms.get(part, part))
        return found


def _cache_path(lexicon: Lexicon, cache_dir: Path) -> Path:
    return cache_dir / f"jieba-{jieba.__version__}-{lexicon.digest[:16]}.pickle"


def _load_jieba(lexicon: Lexicon, cache_dir: Path | None) -> jieba.Tokenizer:
    """A private jieba tokenizer with our words, from the cache when its key still matches.

    The cache holds jieba's prefix dictionary after our words were added, named by a hash of
    our word-list files: any edit to them builds (and caches) a fresh one. Pickle, not jieba's
    own marshal cache: it loads the 500,000-word dictionary in 0.16 s instead of 0.5 s.
    """
    tok = jieba.Tokenizer()
    path = _cache_path(lexicon, cache_dir) if cache_dir is not None else None
    if path is not None and path.exists():
        try:
            with path.open("rb") as fh:
                tok.FREQ, tok.total = pickle.load(fh)
            tok.initialized = True
            mark_used(path)
            return tok
        except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError):
            pass  # a damaged cache is rebuilt below
    logger = logging.getLogger("jieba")
    level = logger.level
    logger.setLevel(logging.WARNING)  # jieba narrates its dictionary load on stderr
    try:
        if cache_dir is not None:
            tok.tmp_dir = str(cache_dir)
            cache_dir.mkdir(parents=True, exist_ok=True)
        tok.initialize()
    except OSError:
        tok.tmp_dir = None
        tok.initialize()
    finally:
        logger.setLevel(level)
    for word, freq in lexicon.words():
        tok.add_word(word, freq)
    if path is not None:
        write_cache(path, (tok.FREQ, tok.total))
    return tok


def write_cache(path: Path, value: object) -> None:
    """Pickle ``value`` to our cache file ``path`` atomically, so a concurrent start never
    reads half a file, then prune the folder's stale files; failures are ignored."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        return
    prune_stale(path.parent)


def mark_used(path: Path) -> None:
    """Note that a start used this cache file (its modification time), so that pruning keeps
    it; failures (a read-only folder) are ignored."""
    try:
        os.utime(path)
    except OSError:
        pass


def prune_stale(cache_dir: Path, now: float | None = None) -> list[Path]:
    """Remove our cache files in ``cache_dir`` that no start has used for ``STALE_DAYS`` days,
    and return them.

    Each edit of the word lists or of the tokenising code leaves its files behind (~7 MB for
    jieba's dictionary). Age, not "all but the newest", decides: installs sharing the folder
    with other word lists each keep their own files in use (``mark_used``), so they never
    delete each other's. Failures are ignored.
    """
    cutoff = (time.time() if now is None else now) - STALE_DAYS * 86400
    removed = []
    for pattern in _CACHE_FILES:
        for path in cache_dir.glob(pattern):
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed.append(path)
            except OSError:
                pass
    return removed
