"""Helpers for the knowledge tests: realistic FAQ entries and small files."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from knowledge.faq import FaqEntry

CATEGORIES = ("租房", "物业", "婚姻家庭", "继承", "劳动", "借贷", "交通事故", "消费")
CITATIONS = (
    "《民法典》第七百二十二条",
    "《民法典》第七百零三条",
    "民法典第1079条",
    "《劳动合同法》第四十七条",
    "刑法第一百三十三条之一",
    "《物业管理条例》第七条",
)


def sample_entries(n: int, status: str = "published") -> list[FaqEntry]:
    """``n`` varied entries: commas, quotes, newlines, a leading '=', numeric-looking ids."""
    entries = []
    for i in range(n):
        entries.append(
            FaqEntry(
                id=f"{i:05d}" if i % 7 == 0 else f"faq-sample-{i}",
                category=CATEGORIES[i % len(CATEGORIES)],
                question=f"第{i}个问题：房东不退押金，怎么办？" if i % 11 else f"=问题 {i}",
                answer=f"答案 {i}，\"引号\"、逗号,以及\n第二段。\n\n第三段 {i}",
                alternates=tuple(f"问法{i}-{k}" for k in range(i % 4)),
                legal_basis=tuple(CITATIONS[(i + k) % len(CITATIONS)] for k in range((i + 1) % 3)),
                communities=("xinhepu", "dongyuan")[: i % 3],
                status=("published", "draft", "archived")[i % 3] if status == "mixed" else status,
            )
        )
    return entries


class FixedClock:
    """A clock that moves one minute per reading."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 28, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now
