"""Golden token lists for real phrasings, and the on-disk cache of the initialised tokenizer."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import jieba
import pytest

from matcher.lexicon import DATA_DIR, FILES, load_lexicon
from matcher.match import shared_tokenizer
from matcher.normalize import normalize
from matcher.tokenize import STALE_DAYS, Tokenizer, default_cache_dir


def tokens(text: str) -> tuple[str, ...]:
    return shared_tokenizer().tokens(normalize(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("请问房东不退按金怎么办？", ("房东", "不退", "押金")),
        ("老板把我炒鱿鱼了，有没有经济补偿金", ("单位", "解雇", "经济补偿金")),
        ("離婚後孩子的撫養權歸誰", ("离婚", "后", "孩子", "抚养权", "归")),
        (
            "我们小区旧楼加装电梯，一楼业主反对怎么办",
            ("小区", "旧楼", "加装电梯", "一楼", "业主", "反对"),
        ),
        ("朋友欠钱不还，借条过了诉讼时效吗", ("朋友", "借钱", "不还", "借条", "诉讼时效")),
        ("欠咗三个月人工，老细唔俾", ("欠", "三个", "月", "工资", "单位", "不")),
        ("申请法律援助需要什么条件", ("申请", "法律援助", "条件")),
        ("我老公出轨了想离婚", ("丈夫", "出轨", "离婚")),
        ("被公司开除了可以申请劳动仲裁吗", ("单位", "解雇", "申请", "劳动仲裁")),
        ("物业费", ("物业费",)),
    ],
)
def test_golden_tokens(text: str, expected: tuple[str, ...]) -> None:
    assert tokens(text) == expected


def test_subwords_let_compound_terms_meet_their_parts() -> None:
    tok = shared_tokenizer()
    assert tok.subwords(("协议离婚", "流程")) == ["协议", "离婚"]
    assert "法律" in tok.subwords(("法律援助",))


def test_fillers_alone_leave_nothing() -> None:
    assert tokens("请问一下，怎么办呢？") == ()


def test_a_private_jieba_tokenizer_not_the_global_one() -> None:
    assert shared_tokenizer()._jieba is not jieba.dt


def _copy_lists(target: Path) -> Path:
    target.mkdir()
    for name in FILES:
        shutil.copy(DATA_DIR / name, target / name)
    return target


def test_cache_is_keyed_on_the_word_lists(tmp_path: Path) -> None:
    data = _copy_lists(tmp_path / "data")
    cache = tmp_path / "cache"
    first = Tokenizer(load_lexicon(data), cache)
    files = sorted(p.name for p in cache.glob("*.pickle"))
    assert len(files) == 1
    # A second start loads the cache and segments the same way.
    assert Tokenizer(load_lexicon(data), cache).tokens("加装电梯") == first.tokens("加装电梯")
    # An adviser adds a word: a new cache file, and the word is kept whole.
    with (data / "legal_terms.txt").open("a", encoding="utf-8") as fh:
        fh.write("居住权登记\n")
    grown = Tokenizer(load_lexicon(data), cache)
    assert len(list(cache.glob("*.pickle"))) == 2
    assert grown.tokens("居住权登记") == ("居住权登记",)


def test_damaged_cache_is_rebuilt(tmp_path: Path) -> None:
    data = _copy_lists(tmp_path / "data")
    cache = tmp_path / "cache"
    Tokenizer(load_lexicon(data), cache)
    (path,) = cache.glob("*.pickle")
    path.write_bytes(b"not a pickle")
    assert Tokenizer(load_lexicon(data), cache).tokens("劳动仲裁") == ("劳动仲裁",)


def test_cache_dir_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_cache_dir() == tmp_path / "lawbot"


def test_without_a_cache_dir_the_tokenizer_still_works() -> None:
    assert Tokenizer(load_lexicon(), None).tokens("劳动仲裁") == ("劳动仲裁",)


def test_cache_files_unused_for_a_month_go_when_a_new_one_is_written(tmp_path: Path) -> None:
    data = _copy_lists(tmp_path / "data")
    cache = tmp_path / "cache"
    Tokenizer(load_lexicon(data), cache)
    (current,) = cache.glob("jieba-*.pickle")
    month_ago = time.time() - (STALE_DAYS + 1) * 86400
    stale = cache / "jieba-0.42.1-0000000000000000.pickle"  # word lists edited long ago
    leftover = cache / "tmp1234.tmp"  # a write cut short
    others = cache / "jieba-0.42.1-1111111111111111.pickle"  # another install's, in use
    not_ours = cache / "notes.txt"
    for path in (stale, leftover, others, not_ours):
        path.write_bytes(b"x")
    for path in (stale, leftover, not_ours, current):
        os.utime(path, (month_ago, month_ago))
    # a start that loads the current file marks it used
    Tokenizer(load_lexicon(data), cache)
    assert current.stat().st_mtime > month_ago + 86400
    assert stale.exists()  # nothing is pruned until a new file is written
    # an adviser adds a word: a new cache file, and what no start used for a month goes
    with (data / "legal_terms.txt").open("a", encoding="utf-8") as fh:
        fh.write("居住权登记\n")
    Tokenizer(load_lexicon(data), cache)
    assert not stale.exists() and not leftover.exists()
    assert current.exists() and others.exists() and not_ours.exists()
    assert len(list(cache.glob("jieba-*.pickle"))) == 3
