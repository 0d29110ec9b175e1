"""The FAQ store: versions, history, the change counter and citation checks."""

from __future__ import annotations

import sqlite3

import pytest
import sqlite_utils
from knowledge_samples import FixedClock

from knowledge.faq import (
    CitationError,
    DuplicateId,
    FaqEntry,
    FaqNotFound,
    FaqStore,
    InvalidEntry,
    NotReviewed,
)
from knowledge.laws import LawStore
from knowledge.texts import DRAFT_ANSWER


@pytest.fixture
def store(db: sqlite_utils.Database, laws: LawStore) -> FaqStore:
    return FaqStore(db, laws, clock=FixedClock())


def deposit(**changes: object) -> FaqEntry:
    values: dict[str, object] = {
        "id": "rent-deposit",
        "category": "租房",
        "question": "退租后房东不退押金怎么办？",
        "answer": "押金应当退还。",
        "alternates": ("押金不退",),
        "legal_basis": ("《民法典》第七百二十二条",),
        "status": "published",
    }
    values.update(changes)
    return FaqEntry(**values)  # type: ignore[arg-type]


def test_add_and_get(store: FaqStore) -> None:
    saved = store.add(deposit(), by="王律师")
    assert saved.version == 1
    assert saved.updated_by == "王律师"
    assert saved.updated_at == "2026-11-28T09:01:00+00:00"
    assert store.get("rent-deposit") == saved
    assert store.published() == [saved]


def test_add_trims_text_and_drops_empty_list_items(store: FaqStore) -> None:
    saved = store.add(deposit(question="  问题？ \r\n", alternates=("", " 甲 ")), by="x")
    assert saved.question == "问题？"
    assert saved.alternates == ("甲",)


def test_add_generates_ids(store: FaqStore) -> None:
    first = store.add(deposit(id=""), by="x")
    second = store.add(deposit(id=""), by="x")
    assert (first.id, second.id) == ("faq-0001", "faq-0002")


def test_add_refuses_a_taken_id(store: FaqStore) -> None:
    store.add(deposit(), by="x")
    with pytest.raises(DuplicateId):
        store.add(deposit(), by="x")


def test_edit_keeps_every_version_and_who_made_it(store: FaqStore) -> None:
    store.add(deposit(), by="王律师")
    store.edit("rent-deposit", by="小李", answer="新的答案。")
    store.archive("rent-deposit", by="陈律师")
    history = store.history("rent-deposit")
    assert [(v.version, v.updated_by, v.status) for v in history] == [
        (1, "王律师", "published"),
        (2, "小李", "draft"),
        (3, "陈律师", "archived"),
    ]
    assert history[0].answer == "押金应当退还。"
    assert history[-1] == store.get("rent-deposit")
    assert store.published() == []


def test_edit_without_a_change_makes_no_version(store: FaqStore) -> None:
    store.add(deposit(), by="x")
    revision = store.revision()
    assert store.edit("rent-deposit", by="y", answer="押金应当退还。").version == 1
    assert store.revision() == revision


def test_edit_rejects_unknown_fields(store: FaqStore) -> None:
    store.add(deposit(), by="x")
    with pytest.raises(TypeError):
        store.edit("rent-deposit", by="y", version=9)


def test_revision_bumps_with_every_change(store: FaqStore) -> None:
    assert store.revision() == 0
    store.add(deposit(status="draft"), by="x")
    store.edit("rent-deposit", by="x", answer="改")
    store.signoff("rent-deposit", adviser="王律师")
    store.publish("rent-deposit", by="x")
    store.archive("rent-deposit", by="x")
    assert store.revision() == 5


def test_missing_entry(store: FaqStore) -> None:
    with pytest.raises(FaqNotFound):
        store.get("nope")
    with pytest.raises(FaqNotFound):
        store.edit("nope", by="x", answer="a")
    with pytest.raises(FaqNotFound):
        store.history("nope")


def test_publishing_a_wrong_citation_is_refused_naming_it(store: FaqStore) -> None:
    store.add(deposit(status="draft", legal_basis=()), by="x")
    with pytest.raises(CitationError) as error:
        store.edit("rent-deposit", by="x", legal_basis=["民法典第1261条"], status="published")
    assert "第一千二百六十一条" in str(error.value)
    assert store.get("rent-deposit").version == 1


def test_citing_a_superseded_law_is_refused(store: FaqStore) -> None:
    with pytest.raises(CitationError) as error:
        store.add(deposit(legal_basis=("治安管理处罚法第四十三条",)), by="x")
    assert "治安管理处罚法" in str(error.value)


def test_unknown_law_is_refused(store: FaqStore) -> None:
    with pytest.raises(CitationError) as error:
        store.add(deposit(legal_basis=("《婚姻法》第三十二条",)), by="x")
    assert "婚姻法" in str(error.value)


def test_archived_entries_are_not_checked_against_the_corpus(store: FaqStore) -> None:
    saved = store.add(deposit(status="archived", legal_basis=("《婚姻法》第三十二条",)), by="x")
    assert saved.status == "archived"


def test_without_statutes_citations_are_only_read(db: sqlite_utils.Database) -> None:
    store = FaqStore(db, LawStore(db))  # nothing loaded: citations unverified
    assert store.add(deposit(legal_basis=("《婚姻法》第三十二条",)), by="x").version == 1
    with pytest.raises(CitationError):
        store.add(deposit(id="other", legal_basis=("不是引用",)), by="x")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"question": " "}, "question"),
        ({"answer": ""}, "answer"),
        ({"status": "live"}, "status"),
        ({"answer": "长" * 5001}, "answer"),
        ({"alternates": ("a|b",)}, "alternates"),
        ({"id": "has space"}, "id"),
        ({"review_by": "明年"}, "review_by"),
        ({"question": "问\x07题"}, "question"),
    ],
)
def test_invalid_entries_name_the_field(
    store: FaqStore, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidEntry) as error:
        store.add(deposit(**changes), by="x")
    assert field in [f for f, _ in error.value.problems]
    assert store.count() == 0


def test_list_filters(store: FaqStore) -> None:
    store.add(deposit(), by="x")
    store.add(deposit(id="lift", category="加装电梯", status="draft",
                      communities=("xinhepu",)), by="x")
    assert [e.id for e in store.list(status="draft")] == ["lift"]
    assert [e.id for e in store.list(category="租房")] == ["rent-deposit"]
    assert [e.id for e in store.list(community="dongyuan")] == ["rent-deposit"]
    assert [e.id for e in store.list(community="xinhepu")] == ["rent-deposit", "lift"]


def test_a_change_and_its_revision_bump_commit_together(
    db: sqlite_utils.Database, store: FaqStore
) -> None:
    # A trigger makes the bump fail: the entry written just before must roll back with it.
    db.execute(
        "CREATE TRIGGER no_bump BEFORE UPDATE ON faq_revision"
        " BEGIN SELECT RAISE(ABORT, 'no bump'); END"
    )
    with pytest.raises(sqlite3.IntegrityError):
        store.add(deposit(), by="x")
    assert store.count() == 0
    assert db.execute("SELECT count(*) FROM faq_history").fetchone()[0] == 0


def test_publish_needs_a_sign_off_and_a_citation_and_changes_nothing_without(
    store: FaqStore,
) -> None:
    store.add(deposit(status="draft", legal_basis=()), by="小李")
    revision = store.revision()
    with pytest.raises(NotReviewed) as error:
        store.publish("rent-deposit", by="小李")
    assert "尚未经法律顾问审核" in str(error.value) and "没有法律依据" in str(error.value)
    with pytest.raises(NotReviewed):
        store.edit("rent-deposit", by="小李", status="published")
    assert (store.revision(), store.get("rent-deposit").version) == (revision, 1)
    assert store.published() == []
    store.signoff("rent-deposit", adviser="王律师")
    with pytest.raises(NotReviewed) as error:  # signed off, but it cites nothing
        store.publish("rent-deposit", by="小李")
    assert "没有法律依据" in str(error.value) and "尚未经法律顾问审核" not in str(error.value)
    assert store.get("rent-deposit").status == "draft"


def test_sign_off_is_kept_in_history_and_cleared_by_an_answer_or_citation_edit(
    store: FaqStore,
) -> None:
    store.add(deposit(status="draft"), by="小李")
    signed = store.signoff("rent-deposit", adviser="王律师")
    assert (signed.reviewed_by, signed.reviewed_at, signed.version) == (
        "王律师", "2026-11-28T09:02:00+00:00", 2
    )
    assert store.signoff("rent-deposit", adviser="王律师").version == 2  # nothing new
    published = store.publish("rent-deposit", by="小李")
    assert (published.status, published.reviewed_by) == ("published", "王律师")
    kept = store.edit("rent-deposit", by="小李", alternates=("押金唔退",))
    assert kept.reviewed_by == "王律师"  # a new phrasing is not what the adviser signed
    cleared = store.edit("rent-deposit", by="小李", answer="押金一般应当退还。")
    assert (cleared.reviewed_by, cleared.reviewed_at) == (None, None)
    history = store.history("rent-deposit")
    assert [v.reviewed_by for v in history] == [None, "王律师", "王律师", "王律师", None]
    assert [e.id for e in store.unreviewed()] == ["rent-deposit"]
    store.edit("rent-deposit", by="小李", legal_basis=("《民法典》第七百二十二条",
                                                       "《民法典》第五百七十七条"))
    store.signoff("rent-deposit", adviser="王律师")
    store.edit("rent-deposit", by="小李", legal_basis=("《民法典》第七百二十二条",))
    assert store.get("rent-deposit").reviewed_by is None
    assert store.unreviewed() == [store.get("rent-deposit")]


def test_an_adviser_publishing_signs_off_in_the_same_version(store: FaqStore) -> None:
    store.add(deposit(status="draft"), by="小李")
    published = store.publish("rent-deposit", by="王律师", reviewed_by="王律师")
    assert (published.version, published.status, published.reviewed_by) == (
        2, "published", "王律师"
    )


def test_a_placeholder_answer_is_neither_signed_off_nor_published(store: FaqStore) -> None:
    store.add(deposit(status="draft", answer=DRAFT_ANSWER), by="王律师")
    before, revision = store.get("rent-deposit"), store.revision()
    with pytest.raises(NotReviewed, match="还没有撰写"):
        store.signoff("rent-deposit", adviser="王律师")
    with pytest.raises(NotReviewed, match="还没有撰写"):
        store.publish("rent-deposit", by="王律师", reviewed_by="王律师")
    assert (store.get("rent-deposit"), store.revision()) == (before, revision)
    store.edit("rent-deposit", by="王律师", answer="押金应当退还。")
    assert store.publish("rent-deposit", by="王律师", reviewed_by="王律师").status == "published"
