"""`lawbot org import` and `lawbot org show` on a real database file."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from bot.app import open_database
from bot.cli import cli
from bot.desk.org import Organisation, load_demo

GOOD = """\
teams:
  - {id: dongshan, name: 东山街法律顾问团队, desk: {telegram: "-1001234567"}}
communities:
  - {code: xinhepu, name: 新河浦社区, street: 东山街, team: dongshan}
people:
  - {name: 王律师, role: adviser, team: dongshan, telegram: "123456789", backup: 小李}
  - {name: 小李, role: volunteer, team: dongshan, matrix: "@li:example.org"}
roster:
  - {person: 王律师, days: [mon-fri], hours: "09:00-18:00"}
  - {person: 小李, days: [fri], hours: "22:00-06:00"}
"""


def write(tmp_path: Path, text: str, name: str = "org.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_prints_counts_in_chinese(tmp_path: Path, db_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["org", "import", str(write(tmp_path, GOOD)), "--db", str(db_path)]
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (
        "已导入组织架构：团队 1 个，社区 1 个，人员 2 人，值班安排 2 条。"
    )
    db = open_database(db_path)
    assert list(Organisation.load(db).people) == ["王律师", "小李"]
    db.close()


def test_import_lists_every_error_and_imports_nothing(tmp_path: Path, db_path: Path) -> None:
    bad = GOOD.replace('hours: "09:00-18:00"', 'hours: "9-18"').replace(
        "team: dongshan, matrix", "team: nowhere, matrix"
    )
    result = CliRunner().invoke(
        cli, ["org", "import", str(write(tmp_path, bad)), "--db", str(db_path)]
    )
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[0] == "组织文件有 2 处错误，未导入任何内容："
    assert lines[1].startswith("people 第 7 行 team：未知团队 nowhere")
    assert lines[2].startswith("roster 第 9 行 hours：")
    db = open_database(db_path)
    assert Organisation.load(db).teams == {}
    db.close()


def test_import_of_a_missing_file_fails_with_a_message(tmp_path: Path, db_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["org", "import", str(tmp_path / "nope.yaml"), "--db", str(db_path)]
    )
    assert result.exit_code == 1
    assert "找不到组织文件" in result.output


def test_show_lists_the_organisation_and_who_is_on_duty(tmp_path: Path, db_path: Path) -> None:
    runner = CliRunner()
    runner.invoke(cli, ["org", "import", str(write(tmp_path, GOOD)), "--db", str(db_path)])
    saturday_3 = runner.invoke(
        cli, ["org", "show", "--db", str(db_path), "--at", "2026-12-05T03:00"]
    )
    assert saturday_3.exit_code == 0, saturday_3.output
    out = saturday_3.output
    assert "dongshan  东山街法律顾问团队  值班台：telegram:-1001234567" in out
    assert "xinhepu  新河浦社区  → 团队 dongshan" in out
    assert "王律师  法律顾问  团队 dongshan  telegram:123456789  备岗：小李" in out
    assert "小李  周五  22:00-06:00" in out
    assert "当前值班（12月5日 周六 03:00 Asia/Shanghai）" in out
    assert out.rstrip().endswith("东山街法律顾问团队：小李")
    sunday = runner.invoke(cli, ["org", "show", "--db", str(db_path), "--at", "2026-12-06T12:00"])
    assert sunday.output.rstrip().endswith(
        "东山街法律顾问团队：无人值班，下一班 12月7日 周一 09:00 王律师"
    )


def test_show_on_an_empty_database_says_how_to_load_one(db_path: Path) -> None:
    result = CliRunner().invoke(cli, ["org", "show", "--db", str(db_path)])
    assert result.exit_code == 0
    assert "lawbot org import" in result.output


def test_show_demo_org_everyone_on_duty(db_path: Path) -> None:
    db = open_database(db_path)
    load_demo(db)
    db.close()
    result = CliRunner().invoke(cli, ["org", "show", "--db", str(db_path)])
    assert "\n  东山街法律顾问团队：王律师、小李\n" in result.output
    assert "王律师  法律顾问  团队 dongshan  仅终端" in result.output
    assert "张律师  法律顾问  团队 zhuanjia  仅终端  专长：劳动、工伤" in result.output
    assert "专家库\n  laodong  区劳动法专家库  成员：张律师\n" in result.output
