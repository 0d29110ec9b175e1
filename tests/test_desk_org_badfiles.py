"""Bad organisation files end in a clear message and leave the organisation as it was;
an import that would empty a team or drop every community needs --replace."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_cli_org import GOOD

from bot.app import open_database
from bot.cli import cli
from bot.desk.org import Organisation, OrgFileError, OrgImportError
from bot.desk.org_io import parse_org_yaml


def org_state(db_path: Path) -> tuple[object, ...]:
    db = open_database(db_path)
    org = Organisation.load(db)
    db.close()
    return (
        sorted(org.teams), sorted(org.communities), sorted(org.people),
        [(s.person, s.days, s.start, s.end) for s in org.shifts],
    )


def run_import(tmp_path: Path, db_path: Path, data: bytes, *extra: str) -> tuple[int, str]:
    path = tmp_path / "new.yaml"
    path.write_bytes(data)
    result = CliRunner().invoke(cli, ["org", "import", str(path), "--db", str(db_path), *extra])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


@pytest.fixture
def loaded(tmp_path: Path, db_path: Path) -> tuple[object, ...]:
    code, output = run_import(tmp_path, db_path, GOOD.encode())
    assert code == 0, output
    return org_state(db_path)


def refused(tmp_path: Path, db_path: Path, data: bytes, before: tuple[object, ...]) -> str:
    code, output = run_import(tmp_path, db_path, data)
    assert code == 1, output
    assert "Traceback" not in output
    assert org_state(db_path) == before
    return output


EMPTY = b"teams:\n  - {id: dongshan, name: x}\npeople: []\ncommunities: []\n"


def test_emptying_the_organisation_needs_replace(
    tmp_path: Path, db_path: Path, loaded: tuple[object, ...]
) -> None:
    output = refused(tmp_path, db_path, EMPTY, loaded)
    assert "--replace" in output and "dongshan 没有任何人员" in output and "1 个社区" in output
    code, output = run_import(tmp_path, db_path, EMPTY, "--replace")
    assert code == 0, output
    assert org_state(db_path)[1] == []


LAUGHS = (
    'a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]\n'
    + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}" + f", *{chr(97 + i)}" * 9 + "]\n"
              for i in range(8))
    + "teams:\n  - {id: t, name: *i}\n"
)


def test_yaml_aliases_are_refused_before_they_expand(
    tmp_path: Path, db_path: Path, loaded: tuple[object, ...]
) -> None:
    output = refused(tmp_path, db_path, LAUGHS.encode(), loaded)
    assert "锚点" in output and "第 2 行" in output


def test_a_duplicate_key_is_refused(
    tmp_path: Path, db_path: Path, loaded: tuple[object, ...]
) -> None:
    output = refused(tmp_path, db_path, (GOOD + "teams: []\n").encode(), loaded)
    assert "teams 重复" in output


def test_nesting_too_deep_for_the_parser_is_a_message(
    tmp_path: Path, db_path: Path, loaded: tuple[object, ...]
) -> None:
    output = refused(tmp_path, db_path, b"teams: " + b"[" * 100_000 + b"]" * 100_000, loaded)
    assert "嵌套" in output


def test_gbk_yaml_is_read_and_big5_yaml_is_refused(
    tmp_path: Path, db_path: Path, loaded: tuple[object, ...]
) -> None:
    code, output = run_import(tmp_path, db_path, GOOD.encode("gbk"))
    assert code == 0, output
    big5 = GOOD
    pairs = (("顾问团队", "顧問團隊"), ("社区", "社區"), ("律师", "律師"), ("东", "東"))
    for simplified, traditional in pairs:
        big5 = big5.replace(simplified, traditional)
    output = refused(tmp_path, db_path, big5.encode("big5"), loaded)
    assert "编码" in output and "UTF-8" in output


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("{id: dongshan,", "{id: dongshan, reminder_minutes: " + "9" * 30 + ","), "分钟数过大"),
        (("{id: dongshan,", "{id: dongshan, reminder_minutes: " + "9" * 5000 + ","), "内容过长"),
        (("name: 东山街法律顾问团队", "name: {a: 1}"), "应为文字"),
        (("name: 东山街法律顾问团队", "name: " + "长" * 300), "内容过长"),
    ],
)
def test_bad_values_are_row_errors(
    tmp_path: Path, db_path: Path, loaded: tuple[object, ...],
    change: tuple[str, str], expected: str,
) -> None:
    text = GOOD.replace(*change)
    assert text != GOOD
    output = refused(tmp_path, db_path, text.encode(), loaded)
    assert expected in output and "teams" in output


def test_zero_length_and_overlapping_shifts_warn(tmp_path: Path, db_path: Path) -> None:
    text = GOOD.replace('days: [fri], hours: "22:00-06:00"', 'days: [fri], hours: "09:00-09:00"')
    text += '  - {person: 王律师, days: [mon], hours: "17:00-20:00"}\n'
    code, output = run_import(tmp_path, db_path, text.encode())
    assert code == 0, output
    assert "开始与结束时间相同" in output
    assert "王律师 的值班安排有重叠：09:00-18:00 与 17:00-20:00" in output


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from([*"ab:-[]{}&*!|>\"' \n\t,#1", "teams", "name", "  - "]),
               max_size=60).map("".join))
def test_no_yaml_text_raises_anything_but_a_refusal(text: str) -> None:
    try:
        parse_org_yaml(text)
    except (OrgFileError, OrgImportError):
        pass
