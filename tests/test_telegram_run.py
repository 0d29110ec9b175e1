"""`lawbot run` as a separate process with TELEGRAM_BASE_URL at the loopback Bot API server:
the resident's FAQ question is answered, an unanswerable one reaches the desk group, the
volunteer's reply reaches the resident, and SIGTERM stops the process cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from botapi_server import TOKEN, BotApiServer
from telegram_harness import button, texts_to
from test_telegram_flows import (  # noqa: F401 (world is a fixture)
    ADVISER,
    DEPOSIT_ANSWER,
    DESK,
    RESIDENT,
    VOLUNTEER,
    world,
)

from bot.texts import desk as dt

pytestmark = pytest.mark.integration



def has(server: BotApiServer, chat: int, fragment: str) -> bool:
    return any(fragment in t for t in texts_to(server, chat))


def test_lawbot_run_serves_telegram_until_sigterm(
    world: Path, server: BotApiServer, tmp_path: Path  # noqa: F811
) -> None:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": server.base_url,
        "LAWBOT_DB": str(world),
        "LAWBOT_TZ": "Asia/Shanghai",
    }
    log = (tmp_path / "run.log").open("w+", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-c", "from bot.cli import main; main()", "run"],
        env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
    )
    try:
        assert server.wait_for_sync(lambda: bool(server.calls("getUpdates")), 30)
        server.push_message(RESIDENT, RESIDENT, "/start xinhepu")
        server.push_message(RESIDENT, RESIDENT, "房东不退押金怎么办")
        assert server.wait_for_sync(lambda: has(server, RESIDENT, DEPOSIT_ANSWER), 30)
        server.push_message(RESIDENT, RESIDENT, "楼上漏水物业不管怎么办")
        server.push_message(RESIDENT, RESIDENT, "转人工")
        assert server.wait_for_sync(lambda: has(server, DESK, "#1"), 30)
        # The pump sends in order: once the adviser has the copy, the desk post is recorded.
        assert server.wait_for_sync(lambda: has(server, ADVISER, "#1"), 30)
        post = button(server, DESK, dt.BTN_CLAIM)[1]
        server.push_message(
            DESK, VOLUNTEER, "请先拍照留证。", chat_type="supergroup", reply_to=post
        )
        assert server.wait_for_sync(lambda: has(server, RESIDENT, "请先拍照留证"), 30)
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(30)
    log.seek(0)
    output = log.read()
    assert code == 0, output
    assert TOKEN.split(":")[1] not in output


def test_lawbot_run_with_a_rejected_token_stops_with_a_clear_message(
    world: Path, server: BotApiServer  # noqa: F811
) -> None:
    wrong = "999:not-the-token"
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": wrong,
        "TELEGRAM_BASE_URL": server.base_url,
        "LAWBOT_DB": str(world),
    }
    done = subprocess.run(
        [sys.executable, "-c", "from bot.cli import main; main()", "run"],
        env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60,
    )
    assert done.returncode == 1
    assert "聊天渠道无法启动" in done.stderr
    assert wrong not in done.stdout + done.stderr
