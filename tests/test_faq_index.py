"""FaqIndex follows the FAQ: any change is used by the next question, without a restart."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import sqlite_utils

from bot.app import open_database
from bot.faq_index import FaqIndex, to_document
from knowledge.faq import FaqEntry, FaqStore


def entry(
    id: str,
    question: str,
    *alternates: str,
    status: str = "published",
    communities: tuple[str, ...] = (),
) -> FaqEntry:
    return FaqEntry(
        id=id,
        category="测试",
        question=question,
        answer=f"{question}的解答。",
        alternates=alternates,
        communities=communities,
        status=status,
    )


class RecordingFaq:
    """A fake FaqStore that records how often the index reads it."""

    def __init__(self, entries: list[FaqEntry]) -> None:
        self.entries = entries
        self.rev = 1
        self.calls: list[str] = []

    def published(self) -> list[FaqEntry]:
        self.calls.append("published")
        return [e for e in self.entries if e.status == "published"]

    def revision(self) -> int:
        self.calls.append("revision")
        return self.rev


def test_builds_once_while_the_revision_stays() -> None:
    faq = RecordingFaq([entry("deposit", "房东不退押金怎么办")])
    index = FaqIndex(faq)
    assert index.match("押金不退").top[0].id == "deposit"
    index.match("押金")
    assert faq.calls.count("published") == 1
    assert faq.calls.count("revision") == 2
    assert index.rebuilds == 1


def test_rebuilds_when_the_revision_moves() -> None:
    faq = RecordingFaq([entry("deposit", "房东不退押金怎么办")])
    index = FaqIndex(faq)
    assert index.match("老板拖欠工资").decision == "escalate"
    faq.entries.append(entry("wages", "老板拖欠工资不发怎么办"))
    assert index.match("老板拖欠工资").decision == "escalate"  # same revision: not yet seen
    faq.rev = 2
    result = index.match("老板拖欠工资")
    assert result.top[0].id == "wages"
    assert result.decision == "answer"
    assert index.rebuilds == 2


def test_only_published_entries_are_indexed() -> None:
    faq = RecordingFaq([entry("a", "房东不退押金怎么办"), entry("b", "工资拖欠", status="draft")])
    assert len(FaqIndex(faq)) == 1


def test_document_carries_scope_and_answer() -> None:
    doc = to_document(entry("lift", "加装电梯", "装电梯", communities=("xinhepu",)))
    assert doc.alternates == ("装电梯",)
    assert doc.communities == ("xinhepu",)
    assert doc.answer == "加装电梯的解答。"


def test_real_store_edit_publish_archive_are_live(db: sqlite_utils.Database) -> None:
    store = FaqStore(db)
    store.add(entry("deposit", "退租后房东不退押金怎么办"), by="王律师")
    wages = entry("wages", "老板拖欠工资不发怎么办", status="draft")
    store.add(dataclasses.replace(wages, legal_basis=("《劳动法》第五十条",)), by="王律师")
    index = FaqIndex(store)
    assert index.match("老板拖欠工资").decision == "escalate"
    store.publish("wages", by="王律师", reviewed_by="王律师")
    assert index.match("老板拖欠工资").top[0].id == "wages"
    store.edit("deposit", by="王律师", alternates=("按金唔退点算",))
    assert "按金唔退点算" in [c.phrasing for c in index.match("按金唔退", explain=True).top]
    store.archive("wages", by="王律师")
    assert "wages" not in [c.id for c in index.match("老板拖欠工资").top]


def test_edit_from_another_connection_is_live(db_path: Path) -> None:
    """As when `lawbot faq edit` runs beside the bot: a second connection to the same file."""
    running = open_database(db_path)
    FaqStore(running).add(entry("deposit", "退租后房东不退押金怎么办"), by="王律师")
    index = FaqIndex(FaqStore(running))
    assert index.match("宠物狗咬人谁负责").decision == "escalate"

    other = open_database(db_path)
    FaqStore(other).add(entry("dog", "被邻居家的狗咬伤了谁负责"), by="陈律师")
    other.close()

    result = index.match("宠物狗咬人谁负责")
    assert result.top[0].id == "dog"
    assert result.decision != "escalate"
    running.close()


def test_community_scope_through_the_store(db: sqlite_utils.Database) -> None:
    store = FaqStore(db)
    store.add(entry("lift", "旧楼加装电梯需要多少业主同意", communities=("xinhepu",)), by="王律师")
    store.add(entry("deposit", "退租后房东不退押金怎么办"), by="王律师")
    index = FaqIndex(store)
    assert index.match("加装电梯业主同意", community="xinhepu").top[0].id == "lift"
    assert "lift" not in [c.id for c in index.match("加装电梯业主同意", community="dongshan").top]
