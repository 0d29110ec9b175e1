"""Configuration from the environment: defaults, and every bad key named in one error."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Config, ConfigError


def test_defaults_need_no_environment() -> None:
    config = Config.from_env({})
    assert config.db_path == Path("data/lawbot.db")
    assert str(config.tz) == "Asia/Shanghai"
    assert not config.telegram_enabled
    assert not config.matrix_enabled
    assert config.laws_path.parts[-4:] == ("shared", "data", "laws", "laws.jsonl")


def test_full_configuration_is_read() -> None:
    config = Config.from_env(
        {
            "LAWBOT_DB": "/tmp/x.db",
            "LAWBOT_LAWS": "/srv/laws.jsonl",
            "LAWBOT_TZ": "Asia/Hong_Kong",
            "TELEGRAM_BOT_TOKEN": "123:abc",
            "TELEGRAM_BASE_URL": "http://127.0.0.1:8081/bot",
            "MATRIX_HOMESERVER": "http://127.0.0.1:8008",
            "MATRIX_USER_ID": "@lawbot:localhost",
            "MATRIX_ACCESS_TOKEN": "syt_x",
        }
    )
    assert config.db_path == Path("/tmp/x.db")
    assert config.laws_path == Path("/srv/laws.jsonl")
    assert str(config.tz) == "Asia/Hong_Kong"
    assert config.telegram_enabled and config.telegram_base_url == "http://127.0.0.1:8081/bot"
    assert config.matrix_enabled and config.matrix_password is None


def test_every_bad_key_is_named_at_once() -> None:
    with pytest.raises(ConfigError) as caught:
        Config.from_env(
            {
                "LAWBOT_TZ": "Mars/Olympus",
                "TELEGRAM_BOT_TOKEN": "no-colon",
                "TELEGRAM_BASE_URL": "ftp://x",
                "MATRIX_HOMESERVER": "matrix.example.org",
                "MATRIX_USER_ID": "lawbot",
            }
        )
    message = str(caught.value)
    for key in (
        "LAWBOT_TZ",
        "TELEGRAM_BOT_TOKEN",
        "TELEGRAM_BASE_URL",
        "MATRIX_HOMESERVER",
        "MATRIX_USER_ID",
        "MATRIX_PASSWORD",
    ):
        assert key in message


def test_matrix_account_without_homeserver_is_refused() -> None:
    with pytest.raises(ConfigError, match="MATRIX_HOMESERVER"):
        Config.from_env({"MATRIX_USER_ID": "@a:b", "MATRIX_PASSWORD": "x"})


def test_base_url_without_token_is_refused() -> None:
    with pytest.raises(ConfigError, match="TELEGRAM_BOT_TOKEN"):
        Config.from_env({"TELEGRAM_BASE_URL": "http://127.0.0.1:1/bot"})


def test_the_shared_corpus_is_found_from_another_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    path = Config.from_env({}).laws_path
    assert path.exists(), path
    assert path.parts[-4:] == ("shared", "data", "laws", "laws.jsonl")


@pytest.mark.parametrize("command", [["stats"], ["review"], ["tickets", "show", "1"], ["run"]])
def test_commands_stop_on_bad_configuration_naming_the_key(
    command: list[str], db_path: Path
) -> None:
    from click.testing import CliRunner

    from bot.cli import cli

    result = CliRunner().invoke(
        cli, [*command, "--db", str(db_path)], env={"LAWBOT_TZ": "Mars/Olympus"}
    )
    assert result.exit_code == 1
    assert "LAWBOT_TZ" in result.output


def test_retention_days_default_and_validation() -> None:
    assert Config.from_env({}).retain_days == 180
    assert Config.from_env({"LAWBOT_RETAIN_DAYS": "90"}).retain_days == 90
    for bad in ("0", "-5", "半年", "99999"):
        with pytest.raises(ConfigError, match="LAWBOT_RETAIN_DAYS"):
            Config.from_env({"LAWBOT_RETAIN_DAYS": bad})
