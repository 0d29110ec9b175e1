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

# jieba's own patterns for its default (not cut_all) mode: runs of Han characters, letters,
# digits and +#&._%- are cut by the dictionary; the rest splits on whitespace, then by character.
_HAN, _SKIP = jieba.re_han_default, jieba.re_skip_default
# Our cache files (jieba's dictionary per word-list version, the FAQ's tokens per code
# version) that no start has used for this long are removed when a new one is written.
STALE_DAYS = 30
_CACHE_FILES = ("jieba-*.pickle", "tokens-*.pickle", "*.tmp")
_ENGLISH = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


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
        """The pieces of ``jieba.Tokenizer.cut(text, HMM=False)``, in one pass per block.

        jieba builds a dict of every position's dictionary words, then a second dict of best
        routes from a generator per position (~70 µs a question). Here each position's words
        are scored as they are found: the same sums in the same order (log(freq) - log(total)
        + the route after it), ties to the longer word as jieba's max over (score, end) does.
        A test compares the pieces with jieba's on every FAQ text.
        """
        out: list[str] = []
        for block in _HAN.split(text):
            if not block:
                continue
            if _HAN.match(block):
                self._cut_block(block, out)
            else:
                for piece in _SKIP.split(block):
                    if _SKIP.match(piece):
                        out.append(piece)
                    else:
                        out.extend(piece)
        return out

    def _cut_block(self, block: str, out: list[str]) -> None:
        """jieba's ``__cut_DAG_NO_HMM`` on one block: the most probable route of words."""
        jb = self._jieba
        if not jb.initialized:
            jb.initialize()
        get, log = jb.FREQ.get, math.log
        logtotal = log(jb.total)
        n = len(block)
        score = [0.0] * (n + 1)
        end = list(range(n + 1))
        for k in range(n - 1, -1, -1):
            best_score = 0.0
            best_end = -1
            i = k
            frag = block[k]
            while i < n:
                freq = get(frag)
                if freq is None:
                    break
                if freq:
                    value = log(freq) - logtotal + score[i + 1]
                    if best_end < 0 or value >= best_score:
                        best_score, best_end = value, i
                i += 1
                frag = block[k : i + 1]
            if best_end < 0:  # no dictionary word starts here: the character alone
                freq = get(block[k])
                best_score = log(freq or 1) - logtotal + score[k + 1]
                best_end = k
            score[k], end[k] = best_score, best_end
        x = 0
        buf = ""
        while x < n:
            y = end[x] + 1
            word = block[x:y]
            if y - x == 1 and word in _ENGLISH:
                buf += word
            else:
                if buf:
                    out.append(buf)
                    buf = ""
                out.append(word)
            x = y
        if buf:
            out.append(buf)

    def forget(self) -> None:
        """Drop remembered tokens."""
        self._memo.clear()

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
