"""`lawbot run` as a separate process with MATRIX_* settings, against a real Synapse:
the resident's direct chat gets an FAQ answer and SIGTERM stops the process cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from synapse_server import Synapse, shared_synapse, stop_shared
from test_matrix_flows import RENT, open_direct_chat, world

pytestmark = pytest.mark.integration


@pytest.fixture(scope="session")
def synapse() -> Iterator[Synapse]:
    """One real homeserver for the whole session."""
    yield shared_synapse()
    stop_shared()


async def test_lawbot_run_answers_on_matrix_until_sigterm(
    synapse: Synapse, tmp_path: Path, laws_jsonl: Path
) -> None:
    bot = synapse.users["bot"]
    async with world(synapse, tmp_path, laws_jsonl) as w:
        env = {
            **os.environ,
            "MATRIX_HOMESERVER": synapse.url,
            "MATRIX_USER_ID": bot.user_id,
            "MATRIX_PASSWORD": bot.password,
            "LAWBOT_DB": str(w.db_path),
            "LAWBOT_TZ": "Asia/Shanghai",
        }
        env.pop("TELEGRAM_BOT_TOKEN", None)
        log = (tmp_path / "run.log").open("w+", encoding="utf-8")
        process = subprocess.Popen(
            [sys.executable, "-c", "from bot.cli import main; main()", "run"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        try:
            # The bot is up once it has joined the desk room; only then does the resident
            # write (what was written before the bot first ran is history, not answered).
            await w.volunteer.wait_for(
                lambda room, e: room == w.desk
                and e.get("type") == "m.room.member"
                and e.get("state_key") == bot.user_id
                and e.get("content", {}).get("membership") == "join",
                timeout=60,
                what="the bot joining the desk room",
            )
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
        assert bot.password not in output
