"""Question → answer latency and answers per second of the web chat, beside the terminal.

The server runs as ``lawbot run`` runs it (``bot.runner.serve``: the web channel on uvicorn,
the outbox pump, the tick) in a child process, on a SQLite file holding the statutes, the
starter FAQ and the demo organisation. Residents are httpx clients in this process doing what
the page's script does: a poll is waiting, the question is POSTed, and the time counted is
until a poll returns the bot's first reply. It measures, in one run:

* terminal: ``Service.handle`` called directly (what ``lawbot chat`` does), one at a time;
* web with 1, 10 and 100 residents asking at once: p50 / p99 latency, answers per second, and
  the server process's CPU time per answered question (page loads and polls included; for
  the terminal, of ``Service.handle`` with its ``/start``). The clients share the machine's
  two cores with the server, so answers per second is a lower bound of the server's own.

Every resident asks one question first, not measured (the notice and the community binding),
then ``--questions`` more; nobody reaches the core's flood limit (8 messages in 30 s). The
per-address limit is lifted: here one loopback address stands for every phone. Each path gets
a fresh copy of the same database.

Usage: python benchmarks/web_throughput.py [--residents N] [--questions N]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import re
import shutil
import signal
import socket
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import sqlite_utils

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from bot.app import build_service, open_database  # noqa: E402
from bot.clock import FixedClock, system_now  # noqa: E402
from bot.desk.org import load_demo  # noqa: E402
from bot.messages import Incoming  # noqa: E402
from knowledge.faq import FaqStore  # noqa: E402
from knowledge.laws import LawStore  # noqa: E402
from knowledge.seed import load_starter  # noqa: E402

LAWS = ROOT.parent / "shared" / "data" / "laws" / "laws.jsonl"
TZ = ZoneInfo("Asia/Shanghai")
CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100) by nearest rank."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered)) - 1))
    return ordered[rank]


def prepare(path: Path) -> list[str]:
    """Statutes, the starter FAQ and the demo organisation; return the FAQ's questions."""
    db = open_database(path)
    if LAWS.exists():
        LawStore(db).import_jsonl(LAWS)
    load_starter(db, publish=True)  # the demo: published without sign-off
    load_demo(db)
    questions = [e.question for e in FaqStore(db, LawStore(db)).published()]
    db.close()
    return questions


def database(path: Path | str, synchronous: str) -> sqlite_utils.Database:
    """The database with SQLite's ``synchronous`` setting (FULL: what the bot uses today)."""
    db = open_database(path)
    db.execute(f"PRAGMA synchronous = {synchronous}")
    return db


def terminal(
    path: Path, questions: list[str], residents: int, per: int, synchronous: str
) -> tuple[list[float], float]:
    """Seconds per ``Service.handle`` call, one at a time (the baseline), and CPU per answer."""
    service = build_service(database(path, synchronous), TZ)
    clock = FixedClock(datetime(2026, 12, 1, 2, 0, tzinfo=UTC))
    service.index.match("预热", None)  # build the index before timing, as the web warms up
    times = []
    cpu_started = cpu_seconds()
    for r in range(residents):
        who = f"t{r}"
        for n in range(per + 1):
            text = questions[(r * (per + 1) + n) % len(questions)]
            if n == 0:
                service.handle(Incoming("terminal", who, who, "/start xinhepu", f"{who}s"), clock())
            started = time.perf_counter()
            service.handle(Incoming("terminal", who, who, text, f"{who}:{n}"), clock())
            if n:
                times.append(time.perf_counter() - started)
    per_answer = (cpu_seconds() - cpu_started) / (residents * (per + 1))
    service.db.close()
    return times, per_answer


def cpu_seconds() -> float:
    """CPU time this process has used so far (user + system)."""
    times = os.times()
    return times.user + times.system


def run_server(
    path: str, port: int, ready: multiprocessing.synchronize.Event, synchronous: str,
    cpu: multiprocessing.Queue[float],
) -> None:
    """The child process: ``serve`` with the web channel until SIGTERM.

    Puts on ``cpu`` the CPU seconds used while serving (after start-up and warm-up).
    """
    from bot.channels.web import WebChannel
    from bot.channels.web_guard import WebLimits
    from bot.channels.web_store import WebStore
    from bot.runner import serve

    async def main() -> None:
        service = build_service(database(path, synchronous), TZ)
        service.index.match("预热", None)
        limits = WebLimits(ip_per_minute=10**9)
        stop = asyncio.Event()
        web = WebChannel(service, WebStore(service.db), "127.0.0.1", port, limits=limits)
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
        task = asyncio.create_task(serve(service, [web], stop, system_now))
        while web._server is None or not web._server.started:
            await asyncio.sleep(0.01)
        started = cpu_seconds()
        ready.set()
        await task
        cpu.put(cpu_seconds() - started)

    asyncio.run(main())


async def resident(
    base: str, questions: list[str], start: int, per: int, times: list[float],
    answered: list[int],
) -> None:
    """One phone: open the page, ask ``per + 1`` questions, time all but the first.

    ``times`` gets one latency per timed question, ``answered`` one entry per answer.
    """
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        page = await client.get("/c/xinhepu")
        found = CSRF.search(page.text)
        assert found is not None
        csrf = found.group(1)
        cursor = 0
        for n in range(per + 1):
            text = questions[(start + n) % len(questions)]
            started = time.perf_counter()
            waiting = asyncio.create_task(client.get(f"/c/xinhepu/poll?after={cursor}"))
            sent = await client.post(
                "/c/xinhepu/send", data={"text": text, "csrf": csrf},
                headers={"accept": "application/json"},
            )
            sent.raise_for_status()
            mine = sent.json()["messages"][0]["id"]
            replied = False
            while not replied:
                response = await waiting
                response.raise_for_status()
                data = response.json()
                cursor = data["cursor"]
                replied = any(m["id"] > mine for m in data["messages"])
                if not replied:
                    waiting = asyncio.create_task(client.get(f"/c/xinhepu/poll?after={cursor}"))
            answered.append(1)
            if n:
                times.append(time.perf_counter() - started)


async def web_level(base: str, questions: list[str], residents: int, per: int,
                    concurrent: int) -> tuple[list[float], float]:
    """``residents`` phones, ``concurrent`` at a time; (latencies, answers per second).

    Answers per second count every answered question, the first of each resident too, over
    the whole time (page loads included).
    """
    times: list[float] = []
    answered: list[int] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for r in range(residents):
        queue.put_nowait(r)

    async def worker() -> None:
        while not queue.empty():
            r = queue.get_nowait()
            await resident(base, questions, r * (per + 1), per, times, answered)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrent)))
    return times, len(answered) / (time.perf_counter() - started)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=100)
    parser.add_argument("--questions", type=int, default=4)
    parser.add_argument("--synchronous", choices=["FULL", "NORMAL"], default="FULL",
                        help="SQLite's fsync setting for both paths (the bot uses FULL)")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        seed = Path(tmp) / "seed.db"
        questions = prepare(seed)
        base_copy = Path(tmp) / "terminal.db"
        shutil.copy(seed, base_copy)
        times, per_answer = terminal(
            base_copy, questions, args.residents, args.questions, args.synchronous
        )
        rows.append(("terminal (Service.handle)", 1, times, len(times) / sum(times), per_answer,
                     "–"))
        for concurrent in (1, 10, 100):
            path = Path(tmp) / f"web{concurrent}.db"
            shutil.copy(seed, path)
            port = free_port()
            ready = multiprocessing.Event()
            cpu: multiprocessing.Queue[float] = multiprocessing.Queue()
            server = multiprocessing.Process(
                target=run_server, args=(str(path), port, ready, args.synchronous, cpu)
            )
            server.start()
            if not ready.wait(120):
                server.kill()
                raise SystemExit("the web server did not start")
            client_started = cpu_seconds()
            try:
                times, rate = asyncio.run(web_level(
                    f"http://127.0.0.1:{port}", questions, args.residents, args.questions,
                    concurrent,
                ))
            finally:
                server.terminate()
                server.join(30)
            answers = args.residents * (args.questions + 1)
            per_answer = cpu.get(timeout=30) / answers
            client = (cpu_seconds() - client_started) / answers
            rows.append((f"web, {concurrent} at once", concurrent, times, rate, per_answer,
                         f"{client * 1000:.1f} ms"))
    print(f"{args.residents} residents × {args.questions} timed questions each,"
          f" SQLite synchronous={args.synchronous}\n")
    print("| path | residents at once | timed answers | p50 | p99 | answers/s |"
          " server CPU per answer | clients' CPU per answer |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, concurrent, times, rate, per_answer, client in rows:
        print(f"| {name} | {concurrent} | {len(times)} | {statistics.median(times) * 1000:.1f} ms"
              f" | {percentile(times, 99) * 1000:.1f} ms | {rate:.0f} |"
              f" {per_answer * 1000:.1f} ms | {client} |")


if __name__ == "__main__":
    main()
