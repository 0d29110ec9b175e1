"""Urgent words: a resident in danger is escalated at once, whatever the FAQ says."""

from __future__ import annotations

# Danger to body or life, and the words residents use for it. A false alarm costs a volunteer
# a minute; a missed one can cost far more, so the list leans towards recall.
URGENT_WORDS: tuple[str, ...] = (
    "家暴",
    "家庭暴力",
    "被打",
    "打我",
    "殴打",
    "威胁",
    "恐吓",
    "轻生",
    "自杀",
    "自尽",
    "跳楼",
    "跳河",
    "不想活",
    "活不下去",
    "想死",
    "杀了",
    "杀人",
    "砍人",
    "拿刀",
    "性侵",
    "强奸",
    "猥亵",
    "绑架",
    "拐卖",
    "非法拘禁",
    "关起来",
    "虐待",
    "救命",
)


def urgent_words(text: str) -> list[str]:
    """The urgent words found in ``text`` (empty: not urgent)."""
    return [word for word in URGENT_WORDS if word in text]


def is_urgent(text: str) -> bool:
    """True when ``text`` contains any urgent word."""
    return bool(urgent_words(text))
