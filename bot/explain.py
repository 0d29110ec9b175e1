"""Why the matcher decided what it did, in lines an adviser reads (`lawbot ask`, the console)."""

from __future__ import annotations

from bot.replies import MAX_SUGGESTIONS
from bot.texts import matcher as texts
from matcher import Thresholds
from matcher.types import MatchResult


def explain(result: MatchResult, thresholds: Thresholds | None = None) -> list[str]:
    """Lines that show an adviser why the matcher decided what it did."""
    thresholds = thresholds or Thresholds()
    lines = [
        texts.ASK_HEADER.format(
            decision=texts.DECISIONS[result.decision], rule=texts.RULES.get(result.rule, "")
        ),
        texts.ASK_TERMS.format(terms=" / ".join(result.query_terms) or texts.NONE),
    ]
    for rank, c in enumerate(result.top, start=1):
        lines.append(
            texts.ASK_CANDIDATE.format(
                rank=rank, id=c.id, score=c.score, confidence=c.confidence, question=c.question
            )
        )
        if c.matched_terms or c.phrasing:
            lines.append(
                texts.ASK_MATCHED.format(
                    phrasing=c.phrasing or texts.NONE,
                    terms=" / ".join(c.matched_terms) or texts.NONE,
                )
            )
    if result.decision == "suggest":
        lines.append(
            texts.ASK_SUGGEST_LIST.format(
                within=thresholds.suggest_within,
                coverage=thresholds.suggest_coverage,
                shown=MAX_SUGGESTIONS,
            )
        )
    if result.top:
        lines.append(texts.ASK_SCORES)
    lines.append(
        texts.ASK_UNKNOWN.format(
            terms=" / ".join(result.unknown_terms) or texts.NONE,
            share=result.unknown,
            limit=thresholds.unknown,
        )
    )
    lines.append(
        texts.ASK_DOMAIN.format(
            terms=" / ".join(result.legal_terms) or texts.NONE, share=result.domain
        )
    )
    if result.top:  # no entry applies: no coverage, no threshold to show
        lines.append(
            texts.ASK_COVERAGE.format(
                share=result.coverage,
                limit=thresholds.coverage,
                terms=" / ".join(result.missing_terms) or texts.NONE,
            )
        )
        lines.append(
            texts.ASK_THRESHOLD.format(
                answer=result.answer_threshold,
                suggest=thresholds.suggest_at(result.answer_floor),
                floor=result.answer_floor,
            )
        )
        if result.raised_by:
            other, phrasing = result.raised_by
            lines.append(texts.ASK_RAISED_BY.format(other=other, phrasing=phrasing))
    lines.append(result.reason)
    return lines
