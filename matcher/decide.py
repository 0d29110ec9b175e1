"""The decision: answer, suggest or escalate, from the two best entries' scores."""

from __future__ import annotations

from dataclasses import dataclass

from matcher.types import Decision


@dataclass(frozen=True)
class Thresholds:
    """When to answer directly, when to offer choices, and how far ahead the best must be.

    Scores are the mix of word and character-n-gram cosines (0 … 1).
    """

    # PLACEHOLDER values; replaced by the tuned figures below once measured.
    answer: float = 0.55
    suggest: float = 0.30
    margin: float = 0.08


@dataclass(frozen=True)
class Verdict:
    """A decision and the rule that made it (``rule`` is a stable code for texts and logs)."""

    decision: Decision
    rule: str
    reason: str


def decide(best: float, second: float, thresholds: Thresholds) -> Verdict:
    """Decide from the best entry's score and the runner-up's (0 when there is none)."""
    t = thresholds
    if best >= t.answer and best - second >= t.margin:
        return Verdict(
            "answer",
            "confident",
            f"best {best:.3f} >= answer {t.answer:.2f}, lead {best - second:.3f} >= {t.margin:.2f}",
        )
    if best >= t.answer:
        return Verdict(
            "suggest",
            "close_runner_up",
            f"best {best:.3f} >= answer {t.answer:.2f} but runner-up {second:.3f} is within "
            f"{t.margin:.2f}",
        )
    if best >= t.suggest:
        return Verdict(
            "suggest",
            "medium",
            f"best {best:.3f} in [suggest {t.suggest:.2f}, answer {t.answer:.2f})",
        )
    return Verdict("escalate", "low", f"best {best:.3f} < suggest {t.suggest:.2f}")
