"""`lawbot laws import/show/list/check` against real SQLite files."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CorpusCounts

from bot.cli.base import cli


@pytest.fixture(scope="module")
def loaded(
    tmp_path_factory: pytest.TempPathFactory, laws_jsonl: Path, corpus: CorpusCounts
) -> Path:
    """A database file with the shared corpus imported through the command."""
    path = tmp_path_factory.mktemp("laws") / "lawbot.db"
    result = CliRunner().invoke(cli, ["laws", "import", str(laws_jsonl), "--db", str(path)])
    assert result.exit_code == 0, result.output
    assert str(corpus.articles) in result.stdout and str(corpus.laws) in result.stdout
    return path


def run(db: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [*args, "--db", str(db)])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    "citation",
    ["民法典第722条", "《中华人民共和国民法典》第七百二十二条",
     "中华人民共和国民法典第七百二十二条"],
)
def test_show_prints_the_article_with_law_and_version(loaded: Path, citation: str) -> None:
    code, out, _ = run(loaded, "laws", "show", citation)
    assert code == 0
    assert "《中华人民共和国民法典》第七百二十二条" in out
    assert "承租人无正当理由未支付或者迟延支付租金" in out
    assert "2020-05-28" in out
    assert "第十四章 租赁合同" in out


@pytest.mark.parametrize(
    "citation",
    [
        "婚姻家庭编解释（一）第五条",
        "婚姻家庭编解释(一)第5条",
        "《婚姻家庭编解释（一）》第五条",
        "《最高人民法院关于适用〈中华人民共和国民法典〉婚姻家庭编的解释（一）》第五条",
        "《最高人民法院关于适用《中华人民共和国民法典》婚姻家庭编的解释（一）》第五条",
        "最高人民法院关于适用《中华人民共和国民法典》婚姻家庭编的解释（一）第五条",
    ],
)
def test_show_a_judicial_interpretation_by_full_or_short_name(
    loaded: Path, citation: str
) -> None:
    code, out, _ = run(loaded, "laws", "show", citation)
    assert code == 0, out
    assert out.startswith(
        "《最高人民法院关于适用〈中华人民共和国民法典〉婚姻家庭编的解释（一）》第五条"
    )
    assert "双方未办理结婚登记手续" in out and "司法解释" in out and "2020-12-29" in out


@pytest.mark.parametrize(
    ("citation", "shown", "not_shown"),
    [
        ("民法典第一千零七十九条第三款", "因感情不和分居满二年", "被宣告失踪"),
        ("民法典第一千零七十九条第三款第四项", "（四）因感情不和分居满二年", "赌博"),
        ("民法典第一千零七十九条第四款", "被宣告失踪", "分居满二年"),
        ("劳动合同法第四十条第三项", "（三）劳动合同订立时所依据的客观情况", "（一）"),
    ],
)
def test_show_one_paragraph_or_item(
    loaded: Path, citation: str, shown: str, not_shown: str
) -> None:
    code, out, _ = run(loaded, "laws", "show", citation)
    assert code == 0, out
    assert shown in out and not_shown not in out


@pytest.mark.parametrize(
    ("citation", "message"),
    [
        ("民法典第九九九九条", "「九九九九」不是规范的数字"),
        ("民法典第一二六一条", "「一二六一」不是规范的数字"),
        ("民法典第七百二十二条第二款", "没有第二款（该条共 1 款）"),
        ("民法典第一千零七十九条第三款第九项", "没有第九项（该条共 5 项）"),
    ],
)
def test_malformed_numerals_and_missing_parts_fail_clearly(
    loaded: Path, citation: str, message: str
) -> None:
    code, out, err = run(loaded, "laws", "show", citation)
    assert code == 1 and out == ""
    assert message in err and "Traceback" not in err
    code, out, _ = run(loaded, "laws", "check", citation)
    assert code == 1 and message in out


def test_show_sub_article(loaded: Path) -> None:
    code, out, _ = run(loaded, "laws", "show", "刑法第一百三十三条之一")
    assert code == 0 and "第一百三十三条之一" in out and "追逐竞驶" in out


def test_article_past_the_end_fails_saying_how_many(loaded: Path) -> None:
    code, out, err = run(loaded, "laws", "show", "民法典第1261条")
    assert code == 1
    assert out == ""
    assert "1,260" in err and "第一千二百六十一条" in err


def test_unknown_law_fails_naming_it(loaded: Path) -> None:
    code, _, err = run(loaded, "laws", "show", "婚姻法第3条")
    assert code == 1 and "婚姻法" in err


def test_unreadable_citation_fails(loaded: Path) -> None:
    code, _, err = run(loaded, "laws", "show", "第三条")
    assert code == 1 and "第三条" in err


def test_superseded_text_is_flagged_with_its_note(loaded: Path) -> None:
    code, out, _ = run(loaded, "laws", "show", "治安管理处罚法第四十三条")
    assert code == 0
    assert "2012-10-26" in out
    assert "不是现行有效" in out and "SUPERSEDED" in out


def test_list_and_check(loaded: Path) -> None:
    code, out, _ = run(loaded, "laws", "list")
    assert code == 0 and "民法典\t法律\t1260 条" in out and "（已失效）" in out
    assert "婚姻家庭编解释（一）\t司法解释\t" in out and "工资支付暂行规定\t部门规章\t" in out
    code, out, _ = run(loaded, "laws", "check", "民法典第722条", "劳动合同法第47条")
    assert code == 0 and out.count("✓") == 2
    code, out, _ = run(loaded, "laws", "check", "民法典第722条", "治安管理处罚法第1条")
    assert code == 1 and "✗ 治安管理处罚法第1条" in out


def test_empty_database_says_how_to_load(tmp_path: Path) -> None:
    code, _, err = run(tmp_path / "empty.db", "laws", "show", "民法典第722条")
    assert code == 1 and "lawbot laws import" in err


def test_import_a_markdown_file(tmp_path: Path) -> None:
    md = tmp_path / "人民调解法(2010-08-28).md"
    md.write_text(
        "# 中华人民共和国人民调解法\n\n<!-- INFO END -->\n\n## 第一章\u3000总则\n\n"
        "第一条 为了完善人民调解制度，制定本法。\n\n第二条 本法所称人民调解。\n",
        encoding="utf-8",
    )
    db = tmp_path / "l.db"
    code, out, _ = run(db, "laws", "import", str(md))
    assert code == 0 and "2 条法条" in out
    code, out, _ = run(db, "laws", "show", "人民调解法第二条")
    assert code == 0 and "本法所称人民调解" in out and "2010-08-28" in out


def test_import_missing_or_empty_path_fails(tmp_path: Path) -> None:
    code, _, err = run(tmp_path / "l.db", "laws", "import", str(tmp_path / "nope"))
    assert code == 1 and "nope" in err
    (tmp_path / "empty").mkdir()
    code, _, err = run(tmp_path / "l.db", "laws", "import", str(tmp_path / "empty"))
    assert code == 1 and "没有找到任何法条" in err


def test_lawbot_db_environment_variable(loaded: Path) -> None:
    result = CliRunner().invoke(cli, ["laws", "show", "民法典第722条"],
                                env={"LAWBOT_DB": str(loaded)})
    assert result.exit_code == 0 and "第七百二十二条" in result.stdout


def test_import_a_broken_corpus_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "laws.jsonl"
    path.write_text('{"law": "某法", "article": 1, "text": "x"}\n{"law": "某法"}\n', "utf-8")
    code, _, err = run(tmp_path / "l.db", "laws", "import", str(path))
    assert code == 1 and "第 2 行" in err
    path.write_text("not json\n", "utf-8")
    code, _, err = run(tmp_path / "l.db", "laws", "import", str(path))
    assert code == 1 and "第 1 行" in err
