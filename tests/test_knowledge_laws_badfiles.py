"""A bad statute corpus file ends in a CorpusError naming the line, and loads nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlite_utils
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knowledge.laws import CorpusError, LawStore

GOOD = {"law": "中华人民共和国测试法", "short": "测试法", "article": 1, "article_cn": "第一条",
        "text": "为了测试，制定本法。", "version_date": "2020-01-01"}


def refused(db: sqlite_utils.Database, path: Path) -> str:
    store = LawStore(db)
    with pytest.raises(CorpusError) as error:
        store.import_jsonl(path)
    assert store.count() == 0
    return str(error.value)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('{"law": ' + "[" * 50_000 + "]" * 50_000 + "}", "嵌套"),
        (json.dumps({**GOOD, "article": 10**30}), "第 2 行"),
        (json.dumps({**GOOD, "text": {"a": 1}}), "第 2 行"),
        (json.dumps({**GOOD, "chapter": ["一"]}), "第 2 行"),
        (json.dumps({**GOOD, "text": "长" * 300_000}, ensure_ascii=False), "超过"),
        ('{"law": "甲", "article": 2, "text": "乙", "article": 3}', "出现了两次"),
    ],
)
def test_bad_lines_are_refused_with_their_number(
    db: sqlite_utils.Database, tmp_path: Path, line: str, expected: str
) -> None:
    path = tmp_path / "laws.jsonl"
    path.write_text(json.dumps(GOOD, ensure_ascii=False) + "\n" + line + "\n", encoding="utf-8")
    assert expected in refused(db, path)


def test_a_gbk_corpus_is_refused_not_a_traceback(db: sqlite_utils.Database,
                                                  tmp_path: Path) -> None:
    path = tmp_path / "laws.jsonl"
    path.write_bytes(json.dumps(GOOD, ensure_ascii=False).encode("gbk") + b"\n")
    assert "UTF-8" in refused(db, path)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300))
def test_no_bytes_make_the_corpus_import_raise_anything_else(
    tmp_path: Path, data: bytes
) -> None:
    from bot.app import open_database

    db = open_database(None)
    path = tmp_path / "fuzz.jsonl"
    path.write_bytes(data)
    try:
        LawStore(db).import_jsonl(path)
    except CorpusError:
        assert LawStore(db).count() == 0
