"""Quality figures for a labelled question set: ranking and decisions, in and out of scope."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from matcher.types import MatchResult


@dataclass(frozen=True)
class Outcome:
    """One labelled question and what the matcher made of it (expected None: out of scope)."""

    question: str
    expected: str | None
    result: MatchResult


@dataclass(frozen=True)
class Metrics:
    """Shares over ``n`` questions. Ranking figures exist only for in-scope questions."""

    n: int
    top1: float | None
    top3: float | None
    mrr: float | None
    answered_correctly: float
    answered_wrongly: float
    suggested: float
    escalated: float


def _share(count: int, n: int) -> float:
    return count / n if n else 0.0


def rank_of(expected: str, result: MatchResult) -> int | None:
    """1-based position of ``expected`` among the positively scored candidates."""
    for position, candidate in enumerate(result.top, start=1):
        if candidate.id == expected and candidate.score > 0:
            return position
    return None


def metrics(outcomes: Sequence[Outcome], in_scope: bool) -> Metrics:
    """Figures for one group; an out-of-scope answer is always a wrong answer."""
    n = len(outcomes)
    ranks = [rank_of(o.expected, o.result) if o.expected else None for o in outcomes]
    answered = [o.result.decision == "answer" for o in outcomes]
    correct = sum(1 for a, r in zip(answered, ranks, strict=True) if a and r == 1 and in_scope)
    return Metrics(
        n=n,
        top1=_share(sum(r == 1 for r in ranks), n) if in_scope else None,
        top3=_share(sum(r is not None and r <= 3 for r in ranks), n) if in_scope else None,
        mrr=(sum(1 / r for r in ranks if r) / n if n else 0.0) if in_scope else None,
        answered_correctly=_share(correct, n),
        answered_wrongly=_share(sum(answered) - correct, n),
        suggested=_share(sum(o.result.decision == "suggest" for o in outcomes), n),
        escalated=_share(sum(o.result.decision == "escalate" for o in outcomes), n),
    )


def summarize(outcomes: Sequence[Outcome]) -> dict[str, Metrics]:
    """Metrics for the in-scope (expected set) and out-of-scope (expected None) questions."""
    inside = [o for o in outcomes if o.expected is not None]
    outside = [o for o in outcomes if o.expected is None]
    return {"in_scope": metrics(inside, True), "out_of_scope": metrics(outside, False)}
