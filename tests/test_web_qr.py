"""`lawbot qr`: a QR code PNG and an A4 poster per community, from the organisation file."""

from __future__ import annotations

import io
from pathlib import Path

import segno
from click.testing import CliRunner
from fakes import load_org

from bot.app import open_database
from bot.cli import cli
from bot.cli.qr import team_hours
from bot.desk.org import Organisation
from bot.texts import cli as ct


def org_db(path: Path) -> Path:
    db = open_database(path)
    load_org(db)
    db.close()
    return path


def test_each_community_gets_a_qr_code_of_its_chat_url_and_a_poster(tmp_path: Path) -> None:
    db = org_db(tmp_path / "lawbot.db")
    out = tmp_path / "posters"
    result = CliRunner().invoke(
        cli, ["qr", "--base-url", "https://fl.example.gov.cn/", "--out", str(out), "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    assert ct.QR_WRITTEN.format(count=3, out=out) in result.output
    for code in ("xinhepu", "dongyuan", "beijinglu"):
        expected = io.BytesIO()
        segno.make_qr(f"https://fl.example.gov.cn/c/{code}", error="m").save(
            expected, kind="png", scale=12, border=4
        )
        assert (out / f"{code}.png").read_bytes() == expected.getvalue()  # encodes that URL
    poster = (out / "xinhepu.html").read_text(encoding="utf-8")
    for text in ("新河浦社区", "扫码咨询", "12348", "东山街团队人工值班时间",
                 "周一至周五 09:00-18:00", "周六 09:00-12:00",
                 "https://fl.example.gov.cn/c/xinhepu", "size: A4"):
        assert text in poster
    assert '<a href="beijinglu.html">' in (out / "index.html").read_text(encoding="utf-8")


def test_a_bad_base_url_or_no_communities_is_refused_and_writes_nothing(tmp_path: Path) -> None:
    db = org_db(tmp_path / "lawbot.db")
    out = tmp_path / "posters"
    bad = CliRunner().invoke(cli, ["qr", "--base-url", "fl.example", "--out", str(out),
                                   "--db", str(db)])
    assert bad.exit_code == 1 and ct.QR_BAD_URL in bad.output
    empty = tmp_path / "empty.db"
    open_database(empty).close()
    none = CliRunner().invoke(cli, ["qr", "--base-url", "http://x", "--out", str(out),
                                    "--db", str(empty)])
    assert none.exit_code == 1 and ct.QR_NO_COMMUNITIES in none.output
    assert not out.exists()


def test_team_hours_group_days_with_the_same_hours(tmp_path: Path) -> None:
    db = open_database(None)
    load_org(db)
    org = Organisation.load(db)
    assert team_hours(org, "dongshan") == ["周一至周五 09:00-18:00", "周六 09:00-12:00"]
    assert team_hours(org, "beijing") == ["周一至周五 09:00-18:00"]
