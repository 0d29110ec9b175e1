"""The featurizer remembers FAQ texts, so rebuilding an index only pays for what changed."""

from __future__ import annotations

from matcher.features import Featurizer
from matcher.match import shared_tokenizer


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
