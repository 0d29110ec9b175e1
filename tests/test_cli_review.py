"""`lawbot review` lists in a terminal the questions that needed people, as /review does."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from click.testing import CliRunner
from fakes import msg

from bot.app import build_service, open_database
from bot.cli import cli
from bot.clock import system_now
from bot.desk.org import load_demo
from knowledge.faq import FaqEntry, FaqStore
from knowledge.laws import LawStore

REPAIR = FaqEntry(
    id="rent-repair", category="租赁", question="租的房子坏了谁负责维修",
    answer="出租人应当履行租赁物的维修义务。", legal_basis=("《民法典》第七百一十二条",),
    status="published",
)


def test_review_lists_recent_escalated_questions(db_path: Path, laws_jsonl: Path) -> None:
    db = open_database(db_path)
    load_demo(db)
    laws = LawStore(db)
    laws.import_jsonl(laws_jsonl)
    FaqStore(db, laws).add(REPAIR, by="导入")
    service = build_service(db, ZoneInfo("Asia/Shanghai"))
    now = system_now()  # the command reads the real clock
    for who, question, ago in (("r1", "热水器坏了让我自己出钱", 1), ("r2", "灶台坏了房东不修", 72)):
        at = now - timedelta(hours=ago)
        service.handle(msg("/start xinhepu", who=who), at)
        service.handle(msg(question, who=who), at)
    db.close()

    out = CliRunner().invoke(cli, ["review", "--db", str(db_path)])
    assert out.exit_code == 0, out.output
    assert out.output.startswith("最近 7 天需要人工处理的提问")
    assert "未能回答：热水器坏了让我自己出钱\n   最接近的条目：rent-repair" in out.output
    assert "灶台坏了房东不修" in out.output
    recent = CliRunner().invoke(cli, ["review", "--days", "1", "--db", str(db_path)])
    assert "热水器" in recent.output and "灶台" not in recent.output

    # the hint names a command of this terminal, and following it works
    assert "/faq altq" not in out.output
    assert 'lawbot faq edit 条目号 --add-alternate "提问原文"' in out.output
    follow = CliRunner().invoke(cli, [
        "faq", "edit", "rent-repair", "--add-alternate", "热水器坏了让我自己出钱",
        "--by", "王律师", "--db", str(db_path),
    ])
    assert follow.exit_code == 0, follow.output
    db = open_database(db_path)
    assert FaqStore(db).get("rent-repair").alternates == ("热水器坏了让我自己出钱",)
    db.close()


def test_review_of_an_empty_database(db_path: Path) -> None:
    out = CliRunner().invoke(cli, ["review", "--db", str(db_path)])
    assert out.exit_code == 0, out.output
    assert out.output.strip() == "最近 7 天没有需要整理的提问。"
    bad = CliRunner().invoke(cli, ["review", "--days", "0", "--db", str(db_path)])
    assert bad.exit_code == 2
