"""The outbox: stored before sending, sent once, retried with back-off, given up when hopeless."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import sqlite_utils
from fakes import T0, PermanentSendError, RecordingSender, TemporarySendError

from bot.clock import FixedClock
from bot.desk.outbox import (
    IN_DOUBT,
    MAX_RETRY_SECONDS,
    Outbox,
    backoff_seconds,
    drain,
    pump,
)
from bot.messages import Button, Outgoing

HELLO = Outgoing("telegram", "42", "您好", buttons=((Button("转人工", "/human"),),), ref="ticket:7")


def test_put_then_due_round_trips_the_message(db: sqlite_utils.Database) -> None:
    outbox = Outbox(db)
    [item_id] = outbox.put([HELLO], T0)
    [item] = outbox.due("telegram", T0)
    assert (item.id, item.out, item.attempts) == (item_id, HELLO, 0)
    assert outbox.due("matrix", T0) == []
    assert outbox.due("telegram", T0 - timedelta(seconds=1)) == []


async def test_drain_sends_once_and_remembers_the_channel_message_id(
    db: sqlite_utils.Database,
) -> None:
    outbox = Outbox(db)
    outbox.put([HELLO, Outgoing("matrix", "!r", "x")], T0)
    sender = RecordingSender("telegram")
    assert await drain(outbox, {"telegram": sender}, T0) == 1
    assert sender.sent == [HELLO]
    assert await drain(outbox, {"telegram": sender}, T0) == 0
    assert outbox.ref_for("telegram", "42", "telegram-1") == "ticket:7"
    assert outbox.ref_for("telegram", "43", "telegram-1") is None
    assert len(outbox.pending("matrix")) == 1


async def test_temporary_failures_are_retried_with_growing_back_off(
    db: sqlite_utils.Database,
) -> None:
    outbox = Outbox(db)
    outbox.put([HELLO], T0)
    down = [TemporarySendError("down"), TemporarySendError("down")]
    sender = RecordingSender("telegram", fail=down)
    senders = {"telegram": sender}
    assert await drain(outbox, senders, T0) == 0
    assert outbox.due("telegram", T0 + timedelta(seconds=1)) == []
    assert await drain(outbox, senders, T0 + timedelta(seconds=2)) == 0
    assert outbox.due("telegram", T0 + timedelta(seconds=5)) == []
    assert await drain(outbox, senders, T0 + timedelta(seconds=7)) == 1
    assert sender.sent == [HELLO]


async def test_retry_after_from_the_server_is_respected(db: sqlite_utils.Database) -> None:
    outbox = Outbox(db)
    outbox.put([HELLO], T0)
    sender = RecordingSender("telegram", fail=[TemporarySendError("429", retry_after=30)])
    await drain(outbox, {"telegram": sender}, T0)
    assert outbox.due("telegram", T0 + timedelta(seconds=29)) == []
    assert outbox.due("telegram", T0 + timedelta(seconds=30))


async def test_permanent_failures_are_given_up(db: sqlite_utils.Database) -> None:
    outbox = Outbox(db)
    outbox.put([HELLO], T0)
    sender = RecordingSender("telegram", fail=[PermanentSendError("blocked")])
    await drain(outbox, {"telegram": sender}, T0)
    assert outbox.due("telegram", T0 + timedelta(days=1)) == []
    assert outbox.pending() == []


async def test_a_crashing_sender_does_not_stop_the_others(db: sqlite_utils.Database) -> None:
    outbox = Outbox(db)
    outbox.put([HELLO, Outgoing("matrix", "!r", "x")], T0)
    broken = RecordingSender("telegram", fail=[RuntimeError("bug")])
    fine = RecordingSender("matrix")
    assert await drain(outbox, {"telegram": broken, "matrix": fine}, T0) == 1
    assert len(outbox.pending("telegram")) == 1


def test_back_off_doubles_and_is_capped() -> None:
    assert [backoff_seconds(n) for n in (1, 2, 3, 4)] == [2, 4, 8, 16]
    assert backoff_seconds(40) == MAX_RETRY_SECONDS


async def test_pump_sends_until_stopped(db: sqlite_utils.Database) -> None:
    outbox = Outbox(db)
    outbox.put([HELLO], T0)
    clock = FixedClock(T0)
    stop = asyncio.Event()

    class StopAfterSend(RecordingSender):
        async def send(self, out: Outgoing) -> str:
            message_id = await super().send(out)
            stop.set()
            return message_id

    sender = StopAfterSend("telegram")
    await asyncio.wait_for(pump(outbox, {"telegram": sender}, clock, stop, idle=0.01), 5)
    assert sender.sent == [HELLO]
    assert outbox.pending() == []


async def test_a_waiting_pump_sends_a_new_message_at_once(db: sqlite_utils.Database) -> None:
    outbox = Outbox(db)
    stop = asyncio.Event()
    sent = asyncio.Event()

    class SignalOnSend(RecordingSender):
        async def send(self, out: Outgoing) -> str:
            message_id = await super().send(out)
            sent.set()
            return message_id

    sender = SignalOnSend("telegram")
    # An idle pause of an hour: only put() waking the pump can deliver within the bound.
    task = asyncio.create_task(pump(outbox, {"telegram": sender}, FixedClock(T0), stop, 3600))
    await asyncio.sleep(0)  # let the pump find nothing and start waiting
    outbox.put([HELLO], T0)
    await asyncio.wait_for(sent.wait(), 10)
    stop.set()
    await asyncio.wait_for(task, 10)
    assert sender.sent == [HELLO]


async def test_a_send_begun_by_a_stopped_process_is_never_resent(
    db: sqlite_utils.Database,
) -> None:
    outbox = Outbox(db)
    [begun, waiting] = outbox.put([HELLO, Outgoing("telegram", "43", "第二条")], T0)
    outbox.begin(begun, T0)  # the process was killed during this send
    [doubtful] = outbox.settle_in_doubt(T0)
    assert doubtful.id == begun
    sender = RecordingSender("telegram")
    assert await drain(outbox, {"telegram": sender}, T0) == 1
    assert [out.text for out in sender.sent] == ["第二条"]
    row = db.execute("SELECT failed_at, error FROM outbox WHERE id = ?", [begun]).fetchone()
    assert row[0] is not None and row[1] == IN_DOUBT
    assert outbox.settle_in_doubt(T0) == []  # a finished send leaves nothing in doubt
    assert waiting != begun


async def test_a_refused_send_is_not_in_doubt_and_is_retried(db: sqlite_utils.Database) -> None:
    outbox = Outbox(db)
    outbox.put([HELLO], T0)
    sender = RecordingSender("telegram", fail=[TemporarySendError("503")])
    assert await drain(outbox, {"telegram": sender}, T0) == 0
    assert outbox.settle_in_doubt(T0) == []
    assert await drain(outbox, {"telegram": sender}, T0 + timedelta(minutes=1)) == 1


class KeyedSender(RecordingSender):
    """A sender whose network deduplicates by key (as Matrix does by transaction id)."""

    keys: list[str]

    async def send_keyed(self, out: Outgoing, key: str) -> str:
        self.keys = [*getattr(self, "keys", []), key]
        return await self.send(out)


async def test_a_keyed_channel_resends_what_a_crash_left_in_doubt_with_the_same_key(
    db: sqlite_utils.Database,
) -> None:
    outbox = Outbox(db)
    [begun] = outbox.put([Outgoing("matrix", "!r", "新工单")], T0)
    outbox.begin(begun, T0)  # killed during the send
    assert outbox.settle_in_doubt(T0, channels=frozenset({"telegram"})) == []  # not running
    assert outbox.settle_in_doubt(T0, frozenset({"matrix"})) == []
    sender = KeyedSender("matrix")
    assert await drain(outbox, {"matrix": sender}, T0) == 1
    assert sender.keys == [f"lawbot-outbox-{begun}"]
