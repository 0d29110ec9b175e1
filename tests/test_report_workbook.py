"""`lawbot report`: every community, the five service types, bot figures, three native charts."""

from __future__ import annotations

import csv
import json
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import sqlite_utils
from click.testing import CliRunner
from fakes import T0, ScriptedIndex, entry, load_org, msg

from bot.app import build_service, open_database
from bot.cli import cli
from bot.report import build, write_xlsx
from bot.stats import report as stats_report
from bot.worklog import WorkLog
from knowledge.faq import FaqStore

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOV = T0 - timedelta(days=20)  # 2026-11-11, local 10:00


def fill(db: sqlite_utils.Database) -> None:
    """Two months of questions, tickets, ratings and work-log rows in three communities."""
    load_org(db)
    FaqStore(db).add(entry("deposit", "押金", "可以起诉。", category="租赁"), by="t")
    FaqStore(db).add(entry("noise", "噪音", "找物业。", category="相邻关系"), by="t")
    index = ScriptedIndex()
    index.answer("押金", "deposit")
    index.suggest("邻居", ("noise", "噪音"))
    service = build_service(db, SHANGHAI, index)
    for who, place in (("a", "xinhepu"), ("b", "xinhepu"), ("c", "beijinglu")):
        service.handle(msg(f"/start {place}", who=who), NOV)
    service.handle(msg("/start xinhepu", who="a", channel="matrix", chat="a"), NOV)
    service.handle(msg("押金不退", who="a"), NOV)
    service.handle(msg("邻居每天半夜吵得我睡不着", who="a", channel="matrix", chat="a"), NOV)
    service.handle(msg("公司拖欠了我整整三个月的工资", who="b"), NOV)  # ticket 1
    service.desk_command("小李", "/reply 1 申请仲裁", NOV + timedelta(minutes=10))
    service.handle(msg("/rate t1 5", who="b"), NOV + timedelta(minutes=20))
    service.handle(msg("押金", who="a"), T0)
    service.handle(msg("他威胁我", who="c"), T0)  # urgent ticket 2
    service.desk_command("赵律师", "/reply 2 请报警", T0 + timedelta(minutes=50))
    service.desk_command("赵律师", "/close 2", T0 + timedelta(minutes=60))
    log = WorkLog(db)
    for kind, place, day, count in (
        ("现场咨询", "xinhepu", date(2026, 11, 3), 4),
        ("电话咨询", "beijinglu", date(2026, 12, 2), 2),
        ("法律意见书", "xinhepu", date(2026, 12, 3), 1),
        ("人民调解", "beijinglu", date(2026, 11, 9), 1),
        ("法治宣传", "xinhepu", date(2026, 11, 20), 60),
        ("法治宣传", "beijinglu", date(2026, 12, 20), 40),
        ("法律援助转介", "beijinglu", date(2026, 12, 21), 1),
        ("现场咨询", "xinhepu", date(2027, 1, 2), 9),  # outside the period
    ):
        log.add({"type": kind, "community": place, "date": day, "count": count,
                 "minutes": 30}, "t", T0)
    log.log_ticket(2, None, 15, SHANGHAI, T0)  # already one of the bot's questions


@pytest.fixture
def filled(db: sqlite_utils.Database) -> sqlite_utils.Database:
    fill(db)
    return db


def rows_by(report: list[dict[str, object]], key: str) -> dict[object, dict[str, object]]:
    return {row[key]: row for row in report}


def test_every_community_street_and_total(filled: sqlite_utils.Database) -> None:
    r = build(filled, SHANGHAI, date(2026, 11, 1), date(2026, 12, 1))
    summary = rows_by(r.summary, "community")
    assert [row["community"] for row in r.summary] == [
        "新河浦社区", "东园新村社区", "东山街 合计", "北京路社区", "北京街 合计", "全区合计"]
    x, quiet, bj = summary["新河浦社区"], summary["东园新村社区"], summary["北京路社区"]
    assert (x["onsite"], x["questions"], x["consultations"]) == (4, 4, 8)
    assert (x["opinions"], x["publicity"], x["publicity_people"]) == (1, 1, 60)
    assert (bj["phone"], bj["mediations"], bj["legal_aid"], bj["consultations"]) == (2, 1, 1, 3)
    assert all(quiet[k] == 0 for k in ("consultations", "questions", "tickets", "publicity"))
    assert quiet["mean_reply"] is None and quiet["satisfaction"] is None
    total = summary["全区合计"]
    assert (total["consultations"], total["questions"], total["urgent"]) == (11, 5, 1)
    assert (total["tickets"], total["mean_reply"], total["median_reply"]) == (2, 30.0, 30.0)
    assert (total["rated"], total["satisfaction"]) == (1, 1.0)
    assert total["hours"] == 3.5  # seven rows of 30 minutes inside the period


def test_bot_figures_agree_with_lawbot_stats(filled: sqlite_utils.Database) -> None:
    r = build(filled, SHANGHAI, date(2026, 11, 1), date(2026, 12, 1))
    total = rows_by(r.summary, "community")["全区合计"]
    s = stats_report(filled, SHANGHAI, date(2026, 11, 1), date(2026, 12, 31))
    assert (total["questions"], total["answered"], total["suggested"], total["escalated"]) == (
        s.total.consultations, s.total.answered, s.total.suggested, s.total.escalated)
    assert (total["tickets"], total["median_reply"]) == (s.tickets, s.median_first_reply_minutes)


def test_months_are_stacked_by_channel(filled: sqlite_utils.Database) -> None:
    r = build(filled, SHANGHAI, date(2026, 11, 1), date(2026, 12, 1))
    assert r.channels == ("onsite", "phone", "telegram", "matrix")
    nov, dec = r.months
    assert (nov["month"], nov["onsite"], nov["telegram"], nov["matrix"]) == ("2026-11", 4, 2, 1)
    assert (dec["phone"], dec["telegram"], dec["consultations"]) == (2, 2, 4)
    assert nov["answered_share"] == round(1 / 3, 4)
    categories = rows_by(r.categories, "category")
    assert categories["租赁"]["answered"] == 2


def test_the_workbook_has_four_sheets_three_charts_and_numbers(
    filled: sqlite_utils.Database, tmp_path: Path
) -> None:
    out = tmp_path / "报表.xlsx"
    write_xlsx(build(filled, SHANGHAI, date(2026, 11, 1), date(2026, 12, 1)), out, T0)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["汇总", "按月", "按类别", "说明"]
    summary, months, categories = book["汇总"], book["按月"], book["按类别"]
    assert (summary.freeze_panes, months.freeze_panes, categories.freeze_panes) == (
        "C2", "B2", "A2")
    assert summary["A1"].value == "街道" and summary["C1"].value == "法律咨询(人次)"
    assert [summary.cell(row=r, column=2).value for r in range(2, 8)] == [
        "新河浦社区", "东园新村社区", "东山街 合计", "北京路社区", "北京街 合计", "全区合计"]
    assert summary["C2"].value == 8 and isinstance(summary["C2"].value, int)
    assert summary["V7"].value == 1.0 and summary["V7"].number_format == "0.0%"
    assert summary.column_dimensions["B"].width >= 12
    charts = months._charts + categories._charts  # type: ignore[attr-defined]
    assert len(charts) == 3
    assert [type(c).__name__ for c in charts] == ["BarChart", "LineChart", "BarChart"]
    assert charts[0].grouping == "stacked"


def test_cli_writes_xlsx_csv_and_json(filled: sqlite_utils.Database, tmp_path: Path) -> None:
    path = tmp_path / "lawbot.db"
    file_db = open_database(path)
    filled.conn.backup(file_db.conn)
    file_db.close()
    base = ["report", "--month", "2026-11", "--to", "2026-12", "--db", str(path)]
    out = CliRunner().invoke(cli, [*base, "--out", str(tmp_path / "r.xlsx")])
    assert out.exit_code == 0, out.output
    assert "3 个社区" in out.output and (tmp_path / "r.xlsx").exists()
    out = CliRunner().invoke(cli, [*base, "--out", str(tmp_path / "r.csv"), "--format", "csv"])
    assert out.exit_code == 0, out.output
    with (tmp_path / "r.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    assert rows[0][:3] == ["街道", "社区", "法律咨询(人次)"] and len(rows) == 7
    assert (tmp_path / "r-按月.csv").exists() and (tmp_path / "r-按类别.csv").exists()
    out = CliRunner().invoke(cli, [*base, "--json"])
    data = json.loads(out.stdout)
    assert data["from"] == "2026-11-01" and data["to"] == "2026-12-31"
    assert data["summary"][-1]["consultations"] == 11


def test_bad_months_are_refused(db_path: Path, tmp_path: Path) -> None:
    target = str(tmp_path / "x.xlsx")
    out = CliRunner().invoke(cli, ["report", "--month", "2026/11", "--out", target,
                                   "--db", str(db_path)])
    assert out.exit_code == 1 and "YYYY-MM" in out.output
    out = CliRunner().invoke(cli, ["report", "--month", "2026-11", "--to", "2026-10", "--out",
                                   str(tmp_path / "x.xlsx"), "--db", str(db_path)])
    assert out.exit_code == 1 and "早于" in out.output
    assert not (tmp_path / "x.xlsx").exists()
