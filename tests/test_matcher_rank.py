"""The scoring pass in C (matcher/_rank.c) ranks exactly as the numpy path does."""

from __future__ import annotations

from functools import lru_cache
from types import ModuleType

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matcher_samples import DOCS
from test_matcher_speedups import _uneven_faq

from matcher import Document, Matcher
from matcher.index import Index, Query, Ranked
from matcher.topics import load_topics

QUESTIONS = (
    "请问房东不退押金怎么办",
    "老板拖欠工资三个月，去哪里申请劳动仲裁",
    "离婚后孩子抚养权归谁",
    "押金",
    "工资乙2",
    "房东不退押金怎么办甲1",
    "今天天气怎么样",
    "",
    "🙂🙂",
    "what is a lease deposit",
    "12345",
    "物业" * 300,
)


def _rank_module() -> ModuleType:
    try:
        from matcher import _rank
    except ImportError:  # pragma: no cover - the failure this test exists to report
        pytest.fail(
            "matcher/_rank.c was not built: install a C compiler (gcc) and the Python headers,"
            " then run `pip install -e .` again (the matcher works without it, but slower)"
        )
    return _rank


def test_the_compiled_pass_is_built() -> None:
    """The install builds the C pass where a compiler is (it is optional for the install
    only, so that the bot still runs without one)."""
    module = _rank_module()
    assert callable(getattr(module, "rank", None))


def _both(index: Index, question: str, k: int, ranked: int, mask: np.ndarray | None) -> None:
    queries = index.query(question)
    fast = index.rank(queries, k, ranked, mask)
    slow = index._rank_numpy(queries, k, ranked, mask)
    assert isinstance(fast, Ranked)
    assert fast.order == slow.order, question
    assert fast.scores == slow.scores, question  # to the bit: same sums in the same order
    assert fast.confidences == slow.confidences, question
    assert (fast.topic, fast.topic_confidence) == (slow.topic, slow.topic_confidence), question
    np.testing.assert_array_equal(fast.rows, slow.rows)


@pytest.mark.parametrize("faq", ["samples", "uneven"])
def test_c_and_numpy_rank_alike(faq: str) -> None:
    _rank_module()
    docs = DOCS if faq == "samples" else _uneven_faq()
    topics = load_topics()
    matcher = Matcher.build(docs, topics=topics)
    index = matcher.index
    if faq == "uneven":  # entries past the phrasing grid, which the C pass folds apart
        assert len(index.deep_entries) > 0 and len(index.deep_slots) > 0
    rng = np.random.default_rng(7)
    masks = [None, rng.random(len(docs)) < 0.5, np.zeros(len(docs), dtype=bool)]
    masks[2][-1] = True  # one entry applies: k beyond it is cut by the caller, not here
    for question in QUESTIONS:
        for k in (1, 2, 5, min(32, len(docs))):
            for mask in masks:
                applicable = len(docs) if mask is None else int(mask.sum())
                _both(index, question, min(k, applicable), len(docs), mask)


def test_c_rank_keeps_ties_in_index_order_and_finds_no_topic_without_topics() -> None:
    _rank_module()
    same = [Document(f"e{i}", "房东不退押金怎么办") for i in range(40)]
    index = Matcher.build(same, topics=()).index
    ranked = index.rank(index.query("押金"), 5, len(same))
    assert ranked.order == [0, 1, 2, 3, 4]
    assert len(set(ranked.scores)) == 1 and ranked.scores[0] > 0
    assert (ranked.topic, ranked.topic_confidence) == (-1, 0.0)
    assert index.rank(index.query("押金"), 0, len(same)).order == []


def test_c_rank_refuses_arrays_that_do_not_fit_the_layout() -> None:
    module = _rank_module()
    index = Matcher.build(DOCS, topics=()).index
    queries = index.query("押金")
    n = index.n_entries

    def call(**changed: object) -> tuple[list[int], list[float], list[float], int, float]:
        args = {
            "phrasing_ids": queries[0].ids,
            "phrasing_weights": queries[0].weights,
            "entry_ids": queries[1].ids,
            "entry_weights": queries[1].weights,
            "indptr": index.indptr,
            "indices": index.indices,
            "data": index.data,
            "out": np.empty(index.n_documents, dtype=np.float32),
            "deep_entries": index.deep_entries,
            "deep_start": index.deep_start,
            "deep_slots": index.deep_slots,
            "mask": None,
            "n_slots": index.n_slots,
            "n_documents": n,
            "n_ranked": n,
            "grid": index.grid,
            "width": index.width,
            "single_offset": index.single_offset,
            "share": 0.1,
            "k": 5,
        }
        args.update(changed)
        return module.rank(*args.values())

    assert len(call()[0]) == 5
    with pytest.raises(ValueError, match="sizes"):
        call(out=np.empty(index.n_documents - 1, dtype=np.float32))
    with pytest.raises(ValueError, match="sizes"):
        call(entry_weights=queries[1].weights[:-1])
    with pytest.raises(ValueError, match="outside the index"):
        call(entry_ids=np.full(len(queries[1].ids), len(index.indptr), dtype=np.int32))
    with pytest.raises(ValueError, match="out of range"):
        call(k=module.MAX_K + 1)
    with pytest.raises(TypeError, match="items of 4 bytes"):
        call(data=index.data.astype(np.float64))
    read_only = np.empty(index.n_documents, dtype=np.float32)
    read_only.flags.writeable = False
    with pytest.raises((BufferError, ValueError)):
        call(out=read_only)


def _sorted_pairs(query: Query) -> list[tuple[int, float]]:
    return sorted(zip(query.ids.tolist(), query.weights.tolist(), strict=True))


def _same_query(fast: Query, slow: Query) -> None:
    assert fast.tokens == slow.tokens
    assert fast.words == slow.words
    assert fast.known == slow.known
    assert fast.informative == slow.informative
    # characters come in ascending id from C, in the question's order from Python: both
    # scoring paths sort them; the weights are the same to the bit
    assert _sorted_pairs(fast) == _sorted_pairs(slow)
    assert fast.ids.dtype == slow.ids.dtype and fast.weights.dtype == slow.weights.dtype


@pytest.mark.parametrize("faq", ["samples", "uneven"])
def test_c_and_python_weigh_a_question_alike(faq: str) -> None:
    _rank_module()
    docs = DOCS if faq == "samples" else _uneven_faq()
    index = Matcher.build(docs, topics=load_topics()).index
    for question in (*QUESTIONS, *(p for d in docs[:40] for p in (d.question, *d.alternates))):
        ids = index.featurizer.query_ids(question)
        fast, slow = index._query_c(ids), index._query_python(ids)
        for a, b in zip(fast, slow, strict=True):
            _same_query(a, b)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    words=st.lists(st.integers(-1, 420), max_size=60),
    pairs=st.lists(st.integers(-1, 1300), max_size=120),
    singles=st.lists(st.integers(-1, 1300), max_size=120),
)
def test_c_weighs_any_feature_ids_as_python_does(
    words: list[int], pairs: list[int], singles: list[int]
) -> None:
    """Repeated, unknown (-1) and out-of-vocabulary ids alike: same norms (an exact sum, as
    math.fsum), same weights, same coverage words."""
    index = _sample_index()
    fast = index._query_c(((), words, pairs, singles))
    slow = index._query_python(((), words, pairs, singles))
    for a, b in zip(fast, slow, strict=True):
        _same_query(a, b)


@lru_cache(maxsize=1)
def _sample_index() -> Index:
    _rank_module()
    return Matcher.build(DOCS, topics=load_topics()).index
