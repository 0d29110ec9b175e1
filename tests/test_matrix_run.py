"""`lawbot run` as a separate process with MATRIX_* settings, against a real Synapse:
the resident's direct chat gets an FAQ answer and SIGTERM stops the process cleanly; with
TELEGRAM_* set as well, both networks are served by the one process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest
from botapi_server import TOKEN, BotApiServer
from synapse_server import Synapse, shared_synapse, stop_shared
from test_matrix_flows import RENT, World, open_direct_chat, world

pytestmark = pytest.mark.integration


@pytest.fixture(scope="session")
def synapse() -> Iterator[Synapse]:
    """One real homeserver for the whole session."""
    yield shared_synapse()
    stop_shared()


def start_run(synapse: Synapse, w: World, log: IO[str], **extra: str) -> subprocess.Popen[str]:
    """``lawbot run`` in its own process with the MATRIX_* settings (and ``extra`` ones)."""
    bot = synapse.users["bot"]
    env = {
        **os.environ,
        "MATRIX_HOMESERVER": synapse.url,
        "MATRIX_USER_ID": bot.user_id,
        "MATRIX_PASSWORD": bot.password,
        "LAWBOT_DB": str(w.db_path),
        "LAWBOT_TZ": "Asia/Shanghai",
        **extra,
    }
    if "TELEGRAM_BOT_TOKEN" not in extra:
        env.pop("TELEGRAM_BOT_TOKEN", None)
    return subprocess.Popen(
        [sys.executable, "-c", "from bot.cli import main; main()", "run"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
    )


async def bot_joined_desk(w: World) -> None:
    """Wait until the bot has joined the desk room: from then on it is up.

    Only then does the resident write: what was written before the bot first ran is
    history, not answered.
    """
    await w.volunteer.wait_for(
        lambda room, e: room == w.desk
        and e.get("type") == "m.room.member"
        and e.get("state_key") == w.bot_id
        and e.get("content", {}).get("membership") == "join",
        timeout=60,
        what="the bot joining the desk room",
    )


async def test_lawbot_run_answers_on_matrix_until_sigterm(
    synapse: Synapse, tmp_path: Path, laws_jsonl: Path
) -> None:
    async with world(synapse, tmp_path, laws_jsonl) as w:
        log = (tmp_path / "run.log").open("w+", encoding="utf-8")
        process = start_run(synapse, w, log)
        try:
            await bot_joined_desk(w)
            room = await open_direct_chat(w)
            await w.resident.say(room, RENT.question)
            await w.resident.wait_for_text(room, "第七百二十二条", sender=w.bot_id)
        finally:
            process.send_signal(signal.SIGTERM)
            code = process.wait(60)
        log.seek(0)
        output = log.read()
        assert code == 0, output
        assert "matrix" in output.lower()
        assert synapse.users["bot"].password not in output


async def test_lawbot_run_serves_telegram_and_matrix_in_one_process(
    synapse: Synapse, tmp_path: Path, laws_jsonl: Path
) -> None:
    resident = 5002
    async with world(synapse, tmp_path, laws_jsonl, "resident2") as w:
        with BotApiServer() as api:
            log = (tmp_path / "run.log").open("w+", encoding="utf-8")
            process = start_run(
                synapse, w, log, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_BASE_URL=api.base_url
            )
            try:
                await bot_joined_desk(w)
                room = await open_direct_chat(w)
                await w.resident.say(room, RENT.question)
                api.push_message(resident, resident, RENT.question)
                await w.resident.wait_for_text(room, "第七百二十二条", sender=w.bot_id)
                await api.wait_for(
                    lambda: any(
                        "第七百二十二条" in str(c.params["text"]) for c in api.sent(resident)
                    ),
                    30,
                )
            finally:
                process.send_signal(signal.SIGTERM)
                code = process.wait(60)
        log.seek(0)
        output = log.read()
        assert code == 0, output
        assert TOKEN.split(":")[1] not in output
