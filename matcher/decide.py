"""The decision: answer, suggest or escalate, from the two best entries' scores."""

from __future__ import annotations

from dataclasses import dataclass

from matcher.types import Decision


@dataclass(frozen=True)
class Thresholds:
    """When to answer directly, when to offer choices, and how far ahead the best must be.

    Scores are the mix of word and character-n-gram cosines (0 … 1).
    """

    # Measured with `benchmarks/match_quality.py --tune` on the tuning split only:
    # eval/heldout_tune.jsonl (194 in-scope, 84 uncovered legal questions) and the even lines
    # of the four non-legal sets in ../shared/data/eval (886 questions); starter FAQ of 169
    # entries with ~10 phrasings each, the uncovered topics of matcher/data/uncovered, default
    # Weights. 2-fold cross-validation inside the tuning split (folds by expected id; uncovered
    # questions alternately; the non-legal sets whole in both): a setting must meet HALF of
    # every limit on both folds — wrong answers <= 1% of in-scope, every non-legal set answered
    # <= 0.5%, uncovered legal answered <= 2.5% (the issue allows 2%, 1%, 5%). Half, because a
    # fold has 42 uncovered questions (one is 2.4 points) and the previous round, tuned at the
    # full limits, answered 2.4% of uncovered questions on the folds and 13.1% on the reporting
    # split. Objective: most in-scope questions answered right.
    #
    # answer 0.19, margin 0.08, topic_margin 0.0, no coverage rule: 71.1% answered right, 0.0%
    # wrong, 22.2% suggested; uncovered legal 1.2% answered; oos_medical 0.4%. At the full
    # limits the same search picks answer 0.18, margin 0.04, topic_margin -0.04: 82.0% right,
    # 0.5% wrong, uncovered 2.4% — within the limits on the folds, but with no room.
    answer: float = 0.19
    # suggest: the lowest value keeping every non-legal set's suggestions + answers <= 5%:
    # oos_chitchat 3.7% suggested at 0.16.
    suggest: float = 0.16
    # margin: a lead of 0.08 over the runner-up. With 0.04 or 0.06 a fold goes over 1% wrong
    # unless answer rises to 0.37 (10.8% right); 0.10: 63.4% right. Close pairs (诉讼时效 in
    # general vs for loans; a child hurt at school vs a child hurting another) get suggestions.
    margin: float = 0.08
    # coverage: the idf-weighted share of the question's words (unknown words as one rarest
    # word) that the best entry's phrasings or answer hold; below it, suggest instead of
    # answer. Chosen at 0.40 in the previous round; with uncovered topics and ~10 phrasings per
    # entry, no coverage value answers more right within the limits (0.3 does as well without
    # topics), so it is off (0.0) and kept for FAQs without topics.
    coverage: float = 0.0
    # topic_margin: escalate when the nearest uncovered topic (matcher.topics) scores at least
    # the best entry's score + this margin. 0.0 (the topic simply scores higher): 71.1% right,
    # uncovered legal 1.2%; -0.04: 70.6% right, uncovered 0.0%; without topics the best
    # setting needs coverage 0.3 for the same 71.1% / 1.2%. Topics were written without seeing
    # any evaluation question, so they guard unseen topics the tuning split does not hold.
    topic_margin: float = 0.0


@dataclass(frozen=True)
class Verdict:
    """A decision and the rule that made it (``rule`` is a stable code for texts and logs)."""

    decision: Decision
    rule: str
    reason: str


def decide(
    best: float, second: float, thresholds: Thresholds, coverage: float = 1.0, topic: float = 0.0
) -> Verdict:
    """Decide from the best entry's score, the runner-up's (0 if none), the best's coverage
    and the nearest uncovered topic's score (0 if none)."""
    t = thresholds
    if topic > 0 and topic >= best + t.topic_margin:
        return Verdict(
            "escalate",
            "uncovered_topic",
            f"nearest uncovered topic {topic:.3f} >= best entry {best:.3f} + "
            f"topic margin {t.topic_margin:.2f}",
        )
    if best >= t.answer and best - second >= t.margin and coverage < t.coverage:
        return Verdict(
            "suggest",
            "low_coverage",
            f"best {best:.3f} >= answer {t.answer:.2f}, but the entry holds only {coverage:.2f} "
            f"of the question's words (< coverage {t.coverage:.2f})",
        )
    if best >= t.answer and best - second >= t.margin:
        return Verdict(
            "answer",
            "confident",
            f"best {best:.3f} >= answer {t.answer:.2f}, lead {best - second:.3f} >= "
            f"{t.margin:.2f}, coverage {coverage:.2f} >= {t.coverage:.2f}",
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
