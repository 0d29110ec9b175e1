"""Nothing is lost: a process killed between storing a reply and sending it loses nothing."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

STORE_THEN_DIE = textwrap.dedent(
    """
    import os, sys
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo
    from bot.app import open_database
    from bot.desk.org import load_demo
    from bot.messages import Incoming
    from bot.app import build_service

    db = open_database(sys.argv[1])
    load_demo(db)
    service = build_service(db, ZoneInfo("Asia/Shanghai"))
    now = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    service.handle(Incoming("telegram", "42", "42", "/start xinhepu", "m1"), now)
    text = "楼道里堆满杂物，物业和居委会一直都没人管"
    outs = service.handle(Incoming("telegram", "42", "42", text, "m2"), now)
    assert outs, "a reply was decided"
    os._exit(1)  # killed after storing, before any sender ran
    """
)

DRAIN = textwrap.dedent(
    """
    import asyncio, json, sys
    from datetime import UTC, datetime
    from bot.app import open_database
    from bot.desk.outbox import Outbox, drain

    class Recorder:
        def __init__(self, channel):
            self.channel, self.sent = channel, []
        async def send(self, out):
            self.sent.append([out.channel, out.chat_id, out.text])
            return str(len(self.sent))

    db = open_database(sys.argv[1])
    senders = {c: Recorder(c) for c in ("telegram", "terminal")}
    now = datetime(2026, 12, 1, 2, 1, tzinfo=UTC)
    asyncio.run(drain(Outbox(db), senders, now))
    print(json.dumps([m for s in senders.values() for m in s.sent], ensure_ascii=False))
    """
)


def run(script: str, db_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", script, str(db_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )


def test_replies_stored_before_a_crash_are_sent_by_the_next_process(db_path: Path) -> None:
    died = run(STORE_THEN_DIE, db_path)
    assert died.returncode == 1, died.stderr
    drained = run(DRAIN, db_path)
    assert drained.returncode == 0, drained.stderr
    sent = json.loads(drained.stdout)
    to_resident = [text for channel, chat, text in sent if (channel, chat) == ("telegram", "42")]
    assert any("工单号 #1" in text for text in to_resident)
    assert any(chat == "dongshan" and "楼道里堆满杂物" in text for _, chat, text in sent)
    again = run(DRAIN, db_path)
    assert json.loads(again.stdout) == []  # sent once, not again
