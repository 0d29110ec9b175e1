"""How an FAQ answer is laid out for a phone: the question it answers, then steps on lines."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from bot.replies import layout_answer

STARTER = Path(__file__).resolve().parent.parent / "knowledge" / "starter"


def squeeze(text: str) -> str:
    return re.sub(r"[；;\s]", "", text)


def test_advice_and_each_step_get_their_own_lines() -> None:
    text = "押金应当退还。建议：1）保留收据；2）书面催告；3）协商不成可以起诉。"
    assert layout_answer(text) == (
        "押金应当退还。\n\n建议：\n1）保留收据\n2）书面催告\n3）协商不成可以起诉。"
    )


def test_numbers_in_brackets_and_answers_without_advice_are_left_alone() -> None:
    assert (
        layout_answer("期限为（30）日，建议：先协商（1）次")
        == "期限为（30）日，\n\n建议：先协商（1）次"
    )
    assert layout_answer("没有建议部分的答案。") == "没有建议部分的答案。"


def test_every_starter_answer_keeps_its_words() -> None:
    for path in STARTER.glob("*.yaml"):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8"))["entries"]:
            laid_out = layout_answer(entry["answer"])
            assert squeeze(laid_out) == squeeze(entry["answer"]), entry["id"]
            assert "\n建议：" in laid_out
