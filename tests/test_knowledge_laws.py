"""The statute corpus: importing the shared JSONL and resolving citations against it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlite_utils
from conftest import CorpusCounts

from knowledge.citations import CitationSyntaxError
from knowledge.laws import LawStore, UnknownArticle, UnknownLaw


def test_import_loads_every_article_and_reports_progress(
    db: sqlite_utils.Database, laws_jsonl: Path, corpus: CorpusCounts
) -> None:
    store = LawStore(db)
    seen: list[int] = []
    assert store.import_jsonl(laws_jsonl, progress=seen.append) == corpus.articles
    assert store.count() == corpus.articles
    assert sum(seen) == corpus.articles
    assert len(store.laws()) == corpus.laws


def test_reimport_replaces_instead_of_duplicating(
    laws: LawStore, laws_jsonl: Path, corpus: CorpusCounts
) -> None:
    assert laws.import_path(laws_jsonl) == corpus.articles
    assert laws.count() == corpus.articles


def test_is_loaded_knows_the_same_corpus(
    db: sqlite_utils.Database, laws_jsonl: Path, tmp_path: Path
) -> None:
    store = LawStore(db)
    assert not store.is_loaded(laws_jsonl)
    store.import_jsonl(laws_jsonl)
    assert store.is_loaded(laws_jsonl)
    other = tmp_path / "other.jsonl"
    other.write_text(laws_jsonl.read_text(encoding="utf-8").splitlines()[0] + "\n", "utf-8")
    assert not store.is_loaded(other)


@pytest.mark.parametrize(
    "citation",
    ["民法典第722条", "《中华人民共和国民法典》第七百二十二条", "《民法典》第七百二十二条第二款"],
)
def test_resolve_finds_article_722(laws: LawStore, citation: str) -> None:
    article = laws.resolve(citation)
    assert article.article_cn == "第七百二十二条"
    assert article.short == "民法典"
    assert article.text.startswith("承租人无正当理由未支付或者迟延支付租金")
    assert article.version_date == "2020-05-28"
    assert article.in_force
    assert article.citation() == "《中华人民共和国民法典》第七百二十二条"


def test_resolve_other_forms(laws: LawStore) -> None:
    assert laws.resolve("劳动合同法第47条").law == "中华人民共和国劳动合同法"
    sub = laws.resolve("刑法第一百三十三条之一")
    assert (sub.article, sub.article_sub, sub.article_cn) == (133, 1, "第一百三十三条之一")
    assert laws.resolve("刑法第一百三十三条").article_sub == 0
    assert laws.resolve("劳动合同法实施条例第1条").short == "劳动合同法实施条例"


def test_article_past_the_end_names_the_count(laws: LawStore) -> None:
    with pytest.raises(UnknownArticle) as error:
        laws.resolve("民法典第1261条")
    assert "1,260" in str(error.value)
    assert "第一千二百六十一条" in str(error.value)
    assert error.value.count == 1260


def test_unknown_law_is_named(laws: LawStore) -> None:
    with pytest.raises(UnknownLaw) as error:
        laws.resolve("婚姻法第3条")
    assert "婚姻法" in str(error.value)


def test_missing_sub_article_is_unknown(laws: LawStore) -> None:
    with pytest.raises(UnknownArticle) as error:
        laws.resolve("刑法第一百三十三条之九")
    assert "第一百三十三条之九" in str(error.value)


def test_bad_syntax(laws: LawStore) -> None:
    with pytest.raises(CitationSyntaxError):
        laws.resolve("第七百二十二条")


def test_superseded_law_is_flagged(laws: LawStore) -> None:
    article = laws.resolve("治安管理处罚法第十条")
    assert not article.in_force
    problem = laws.check("治安管理处罚法第十条")
    assert problem is not None
    assert "治安管理处罚法" in problem and "2025-06-27" in problem


def test_check(laws: LawStore) -> None:
    assert laws.check("《民法典》第七百零三条") is None
    assert laws.check("民法典第1261条") is not None
    assert laws.check("婚姻法第3条") is not None
    assert laws.check("随便写写") is not None


def test_free_text_law_names_resolve_by_suffix(laws: LawStore) -> None:
    assert laws.find_law("我想问民法典") == ("中华人民共和国民法典", "民法典")
    assert laws.find_law("民诉法")[1] == "民事诉讼法"


def test_import_replaces_a_law_by_its_new_version(
    laws: LawStore, tmp_path: Path, corpus: CorpusCounts
) -> None:
    record = {
        "law": "中华人民共和国人民调解法", "short": "人民调解法", "article": 1,
        "article_cn": "第一条", "chapter": "第一章 总则", "text": "新文本。",
        "version_date": "2030-01-01", "article_sub": 0, "version_note": None,
    }
    path = tmp_path / "new.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    assert laws.import_path(path) == 1
    assert laws.count() == corpus.articles - corpus.per_law["人民调解法"] + 1
    assert laws.resolve("人民调解法第1条").text == "新文本。"
    with pytest.raises(UnknownArticle):
        laws.resolve("人民调解法第2条")


@pytest.mark.parametrize(
    ("citation", "kind", "short", "words"),
    [
        ("《中华人民共和国劳动合同法》第八十三条", "法律", "劳动合同法", "赔偿金"),
        ("工伤保险条例第十七条第二款", "行政法规", "工伤保险条例", "1年内"),
        ("《工资支付暂行规定》第16条", "部门规章", "工资支付暂行规定", "２０％"),
        ("婚姻家庭编解释(一)第四十九条第二款", "司法解释", "婚姻家庭编解释（一）",
         "百分之二十至三十"),
        ("《最高人民法院关于审理民间借贷案件适用法律若干问题的规定》第二十五条", "司法解释",
         "民间借贷规定", "四倍"),
        ("刑诉法解释第一百七十五条", "司法解释", "刑事诉讼法解释", "精神损失"),
        ("刑法第二百八十七条之二", "法律", "刑法", "支付结算"),
    ],
)
def test_every_kind_of_text_resolves_and_quotes_the_part_cited(
    laws: LawStore, citation: str, kind: str, short: str, words: str
) -> None:
    article, text = laws.quote(citation)
    assert (article.kind, article.short) == (kind, short)
    assert words in text
    assert laws.check(citation) is None
