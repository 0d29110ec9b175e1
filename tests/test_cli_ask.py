"""`lawbot ask` and `lawbot eval` exactly per DESIGN.md."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.app import open_database
from bot.cli import cli
from knowledge.faq import FaqEntry, FaqStore

ENTRIES = [
    ("deposit", "退租后房东不退押金怎么办", ("房东扣押金不还",)),
    ("wages", "老板拖欠工资不发怎么办", ("欠薪三个月",)),
    ("custody", "离婚后孩子的抚养权归谁", ("离婚小孩跟谁",)),
    ("loan", "朋友借钱不还借条有效吗", ()),
]


@pytest.fixture
def faq_db(db_path: Path) -> Path:
    db = open_database(db_path)
    store = FaqStore(db)
    for id, question, alternates in ENTRIES:
        store.add(
            FaqEntry(
                id=id,
                category="测试",
                question=question,
                answer=question + "：解答。",
                alternates=alternates,
                status="published",
            ),
            by="王律师",
        )
    db.close()
    return db_path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_ask_json_shape(faq_db: Path) -> None:
    code, out = run("ask", "房东不退押金", "--json", "--db", str(faq_db))
    assert code == 0, out
    data = json.loads(out)
    assert set(data) == {"decision", "top"}
    assert data["decision"] == "answer"
    assert data["top"][0] == {
        "id": "deposit",
        "score": data["top"][0]["score"],
        "question": "退租后房东不退押金怎么办",
    }
    assert all(set(c) == {"id", "score", "question"} for c in data["top"])


def test_ask_explains_in_chinese(faq_db: Path) -> None:
    code, out = run("ask", "房東唔退按金", "--db", str(faq_db))
    assert code == 0, out
    assert "判定：直接回答" in out
    assert "[deposit]" in out
    assert "共同词语：房东" in out
    assert "排序分" in out and "判定分" in out  # each candidate's two scores, explained


def test_ask_with_community_and_env_db(faq_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LAWBOT_DB", str(faq_db))
    code, out = run("ask", "今天天气很好", "--community", "xinhepu", "--json")
    assert code == 0, out
    assert json.loads(out)["decision"] == "escalate"


def test_ask_missing_database_says_what_to_do(tmp_path: Path) -> None:
    code, out = run("ask", "押金", "--db", str(tmp_path / "none.db"))
    assert code == 1
    assert "lawbot init" in out


def test_eval_prints_metrics_and_writes_lines(faq_db: Path, tmp_path: Path) -> None:
    questions = tmp_path / "q.jsonl"
    rows = [
        {"question": "房东不退押金", "expected": "deposit"},
        {"question": "工资拖欠三个月", "expected": "wages"},
        {"question": "明天去北京的火车票", "expected": None},
    ]
    questions.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n\n", encoding="utf-8"
    )
    out = tmp_path / "out.jsonl"
    code, text = run("eval", str(questions), "--json", str(out), "--db", str(faq_db))
    assert code == 0, text
    assert "知识库覆盖的问题（expected 不为空）：2 个问题" in text
    assert "知识库未覆盖的问题（expected 为空）：1 个问题" in text
    for title in (
        "top-1 命中率",
        "top-3 命中率",
        "MRR",
        "直接回答且正确",
        "直接回答但错误",
        "给出候选",
        "转人工",
    ):
        assert title in text
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["question"] for line in lines] == [r["question"] for r in rows]
    assert [line["expected"] for line in lines] == ["deposit", "wages", None]
    for line in lines:
        assert set(line) == {"question", "expected", "decision", "top"}
        assert len(line["top"]) >= 3
        assert all(set(c) == {"id", "score"} for c in line["top"])
    assert lines[0]["top"][0]["id"] == "deposit"
    assert lines[2]["decision"] == "escalate"


def test_eval_names_the_bad_line(faq_db: Path, tmp_path: Path) -> None:
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        '{"question": "押金", "expected": "deposit"}\nnot json\n', encoding="utf-8"
    )
    code, out = run("eval", str(questions), "--db", str(faq_db))
    assert code == 1
    assert "第 2 行" in out


def test_ask_and_eval_are_in_the_help() -> None:
    code, out = run("--help")
    assert code == 0
    assert "ask" in out and "eval" in out


def test_every_rule_the_matcher_can_give_has_a_chinese_label() -> None:
    import re
    from pathlib import Path

    from bot.texts import matcher as texts

    matcher_dir = Path(__file__).resolve().parent.parent / "matcher"
    source = "".join(p.read_text(encoding="utf-8") for p in matcher_dir.glob("*.py"))
    verdicts = re.findall(r'Verdict\(\s*"(?:answer|suggest|escalate)",\s*"([a-z_]+)"', source)
    named = re.findall(r'rule="([a-z_]+)"', source)
    codes = set(verdicts) | set(named)
    assert {"confident", "low", "low_coverage", "no_entries"} <= codes
    assert sorted(code for code in codes if not texts.RULES.get(code)) == []


def test_ask_explains_unknown_words_domain_signal_and_calibrated_threshold(faq_db: Path) -> None:
    code, out = run("ask", "2型糖尿病是否可停食降糖药？", "--db", str(faq_db))
    assert code == 0, out
    assert out.startswith("判定：转人工")
    assert "知识库从未用过的词：" in out and "降糖药" in out
    assert "法律相关词语：（无）（法律领域信号 0%" in out
    assert "第一名条目的回答阈值：判定分 " in out and "本库最低回答阈值" in out
    code, out = run("ask", "房东扣押金不还", "--db", str(faq_db))
    assert "判定：直接回答" in out
    assert "法律相关词语：房东" in out
    assert "知识库从未用过的词：（无）" in out


def test_ask_with_no_published_entry_shows_no_threshold(db_path: Path) -> None:
    """No entry applies: the adviser is told so, and no meaningless 0.000 threshold is shown."""
    open_database(db_path).close()
    code, out = run("ask", "房东不退押金", "--db", str(db_path))
    assert code == 0, out
    assert out.startswith("判定：转人工（该社区没有适用的已发布问答）")
    assert "回答阈值" not in out


def test_ask_names_the_neighbours_phrasing_that_raised_the_threshold(db_path: Path) -> None:
    db = open_database(db_path)
    store = FaqStore(db)
    for id, question, alternates in (
        ("lift-vote", "加装电梯需要多少业主同意", ("装电梯要几户签字",)),
        ("lift-cost", "加装电梯的费用怎么分摊", ("装电梯每户出多少钱",)),
    ):
        store.add(FaqEntry(id=id, category="电梯", question=question, answer=question + "：答。",
                           alternates=alternates, status="published"), by="王律师")
    db.close()
    code, out = run("ask", "加装电梯要多少户同意", "--db", str(db_path))
    assert code == 0, out
    assert "1. [lift-vote]" in out
    assert "这个阈值由相近条目 lift-cost 的问法「" in out


def test_ask_lists_the_law_s_words_the_best_entry_lacks_but_not_story_words(faq_db: Path) -> None:
    """现役军人 is a statute word the deposit entry lacks: it lowers coverage and is named;
    跺脚 is the resident's story and is neither counted nor named."""
    code, out = run("ask", "房东不退押金，我是现役军人，气得跺脚", "--db", str(faq_db))
    assert code == 0, out
    assert "1. [deposit]" in out
    line = next(x for x in out.splitlines() if x.startswith("第一名条目含有问题要点的"))
    missing = line.split("条目里没有的词：")[1].split(" / ")
    assert missing[0] == "现役军人" and "跺脚" not in missing
    assert "达到 65% 才直接回答" in line
    assert "判定：给出候选问题" in out  # and the list's own rule is said
    assert "候选只列出：第一名，以及判定分达到第一名的 70%、不低于给出候选阈值、" in out
    assert "并含有问题要点 50% 以上的条目；居民最多看到前 3 个" in out
    code, out = run("ask", "房东不退押金", "--db", str(faq_db))
    assert "第一名条目含有问题要点的 100%" in out and "条目里没有的词：（无）" in out
    assert "判定：直接回答" in out and "候选只列出" not in out
