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
