"""serve(): every channel started, the outbox pumped through each channel's sender, the core
ticked, and everything stopped cleanly when the stop event is set."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
import sqlite_utils

from bot.clock import FixedClock
from bot.desk.outbox import Outbox
from bot.messages import Outgoing
from bot.runner import serve

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


class RecordingSender:
    """Records what it was asked to send and says so through an event."""

    def __init__(self, channel: str) -> None:
        self.channel = channel
        self.sent: list[Outgoing] = []
        self.got_one = asyncio.Event()

    async def send(self, out: Outgoing) -> str:
        self.sent.append(out)
        self.got_one.set()
        return f"{out.chat_id}:{len(self.sent)}"


class RecordingChannel:
    """A channel that records its lifecycle in a shared journal."""

    def __init__(self, channel: str, journal: list[str], fail_start: bool = False) -> None:
        self.channel = channel
        self.sender = RecordingSender(channel)
        self.journal = journal
        self.fail_start = fail_start

    async def start(self) -> None:
        if self.fail_start:
            raise ConnectionError(f"{self.channel} unreachable")
        self.journal.append(f"start {self.channel}")

    async def stop(self) -> None:
        self.journal.append(f"stop {self.channel}")


class TickingCore:
    """The real outbox; ``tick`` is counted, and fails once to show it does not stop serve."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.outbox = Outbox(db)
        self.ticks = 0
        self.ticked_twice = asyncio.Event()

    def tick(self, now: datetime) -> list[Outgoing]:
        self.ticks += 1
        if self.ticks >= 2:
            self.ticked_twice.set()
        if self.ticks == 1:
            raise RuntimeError("the first tick fails")
        return []

    def resume(self, now: datetime) -> int:
        return 0  # nothing was left stored but unhandled


async def test_serve_pumps_each_channel_ticks_and_stops_in_reverse_order(
    db: sqlite_utils.Database,
) -> None:
    journal: list[str] = []
    telegram = RecordingChannel("telegram", journal)
    matrix = RecordingChannel("matrix", journal)
    core = TickingCore(db)
    core.outbox.put(
        [Outgoing("telegram", "501", "你好"), Outgoing("matrix", "!room:x", "您好")], NOW
    )
    stop = asyncio.Event()
    task = asyncio.create_task(serve(core, [telegram, matrix], stop, FixedClock(NOW), 0.01))
    await asyncio.wait_for(telegram.sender.got_one.wait(), 5)
    await asyncio.wait_for(matrix.sender.got_one.wait(), 5)
    await asyncio.wait_for(core.ticked_twice.wait(), 5)
    stop.set()
    await asyncio.wait_for(task, 5)
    assert journal == ["start telegram", "start matrix", "stop matrix", "stop telegram"]
    assert [o.text for o in telegram.sender.sent] == ["你好"]
    assert [o.text for o in matrix.sender.sent] == ["您好"]
    assert core.outbox.pending() == []
    recorded = db.execute("SELECT channel_message_id FROM outbox ORDER BY id").fetchall()
    assert [r[0] for r in recorded] == ["501:1", "!room:x:1"]


async def test_a_channel_that_cannot_start_stops_the_ones_already_started(
    db: sqlite_utils.Database,
) -> None:
    journal: list[str] = []
    channels = [
        RecordingChannel("telegram", journal),
        RecordingChannel("matrix", journal, fail_start=True),
    ]
    with pytest.raises(ConnectionError):
        await asyncio.wait_for(
            serve(TickingCore(db), channels, asyncio.Event(), FixedClock(NOW)), 5
        )
    assert journal == ["start telegram", "stop telegram"]


async def test_serve_returns_at_once_when_stop_is_already_set(db: sqlite_utils.Database) -> None:
    journal: list[str] = []
    stop = asyncio.Event()
    stop.set()
    await asyncio.wait_for(
        serve(TickingCore(db), [RecordingChannel("telegram", journal)], stop, FixedClock(NOW)), 5
    )
    assert journal == ["start telegram", "stop telegram"]
