"""The decision rule: every figure against its threshold, one rule code per outcome."""

from __future__ import annotations

from dataclasses import replace

import pytest

from matcher.decide import Evidence, Thresholds, decide

T = Thresholds(margin=0.1, coverage=0.5, unknown=0.4, domain=0.05, suggest_share=0.5)
CLEAR = Evidence(
    best=0.6, second=0.2, coverage=0.9, unknown=0.0, domain=0.8, answer_at=0.4, floor=0.4
)


def test_a_clear_winner_is_answered_and_the_reason_shows_every_figure() -> None:
    verdict = decide(CLEAR, T)
    assert (verdict.decision, verdict.rule) == ("answer", "confident")
    for figure in ("best 0.600", "answer 0.400", "lead 0.400", "coverage 0.90", "domain 0.80"):
        assert figure in verdict.reason


@pytest.mark.parametrize(
    ("change", "decision", "rule"),
    [
        ({"domain": 0.0}, "escalate", "not_legal"),
        ({"best": 0.19, "second": 0.0}, "escalate", "low"),
        ({"best": 0.3, "second": 0.0}, "suggest", "medium"),
        ({"second": 0.55}, "suggest", "close_runner_up"),
        ({"unknown": 0.5}, "suggest", "unknown_words"),
        ({"coverage": 0.3}, "suggest", "low_coverage"),
    ],
)
def test_each_rule(change: dict[str, float], decision: str, rule: str) -> None:
    verdict = decide(replace(CLEAR, **change), T)
    assert (verdict.decision, verdict.rule) == (decision, rule)


def test_the_calibrated_threshold_not_a_constant_decides() -> None:
    """The same scores are answered on an FAQ calibrated at 0.4 and not on one at 0.7."""
    assert decide(CLEAR, T).decision == "answer"
    assert decide(replace(CLEAR, answer_at=0.7), T).decision == "suggest"


def test_no_legal_content_is_never_answered_however_high_the_score() -> None:
    verdict = decide(replace(CLEAR, best=0.99, domain=0.01), T)
    assert verdict.decision == "escalate"
