"""The work log (台账): rows validated one by one, imported all or nothing, tickets in one step."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import sqlite_utils
from click.testing import CliRunner
from fakes import T0, ScriptedIndex, load_org, msg

from bot.app import build_service, open_database
from bot.cli import cli
from bot.worklog import LogImportFailed, TicketNotLoggable, WorkLog

SHANGHAI = ZoneInfo("Asia/Shanghai")
HEADER = ["type", "community", "date", "count", "note", "person", "minutes"]


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in [HEADER, *rows]:
        sheet.append(row)
    workbook.save(path)
    return path


def log_rows(db: sqlite_utils.Database) -> list[tuple[object, ...]]:
    return [tuple(r) for r in db.execute("SELECT * FROM work_log ORDER BY id").fetchall()]


def test_a_good_sheet_is_imported_with_names_dates_and_counts(
    db: sqlite_utils.Database, tmp_path: Path
) -> None:
    load_org(db)
    path = write_xlsx(tmp_path / "台账.xlsx", [
        ["现场咨询", "xinhepu", datetime(2026, 11, 3), 3, "租房押金", "王律师", 90],
        ["法治宣传", "北京路社区", "2026/11/20", 45, "民法典进社区", "", None],
        ["人民调解", "dongyuan", "2026-11-21", None, "邻里噪音", None, "30"],
    ])
    assert WorkLog(db).import_file(path, "admin", T0) == 3
    entries = WorkLog(db).list()
    assert [(e.type, e.community, e.day, e.count, e.minutes) for e in entries] == [
        ("现场咨询", "xinhepu", date(2026, 11, 3), 3, 90),
        ("法治宣传", "beijinglu", date(2026, 11, 20), 45, None),
        ("人民调解", "dongyuan", date(2026, 11, 21), 1, 30),
    ]
    assert WorkLog(db).list(date(2026, 11, 20), date(2026, 11, 20))[0].note == "民法典进社区"


def test_one_bad_row_imports_nothing_and_is_named(
    db: sqlite_utils.Database, tmp_path: Path
) -> None:
    load_org(db)
    path = tmp_path / "台账.csv"
    path.write_text(
        "type,community,date,count,note\n"
        "电话咨询,xinhepu,2026-11-02,1,工资\n"
        "上门喝茶,xinhepu,2026-11-31,-2,聊天\n"
        "法律意见书,nowhere,2026-11-05,1,合同审查\n",
        encoding="utf-8-sig",
    )
    with pytest.raises(LogImportFailed) as failed:
        WorkLog(db).import_file(path, "admin", T0)
    where = [(e.row, e.field) for e in failed.value.errors]
    assert where == [(3, "type"), (3, "date"), (3, "count"), (4, "community")]
    assert "第 3 行 [类型(type)]" in str(failed.value) and "上门喝茶" in str(failed.value)
    assert log_rows(db) == []


def test_a_missing_column_is_named_in_the_header_row(
    db: sqlite_utils.Database, tmp_path: Path
) -> None:
    load_org(db)
    path = tmp_path / "log.csv"
    path.write_text("type,community,date,note\n现场咨询,xinhepu,2026-11-02,x\n", encoding="utf-8")
    with pytest.raises(LogImportFailed) as failed:
        WorkLog(db).import_file(path, "admin", T0)
    assert [(e.row, e.field) for e in failed.value.errors] == [(1, "count")]
    assert log_rows(db) == []


def test_cli_import_refuses_a_bad_sheet_and_changes_nothing(db_path: Path, tmp_path: Path) -> None:
    db = open_database(db_path)
    load_org(db)
    db.close()
    bad = write_xlsx(tmp_path / "bad.xlsx", [
        ["现场咨询", "xinhepu", "2026-11-03", 2, "押金"],
        ["现场咨询", "xinhepu", "昨天", 2, "押金"],
    ])
    out = CliRunner().invoke(cli, ["log", "import", str(bad), "--db", str(db_path)])
    assert out.exit_code == 1 and "第 3 行 [日期(date)]" in out.output and "昨天" in out.output
    db = open_database(db_path)
    assert log_rows(db) == []
    db.close()
    good = write_xlsx(tmp_path / "good.xlsx", [["法律援助转介", "xinhepu", "2026-11-03", 1, ""]])
    out = CliRunner().invoke(cli, ["log", "import", str(good), "--db", str(db_path)])
    assert out.exit_code == 0 and "已导入台账 1 条" in out.output
    out = CliRunner().invoke(cli, ["log", "list", "--db", str(db_path)])
    assert "新河浦社区" in out.output and "法律援助转介" in out.output


def test_cli_add_validates_like_the_importer(db_path: Path) -> None:
    db = open_database(db_path)
    load_org(db)
    db.close()
    base = ["log", "add", "--type", "人民调解", "--db", str(db_path)]
    out = CliRunner().invoke(cli, [*base, "--community", "xinhepu", "--count", "x"])
    assert out.exit_code == 1 and "次数/人数(count)" in out.output
    out = CliRunner().invoke(cli, [*base, "--community", "新河浦社区", "--date", "2026-11-09",
                                   "--minutes", "40", "--as", "王律师", "--note", "楼道堆物"])
    assert out.exit_code == 0, out.output
    db = open_database(db_path)
    (entry,) = WorkLog(db).list()
    db.close()
    assert (entry.community, entry.day, entry.minutes, entry.person) == (
        "xinhepu", date(2026, 11, 9), 40, "王律师")


def test_a_closed_ticket_is_logged_once_as_an_online_consultation(
    db: sqlite_utils.Database,
) -> None:
    load_org(db)
    service = build_service(db, SHANGHAI, ScriptedIndex())
    service.handle(msg("/start xinhepu"), T0)
    service.handle(msg("公司拖欠了我整整三个月的工资"), T0)
    log = WorkLog(db)
    with pytest.raises(TicketNotLoggable, match="还没有关闭"):
        log.log_ticket(1, "小李", None, SHANGHAI, T0)
    with pytest.raises(TicketNotLoggable, match="没有编号为 9"):
        log.log_ticket(9, "小李", None, SHANGHAI, T0)
    assert log_rows(db) == []
    service.desk_command("小李", "/reply 1 申请劳动仲裁", T0 + timedelta(minutes=5))
    service.desk_command("小李", "/close 1", T0 + timedelta(hours=15))  # 01:00 next day, local
    entry = log.log_ticket(1, None, 20, SHANGHAI, T0)
    assert (entry.type, entry.community, entry.day, entry.ticket_id, entry.minutes) == (
        "网上咨询", "xinhepu", date(2026, 12, 2), 1, 20)
    assert entry.person == "小李"  # the assignee when nobody is named
    with pytest.raises(TicketNotLoggable, match="已记入台账"):
        log.log_ticket(1, "王律师", None, SHANGHAI, T0)
    assert len(log_rows(db)) == 1
