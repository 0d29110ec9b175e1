"""Golden tests of text normalisation."""

from __future__ import annotations

import pytest

from matcher.normalize import normalize


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("請問，離婚後撫養權歸誰？", "请问 离婚后抚养权归谁"),
        ("房東唔退按金點算", "房东唔退按金点算"),
        ("ＡＢＣ１２３　工资", "abc123 工资"),
        ("欠薪😡😡怎么办!!!", "欠薪 怎么办"),
        ("Hello, World", "hello world"),
        ("\x00\x07借条\u200d\ufeff", "借条"),
        ("工资_被拖欠", "工资 被拖欠"),
        ("  \t\n ", ""),
        ("😀👍🏻", ""),
        ("装𨋢", "装䢂"),
        ("一目瞭然", "一目了然"),  # a phrase rule
        ("什么时候", "什么时候"),  # OpenCC's own choice; the word lists are normalised the same way
    ],
)
def test_normalize_golden(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_normalize_is_idempotent() -> None:
    once = normalize("離婚後，孩子嘅撫養權點分？ＯＫ")
    assert normalize(once) == once
