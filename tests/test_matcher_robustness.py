"""Bad input never raises: every string gets a decision."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matcher_samples import DOCS

from matcher import Matcher, MatchResult

MATCHER = Matcher.build(DOCS)  # built once: hypothesis forbids function-scoped fixtures


def assert_well_formed(result: MatchResult, k: int = 5) -> None:
    assert result.decision in ("answer", "suggest", "escalate")
    # suggestions keep only those worth showing (at least the best one)
    if result.decision == "suggest":
        assert 1 <= len(result.top) <= min(k, len(DOCS))
    else:
        assert len(result.top) == min(k, len(DOCS))
    assert all(0.0 <= c.score <= 1.0 + 1e-9 for c in result.top)
    assert [c.score for c in result.top] == sorted((c.score for c in result.top), reverse=True)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \t\n  ",
        "😀😡👍🏻🇨🇳",
        "押金" * 5000,  # 10,000 characters
        "x" * 10_000,
        "How do I get my deposit back from the landlord?",
        "1234567890",
        "\x00\x01\x02\x1b[31m\x7f",
        "房东deposit不退押金!!123abc😡",
        "\ud800",  # a lone surrogate, as a broken client may send
        "\u200b\u200d\ufeff",
    ],
)
def test_bad_input_gets_a_decision(text: str) -> None:
    result = MATCHER.match(text)
    assert_well_formed(result)


@pytest.mark.parametrize("text", ["", "😀", "1234567890", "hello"])
def test_input_without_known_words_is_escalated(text: str) -> None:
    result = MATCHER.match(text)
    assert result.decision == "escalate"
    assert result.rule == "no_terms"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200))
def test_any_text_gets_a_decision(text: str) -> None:
    assert_well_formed(MATCHER.match(text))


CHINESE = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(["押金", "工资", "离婚", "借条", "😀", " ", "！"]),
            st.text(CHINESE, max_size=3),
        ),
        max_size=30,
    ),
    st.one_of(st.none(), st.sampled_from(["xinhepu", "other", ""])),
    st.integers(min_value=0, max_value=10),
)
def test_mixed_text_any_community_any_k(parts: list[str], community: str | None, k: int) -> None:
    result = MATCHER.match("".join(parts), community=community, k=k)
    assert result.decision in ("answer", "suggest", "escalate")
    applicable = len(DOCS) - (community != "xinhepu" and community is not None)
    if result.decision == "suggest":
        assert 1 <= len(result.top) <= min(k, applicable)
    else:
        assert len(result.top) == min(k, applicable)
