"""Log lines: one per event in logfmt or JSON, secrets scrubbed, message text never logged,
and the error id shown to a person is on the line of its error."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlite_utils
from fakes import T0, load_org, msg

from bot.app import build_service
from bot.config import Config, ConfigError
from bot.ops.logs import OneLineFormatter

TOKEN = "7000001:AAH-secret-token-with-enough-characters_x"


def record(message: str, *args: object, exc: bool = False, **extra: object) -> logging.LogRecord:
    exc_info = None
    if exc:
        try:
            raise ValueError("bad\nvalue")
        except ValueError:
            import sys

            exc_info = sys.exc_info()
    rec = logging.LogRecord("bot.test", logging.ERROR, __file__, 1, message, args, exc_info)
    rec.__dict__.update(extra)
    return rec


def test_logfmt_is_one_line_with_quoted_values_and_the_traceback_escaped() -> None:
    line = OneLineFormatter("logfmt").format(
        record('send to %s failed: "%s"', "telegram/501", "oops\nnext", exc=True, error_id="ab12cd")
    )
    assert "\n" not in line
    assert line.startswith("ts=") and " level=error logger=bot.test " in line
    assert 'msg="send to telegram/501 failed: \\"oops\\nnext\\""' in line
    assert " error_id=ab12cd " in line and 'exc="Traceback' in line
    assert "ValueError: bad\\nvalue" in line


def test_json_lines_parse_and_carry_the_error_id() -> None:
    line = OneLineFormatter("json").format(record("failed", exc=True, error_id="ab12cd"))
    assert "\n" not in line
    fields = json.loads(line)
    assert fields["level"] == "error" and fields["error_id"] == "ab12cd"
    assert fields["exc"].endswith("ValueError: bad\nvalue")


def test_tokens_and_configured_secrets_are_scrubbed() -> None:
    formatter = OneLineFormatter("json", secrets=["hunter2-matrix-password"])
    line = formatter.format(
        record("POST https://api.telegram.org/bot%s/getMe with %s", TOKEN,
               "hunter2-matrix-password")
    )
    assert TOKEN not in line and "hunter2" not in line
    assert json.loads(line)["msg"].count("[redacted]") == 2


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError):
        OneLineFormatter("xml")


class BrokenIndex:
    def match(self, text: str, community: str | None = None) -> object:
        raise RuntimeError("index exploded")


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(OneLineFormatter("logfmt"))
    logger = logging.getLogger("bot")
    logger.addHandler(handler)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)


def test_the_apology_and_the_log_line_share_an_error_id_and_no_message_text(
    db: sqlite_utils.Database, log_lines: io.StringIO
) -> None:
    load_org(db)
    service = build_service(db, ZoneInfo("Asia/Shanghai"), BrokenIndex())  # type: ignore[arg-type]
    service.handle(msg("/start xinhepu", who="r9"), T0)
    outs = service.handle(msg("我的手机13812345678，房东不退押金", who="r9"), T0)
    shown = re.search(r"错误编号 ([0-9a-f]{6})", outs[0].text)
    assert shown is not None
    lines = [line for line in log_lines.getvalue().splitlines() if "error_id=" in line]
    assert len(lines) == 1 and f"error_id={shown.group(1)}" in lines[0]
    assert "13812345678" not in log_lines.getvalue() and "押金" not in log_lines.getvalue()


def test_the_operations_settings_are_validated_with_the_others() -> None:
    config = Config.from_env(
        {"LAWBOT_BACKUP_DIR": "/srv/backup", "LAWBOT_BACKUP_KEEP": "30",
         "LAWBOT_LOG_FORMAT": "JSON"}
    )
    assert (str(config.backup_dir), config.backup_keep, config.log_format) == (
        "/srv/backup", 30, "json"
    )
    defaults = Config.from_env({})
    assert (defaults.backup_dir, defaults.backup_keep, defaults.log_format) == (
        None, 14, "logfmt"
    )
    with pytest.raises(ConfigError) as bad:
        Config.from_env(
            {"LAWBOT_BACKUP_KEEP": "０", "LAWBOT_LOG_FORMAT": "xml", "LAWBOT_TZ": "X/Y"}
        )
    message = str(bad.value)
    assert "LAWBOT_BACKUP_KEEP" in message and "LAWBOT_LOG_FORMAT" in message
    assert "LAWBOT_TZ" in message


def test_a_command_that_breaks_prints_one_log_line_and_the_error_id(tmp_path: Path) -> None:
    import subprocess
    import sys

    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database " * 100)
    done = subprocess.run(
        [sys.executable, "-c", "from bot.cli import main; main()", "tickets", "list",
         "--db", str(garbage)],
        capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 1
    log_line, message = done.stderr.splitlines()
    shown = re.search(r"错误编号 ([0-9a-f]{6})", message)
    assert shown is not None and f"error_id={shown.group(1)}" in log_line
    assert log_line.startswith("ts=") and "file is not a database" in log_line
    assert garbage.read_bytes() == b"not a database " * 100
