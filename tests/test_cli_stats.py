"""`lawbot stats` prints the programme's figures as a Chinese table."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from click.testing import CliRunner
from fakes import T0, ScriptedIndex, msg

from bot.app import build_service, open_database
from bot.cli import cli
from bot.desk.org import load_demo


def test_stats_table(db_path: Path) -> None:
    db = open_database(db_path)
    load_demo(db)
    service = build_service(db, ZoneInfo("Asia/Shanghai"), ScriptedIndex())
    service.handle(msg("/start xinhepu"), T0)
    service.handle(msg("公司拖欠了我整整三个月的工资"), T0)
    db.close()
    out = CliRunner().invoke(cli, ["stats", "--from", "2026-12-01", "--to", "2026-12-01",
                                   "--community", "xinhepu", "--db", str(db_path)])
    assert out.exit_code == 0, out.output
    assert "咨询统计（2026-12-01 至 2026-12-01，社区：新河浦社区）" in out.output
    assert "咨询总数" in out.output and "转人工" in out.output
    assert "按社区" in out.output and "新河浦社区  1" in out.output
    assert "首次人工答复用时中位数" in out.output and "首次人工答复平均用时" in out.output
    assert "东园新村社区" not in out.output  # one community asked for, one listed


def test_every_community_and_every_rating_path(db_path: Path) -> None:
    db = open_database(db_path)
    load_demo(db)
    service = build_service(db, ZoneInfo("Asia/Shanghai"), ScriptedIndex())
    service.handle(msg("/start xinhepu"), T0)
    service.handle(msg("公司拖欠了我三个月的工资，老板一直拖着不给"), T0)
    service.desk_command("小李", "/reply 1 申请仲裁", T0 + timedelta(minutes=10))
    service.handle(msg("/rate t1 5"), T0 + timedelta(minutes=20))
    db.close()
    out = CliRunner().invoke(cli, ["stats", "--db", str(db_path)])
    assert out.exit_code == 0, out.output
    assert "新河浦社区    1" in out.output and "东园新村社区  0" in out.output
    assert "1 / 0 / 1" in out.output  # the 5-star ticket rating is counted as satisfied
    assert re.search(r"首次人工答复平均用时\s+10 分钟", out.output)


def test_bad_dates_are_refused(db_path: Path) -> None:
    out = CliRunner().invoke(cli, ["stats", "--from", "12/01", "--db", str(db_path)])
    assert out.exit_code == 1 and "YYYY-MM-DD" in out.output
