"""Shortcuts of the matcher's hot path give what the long way gives."""

from __future__ import annotations

import numpy as np
import pytest
from matcher_samples import DOCS

from matcher import Document, Matcher, Thresholds
from matcher.decide import decide
from matcher.index import best_k


def test_reason_shows_coverage_only_when_its_rule_is_on() -> None:
    off = Thresholds(answer=0.5, suggest=0.3, margin=0.1, coverage=0.0)
    on = Thresholds(answer=0.5, suggest=0.3, margin=0.1, coverage=0.4)
    assert "coverage" not in decide(0.8, 0.1, off).reason
    assert decide(0.8, 0.1, off).rule == "confident"
    verdict = decide(0.8, 0.1, on, 0.75)
    assert verdict.rule == "confident"
    assert "coverage 0.75 >= 0.40" in verdict.reason


def test_candidates_without_explain_are_the_explained_ones_without_details() -> None:
    matcher = Matcher.build(DOCS)
    for question in ("请问房东不退押金怎么办", "工资", "火星旅行签证", ""):
        plain = matcher.match(question, k=4)
        explained = matcher.match(question, k=4, explain=True)
        assert [(c.id, c.score, c.question, c.confidence) for c in plain.top] == [
            (c.id, c.score, c.question, c.confidence) for c in explained.top
        ]
        assert all(c.matched_terms == () and c.phrasing == "" for c in plain.top)


@pytest.mark.parametrize("n", [1, 7, 100, 5000])
def test_best_k_is_a_stable_sort_prefix(n: int) -> None:
    rng = np.random.default_rng(n)
    for scores in (rng.random(n), np.round(rng.random(n), 1), np.zeros(n)):
        before = scores.copy()
        for k in (1, 2, 5, 10, 12):
            expected = np.lexsort((np.arange(n), -scores))[:k].tolist()
            assert best_k(scores, min(k, n)) == expected
            assert np.array_equal(scores, before)


def _uneven_faq() -> list[Document]:
    """Entries with 1 to 40 phrasings: a grid of the common depths and overflow past it."""
    base = [p for d in DOCS for p in (d.question, *d.alternates)]
    docs = []
    for i in range(400):
        depth = 1 + (i * 7) % 5 if i % 3 else 6 + (i * 5) % 35
        texts = [f"{base[(i + j) % len(base)]}{'甲乙丙丁戊己庚辛'[j % 8]}{j}" for j in range(depth)]
        docs.append(Document(f"e{i}", texts[0], tuple(texts[1:])))
    return docs


def test_best_phrasing_folds_past_the_grid() -> None:
    """Each entry's best phrasing score from the slots equals the plain maximum."""
    docs = _uneven_faq()
    matcher = Matcher.build(docs, topics=())
    index = matcher.index
    # every path taken: the grid, overflow slots folded one by one, and the tail together
    assert index.grid > 1 and len(index.deep_entries) > 0 and index.slot_bounds
    assert index.tail < index.phrasings.n
    owner = np.repeat(np.arange(len(docs)), np.diff(index.entry_start))
    for question in ("房东不退押金怎么办甲1", "工资乙2", "离婚丙", "押金"):
        queries = index.query(question)
        confidences, _, rows = index.scores(queries)
        per_row = rows[index.position]
        best = np.zeros(len(docs), dtype=np.float32)
        np.maximum.at(best, owner, per_row)
        # the entry layer's postings carry its share of the score already
        expected = best * np.float32(1.0 - index.weights.entry) + index.entries.scores(queries[1])
        np.testing.assert_array_equal(confidences, expected)
        for e in range(len(docs)):
            row = index.best_row(e, rows)
            assert per_row[row] == best[e]


def test_joined_arrays_equal_concatenate_whatever_their_type_or_layout() -> None:
    from matcher.tfidf import _joined

    int32 = np.dtype(np.int32)
    parts = [np.array([3, 5], dtype=np.int32), np.zeros(0, dtype=np.int32), np.array([1])]
    assert _joined(parts[:2], int32, 2).tolist() == [3, 5]
    assert _joined(parts, int32, 3).tolist() == [3, 5, 1]  # an int64 array among them
    assert _joined([np.arange(6, dtype=np.int32)[::2]], int32, 3).tolist() == [0, 2, 4]
    assert _joined([], int32, 0).dtype == int32
