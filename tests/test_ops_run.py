"""Operations against a real `lawbot run` process on the loopback Bot API server.

While residents chat through the running bot: a second `lawbot run` refuses to start naming
the first one's pid; `lawbot tickets reply` and `lawbot faq edit` work beside it; `lawbot
backup` writes a verified copy; `lawbot restore` refuses; `lawbot status` is healthy, turns
unhealthy when the Bot API server stops and healthy again when it is back; the log is one
JSON object per line with neither message text nor token.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from botapi_server import TOKEN, BotApiServer
from telegram_harness import texts_to
from test_telegram_flows import DEPOSIT_ANSWER, world  # noqa: F401 (world is a fixture)

from bot.ops.backup import check
from bot.texts import ops as ot

pytestmark = pytest.mark.integration

RESIDENTS = range(7001, 7031)  # 30 residents
LAWBOT = [sys.executable, "-c", "from bot.cli import main; main()"]


def lawbot(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*LAWBOT, *args], env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL,
        timeout=120,
    )


def got(server: BotApiServer, chat: int, fragment: str) -> bool:
    return any(fragment in t for t in texts_to(server, chat))


@pytest.fixture
def bot(world: Path, server: BotApiServer, tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], dict[str, str], Path]]:  # noqa: F811,E501
    """A real `lawbot run` with nightly backups on, JSON logs, until SIGTERM."""
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": server.base_url,
        "LAWBOT_DB": str(world),
        "LAWBOT_TZ": "Asia/Shanghai",
        "LAWBOT_BACKUP_DIR": str(tmp_path / "nightly"),
        "LAWBOT_BACKUP_KEEP": "3",
        "LAWBOT_LOG_FORMAT": "json",
    }
    log = tmp_path / "run.log"
    with log.open("w", encoding="utf-8") as out:
        process = subprocess.Popen(
            [*LAWBOT, "run"], env=env, stdout=out, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, text=True,
        )
    try:
        assert server.wait_for_sync(lambda: bool(server.calls("getUpdates")), 60)
        yield process, env, log
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(30)


def status_until(env: dict[str, str], code: int, tries: int = 40) -> subprocess.CompletedProcess[str]:  # noqa: E501
    """Run `lawbot status` until it exits with ``code`` (each run takes a moment; no sleep)."""
    for _ in range(tries):
        done = lawbot(env, "status")
        if done.returncode == code:
            return done
    raise AssertionError(f"lawbot status never exited {code}: {done.stdout}{done.stderr}")


def test_one_bot_per_database_with_the_cli_working_beside_it(
    bot: tuple[subprocess.Popen[str], dict[str, str], Path], server: BotApiServer, tmp_path: Path
) -> None:
    process, env, log = bot
    db_path = Path(env["LAWBOT_DB"])

    # A second bot on the same database refuses at once, naming the first one's pid.
    get_me = len(server.calls("getMe"))
    second = lawbot(env, "run")
    assert second.returncode == 1
    assert ot.ALREADY_RUNNING.format(pid=process.pid) in second.stderr
    assert len(server.calls("getMe")) == get_me  # it never reached Telegram

    # Residents chat; each asks an FAQ question and then for a person (a ticket each).
    for r in RESIDENTS:
        server.push_message(r, r, "/start xinhepu")
        server.push_message(r, r, "房东不退押金怎么办")
    first = RESIDENTS[0]
    server.push_message(first, first, "转人工")
    assert server.wait_for_sync(lambda: got(server, first, "#1"), 60)

    # The desk and the adviser work from the terminal while more residents write.
    for r in RESIDENTS[1:]:
        server.push_message(r, r, "转人工")
    timings = []
    for n in range(3):
        for r in RESIDENTS:  # the bot writes follow-ups to the tickets meanwhile
            server.push_message(r, r, f"补充一下，押金是三千元（{n}）")
        started = time.monotonic()
        reply = lawbot(env, "tickets", "reply", "1", f"请保留收据（第{n}次）。", "--as", "小李")
        answer = f"{DEPOSIT_ANSWER}（第{n}版）"
        edit = lawbot(env, "faq", "edit", "deposit", "--answer", answer, "--by", "王律师")
        timings.append(time.monotonic() - started)
        assert reply.returncode == 0, reply.stderr
        assert edit.returncode == 0, edit.stderr

    backup = lawbot(env, "backup", "--out", str(tmp_path / "live.db"))
    assert backup.returncode == 0, backup.stderr
    assert "完整性检查通过" in backup.stdout
    assert check(tmp_path / "live.db")["faq_history"] >= 3

    refused = lawbot(env, "restore", str(tmp_path / "live.db"))
    assert refused.returncode == 1
    assert ot.RESTORE_RUNNING.format(pid=process.pid) in refused.stderr
    assert not [p for p in db_path.parent.iterdir() if "replaced" in p.name]

    # Every resident got the answer and a ticket number; nobody got the apology.
    assert server.wait_for_sync(
        lambda: all(got(server, r, DEPOSIT_ANSWER) and got(server, r, "工单号") for r in RESIDENTS),
        90,
    )
    assert server.wait_for_sync(lambda: got(server, first, "请保留收据（第2次）"), 60)
    assert server.wait_for_sync(lambda: server.pending_updates() == 0, 60)
    # Every follow-up was handled and counted (every question is, follow-up or not).
    conn = sqlite3.connect(db_path)
    questions = conn.execute(
        "SELECT count(*) FROM question_log WHERE text LIKE '补充一下%'"
    ).fetchone()[0]
    conn.close()
    assert questions == 3 * len(RESIDENTS)
    assert not any(got(server, r, "抱歉") for r in RESIDENTS)

    healthy = lawbot(env, "status")
    assert healthy.returncode == 0, healthy.stdout
    assert ot.STATUS_BOT_RUNNING.format(pid=process.pid) in healthy.stdout
    # The nightly backup task took one at start (there was none in the last day).
    nightly = sorted((tmp_path / "nightly").glob("lawbot-*.db"))
    assert len(nightly) == 1 and check(nightly[0])["_migrations"] >= 1

    process.send_signal(signal.SIGTERM)
    assert process.wait(30) == 0
    lines = log.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.startswith("{")]
    assert records and all({"ts", "level", "logger", "msg"} <= set(r) for r in records)
    text = "\n".join(lines)
    assert TOKEN.split(":")[1] not in text
    assert "房东不退押金" not in text and "请保留收据" not in text
    print(f"\n`tickets reply` + `faq edit` beside the bot: {[round(t, 2) for t in timings]} s")


def test_status_follows_the_telegram_server_going_away_and_coming_back(
    bot: tuple[subprocess.Popen[str], dict[str, str], Path], server: BotApiServer
) -> None:
    _, env, _ = bot
    assert status_until(env, 0).returncode == 0
    port = int(server.base_url.split(":")[2].split("/")[0])

    server.stop()
    down = status_until(env, 1)
    assert ot.PROBLEMS["channel_disconnected"].format(channel="telegram") in down.stdout
    report = json.loads(lawbot(env, "status", "--json").stdout)
    assert report["healthy"] is False
    assert report["channels"]["telegram"]["connected"] is False

    polls = len(server.calls("getUpdates"))
    server.start(port)
    assert server.wait_for_sync(lambda: len(server.calls("getUpdates")) > polls, 90)
    # A resident writes meanwhile: the held long poll answers at once, so the bot hears back.
    server.push_message(7100, 7100, "/start xinhepu")
    server.push_message(7100, 7100, "房东不退押金怎么办")
    up = status_until(env, 0)
    assert "渠道 telegram：已连接" in up.stdout
    assert server.wait_for_sync(lambda: got(server, 7100, DEPOSIT_ANSWER), 60)
