"""Understands residents' questions: normalise, tokenise, rank FAQ entries, decide."""

from matcher.decide import Thresholds
from matcher.match import Matcher
from matcher.types import Candidate, Decision, Document, MatchResult

__all__ = ["Candidate", "Decision", "Document", "MatchResult", "Matcher", "Thresholds"]
