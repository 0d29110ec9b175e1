"""Uncovered topics: the example files, and a matcher that escalates what they describe."""

from __future__ import annotations

from pathlib import Path

import pytest
from matcher_samples import DOCS
from starter_text import normalise, phrasings

from matcher import Matcher, Thresholds
from matcher.topics import ID_PREFIX, TopicsError, load_topics, parse_topics

TOPICS = """
topics:
  - topic: 刑事：家人被拘留、取保候审
    questions:
      - 我弟弟被派出所带走了，家里人能做什么
      - 取保候审要交多少保证金
      - 家人被刑事拘留了怎么请律师
  - topic: 买房：二手房过户
    questions:
      - 二手房过户要交哪些税
      - 买二手房卖家不配合过户
"""


def test_each_topic_becomes_one_document_named_by_file_and_position() -> None:
    docs = parse_topics(TOPICS, "areas")
    assert [d.id for d in docs] == ["uncovered:areas:1", "uncovered:areas:2"]
    assert docs[0].category == "刑事：家人被拘留、取保候审"
    assert docs[0].question == "我弟弟被派出所带走了，家里人能做什么"
    assert len(docs[0].alternates) == 2
    assert all(d.id.startswith(ID_PREFIX) for d in docs)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("topics: [", "areas: not valid YAML"),
        ("- a\n- b\n", "areas: needs a 'topics:' list"),
        ("topics:\n  - just text\n", "areas, topic 1: must be a mapping"),
        ("topics:\n  - {questions: [a]}\n", "areas, topic 1: field 'topic'"),
        ("topics:\n  - {topic: 刑事}\n", "areas, topic 1 (刑事): field 'questions'"),
        ("topics:\n  - {topic: 刑事, questions: [a, '  ']}\n", "has an empty question"),
    ],
)
def test_a_malformed_file_names_file_topic_and_field(text: str, where: str) -> None:
    with pytest.raises(TopicsError, match=where.replace("(", r"\(").replace(")", r"\)")):
        parse_topics(text, "areas")


def test_the_shipped_files_load_and_no_topic_question_is_an_faq_phrasing(tmp_path: Path) -> None:
    indexed = {normalise(p) for texts in phrasings().values() for p in texts}
    topics = load_topics()
    assert topics, "matcher/data/uncovered/ ships example questions"
    assert not [q for d in topics for q in (d.question, *d.alternates) if normalise(q) in indexed]
    assert load_topics(tmp_path / "absent") == ()


def test_a_question_nearer_an_uncovered_topic_is_escalated_and_topics_are_never_ranked() -> None:
    thresholds = Thresholds(answer=0.3, suggest=0.2, margin=0.0, coverage=0.0, topic_margin=0.0)
    m = Matcher.build(DOCS, thresholds, topics=parse_topics(TOPICS, "areas"))
    result = m.match("我老公被拘留了，取保候审要多少钱")
    assert (result.decision, result.rule) == ("escalate", "uncovered_topic")
    assert result.topic == "刑事：家人被拘留、取保候审"
    assert result.topic_score > result.top[0].score
    assert not [c.id for c in result.top if c.id.startswith(ID_PREFIX)]
    assert len(m) == len(DOCS)

    covered = m.match("房东扣着押金不还怎么办")
    assert (covered.decision, covered.top[0].id) == ("answer", "deposit")


def test_without_topics_the_same_question_is_not_escalated_for_a_topic() -> None:
    thresholds = Thresholds(answer=0.3, suggest=0.2, margin=0.0, coverage=0.0, topic_margin=0.0)
    result = Matcher.build(DOCS, thresholds, topics=()).match("我老公被拘留了，取保候审要多少钱")
    assert result.rule != "uncovered_topic" and result.topic == ""
