"""FAQ import/export: formats, encodings, all-or-nothing errors and exact round trips."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest
import sqlite_utils
from knowledge_samples import sample_entries

from bot.app import open_database
from knowledge.faq import FaqEntry, FaqStore
from knowledge.io import FIELDS, ImportFailed, UnsupportedFormat, export_faq, import_faq
from knowledge.laws import LawStore


@pytest.fixture
def lawdb(corpus_db: Path, tmp_path: Path) -> sqlite_utils.Database:
    copy = tmp_path / "lawbot.db"
    copy.write_bytes(corpus_db.read_bytes())
    return open_database(copy)


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([list(FIELDS), *rows])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def row(i: int, **changes: str) -> list[str]:
    values = {
        "id": f"q{i}", "category": "租房", "question": f"问题{i}", "alternates": "甲|乙",
        "answer": f"答案{i}", "legal_basis": "《民法典》第七百二十二条", "communities": "",
        "status": "published",
    }
    values.update(changes)
    return [values[f] for f in FIELDS]


def snapshot(db: sqlite_utils.Database) -> list[tuple[object, ...]]:
    return [(e.id, *e.content()) for e in FaqStore(db).list()]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".jsonl"])
def test_thousand_entries_round_trip_exactly(
    lawdb: sqlite_utils.Database, tmp_path: Path, suffix: str
) -> None:
    laws = LawStore(lawdb)
    store = FaqStore(lawdb, laws)
    for entry in sample_entries(1000, status="mixed"):
        store.add(entry, by="seed")
    first = tmp_path / f"first{suffix}"
    assert export_faq(lawdb, first) == 1000
    fresh = open_database(None)
    assert import_faq(fresh, first, by="import", signoff="王律师", laws=laws) == 1000
    assert snapshot(fresh) == snapshot(lawdb)
    second = tmp_path / f"second{suffix}"
    export_faq(fresh, second)
    if suffix != ".xlsx":  # xlsx files carry timestamps; their cells are compared above
        assert second.read_bytes() == first.read_bytes()


def test_reimporting_the_export_changes_nothing(db: sqlite_utils.Database, tmp_path: Path) -> None:
    store = FaqStore(db)
    for entry in sample_entries(50):
        store.add(entry, by="seed")
    path = tmp_path / "faq.csv"
    export_faq(db, path)
    revision = store.revision()
    assert import_faq(db, path, by="again") == 0
    assert store.revision() == revision
    assert all(e.version == 1 for e in store.list())


def test_hundred_rows_with_one_bad_row_import_nothing(
    lawdb: sqlite_utils.Database, tmp_path: Path
) -> None:
    rows = [row(i) for i in range(100)]
    rows[41] = row(41, answer="")
    path = write_csv(tmp_path / "faq.csv", rows)
    with pytest.raises(ImportFailed) as error:
        import_faq(lawdb, path, by="x", signoff="王律师", laws=LawStore(lawdb))
    assert [(e.row, e.field) for e in error.value.errors] == [(43, "answer")]
    assert "第 43 行" in str(error.value)
    assert FaqStore(lawdb).count() == 0
    assert FaqStore(lawdb).revision() == 0


def test_every_bad_row_is_reported(lawdb: sqlite_utils.Database, tmp_path: Path) -> None:
    rows = [
        row(1),
        row(2, question=""),
        row(3, answer=""),
        row(4, status="live"),
        row(5, legal_basis="《民法典》第七百二十二条|民法典第1261条"),
        row(1, question="重复"),
        row(7, answer="长" * 6000),
        row(8, legal_basis="治安管理处罚法第四十三条"),
        row(9, legal_basis="婚姻法第3条"),
        row(10),
    ]
    path = write_csv(tmp_path / "faq.csv", rows)
    with pytest.raises(ImportFailed) as error:
        import_faq(lawdb, path, by="x", signoff="王律师", laws=LawStore(lawdb))
    found = [(e.row, e.field) for e in error.value.errors]
    assert found == [
        (3, "question"), (4, "answer"), (5, "status"), (6, "legal_basis"), (7, "id"),
        (8, "answer"), (9, "legal_basis"), (10, "legal_basis"),
    ]
    messages = {e.row: e.message for e in error.value.errors}
    assert "第一千二百六十一条" in messages[6]
    assert "「q1」" in messages[7] and "第 2 行" in messages[7]
    assert "治安管理处罚法" in messages[9]
    assert FaqStore(lawdb).count() == 0


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig", "utf-8"])
def test_csv_encodings_excel_saves(db: sqlite_utils.Database, tmp_path: Path,
                                   encoding: str) -> None:
    rows = [row(1, question="房东不退押金怎么办？", alternates="按金唔退|押金")]
    path = write_csv(tmp_path / "faq.csv", rows, encoding=encoding)
    assert import_faq(db, path, by="x", signoff="王律师") == 1
    entry = FaqStore(db).get("q1")
    assert entry.question == "房东不退押金怎么办？"
    assert entry.alternates == ("按金唔退", "押金")


def test_excel_unicode_text_is_tab_separated_utf16(db: sqlite_utils.Database,
                                                   tmp_path: Path) -> None:
    lines = ["\t".join(FIELDS), "\t".join(row(1, question="押金问题"))]
    path = tmp_path / "faq.csv"
    path.write_bytes("\r\n".join(lines).encode("utf-16"))
    assert import_faq(db, path, by="x", signoff="王律师") == 1
    assert FaqStore(db).get("q1").question == "押金问题"


def test_importing_an_existing_id_makes_a_new_version(db: sqlite_utils.Database,
                                                      tmp_path: Path) -> None:
    store = FaqStore(db)
    store.add(FaqEntry(id="q1", category="租房", question="旧问题", answer="旧答案"), by="a")
    path = write_csv(tmp_path / "faq.csv", [row(1, answer="新答案")])
    assert import_faq(db, path, by="b", signoff="王律师") == 1
    versions = store.history("q1")
    assert [(v.version, v.answer, v.updated_by) for v in versions] == [
        (1, "旧答案", "a"), (2, "新答案", "b"),
    ]


def test_rows_without_id_get_one_and_blank_rows_are_skipped(
    db: sqlite_utils.Database, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "faq.csv", [row(1, id=""), [""] * 8, row(2, id="")])
    assert import_faq(db, path, by="x", signoff="王律师") == 2
    assert [e.id for e in FaqStore(db).list()] == ["faq-0001", "faq-0002"]


def test_missing_columns_are_reported(db: sqlite_utils.Database, tmp_path: Path) -> None:
    path = tmp_path / "faq.csv"
    path.write_text("id,category,question\nq1,租房,问题\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as error:
        import_faq(db, path, by="x", signoff="王律师")
    assert [(e.row, e.field) for e in error.value.errors] == [(1, "answer")]


def test_progress_counts_every_row(db: sqlite_utils.Database, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "faq.csv", [row(i, legal_basis="", status="draft")
                                                   for i in range(250)])
    seen: list[int] = []
    assert import_faq(db, path, by="x", signoff="王律师", progress=seen.append) == 250
    assert sum(seen) == 250 and len(seen) == 3


def test_import_bumps_the_revision_once(db: sqlite_utils.Database, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "faq.csv", [row(i, legal_basis="", status="draft")
                                                   for i in range(5)])
    import_faq(db, path, by="x", signoff="王律师")
    assert FaqStore(db).revision() == 1


def test_xlsx_with_numbers_and_formula_like_text(db: sqlite_utils.Database,
                                                 tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(FIELDS))
    sheet.append([123, "租房", "问题", None, "答案", None, None, "draft"])
    path = tmp_path / "faq.xlsx"
    workbook.save(path)
    assert import_faq(db, path, by="x", signoff="王律师") == 1
    store = FaqStore(db)
    store.edit("123", by="x", answer="=SUM(A1)")
    out = tmp_path / "out.xlsx"
    export_faq(db, out)
    cells = list(openpyxl.load_workbook(out).worksheets[0].iter_rows(values_only=True))
    assert cells[1][FIELDS.index("answer")] == "=SUM(A1)"
    fresh = open_database(None)
    import_faq(fresh, out, by="x", signoff="王律师")
    assert FaqStore(fresh).get("123").answer == "=SUM(A1)"


def test_jsonl_accepts_lists_or_pipes_and_reports_bad_lines(
    db: sqlite_utils.Database, tmp_path: Path
) -> None:
    good = {"id": "a", "question": "问", "answer": "答", "alternates": ["甲", "乙"],
            "communities": "xinhepu|dongyuan", "status": "draft"}
    path = tmp_path / "faq.jsonl"
    path.write_text(json.dumps(good, ensure_ascii=False) + "\n", encoding="utf-8")
    assert import_faq(db, path, by="x", signoff="王律师") == 1
    assert FaqStore(db).get("a").communities == ("xinhepu", "dongyuan")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "b", "question": "问", "answer": "答"}\nnot json\n[1]\n'
                   '{"id": "c", "question": "问", "answer": "答", "alternates": {"x": 1}}\n',
                   encoding="utf-8")
    with pytest.raises(ImportFailed) as error:
        import_faq(db, bad, by="x", signoff="王律师")
    assert [(e.row, e.field) for e in error.value.errors] == [
        (2, "file"), (3, "file"), (4, "alternates"),
    ]
    assert not FaqStore(db).exists("b")


def test_unsupported_extension(db: sqlite_utils.Database, tmp_path: Path) -> None:
    with pytest.raises(UnsupportedFormat):
        import_faq(db, tmp_path / "faq.txt", by="x", signoff="王律师")
    with pytest.raises(UnsupportedFormat):
        export_faq(db, tmp_path / "faq.xls")


def test_an_import_publishes_a_signed_draft_only_with_a_citation(
    db: sqlite_utils.Database, tmp_path: Path
) -> None:
    store = FaqStore(db)
    store.add(FaqEntry(id="q1", category="租房", question="问题1", answer="答案1"), by="x")
    store.signoff("q1", adviser="王律师")
    before = store.get("q1")
    path = write_csv(tmp_path / "faq.csv", [row(1, legal_basis="")])
    with pytest.raises(ImportFailed) as error:
        import_faq(db, path, by="x")
    assert [(e.row, e.field) for e in error.value.errors] == [(2, "legal_basis")]
    assert store.get("q1") == before
