"""The foreign FAQ: an FAQ the matcher was never tuned on, built by a fixed rule.

Entries: the questions of ../shared/data/eval/legal_user_questions.jsonl on lines 0, 5, 10, …
(line number mod 5 == 0) with at least 8 characters, each one entry (id ``lq-<line>``) with
that real question as its only phrasing, no alternates and no answer — an adviser's imported
FAQ as issue 16 describes it.
In-scope questions: eval/foreign_heldout.jsonl, one paraphrase for 112 of the entries on
lines 0 … 595, written in residents' words before the matcher was run on this FAQ, by the
engineer who built the matcher, without seeing its scores (entries whose question was not a
question, such as 最近很火的, were skipped; one written for 肖像权侵犯, which the 8-character
rule leaves out of the FAQ, was removed).
Uncovered legal questions: the questions on lines with line number mod 5 == 2 (at least 8
characters), other real users' questions. Some may be close to an entry's subject; they are
still not the entry's question.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parent.parent / "shared" / "data" / "eval" / "legal_user_questions.jsonl"
HELDOUT = HERE / "foreign_heldout.jsonl"
MIN_CHARS = 8


def _questions(source: Path = SOURCE) -> list[str]:
    with source.open(encoding="utf-8") as handle:
        return [str(json.loads(line)["question"]).strip() for line in handle if line.strip()]


def foreign_faq(source: Path = SOURCE) -> list:  # list[matcher.Document]
    """The foreign FAQ's entries."""
    from matcher import Document

    return [
        Document(f"lq-{n}", q)
        for n, q in enumerate(_questions(source))
        if n % 5 == 0 and len(q) >= MIN_CHARS
    ]


def foreign_questions(source: Path = SOURCE) -> tuple[list, list]:
    """(in-scope paraphrases, uncovered legal questions) as match_quality.Labelled rows."""
    from match_quality import Labelled

    with HELDOUT.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    inside = [Labelled(r["question"], r["expected"]) for r in rows]
    others = [
        Labelled(q, None)
        for n, q in enumerate(_questions(source))
        if n % 5 == 2 and len(q) >= MIN_CHARS
    ]
    return inside, others
