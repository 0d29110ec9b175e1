"""Quality figures from labelled outcomes."""

from __future__ import annotations

import pytest

from matcher.evaluate import Outcome, rank_of, summarize
from matcher.types import Candidate, Decision, MatchResult


def result(decision: Decision, *ids: str) -> MatchResult:
    top = tuple(Candidate(i, 1.0 - n / 10, i) for n, i in enumerate(ids))
    return MatchResult(decision, top)


def test_rank_ignores_zero_scores() -> None:
    r = MatchResult("escalate", (Candidate("a", 0.5, "a"), Candidate("b", 0.0, "b")))
    assert rank_of("a", r) == 1
    assert rank_of("b", r) is None


def test_summary_in_and_out_of_scope() -> None:
    outcomes = [
        Outcome("q1", "a", result("answer", "a", "b", "c")),  # right answer
        Outcome("q2", "a", result("answer", "b", "a", "c")),  # wrong answer, rank 2
        Outcome("q3", "c", result("suggest", "a", "b", "c")),  # suggested, rank 3
        Outcome("q4", "d", result("escalate", "a", "b", "c")),  # not found
        Outcome("o1", None, result("answer", "a")),
        Outcome("o2", None, result("escalate", "a")),
    ]
    s = summarize(outcomes)
    inside, outside = s["in_scope"], s["out_of_scope"]
    assert inside.n == 4
    assert inside.top1 == pytest.approx(0.25)
    assert inside.top3 == pytest.approx(0.75)
    assert inside.mrr == pytest.approx((1 + 1 / 2 + 1 / 3) / 4)
    assert (inside.answered_correctly, inside.answered_wrongly) == (0.25, 0.25)
    assert (inside.suggested, inside.escalated) == (0.25, 0.25)
    assert outside.n == 2
    assert outside.top1 is None and outside.mrr is None
    assert outside.answered_correctly == 0.0
    assert outside.answered_wrongly == 0.5
    assert outside.escalated == 0.5


def test_empty_groups_give_zero_shares() -> None:
    s = summarize([])
    assert s["in_scope"].n == 0 and s["in_scope"].top1 == 0.0
