"""The decision rule at its boundaries."""

from __future__ import annotations

import pytest

from matcher.decide import Thresholds, decide

T = Thresholds(answer=0.5, suggest=0.3, margin=0.1)


@pytest.mark.parametrize(
    ("best", "second", "decision", "rule"),
    [
        (0.50, 0.39, "answer", "confident"),  # at the answer threshold
        (0.90, 0.00, "answer", "confident"),
        (0.50, 0.45, "suggest", "close_runner_up"),
        (0.49, 0.00, "suggest", "medium"),
        (0.30, 0.29, "suggest", "medium"),
        (0.29, 0.00, "escalate", "low"),
        (0.00, 0.00, "escalate", "low"),
    ],
)
def test_decide(best: float, second: float, decision: str, rule: str) -> None:
    verdict = decide(best, second, T)
    assert (verdict.decision, verdict.rule) == (decision, rule)
    assert f"{best:.3f}" in verdict.reason


def test_default_thresholds_are_ordered() -> None:
    t = Thresholds()
    assert 0 < t.suggest <= t.answer < 1
    assert t.margin >= 0


@pytest.mark.parametrize(
    ("coverage", "decision", "rule"),
    [
        (1.0, "answer", "confident"),
        (0.4, "answer", "confident"),  # at the coverage threshold
        (0.39, "suggest", "low_coverage"),
        (0.0, "suggest", "low_coverage"),
    ],
)
def test_low_coverage_suggests_instead_of_answering(
    coverage: float, decision: str, rule: str
) -> None:
    t = Thresholds(answer=0.5, suggest=0.3, margin=0.1, coverage=0.4)
    verdict = decide(0.8, 0.1, t, coverage)
    assert (verdict.decision, verdict.rule) == (decision, rule)
    assert f"{coverage:.2f}" in verdict.reason


def test_coverage_does_not_touch_weaker_decisions() -> None:
    t = Thresholds(answer=0.5, suggest=0.3, margin=0.1, coverage=0.4)
    assert decide(0.5, 0.45, t, 0.0).rule == "close_runner_up"
    assert decide(0.2, 0.0, t, 0.0).rule == "low"


@pytest.mark.parametrize(
    ("topic", "decision", "rule"),
    [
        (0.0, "answer", "confident"),  # no topics at all
        (0.74, "answer", "confident"),  # topic below best + margin
        (0.75, "suggest", "near_uncovered_topic"),  # at best + margin, still below best
        (0.79, "suggest", "near_uncovered_topic"),
        (0.8, "escalate", "uncovered_topic"),  # as near as the best entry
        (0.95, "escalate", "uncovered_topic"),
    ],
)
def test_a_nearer_uncovered_topic_escalates(topic: float, decision: str, rule: str) -> None:
    t = Thresholds(answer=0.5, suggest=0.3, margin=0.1, topic_margin=-0.05)
    verdict = decide(0.8, 0.1, t, 1.0, topic)
    assert (verdict.decision, verdict.rule) == (decision, rule)


def test_an_uncovered_topic_beats_even_a_weak_suggestion() -> None:
    t = Thresholds(answer=0.5, suggest=0.3, margin=0.1, topic_margin=0.0)
    assert decide(0.35, 0.0, t, 1.0, 0.4).rule == "uncovered_topic"
    assert decide(0.35, 0.0, t, 1.0, 0.3).rule == "medium"


def test_a_topic_near_a_weak_entry_escalates() -> None:
    """Suggestions instead of the adviser only when the entry could be suggested at all."""
    t = Thresholds(answer=0.5, suggest=0.3, margin=0.1, topic_margin=-0.05)
    assert decide(0.32, 0.0, t, 1.0, 0.3).rule == "near_uncovered_topic"
    assert decide(0.28, 0.0, t, 1.0, 0.26).rule == "uncovered_topic"
