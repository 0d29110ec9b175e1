"""Exactly-once across kill -9: the real `lawbot run` over the loopback Bot API server.

200 residents: 150 ask an FAQ question, 50 end at the desk (a ticket, the desk post, the
adviser told). The process is killed with SIGKILL five times per run, at a seeded random
point (alternately just after a send and just after a batch of updates arrived), and
restarted; the last process runs until every update is confirmed and every reply is out.
Then, per seed: every message is handled, every resident has all the replies a run without
crashes gives, every ticket exists once, no outbox row reached Telegram twice, and every row
not left in doubt by a kill (see bot/desk/outbox.py) was delivered. The figures are printed
(pytest -s) for the README.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from botapi_server import TOKEN, BotApiServer
from test_telegram_flows import world  # noqa: F401 (a fixture)

from bot.app import build_service, open_database
from bot.clock import system_now
from bot.desk.outbox import IN_DOUBT
from bot.messages import Incoming

pytestmark = pytest.mark.integration

RESIDENTS = 200
KILLS = 5
SEEDS = (1, 2, 3, 4, 5)
FIRST_CHAT = 20_000
QUESTION = "房东不退押金怎么办"
UNANSWERABLE = "楼上漏水物业不管怎么办"
ESCALATING = RESIDENTS // 4
MESSAGES = ESCALATING * 3 + (RESIDENTS - ESCALATING) * 2


def resident_messages(chat: int) -> list[str]:
    """Every fourth resident ends at the desk (a ticket, a desk post, the adviser told)."""
    if chat % 4 == 0:
        return ["/start xinhepu", UNANSWERABLE, "转人工"]
    return ["/start xinhepu", QUESTION]


def expected_replies(template: Path, tmp: Path) -> dict[int, int]:
    """How many replies each kind of resident gets in a run without crashes (in process)."""
    copy = tmp / "baseline.db"
    shutil.copy(template, copy)
    db = open_database(copy)
    service = build_service(db, ZoneInfo("Asia/Shanghai"))
    now = system_now()
    replies = {}
    for chat in (FIRST_CHAT, FIRST_CHAT + 1):
        for n, text in enumerate(resident_messages(chat)):
            service.handle(Incoming("telegram", str(chat), str(chat), text, f"{chat}:{n}"), now)
        rows = db.execute("SELECT count(*) FROM outbox WHERE chat_id = ?", [str(chat)])
        replies[chat % 4 == 0] = int(rows.fetchone()[0])
    db.close()
    return replies


def start(db_path: Path, server: BotApiServer, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": server.base_url,
        "LAWBOT_DB": str(db_path),
        "LAWBOT_TZ": "Asia/Shanghai",
    }
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-c", "from bot.cli import main; main()", "run"],
            env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )


def rows(db_path: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db_path) as conn:
        return conn.execute(sql).fetchall()


def handled(db_path: Path) -> tuple[int, int]:
    """Messages stored, and how many of them are not handled yet."""
    with sqlite3.connect(db_path) as conn:
        sql = "SELECT count(*), count(*) - count(handled_at) FROM messages"
        stored, unhandled = conn.execute(sql).fetchone()
    return stored, unhandled


def unsettled(db_path: Path) -> int:
    """Telegram outbox rows neither marked sent nor given up (in doubt counts as given up)."""
    sql = (
        "SELECT count(*) FROM outbox"
        " WHERE channel = 'telegram' AND sent_at IS NULL AND failed_at IS NULL"
    )
    with sqlite3.connect(db_path) as conn:
        return int(conn.execute(sql).fetchone()[0])


def run_seed(seed: int, template: Path, tmp: Path, per_kind: dict[int, int]) -> dict[str, int]:
    db_path = tmp / f"seed{seed}.db"
    shutil.copy(template, db_path)
    log = tmp / f"seed{seed}.log"
    rng = random.Random(seed)
    chats = range(FIRST_CHAT, FIRST_CHAT + RESIDENTS)
    with BotApiServer() as server:
        for chat in chats:
            for text in resident_messages(chat):
                server.push_message(chat, chat, text)
        total = sum(per_kind[c % 4 == 0] for c in chats) - KILLS  # a kill may lose one
        for kill in range(KILLS):
            process = start(db_path, server, log)
            # Anywhere in this kill's share of the run: before the first send, between
            # storing and handling, between sending and marking...
            low, high = total * kill // KILLS, total * (kill + 1) // KILLS
            sends = rng.randint(low, high)
            polls = len(server.calls("getUpdates")) + rng.randint(1, 3)

            def moment(
                sends: int = sends,
                polls: int = polls,
                by_poll: bool = kill % 2 == 1,
                process: subprocess.Popen[bytes] = process,
            ) -> bool:
                if process.poll() is not None:
                    return True
                if by_poll:  # just after a batch of updates arrived: while storing/handling
                    return len(server.calls("getUpdates")) >= polls or (
                        server.pending_updates() == 0
                    )
                return len(server.sent()) >= sends  # just after a send: before it is marked

            reached = server.wait_for_sync(moment, 60)
            assert reached and process.poll() is None, log.read_text(encoding="utf-8")
            process.send_signal(signal.SIGKILL)
            process.wait(30)
        process = start(db_path, server, log)
        try:
            assert server.wait_for_sync(lambda: server.pending_updates() == 0, 60)
            # Updates are confirmed when fetched, before they are handled: wait until every
            # message is stored and handled, so the outbox read below is complete.
            assert server.wait_for_sync(lambda: handled(db_path) == (MESSAGES, 0), 60), (
                handled(db_path)
            )
            # Then until every row is sent or given up. The new process settles the rows a
            # kill left in doubt when its pump starts, which may be after the messages were
            # all handled (the last kill can come after the last message), so the outbox is
            # read only once nothing in it is pending or mid-send.
            assert server.wait_for_sync(lambda: unsettled(db_path) == 0, 60), (
                unsettled(db_path)
            )
            # (the adviser's terminal copy of a new ticket waits for `lawbot tickets`)
            outbox = rows(
                db_path, "SELECT chat_id, text, error FROM outbox WHERE channel = 'telegram'"
            )
            in_doubt = [(c, t) for c, t, e in outbox if e == IN_DOUBT]
            sent = Counter((str(c.params["chat_id"]), c.params["text"]) for c in server.sent())
            delivered_in_doubt = sum(1 for key in in_doubt if sent[key])
        finally:
            process.send_signal(signal.SIGTERM)
            code = process.wait(30)
        assert code == 0, log.read_text(encoding="utf-8")[-3000:]
    assert handled(db_path) == (MESSAGES, 0)
    per_chat = Counter(str(c) for c, _, _ in outbox)
    assert all(per_chat[str(chat)] == per_kind[chat % 4 == 0] for chat in chats), "a reply lost"
    assert rows(db_path, "SELECT count(*) FROM tickets")[0][0] == ESCALATING
    sent = Counter((str(c.params["chat_id"]), c.params["text"]) for c in server.sent())
    stored_rows = Counter((str(c), str(t)) for c, t, _ in outbox)
    duplicates = sum(max(0, n - stored_rows[key]) for key, n in sent.items())
    not_delivered = [
        (c, t) for c, t, e in outbox if not sent[(str(c), str(t))] and e != IN_DOUBT
    ]
    assert duplicates == 0
    assert not_delivered == []
    return {
        "kills": KILLS,
        "rows": len(outbox),
        "in_doubt": len(in_doubt),
        "in_doubt_delivered": delivered_in_doubt,
        "duplicates": duplicates,
        "restarts_resuming": log.read_text(encoding="utf-8").count("stored but not handled"),
    }


def test_kill_9_loses_no_question_and_sends_no_reply_twice(
    world: Path, tmp_path: Path  # noqa: F811
) -> None:
    per_kind = expected_replies(world, tmp_path)
    assert per_kind[True] >= 3 and per_kind[False] >= 2
    figures = [run_seed(seed, world, tmp_path, per_kind) for seed in SEEDS]
    for seed, figure in zip(SEEDS, figures, strict=True):
        print(f"seed {seed}: {figure}")
    assert sum(f["kills"] for f in figures) >= 25
