"""The matcher's public data: documents in, ranked candidates and a decision out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Decision = Literal["answer", "suggest", "escalate"]


@dataclass(frozen=True)
class Document:
    """An FAQ entry as the matcher sees it: its phrasings and where it applies."""

    id: str
    question: str
    alternates: Sequence[str] = ()
    communities: Sequence[str] = ()  # empty: every community
    category: str = ""
    answer: str = ""  # indexed too, with the phrasings, as one whole-entry document


@dataclass(frozen=True)
class Candidate:
    """One ranked entry: its score and the terms that matched (for explanations)."""

    id: str
    score: float
    question: str
    matched_terms: tuple[str, ...] = ()  # only when matched with explain=True
    phrasing: str = ""  # the entry's question or alternate that matched best (explain=True)
    # The score by words and bigrams alone, without the single characters that help rank:
    # what the decision weighs (see matcher.index.Weights.unigram_df).
    confidence: float = 0.0


@dataclass(frozen=True)
class MatchResult:
    """What the matcher decided for one question, and why."""

    decision: Decision
    top: tuple[Candidate, ...]
    reason: str = ""  # for logs, in English: the scores against the thresholds
    rule: str = ""  # stable code of the rule that decided (confident, close_runner_up, …)
    query_terms: tuple[str, ...] = ()  # the question's tokens after normalisation
    unknown_terms: tuple[str, ...] = ()  # the question's words no FAQ text holds
    legal_terms: tuple[str, ...] = ()  # the question's legal-domain words (matcher.domain)
    domain: float = 0.0  # the legal-domain signal: share of the question in legal words
    unknown: float = 0.0  # share of the question in words the FAQ never uses
    answer_threshold: float = 0.0  # the best entry's answer threshold (Matcher.answer_at)
    answer_floor: float = 0.0  # this FAQ's lowest answer threshold (Matcher.floor)
    coverage: float = 0.0  # share of the question's words the best entry holds (Index.coverage)
    # With ``explain``: the question's words that coverage counts and the best entry lacks
    missing_terms: tuple[str, ...] = ()
    # With ``explain``, when the best entry's threshold is above the floor: the other entry
    # whose phrasing set it, and that phrasing (Matcher.raised_by)
    raised_by: tuple[str, str] | tuple[()] = ()
