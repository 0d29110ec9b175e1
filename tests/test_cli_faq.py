"""`lawbot faq …` against real SQLite files."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.app import open_database
from bot.cli.base import cli
from bot.desk.org import load_demo
from knowledge.faq import FaqStore
from knowledge.io import FIELDS


@pytest.fixture
def dbfile(corpus_db: Path, tmp_path: Path) -> Path:
    """A fresh database file with the statutes and the demo organisation (王律师 an adviser,
    小李 a volunteer) loaded."""
    path = tmp_path / "lawbot.db"
    path.write_bytes(corpus_db.read_bytes())
    db = open_database(path)
    load_demo(db)
    db.close()
    return path


def run(db: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["faq", *args, "--db", str(db)])
    return result.exit_code, result.stdout, result.stderr


def csv_file(path: Path, n: int, bad: dict[int, dict[str, str]] | None = None) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(FIELDS)
    for i in range(n):
        values = {"id": f"q{i}", "category": "租房", "question": f"问题{i}", "alternates": "",
                  "answer": f"答案{i}", "legal_basis": "民法典第722条", "communities": "",
                  "status": "published"}
        values.update((bad or {}).get(i, {}))
        writer.writerow([values[f] for f in FIELDS])
    path.write_text(buffer.getvalue(), encoding="utf-8-sig")
    return path


def test_import_with_one_bad_row_imports_nothing_and_names_it(
    dbfile: Path, tmp_path: Path
) -> None:
    path = csv_file(tmp_path / "faq.csv", 100, bad={57: {"status": "上线"}})
    code, _, err = run(dbfile, "import", str(path))
    assert code == 1
    assert "第 59 行" in err and "status" in err and "上线" in err
    assert err.startswith("错误：") and "Error" not in err  # no English in front of the Chinese
    assert FaqStore(open_database(dbfile)).count() == 0


def test_import_reports_a_wrong_citation(dbfile: Path, tmp_path: Path) -> None:
    path = csv_file(tmp_path / "faq.csv", 3, bad={1: {"legal_basis": "民法典第1261条"}})
    code, _, err = run(dbfile, "import", str(path))
    assert code == 1 and "第 3 行" in err and "legal_basis" in err and "1,260" in err


def test_large_import_shows_progress_on_stderr(dbfile: Path, tmp_path: Path) -> None:
    path = csv_file(tmp_path / "faq.csv", 600)
    code, out, err = run(dbfile, "import", str(path), "--signoff", "王律师")
    assert code == 0
    assert "已导入 600 条" in out
    assert "导入中" in err


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".jsonl"])
def test_export_then_import_round_trips(
    dbfile: Path, corpus_db: Path, tmp_path: Path, suffix: str
) -> None:
    run(dbfile, "import", str(csv_file(tmp_path / "faq.csv", 20)), "--signoff", "王律师")
    out = tmp_path / f"out{suffix}"
    code, stdout, _ = run(dbfile, "export", str(out))
    assert code == 0 and "20 条" in stdout
    code, stdout, err = run(dbfile, "import", str(out))  # unchanged rows need no new sign-off
    assert code == 0 and "已导入 0 条" in stdout, err
    other = tmp_path / "other.db"
    other.write_bytes(corpus_db.read_bytes())
    load_demo(open_database(other))
    code, _, err = run(other, "import", str(out), "--signoff", "王律师")
    assert code == 0, err
    left = [(e.id, e.content()) for e in FaqStore(open_database(dbfile)).list()]
    right = [(e.id, e.content()) for e in FaqStore(open_database(other)).list()]
    assert left == right


def faq_snapshot(db: Path) -> list[tuple[object, ...]]:
    store = FaqStore(open_database(db))
    return [(e.id, e.version, e.reviewed_by, *e.content()) for e in store.list()]


def test_published_rows_go_live_only_with_an_advisers_signoff(
    dbfile: Path, tmp_path: Path
) -> None:
    path = csv_file(tmp_path / "faq.csv", 3, bad={2: {"status": "draft", "legal_basis": ""}})
    code, _, err = run(dbfile, "import", str(path))
    assert code == 1
    assert "第 2 行" in err and "第 3 行" in err and "第 4 行" not in err
    assert "status" in err and "--signoff" in err
    assert faq_snapshot(dbfile) == []
    code, _, err = run(dbfile, "import", str(path), "--signoff", "小李")  # a volunteer
    assert code == 1 and "不是机构名单中的法律顾问" in err
    assert faq_snapshot(dbfile) == []
    uncited = csv_file(tmp_path / "uncited.csv", 2, bad={1: {"legal_basis": ""}})
    code, _, err = run(dbfile, "import", str(uncited), "--signoff", "王律师")
    assert code == 1 and "第 3 行" in err and "没有法律依据" in err
    assert faq_snapshot(dbfile) == []
    code, out, err = run(dbfile, "import", str(path), "--signoff", "王律师")
    assert "已导入 3 条" in out
    assert code == 0, err
    store = FaqStore(open_database(dbfile))
    assert [(e.id, e.status, e.reviewed_by) for e in store.list()] == [
        ("q0", "published", "王律师"), ("q1", "published", "王律师"), ("q2", "draft", None),
    ]
    # a changed answer in a published row is new unreviewed text: refused without a sign-off
    before = faq_snapshot(dbfile)
    changed = csv_file(tmp_path / "changed.csv", 3, bad={0: {"answer": "改过的答案"},
                                                         2: {"status": "draft",
                                                             "legal_basis": ""}})
    code, _, err = run(dbfile, "import", str(changed))
    assert code == 1 and "第 2 行" in err and "第 3 行" not in err
    assert faq_snapshot(dbfile) == before


def test_editing_a_published_answer_withdraws_it_until_signed_off(
    dbfile: Path, tmp_path: Path
) -> None:
    run(dbfile, "import", str(csv_file(tmp_path / "faq.csv", 1)), "--signoff", "王律师")
    code, out, _ = run(dbfile, "edit", "q0", "--add-alternate", "押金问题")
    assert code == 0 and "撤回" not in out  # a new wording is not what the adviser signed
    assert FaqStore(open_database(dbfile)).get("q0").status == "published"
    code, out, _ = run(dbfile, "edit", "q0", "--answer", "新的答案。")
    assert code == 0 and "已撤回为草稿" in out and "faq signoff q0" in out
    entry = FaqStore(open_database(dbfile)).get("q0")
    assert (entry.status, entry.reviewed_by, entry.answer) == ("draft", None, "新的答案。")
    code, _, err = run(dbfile, "publish", "q0")
    assert code == 1 and "尚未经法律顾问审核" in err
    run(dbfile, "signoff", "q0", "--as", "王律师")
    code, _, err = run(dbfile, "publish", "q0")
    assert code == 0, err
    assert FaqStore(open_database(dbfile)).get("q0").status == "published"


def test_unsupported_or_missing_file(dbfile: Path, tmp_path: Path) -> None:
    code, _, err = run(dbfile, "import", str(tmp_path / "nope.csv"))
    assert code == 1 and "nope.csv" in err
    (tmp_path / "faq.txt").write_text("x", encoding="utf-8")
    code, _, err = run(dbfile, "import", str(tmp_path / "faq.txt"))
    assert code == 1 and ".txt" in err
    code, _, err = run(dbfile, "export", str(tmp_path / "faq.doc"))
    assert code == 1 and ".doc" in err


def test_add_edit_publish_archive_and_history(dbfile: Path) -> None:
    code, out, err = run(
        dbfile, "add", "--id", "rent-1", "--category", "租房", "--question", "押金不退怎么办？",
        "--answer", "可以要求退还。", "--alternate", "押金不退", "--alternate", "按金唔退",
        "--legal-basis", "《民法典》第七百二十二条", "--by", "王律师",
    )
    assert code == 0, err
    assert "rent-1" in out and "草稿" in out
    code, out, err = run(dbfile, "edit", "rent-1", "--answer", "应当退还押金。", "--by", "小李")
    assert code == 0, err
    assert "第 2 版" in out
    code, out, _ = run(dbfile, "signoff", "rent-1", "--as", "王律师")
    assert code == 0 and "已由 王律师 审核（第 3 版）" in out
    code, out, _ = run(dbfile, "publish", "rent-1", "--by", "王律师")
    assert code == 0 and "已发布" in out
    code, out, _ = run(dbfile, "archive", "rent-1", "--by", "陈律师")
    assert code == 0 and "已归档" in out
    code, out, _ = run(dbfile, "show", "rent-1", "--history")
    assert code == 0
    assert "应当退还押金。" in out and "按金唔退" in out
    assert "✓ 《民法典》第七百二十二条" in out
    assert "审核：王律师（" in out
    assert "共 5 版" in out
    for who in ("王律师", "小李", "陈律师"):
        assert who in out
    assert "改动：答案" in out and "改动：状态" in out
    history = out[out.index("共 5 版"):]
    assert "答案：可以要求退还。" in history  # the earlier answer is still readable
    assert history.index("可以要求退还。") < history.index("应当退还押金。")
    entry = FaqStore(open_database(dbfile)).get("rent-1")
    assert (entry.version, entry.status, entry.updated_by) == (5, "archived", "陈律师")
    assert entry.reviewed_by == "王律师"
    assert entry.alternates == ("押金不退", "按金唔退")


def test_edit_changes_only_the_given_fields(dbfile: Path) -> None:
    run(dbfile, "add", "--id", "a", "--question", "问", "--answer", "答", "--alternate", "甲",
        "--community", "xinhepu")
    code, _, err = run(dbfile, "edit", "a", "--category", "物业")
    assert code == 0, err
    entry = FaqStore(open_database(dbfile)).get("a")
    assert (entry.category, entry.alternates, entry.communities) == ("物业", ("甲",), ("xinhepu",))
    code, _, err = run(dbfile, "edit", "a")
    assert code == 1 and "--answer" in err


def test_publishing_a_bad_citation_is_refused_naming_it(dbfile: Path) -> None:
    run(dbfile, "add", "--id", "p", "--question", "问", "--answer", "答")
    run(dbfile, "edit", "p", "--legal-basis", "《物业管理条例》第七条")
    code, _, err = run(dbfile, "edit", "p", "--legal-basis", "治安管理处罚法第四十三条",
                       "--status", "published")
    assert code == 1
    assert "faq edit" in err and "治安管理处罚法" in err and "p" in err
    assert FaqStore(open_database(dbfile)).get("p").status == "draft"


def test_add_with_an_unknown_citation_fails(dbfile: Path) -> None:
    code, _, err = run(dbfile, "add", "--question", "问", "--answer", "答",
                       "--legal-basis", "民法典第1261条")
    assert code == 1 and "faq add" in err and "第一千二百六十一条" in err
    assert FaqStore(open_database(dbfile)).count() == 0


def test_add_without_question_names_the_field(dbfile: Path) -> None:
    code, _, err = run(dbfile, "add", "--answer", "答")
    assert code == 1 and "question" in err


def test_list_filters_and_missing_entries(dbfile: Path) -> None:
    run(dbfile, "add", "--id", "a", "--category", "租房", "--question", "租房问", "--answer", "答")
    run(dbfile, "add", "--id", "b", "--category", "物业", "--question", "物业问", "--answer", "答",
        "--legal-basis", "《物业管理条例》第七条")
    run(dbfile, "signoff", "b", "--as", "王律师")
    run(dbfile, "publish", "b")
    code, out, _ = run(dbfile, "list", "--status", "published")
    assert code == 0 and "物业问" in out and "租房问" not in out
    code, out, _ = run(dbfile, "list", "--unreviewed")
    assert code == 0 and "租房问" in out and "物业问" not in out and "共 1 条" in out
    code, out, _ = run(dbfile, "list", "--category", "租房")
    assert "租房问" in out and "共 1 条" in out
    code, out, _ = run(dbfile, "list", "--status", "archived")
    assert code == 0 and "没有" in out
    for command in ("show", "edit", "publish", "archive"):
        extra = ["--answer", "x"] if command == "edit" else []
        code, _, err = run(dbfile, command, "nope", *extra)
        assert code == 1 and "nope" in err, command


def test_by_defaults_to_someone(dbfile: Path) -> None:
    run(dbfile, "add", "--id", "a", "--question", "问", "--answer", "答")
    assert FaqStore(open_database(dbfile)).get("a").updated_by


def test_publish_is_refused_without_a_sign_off_or_a_citation_and_changes_nothing(
    dbfile: Path,
) -> None:
    run(dbfile, "add", "--id", "d", "--question", "被拘留了怎么办", "--answer", "答")
    code, out, err = run(dbfile, "publish", "d")
    assert code == 1 and out == ""
    assert "尚未经法律顾问审核" in err and "lawbot faq signoff d --as" in err
    assert "没有法律依据" in err
    code, _, err = run(dbfile, "signoff", "d", "--as", "王律师")
    assert code == 0, err
    code, _, err = run(dbfile, "publish", "d")
    assert code == 1 and "没有法律依据" in err and "尚未经法律顾问审核" not in err
    entry = FaqStore(open_database(dbfile)).get("d")
    assert (entry.status, entry.version) == ("draft", 2)
    code, _, err = run(dbfile, "add", "--id", "e", "--question", "问", "--answer", "答",
                       "--legal-basis", "《民法典》第七百二十二条", "--status", "published")
    assert code == 1 and "lawbot faq signoff" in err
    assert not FaqStore(open_database(dbfile)).exists("e")


@pytest.mark.parametrize("who", ["小李", "张三"])
def test_only_an_adviser_may_sign_off(dbfile: Path, who: str) -> None:
    run(dbfile, "add", "--id", "d", "--question", "问", "--answer", "答",
        "--legal-basis", "《民法典》第七百二十二条")
    code, out, err = run(dbfile, "signoff", "d", "--as", who)
    assert code == 1 and out == "" and f"「{who}」不是机构名单中的法律顾问" in err
    entry = FaqStore(open_database(dbfile)).get("d")
    assert (entry.version, entry.reviewed_by) == (1, None)


def test_an_answer_edit_clears_the_sign_off(dbfile: Path) -> None:
    run(dbfile, "add", "--id", "d", "--question", "问", "--answer", "答",
        "--legal-basis", "《民法典》第七百二十二条")
    run(dbfile, "signoff", "d", "--as", "王律师")
    code, out, _ = run(dbfile, "list", "--unreviewed")
    assert "没有" in out
    run(dbfile, "edit", "d", "--answer", "新答")
    code, out, _ = run(dbfile, "show", "d", "--history")
    assert "审核：尚未经法律顾问审核" in out and "审核已失效" in out
    code, _, err = run(dbfile, "publish", "d")
    assert code == 1 and "尚未经法律顾问审核" in err


def test_alternates_are_edited_one_at_a_time(dbfile: Path) -> None:
    run(dbfile, "add", "--id", "a", "--question", "问", "--answer", "答",
        "--alternate", "甲", "--alternate", "乙")
    code, _, err = run(dbfile, "edit", "a", "--add-alternate", "丙", "--remove-alternate", "甲")
    assert code == 0, err
    store = FaqStore(open_database(dbfile))
    assert store.get("a").alternates == ("乙", "丙")
    # replacing all needs saying so; a missing alternate is named; nothing changes either way
    code, _, err = run(dbfile, "edit", "a", "--alternate", "丁")
    assert code == 1 and "--replace-alternates" in err
    code, _, err = run(dbfile, "edit", "a", "--remove-alternate", "戊", "--answer", "改")
    assert code == 1 and "戊" in err
    entry = store.get("a")
    assert (entry.alternates, entry.answer, entry.version) == (("乙", "丙"), "答", 2)
    code, _, err = run(dbfile, "edit", "a", "--alternate", "丁", "--replace-alternates")
    assert code == 0, err
    assert store.get("a").alternates == ("丁",)


def test_adding_a_phrasing_a_published_entry_answers_warns_and_names_it(
    dbfile: Path,
) -> None:
    run(dbfile, "add", "--id", "deposit", "--question", "退租后房东不退押金怎么办",
        "--answer", "押金应当退还。", "--alternate", "房东不退押金",
        "--legal-basis", "《民法典》第七百二十二条")
    run(dbfile, "signoff", "deposit", "--as", "王律师")
    run(dbfile, "publish", "deposit")
    code, out, err = run(dbfile, "add", "--id", "again", "--question", "房东不退押金怎么办",
                         "--answer", "答", "--alternate", "离婚后孩子归谁")
    assert code == 0 and "again" in out
    assert "「房东不退押金怎么办」已能由已发布的条目 deposit 回答" in err
    assert "离婚后孩子归谁" not in err
    assert FaqStore(open_database(dbfile)).get("again").status == "draft"


def test_a_new_phrasing_another_entry_answers_is_saved_with_a_warning_naming_it(
    dbfile: Path,
) -> None:
    """Added to the wrong entry, a phrasing is still saved (the adviser decides), but the
    entry that already answers it is named."""
    for id, question, answer, basis in (
        ("deposit", "退租后房东不退押金怎么办", "押金应当退还。", "《民法典》第七百二十二条"),
        ("custody", "离婚后孩子归谁抚养", "以最有利于未成年子女为原则。",
         "《民法典》第一千零八十四条"),
    ):
        run(dbfile, "add", "--id", id, "--question", question, "--answer", answer,
            "--legal-basis", basis)
        run(dbfile, "signoff", id, "--as", "王律师")
        run(dbfile, "publish", id)
    code, _, err = run(dbfile, "edit", "custody", "--add-alternate", "房东不退押金怎么办",
                       "--add-alternate", "离婚了小孩跟谁")
    assert code == 0, err
    assert "「房东不退押金怎么办」已能由已发布的条目 deposit 回答" in err
    assert "离婚了小孩跟谁" not in err
    assert FaqStore(open_database(dbfile)).get("custody").alternates == (
        "房东不退押金怎么办", "离婚了小孩跟谁",
    )


def test_overlap_names_the_entry_whose_threshold_a_neighbours_phrasing_raises(
    dbfile: Path,
) -> None:
    code, out, err = run(dbfile, "overlap")
    assert code == 0, err
    assert out.startswith("没有被相近条目抬高回答阈值的条目")  # no published entry yet
    for id, question, alternate in (
        ("lift-vote", "加装电梯需要多少业主同意", "装电梯要几户签字"),
        ("lift-cost", "加装电梯的费用怎么分摊", "装电梯每户出多少钱"),
        ("deposit", "退租后房东不退押金怎么办", "房东扣押金不还"),
    ):
        run(dbfile, "add", "--id", id, "--question", question, "--answer", question + "：答。",
            "--alternate", alternate, "--legal-basis", "《民法典》第七百二十二条")
        run(dbfile, "signoff", id, "--as", "王律师")
        run(dbfile, "publish", id)
    code, out, err = run(dbfile, "overlap")
    assert code == 0, err
    assert "回答阈值被相近条目的问法抬高" in out
    rows = [line for line in out.splitlines() if line.startswith("  ")]
    assert rows and all(r.lstrip().startswith(("lift-vote", "lift-cost")) for r in rows)
    assert any("条目 lift-" in r and "的问法「" in r for r in rows)
    code, out, _ = run(dbfile, "overlap", "--limit", "1")
    assert len([line for line in out.splitlines() if line.startswith("  ")]) == 1
