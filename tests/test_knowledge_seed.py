"""The starter FAQ: loading knowledge/starter/*.yaml, idempotently, and checking its citations."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlite_utils

from knowledge.faq import FaqStore
from knowledge.io import ImportFailed
from knowledge.laws import LawStore
from knowledge.seed import STARTER_DIR, load_starter, read_starter, starter_files

TENANCY = """category: 租房
entries:
  - id: tenancy-deposit
    question: 退租后房东不退押金怎么办？
    alternates: [押金不退, 按金唔退]
    answer: 押金是担保，租期结束应当退还。
    legal_basis: [《民法典》第七百二十二条]
  - id: tenancy-repair
    question: 房子漏水谁来修？
    alternates: []
    answer: 出租人应当履行维修义务。
    legal_basis: [《民法典》第七百一十二条]
    communities: [xinhepu]
    status: draft
"""

LABOUR = """category: 劳动
entries:
  - id: labour-unpaid
    question: 老板拖欠工资怎么办？
    alternates: [欠薪]
    answer: 可以向劳动保障监察部门投诉。
    legal_basis: [保障农民工工资支付条例第3条]
"""



@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "tenancy.yaml").write_text(TENANCY, encoding="utf-8")
    (tmp_path / "labour.yaml").write_text(LABOUR, encoding="utf-8")
    return tmp_path


def test_starter_loads_as_unreviewed_drafts_and_the_demo_publishes_them(
    db: sqlite_utils.Database, laws: LawStore, folder: Path
) -> None:
    assert load_starter(db, folder=folder) == 3
    store = FaqStore(db)
    assert store.published() == []
    assert [e.id for e in store.unreviewed()] == [e.id for e in store.list()]
    assert load_starter(db, folder=folder, publish=True) == 2  # the draft in the file stays
    assert {e.id for e in store.published()} == {"tenancy-deposit", "labour-unpaid"}
    assert all(e.reviewed_by is None for e in store.list())  # published, still unreviewed
    assert load_starter(db, folder=folder) == 0  # a later plain init unpublishes nothing
    assert len(store.published()) == 2


def test_load_starter(db: sqlite_utils.Database, laws: LawStore, folder: Path) -> None:
    assert load_starter(db, folder=folder, publish=True) == 3
    store = FaqStore(db)
    deposit = store.get("tenancy-deposit")
    assert (deposit.category, deposit.status) == ("租房", "published")
    assert deposit.updated_by == "starter"
    assert deposit.alternates == ("押金不退", "按金唔退")
    repair = store.get("tenancy-repair")
    assert (repair.status, repair.communities) == ("draft", ("xinhepu",))
    assert store.get("labour-unpaid").category == "劳动"


def test_running_twice_changes_nothing(db: sqlite_utils.Database, folder: Path) -> None:
    load_starter(db, folder=folder)
    store = FaqStore(db)
    revision = store.revision()
    assert load_starter(db, folder=folder) == 0
    assert store.revision() == revision
    assert store.count() == 3
    assert all(e.version == 1 for e in store.list())


def test_changed_starter_updates_only_untouched_entries(
    db: sqlite_utils.Database, folder: Path
) -> None:
    load_starter(db, folder=folder)
    store = FaqStore(db)
    store.edit("tenancy-repair", by="王律师", answer="王律师改写的答案。")
    changed = TENANCY.replace("押金是担保", "押金是一种担保").replace(
        "出租人应当履行维修义务。", "新的维修答案。"
    )
    (folder / "tenancy.yaml").write_text(changed, encoding="utf-8")
    assert load_starter(db, folder=folder) == 1
    assert store.get("tenancy-deposit").version == 2
    assert store.get("tenancy-repair").answer == "王律师改写的答案。"


def test_bad_entries_are_all_reported_and_nothing_loaded(
    db: sqlite_utils.Database, laws: LawStore, folder: Path
) -> None:
    broken = LABOUR.replace("保障农民工工资支付条例第3条", "民法典第1261条").replace(
        "  - id: labour-unpaid", "  - id: tenancy-deposit"
    ) + "  - {id: no-answer, question: 问题}\n"
    (folder / "labour.yaml").write_text(broken, encoding="utf-8")
    with pytest.raises(ImportFailed) as error:
        load_starter(db, folder=folder, laws=laws)
    found = {(e.source, e.row, e.field) for e in error.value.errors}
    assert found == {
        ("labour.yaml", 1, "legal_basis"),
        ("labour.yaml", 2, "answer"),
        ("tenancy.yaml", 1, "id"),  # files load in name order: labour.yaml took the id first
    }
    duplicate = next(e for e in error.value.errors if e.field == "id")
    assert "labour.yaml 第 1 条" in duplicate.message
    assert FaqStore(db).count() == 0


def test_the_check_catches_a_wrong_citation(laws: LawStore, folder: Path) -> None:
    (folder / "labour.yaml").write_text(
        LABOUR.replace("保障农民工工资支付条例第3条", "治安管理处罚法第四十三条"), encoding="utf-8"
    )
    _entries, errors = read_starter(folder, laws)
    assert [(e.source, e.field) for e in errors] == [("labour.yaml", "legal_basis")]


def test_every_starter_citation_resolves_and_is_in_force(laws: LawStore) -> None:
    """The real starter files (whatever exists now): every citation must be current law."""
    assert starter_files(STARTER_DIR), "knowledge/starter/*.yaml is empty"
    entries, errors = read_starter(STARTER_DIR, laws)
    assert not errors, "\n".join(str(e) for e in errors)
    problems = [
        f"{e.id}: {problem}"
        for e in entries
        for citation in e.legal_basis
        if (problem := laws.check(citation)) is not None
    ]
    assert not problems, "\n".join(problems)
    assert entries
