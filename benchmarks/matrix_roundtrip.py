"""Replies per second and round-trip times of the bot through a real Synapse homeserver.

Starts a throw-away Synapse on 127.0.0.1 (the tests' helper: SQLite, no network), registers
the bot and a number of residents, runs the bot exactly as ``lawbot run`` does
(``bot.runner.serve``: Matrix channel, outbox pump, tick) on a SQLite file with a small FAQ,
and measures, in the same run:

* ``Service.handle`` alone (no network): the core's share of every answer;
* one person to another through the homeserver (send, the other's sync sees it): the
  network share no bot can beat;
* resident question → bot answer, one at a time (p50 / p99);
* a burst: every resident sends several questions at once; replies per second until all
  answers arrived.

Each resident sends at most 6 questions, under the core's flood limit (8 in 30 s).

Usage: python benchmarks/matrix_roundtrip.py [--residents N] [--rounds N] [--burst N]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from latency import percentile  # noqa: E402
from synapse_server import Person, Synapse, start_synapse  # noqa: E402

from bot.app import build_service, open_database  # noqa: E402
from bot.channels.matrix import MatrixChannel  # noqa: E402
from bot.clock import system_now  # noqa: E402
from bot.messages import Incoming  # noqa: E402
from bot.runner import serve  # noqa: E402
from knowledge.faq import FaqEntry, FaqStore  # noqa: E402

TZ = ZoneInfo("Asia/Shanghai")
FAQ = [
    FaqEntry(
        id=f"bench-{i}",
        category="租房",
        question=question,
        answer=f"（示例答复 {i}）{answer}",
        legal_basis=("《民法典》第七百二十二条",),
        status="published",
    )
    for i, (question, answer) in enumerate(
        [
            ("租客一直拖欠房租，房东可以解除租赁合同吗", "可以先催告，逾期不付可解除合同。"),
            ("物业费不交物业可以停水停电吗", "物业不能以停水停电催交物业费。"),
            ("老板拖欠工资不给怎么办", "可以向劳动监察投诉或申请劳动仲裁。"),
            ("借钱不还只有微信聊天记录可以起诉吗", "聊天记录可以作为证据，最好配合转账记录。"),
            ("旧楼加装电梯低层住户不同意怎么办", "加装电梯需经业主表决，可申请调解。"),
        ]
    )
]


def row(name: str, samples: list[float], per_second: float | None = None) -> str:
    """One table line: count, p50 and p99 in milliseconds, and a rate."""
    rate = f"{per_second:10.1f}" if per_second is not None else f"{'':>10}"
    if not samples:
        return f"| {name:<38} | {0:>5} | {'':>9} | {'':>9} | {rate} |"
    p50, p99 = percentile(samples, 50) * 1000, percentile(samples, 99) * 1000
    return f"| {name:<38} | {len(samples):>5} | {p50:9.1f} | {p99:9.1f} | {rate} |"


def prepare(db_path: Path) -> None:
    """A database with the small FAQ (citations checked for syntax only)."""
    db = open_database(db_path)
    faq = FaqStore(db)
    for entry in FAQ:
        faq.add(entry, by="bench")
    db.close()


def measure_handle_alone(db_path: Path, n: int) -> tuple[list[float], float]:
    """``Service.handle`` on the same questions, in process: latencies and calls per second."""
    db = open_database(db_path)
    service = build_service(db, TZ)
    samples = []
    started = time.perf_counter()
    for i in range(n):
        incoming = Incoming(
            "bench",
            f"r{i // 6}",
            f"r{i // 6}",
            FAQ[i % len(FAQ)].question,
            f"m{i}",
        )
        t0 = time.perf_counter()
        service.handle(incoming, datetime.now(UTC))
        samples.append(time.perf_counter() - t0)
    total = time.perf_counter() - started
    db.close()
    return samples, n / total


def is_answer(bot_id: str, known: set[str]) -> Any:
    """A predicate: a new bot message carrying an FAQ answer."""

    def match(_room: str, event: dict[str, Any]) -> bool:
        return (
            event.get("sender") == bot_id
            and "示例答复" in event.get("content", {}).get("body", "")
            and event.get("event_id") not in known
        )

    return match


async def measure_person_to_person(server: Synapse, n: int) -> list[float]:
    """Homeserver delivery alone: one resident sends, another one's sync sees it."""
    a, b = Person(server, server.users["p2p-a"]), Person(server, server.users["p2p-b"])
    await a.start()
    await b.start()
    room = await a.create_room([b.user.user_id])
    await b.wait_for_invite()
    samples = []
    for i in range(n):
        t0 = time.perf_counter()
        await a.say(room, f"ping {i}")
        await b.wait_for_text(room, f"ping {i}")
        samples.append(time.perf_counter() - t0)
    await a.close()
    await b.close()
    return samples


async def measure_bot(
    server: Synapse,
    db_path: Path,
    names: list[str],
    rounds: int,
    burst: int,
    pump_idle: float | None = None,
) -> tuple[list[float], int, float]:
    """Sequential round trips, then a burst; returns (latencies, burst replies, replies/s).

    The bot runs under ``serve`` as in production (the pump wakes when a reply is stored);
    ``pump_idle`` also shortens the pump's idle pause, to show what polling alone would cost.
    """
    db = open_database(db_path)
    service = build_service(db, TZ)
    user = server.users["bot"]
    channel = MatrixChannel(
        service, server.url, user.user_id, password=user.password, sync_timeout_ms=5000
    )
    stop = asyncio.Event()
    options = {} if pump_idle is None else {"pump_idle": pump_idle}
    task = asyncio.create_task(
        serve(service, [channel], stop, system_now, tick_every=3600, **options)
    )
    residents = len(names)
    people = [Person(server, server.users[name]) for name in names]
    try:
        await asyncio.wait_for(channel.ready.wait(), 60)
        rooms = []
        for p in people:
            await p.start()
            room = await p.create_room([user.user_id], direct=True)
            rooms.append(room)
            await p.say(room, FAQ[0].question)  # warm-up: first contact notice and answer
            await p.wait_for(is_answer(user.user_id, set()), 60, "warm-up answer")
        latencies = []
        for r in range(rounds):
            for p, room in zip(people, rooms, strict=True):
                known = {e.get("event_id", "") for _, e in p.seen}
                t0 = time.perf_counter()
                await p.say(room, FAQ[(r + 1) % len(FAQ)].question)
                await p.wait_for(is_answer(user.user_id, known), 60, "answer")
                latencies.append(time.perf_counter() - t0)

        async def one_burst(p: Person, room: str) -> None:
            known = {e.get("event_id", "") for _, e in p.seen}
            for k in range(burst):
                await p.say(room, FAQ[k % len(FAQ)].question)
            got: set[str] = set()

            def enough(room_id: str, event: dict[str, Any]) -> bool:
                if is_answer(user.user_id, known)(room_id, event):
                    got.add(event["event_id"])
                return len(got) >= burst

            await p.wait_for(enough, 120, f"{burst} burst answers")

        t0 = time.perf_counter()
        await asyncio.gather(*(one_burst(p, room) for p, room in zip(people, rooms, strict=True)))
        elapsed = time.perf_counter() - t0
        replies = residents * burst
        return latencies, replies, replies / elapsed
    finally:
        for p in people:
            await p.close()
        stop.set()
        await asyncio.wait_for(task, 60)
        db.close()


async def main(residents: int, rounds: int, burst: int) -> None:
    """Run every measurement against one homeserver and print the table."""
    if rounds + burst + 1 > 8:
        raise SystemExit("rounds + burst + 1 must stay within the flood limit of 8 per resident")
    folder = Path(tempfile.mkdtemp(prefix="lawbot-synapse-bench-"))
    t0 = time.perf_counter()
    server = start_synapse(folder)
    started = time.perf_counter() - t0
    try:
        t1 = time.perf_counter()
        group_a = [f"res{i}" for i in range(residents)]
        group_b = [f"fast{i}" for i in range(residents)]
        names = ["bot", "p2p-a", "p2p-b", *group_a, *group_b]
        for name in names:
            server.register(name)
        registered = time.perf_counter() - t1
        db_path = folder / "lawbot.db"
        prepare(db_path)
        handle, handle_rate = measure_handle_alone(db_path, residents * rounds * 4)
        prepare(db_path := folder / "lawbot-bot.db")
        p2p = await measure_person_to_person(server, residents * rounds)
        latencies, replies, rate = await measure_bot(server, db_path, group_a, rounds, burst)
        prepare(db_path := folder / "lawbot-fast.db")
        fast, fast_replies, fast_rate = await measure_bot(
            server, db_path, group_b, rounds, burst, pump_idle=0.01
        )
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    print(f"Synapse start: {started:.1f} s; {len(names)} users registered in {registered:.1f} s")
    print(f"| {'measure':<38} | {'n':>5} | {'p50 ms':>9} | {'p99 ms':>9} | {'per second':>10} |")
    print(f"|{'-' * 40}|{'-' * 7}|{'-' * 11}|{'-' * 11}|{'-' * 12}|")
    print(row("baseline: Service.handle alone", handle, handle_rate))
    print(row("baseline: person to person via Synapse", p2p))
    print(row("question -> answer, one at a time", latencies))
    print(row(f"burst: {residents} residents x {burst} questions", [], rate))
    print(row("question -> answer, pump idle 10 ms", fast))
    print(row(f"burst, pump idle 10 ms ({fast_replies} answers)", [], fast_rate))
    print(f"(burst: {replies} answers; serve()'s pump idles 0.2 s but wakes on every reply)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--burst", type=int, default=4)
    args = parser.parse_args()
    asyncio.run(main(args.residents, args.rounds, args.burst))
