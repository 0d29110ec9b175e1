"""`lawbot staff passwd` and the demo passwords of `lawbot init --demo`, on real SQLite files."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result
from fakes import T0

from bot.accounts import DEMO_PASSWORD, Accounts
from bot.app import open_database
from bot.cli.base import cli
from bot.texts import desk as dt


def run(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=stdin, env={"LAWBOT_LAWS": "/nonexistent"})


def test_init_demo_gives_the_demo_people_a_password_and_prints_it(db_path: Path) -> None:
    result = run("init", "--demo", "--empty", "--db", str(db_path))
    assert result.exit_code == 0, result.output
    assert DEMO_PASSWORD in result.output and "王律师、小李、张律师、管理员" in result.output
    accounts = Accounts(open_database(db_path))
    for name in ("王律师", "小李", dt.ADMIN):
        assert accounts.login(name, DEMO_PASSWORD, T0) is not None


def test_passwd_sets_a_hash_ends_sessions_and_a_second_init_keeps_it(db_path: Path) -> None:
    run("init", "--demo", "--empty", "--db", str(db_path))
    db = open_database(db_path)
    session = Accounts(db).login("小李", DEMO_PASSWORD, T0)
    assert session is not None
    result = run("staff", "passwd", "小李", "--password-stdin", "--db", str(db_path),
                 stdin="a-new-password\n")
    assert result.exit_code == 0, result.output
    stored = db.execute("SELECT hash FROM staff_passwords WHERE name = '小李'").fetchone()[0]
    assert stored.startswith("scrypt$") and "a-new-password" not in stored
    accounts = Accounts(db)
    assert accounts.session(session.token, T0) is None
    assert accounts.login("小李", DEMO_PASSWORD, T0) is None
    run("init", "--demo", "--empty", "--db", str(db_path))
    assert accounts.login("小李", "a-new-password", T0) is not None


def test_passwd_refuses_a_short_password_and_a_stranger_changing_nothing(db_path: Path) -> None:
    run("init", "--demo", "--empty", "--db", str(db_path))
    db = open_database(db_path)
    before = [tuple(r) for r in db.execute("SELECT * FROM staff_passwords ORDER BY name")]
    short = run("staff", "passwd", "小李", "--password-stdin", "--db", str(db_path),
                stdin="short\n")
    assert short.exit_code == 1 and "至少 8 个字符" in short.output
    stranger = run("staff", "passwd", "张三", "--password-stdin", "--db", str(db_path),
                   stdin="long-enough-password\n")
    assert stranger.exit_code == 1 and "张三" in stranger.output
    assert [tuple(r) for r in db.execute("SELECT * FROM staff_passwords ORDER BY name")] == before


def test_passwd_without_a_database_says_so(tmp_path: Path) -> None:
    result = run("staff", "passwd", "小李", "--db", str(tmp_path / "none.db"))
    assert result.exit_code == 1 and "lawbot init" in result.output
