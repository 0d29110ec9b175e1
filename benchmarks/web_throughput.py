"""Question → answer latency and answers per second of the web chat, beside the terminal.

The server runs as ``lawbot run`` runs it (``bot.runner.serve``: the web channel on uvicorn,
the outbox pump, the tick) in a child process, on a SQLite file holding the statutes, the
starter FAQ and the demo organisation. Residents are aiohttp clients in this process (one
connection pool, keep-alive) doing what the page's script does: a poll is waiting, the
question is POSTed, and the time counted is until a poll returns the bot's first reply. It
measures, in one run:

* terminal: ``Service.handle`` called directly (what ``lawbot chat`` does), one at a time;
* web, N at once (1, 10, 100): 100 residents, N of them asking back to back with no pause.
  Answers per second count every answered question over the whole time (page loads and
  each resident's first question included); with N asking at once, a question waits for the
  N - 1 before it, so p50 ≈ N / answers per second (Little's law);
* web, paced: 100 residents at once, each asking every ``100 / --paced`` seconds, so that
  ``--paced`` questions per second arrive spread out: the latency at that load.

For every path: the CPU time per answered question of the server process and of the clients'
process (page loads and polls included; for the terminal, of ``Service.handle`` with its
``/start``), and the machine's load average before and after (other work on the same cores
shows there).

Every resident asks one question first, not timed (the notice and the community binding),
then ``--questions`` more; nobody reaches the core's flood limit (8 messages in 30 s). The
per-address limit is lifted: here one loopback address stands for every phone. Each path gets
a fresh copy of the same database.

Usage: python benchmarks/web_throughput.py [--residents N] [--questions N] [--paced N]
       [--synchronous FULL|NORMAL]
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
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import sqlite_utils

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from demo_db import prepare  # noqa: E402
from latency import percentile  # noqa: E402

from bot.app import build_service, open_database  # noqa: E402
from bot.clock import FixedClock, system_now  # noqa: E402
from bot.messages import Incoming  # noqa: E402

TZ = ZoneInfo("Asia/Shanghai")
CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')
COOKIE = "lawbot_resident"
SYNCHRONOUS = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}


@dataclass
class Row:
    """One line of the table."""

    path: str
    at_once: str
    times: list[float]
    rate: float
    server_cpu: float
    client_cpu: float | None
    load: tuple[float, float]


def database(path: Path | str, synchronous: str | None) -> sqlite_utils.Database:
    """The database as the bot opens it, or with SQLite's ``synchronous`` set to compare."""
    db = open_database(path)
    if synchronous is not None:
        db.execute(f"PRAGMA synchronous = {synchronous}")
    return db


def cpu_seconds() -> float:
    """CPU time this process has used so far (user + system)."""
    times = os.times()
    return times.user + times.system


def load_average() -> float:
    """The machine's one-minute load average."""
    return os.getloadavg()[0]


def terminal(
    path: Path, questions: list[str], residents: int, per: int, synchronous: str | None
) -> Row:
    """``Service.handle`` one call at a time (what ``lawbot chat`` does): the baseline."""
    load = load_average()
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
    return Row("terminal (`Service.handle`)", "1", times, len(times) / sum(times), per_answer,
               None, (load, load_average()))


def run_server(
    path: str, port: int, ready: Any, synchronous: str | None, cpu: Any
) -> None:
    """The child process: ``serve`` with the web channel until SIGTERM.

    Logs as ``lawbot run`` does (a line per request), to ``<path>.log`` instead of stderr.
    Sets ``ready`` once listening and warm; puts on ``cpu`` the CPU seconds used from then on.
    """
    from bot.channels.web import WebChannel
    from bot.channels.web_guard import WebLimits
    from bot.channels.web_store import WebStore
    from bot.ops import logs
    from bot.runner import serve

    with open(f"{path}.log", "w") as log_file:
        os.dup2(log_file.fileno(), sys.stderr.fileno())
    logs.configure()

    async def main() -> None:
        service = build_service(database(path, synchronous), TZ)
        service.index.match("预热", None)
        limits = WebLimits(ip_per_minute=10**9)
        stop = asyncio.Event()
        web = WebChannel(service, WebStore(service.db), "127.0.0.1", port, limits=limits)
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
        task = asyncio.create_task(serve(service, [web], stop, system_now))
        while web._server is None or not web._server.started:
            if task.done():
                task.result()  # serve() ended before the server started: say why
            await asyncio.sleep(0.01)
        started = cpu_seconds()
        ready.set()
        await task
        cpu.put(cpu_seconds() - started)

    asyncio.run(main())


class Phone:
    """One resident's page: its cookie, its CSRF token and the last message number it holds."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self.session = session
        self.headers: dict[str, str] = {}
        self.csrf = ""
        self.cursor = 0

    async def open(self) -> None:
        """Load the chat page: the cookie and the form's CSRF token."""
        async with self.session.get("/c/xinhepu") as page:
            page.raise_for_status()
            body = await page.text()
            token = page.cookies[COOKIE].value
        found = CSRF.search(body)
        assert found is not None
        self.csrf = found.group(1)
        self.headers = {"cookie": f"{COOKIE}={token}", "accept": "application/json"}

    async def ask(self, text: str) -> float:
        """Ask as the page does (a poll waiting, then the POST); seconds until the reply."""
        started = time.perf_counter()
        waiting = asyncio.create_task(self._poll())
        async with self.session.post(
            "/c/xinhepu/send", data={"text": text, "csrf": self.csrf}, headers=self.headers
        ) as sent:
            sent.raise_for_status()
            mine = (await sent.json())["messages"][0]["id"]
        while True:
            data = await waiting
            self.cursor = data["cursor"]
            if any(m["id"] > mine for m in data["messages"]):
                return time.perf_counter() - started
            waiting = asyncio.create_task(self._poll())

    async def _poll(self) -> Any:
        async with self.session.get(
            f"/c/xinhepu/poll?after={self.cursor}", headers=self.headers
        ) as response:
            response.raise_for_status()
            return await response.json()


def session(base: str) -> aiohttp.ClientSession:
    """One keep-alive connection pool for every phone; cookies are each phone's header."""
    return aiohttp.ClientSession(
        base_url=base, connector=aiohttp.TCPConnector(limit=0),
        cookie_jar=aiohttp.DummyCookieJar(),
    )


async def back_to_back(
    base: str, questions: list[str], residents: int, per: int, at_once: int
) -> tuple[list[float], float]:
    """``residents`` phones, ``at_once`` of them asking at a time with no pause.

    Returns the timed latencies and the answers per second over the whole time (every
    answered question, the first of each resident too, page loads included).
    """
    times: list[float] = []
    waiting = list(range(residents))
    async with session(base) as client:

        async def worker() -> None:
            while waiting:
                r = waiting.pop(0)
                phone = Phone(client)
                await phone.open()
                for n in range(per + 1):
                    took = await phone.ask(questions[(r * (per + 1) + n) % len(questions)])
                    if n:
                        times.append(took)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(at_once)))
        elapsed = time.perf_counter() - started
    return times, residents * (per + 1) / elapsed


async def paced(
    base: str, questions: list[str], residents: int, per: int, rate: float
) -> tuple[list[float], float]:
    """Every phone open and past its first question, then ``rate`` questions a second.

    Resident ``r`` asks at ``start + r / rate + k * residents / rate``: the questions arrive
    evenly. Returns the timed latencies and the answers per second from the first timed
    question to the last answer.
    """
    times: list[float] = []
    async with session(base) as client:
        phones = [Phone(client) for _ in range(residents)]

        async def first(r: int) -> None:
            await phones[r].open()
            await phones[r].ask(questions[r * (per + 1) % len(questions)])

        await asyncio.gather(*(first(r) for r in range(residents)))
        start = time.perf_counter() + 0.05

        async def phone(r: int) -> None:
            for k in range(per):
                due = start + (r + k * residents) / rate
                await asyncio.sleep(max(0.0, due - time.perf_counter()))
                times.append(await phones[r].ask(questions[(r * (per + 1) + k + 1)
                                                           % len(questions)]))

        await asyncio.gather(*(phone(r) for r in range(residents)))
        elapsed = time.perf_counter() - start
    return times, len(times) / elapsed


def web(
    path: Path, questions: list[str], args: argparse.Namespace, at_once: int | None
) -> Row:
    """The server in a child process, the phones here: back to back, or paced when None."""
    load = load_average()
    port = free_port()
    context = multiprocessing.get_context("fork")
    ready = context.Event()
    cpu = context.Queue()
    server = context.Process(
        target=run_server, args=(str(path), port, ready, args.synchronous, cpu)
    )
    server.start()
    deadline = time.monotonic() + 120
    while not ready.wait(0.1):
        if server.is_alive() and time.monotonic() < deadline:
            continue
        server.kill()
        log = Path(f"{path}.log").read_text(encoding="utf-8")[-3000:]
        raise SystemExit(f"the web server did not start; its log ends:\n{log}")
    base = f"http://127.0.0.1:{port}"
    client_started = cpu_seconds()
    try:
        if at_once is None:
            times, rate = asyncio.run(
                paced(base, questions, args.residents, args.questions, args.paced)
            )
        else:
            times, rate = asyncio.run(
                back_to_back(base, questions, args.residents, args.questions, at_once)
            )
    finally:
        server.terminate()
        server.join(30)
    answers = args.residents * (args.questions + 1)
    client = (cpu_seconds() - client_started) / answers
    name, shown = (
        (f"web, paced at {args.paced:.0f} questions/s", str(args.residents))
        if at_once is None else ("web, back to back", str(min(at_once, args.residents)))
    )
    return Row(name, shown, times, rate, cpu.get(timeout=30) / answers, client,
               (load, load_average()))


def free_port() -> int:
    """A TCP port free on the loopback interface now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def table(rows: list[Row]) -> str:
    """The Markdown table of every path."""
    lines = [
        "| path | at once | timed answers | p50 | p99 | answers/s | server CPU / answer |"
        " clients' CPU / answer | load avg before → after |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        client = "–" if row.client_cpu is None else f"{row.client_cpu * 1000:.2f} ms"
        lines.append(
            f"| {row.path} | {row.at_once} | {len(row.times)} |"
            f" {statistics.median(row.times) * 1000:.1f} ms |"
            f" {percentile(row.times, 99) * 1000:.1f} ms | {row.rate:.0f} |"
            f" {row.server_cpu * 1000:.2f} ms | {client} |"
            f" {row.load[0]:.2f} → {row.load[1]:.2f} |"
        )
    return "\n".join(lines)


def main() -> None:
    """Measure every path on fresh copies of one database; print the table and the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=100)
    parser.add_argument("--questions", type=int, default=4)
    parser.add_argument("--paced", type=float, default=200.0,
                        help="questions per second offered in the paced run")
    parser.add_argument("--synchronous", choices=["FULL", "NORMAL"], default=None,
                        help="SQLite's fsync setting for every path (default: the bot's own)")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        seed = Path(tmp) / "seed.db"
        questions = prepare(seed)
        db = database(seed, args.synchronous)
        synchronous = SYNCHRONOUS[db.execute("PRAGMA synchronous").fetchone()[0]]
        db.close()
        copies = iter(range(10))

        def copy() -> Path:
            path = Path(tmp) / f"copy{next(copies)}.db"
            shutil.copy(seed, path)
            return path

        rows.append(terminal(copy(), questions, args.residents, args.questions,
                             args.synchronous))
        for at_once in (1, 10, 100):
            rows.append(web(copy(), questions, args, at_once))
        rows.append(web(copy(), questions, args, None))
    print(f"{args.residents} residents × {args.questions} timed questions each (1 untimed"
          f" first), SQLite synchronous={synchronous}, {os.cpu_count()} cores\n")
    print(table(rows))
    base, one, hundred = rows[0], rows[1], rows[3]
    print(
        f"\nweb one at a time p50 / terminal p50 = "
        f"{statistics.median(one.times) / statistics.median(base.times):.1f}×;"
        f" terminal answers/s / web 100 at once = {base.rate / hundred.rate:.1f}×;"
        f" web server CPU / terminal CPU per answer (100 at once) = "
        f"{hundred.server_cpu / base.server_cpu:.1f}×"
    )


if __name__ == "__main__":
    main()
