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
    # Chosen: answer 0.17, margin 0.06, topic_margin -0.04, no coverage rule: 78.4% answered
    # right, 0.0% wrong, 12.9% suggested; uncovered legal 2.4% answered; non-legal <= 0.4%.
    # At the full limits the same search picks answer 0.16, margin 0.04, topic_margin -0.02:
    # 83.5% right, 0.5% wrong, uncovered 3.6%, oos_medical 0.8% — inside the limits on the
    # folds, with no room.
    #
    # answer: 0.16 → 80.4% right but oos_medical 0.8%; 0.18 → 75.8% right.
    answer: float = 0.17
    # suggest: the lowest value keeping every non-legal set's suggestions + answers <= 5%.
    suggest: float = 0.14
    # margin: a lead of 0.06 over the runner-up. At 0.04 a fold goes over 1% wrong unless
    # answer rises to 0.31 (22.2% right); 0.08: 71.1% right at best. Close pairs (诉讼时效 in
    # general vs for loans; a child hurt at school vs a child hurting another) get suggestions.
    margin: float = 0.06
    # coverage: the idf-weighted share of the question's words (unknown words as one rarest
    # word) that the best entry's phrasings or answer hold; below it, suggest instead of
    # answer. 0.40 in the previous round; now 0.4 costs a point (77.3% right) and buys nothing
    # the topics do not, so it is off (0.0), kept for FAQs without topics (without topics the
    # best setting needs coverage 0.3 and margin 0.08: 71.1% right, uncovered 1.2%).
    coverage: float = 0.0
    # topic_margin: escalate when the nearest uncovered topic (matcher.topics) scores at least
    # the best entry's score + this margin (a negative margin: nearly as high is enough).
    # -0.04 → uncovered legal 2.4% answered; 0.0 or -0.02 → 3.6% (over the halved limit on a
    # fold); -0.06 → 77.8% right; no topic rule → 4.8% uncovered at these thresholds. The topics
    # were written without seeing any evaluation question.
    topic_margin: float = -0.04


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
    and the nearest uncovered topic's score (0 if none).

    ``coverage`` matters only when ``thresholds.coverage`` > 0 (the rule is on); otherwise it
    is neither used nor shown in the reason, and callers may leave it at 1.0.
    """
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
        # with the coverage rule off (0.0) the caller need not compute coverage: not shown
        held = f", coverage {coverage:.2f} >= {t.coverage:.2f}" if t.coverage > 0 else ""
        return Verdict(
            "answer",
            "confident",
            f"best {best:.3f} >= answer {t.answer:.2f}, lead {best - second:.3f} >= "
            f"{t.margin:.2f}{held}",
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
