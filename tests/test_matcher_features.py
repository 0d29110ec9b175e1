"""The featurizer remembers FAQ texts, so rebuilding an index only pays for what changed."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import cast

from matcher.features import Featurizer
from matcher.match import shared_tokenizer
from matcher.tokenize import Tokenizer


def test_documents_are_remembered_and_queries_add_no_ids() -> None:
    f = Featurizer(shared_tokenizer())
    first = f.document("退租后房东不退押金怎么办")
    assert f.document("退租后房东不退押金怎么办") is first
    size = len(f.words), len(f.chars)
    q = f.query("押金和火星旅行")
    assert (len(f.words), len(f.chars)) == size
    assert -1 in q.words[0].tolist()  # the unknown words, kept apart for the norm
    assert f.words.ids["押金"] in q.words[0].tolist()


def test_keep_only_the_current_faq() -> None:
    f = Featurizer(shared_tokenizer())
    kept = f.document("离婚后孩子抚养权归谁")
    f.document("老板拖欠工资")
    assert len(f) == 2
    f.keep_only({"离婚后孩子抚养权归谁"})
    assert len(f) == 1
    assert f.document("离婚后孩子抚养权归谁") is kept


def test_entries_are_merged_once_and_pruned_with_the_faq() -> None:
    f = Featurizer(shared_tokenizer())
    key = ("房东不退押金", "押金不退怎么办")
    words = f.entry(key)[0]
    assert f.entry(key)[0] is words
    deposit = f.words.ids["押金"]
    assert dict(zip(words[0].tolist(), words[1].tolist(), strict=True))[deposit] == 2
    gone = f.entry(("老板拖欠工资",))
    f.keep_only({"房东不退押金", "押金不退怎么办"}, [key])
    assert len(f) == 2
    assert f.entry(key)[0] is words
    assert f.entry(("老板拖欠工资",)) is not gone


class CountingTokenizer:
    """Our tokenizer, counting the texts it is asked to tokenise."""

    def __init__(self, digest: str | None = None) -> None:
        self.real = shared_tokenizer()
        lexicon = self.real.lexicon
        self.lexicon = replace(lexicon, digest=digest) if digest else lexicon
        self.calls = 0

    def tokens(self, normalized: str, remember: bool = True) -> tuple[str, ...]:
        self.calls += 1
        return self.real.tokens(normalized, remember)

    def subwords(self, tokens: tuple[str, ...]) -> list[str]:
        return self.real.subwords(tokens)

    def forget(self) -> None:
        self.real.forget()


def featurizer(tokenizer: CountingTokenizer, folder: Path) -> Featurizer:
    return Featurizer(cast(Tokenizer, tokenizer), folder)


def test_faq_tokens_are_stored_for_the_next_start(tmp_path: Path) -> None:
    faq = {"退租后房东不退押金怎么办", "老板拖欠工资"}
    first = CountingTokenizer()
    before = featurizer(first, tmp_path)
    for text in faq:
        before.document(text)
    before.keep_only(faq)
    assert first.calls == 2
    assert len(list(tmp_path.glob("tokens-*.pickle"))) == 1
    # the next start reads them back: no tokenising, the same tokens
    second = CountingTokenizer()
    after = featurizer(second, tmp_path)
    assert after.document("老板拖欠工资").tokens == before.document("老板拖欠工资").tokens
    assert second.calls == 0
    after.document("离婚后孩子抚养权归谁")  # a new text is tokenised
    assert second.calls == 1
    # other word lists: another file, nothing read from this one
    other = CountingTokenizer(digest="0" * 64)
    featurizer(other, tmp_path).document("老板拖欠工资")
    assert other.calls == 1
    # forget(): a cold build tokenises everything again
    after.forget()
    after.document("老板拖欠工资")
    assert second.calls == 2


def test_a_damaged_token_file_is_ignored_and_replaced(tmp_path: Path) -> None:
    first = CountingTokenizer()
    before = featurizer(first, tmp_path)
    before.document("老板拖欠工资")
    before.keep_only({"老板拖欠工资"})
    (path,) = tmp_path.glob("tokens-*.pickle")
    path.write_bytes(b"not a pickle")
    second = CountingTokenizer()
    after = featurizer(second, tmp_path)
    assert after.document("老板拖欠工资").tokens == ("单位", "拖欠工资")
    assert second.calls == 1
    after.keep_only({"老板拖欠工资"})
    third = CountingTokenizer()
    featurizer(third, tmp_path).document("老板拖欠工资")
    assert third.calls == 0


def test_reading_the_token_file_marks_it_used(tmp_path: Path) -> None:
    """So that pruning (matcher.tokenize.prune_stale) keeps the file a start still reads."""
    before = featurizer(CountingTokenizer(), tmp_path)
    before.document("老板拖欠工资")
    before.keep_only({"老板拖欠工资"})
    (path,) = tmp_path.glob("tokens-*.pickle")
    os.utime(path, (1_000_000, 1_000_000))
    featurizer(CountingTokenizer(), tmp_path).document("老板拖欠工资")
    assert path.stat().st_mtime > 1_000_000
