"""The starter FAQ's content rules: coverage, distinct phrasings, practical answers.

Citations resolving against the statute corpus are checked by the knowledge tests; these
check what an adviser reviewing the files would check by eye.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from typing import Any

import pytest
from starter_text import entries, normalise

ID_PATTERN = re.compile(r"^[a-z]+(-[a-z0-9]+)+$")
ENTRIES = entries()


def test_at_least_150_entries_in_12_categories() -> None:
    assert len(ENTRIES) >= 150
    assert len({e["category"] for e in ENTRIES}) >= 12


def test_ids_are_unique_and_readable() -> None:
    counts = Counter(e["id"] for e in ENTRIES)
    assert [i for i, n in counts.items() if n > 1] == []
    assert [e["id"] for e in ENTRIES if not ID_PATTERN.match(e["id"])] == []


def test_no_two_entries_share_a_phrasing() -> None:
    owner: dict[str, str] = {}
    clashes = []
    for entry in ENTRIES:
        for text in [entry["question"], *entry["alternates"]]:
            key = normalise(text)
            if key in owner and owner[key] != entry["id"]:
                clashes.append((text, owner[key], entry["id"]))
            owner[key] = entry["id"]
    assert clashes == []


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["id"] for e in ENTRIES])
def test_entry_is_complete(entry: dict[str, Any]) -> None:
    alternates = entry["alternates"]
    assert len({normalise(a) for a in alternates}) >= 4, "at least 4 distinct alternates"
    assert any(len(a) >= 30 for a in alternates), "one long, story-like phrasing"
    answer = entry["answer"]
    assert 150 <= len(answer) <= 400, f"answer has {len(answer)} characters"
    assert "建议：" in answer, "the answer says what to do next"
    assert entry["legal_basis"], "at least one citation"
    assert entry.get("status", "published") == "published"


@pytest.mark.parametrize(
    ("question", "decision", "entry"),
    [
        # everyday wage questions, worded unlike any phrasing: the wage entry answers
        ("公司不发工资", "answer", "labour-unpaid-wages"),
        ("老板欠我工资跑路了", "answer", "labour-unpaid-wages"),
        ("厂里三个月没发工资了", "answer", "labour-unpaid-wages"),
        # sick pay: the wage entry answers (issue 16 removed the uncovered topic that sent it
        # to the adviser; the calibrated threshold lets it through, coverage 0.53)
        ("请病假公司不发工资", "answer", "labour-unpaid-wages"),
        # no uncovered topic competes any more: the entry answers
        ("电动车撞人了怎么办", "answer", "traffic-ebike-accident"),
        ("孩子在学校被打了", "answer", "injury-child-at-school"),
    ],
)
def test_everyday_questions_reach_their_entry(question: str, decision: str, entry: str) -> None:
    """Short wage questions used to lose to the uncovered sick-pay topic, whose examples
    share 发工资 and 老板 with them; questions near a topic used to go to the adviser even
    when an entry led."""
    from bot.faq_index import to_document
    from knowledge.seed import STARTER_DIR, read_starter

    found, errors = read_starter(STARTER_DIR, None)
    assert errors == []
    result = _starter_matcher(tuple(to_document(e) for e in found)).match(question)
    assert (result.decision, result.top[0].id) == (decision, entry), result.reason


@functools.cache
def _starter_matcher(docs: tuple[Any, ...]) -> Any:
    from matcher import Matcher

    return Matcher.build(docs)
