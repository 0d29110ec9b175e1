"""What the console's live desk pages cost, and how soon a change reaches a waiting page.

Measured in one run, on a database file with the test organisation:

* a desk write (a ticket opened, claimed and answered through ``Service``) with the triggers
  that count desk changes, against the same writes with those triggers dropped (baseline);
* reading the desk's revision (what each waiting page does every 0.5 s) against ``SELECT 1``;
* the time from a change to the answer of ``--pages`` waiting ``GET /console/live`` polls (the
  ASGI app in-process over httpx), for a claim made in the console (woken at once) and for a
  claim made by another writer (a chat desk: seen at the next re-read).

Usage: python benchmarks/console_live.py [--tickets N] [--pages N] [--rounds N]
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from fakes import ScriptedIndex, load_org  # noqa: E402

from bot.accounts import Accounts  # noqa: E402
from bot.app import build_service, open_database  # noqa: E402
from bot.channels.web_app import WebChat  # noqa: E402
from bot.channels.web_store import WebStore  # noqa: E402
from bot.console_notes import WATCHED, desk_revision  # noqa: E402
from bot.messages import Address  # noqa: E402
from bot.service import Service  # noqa: E402

TZ = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
PASSWORD = "bench-password"


def desk_writes(service: Service, n: int) -> list[float]:
    """``n`` tickets opened, claimed and answered; the seconds each ticket's writes took."""
    took = []
    for i in range(n):
        now = T0 + timedelta(seconds=i)
        began = time.perf_counter()
        ticket = service.tickets.create(
            resident_id=None, address=Address("telegram", str(i)), community="xinhepu",
            team="dongshan", category="租房", question="房东不退押金", urgent=False, now=now,
        )
        service.desk_command("小李", f"/claim {ticket.number}", now)
        service.desk_command("小李", f"/reply {ticket.number} 先书面催告。", now)
        took.append(time.perf_counter() - began)
    return took


def reads(fn: object, n: int) -> float:
    """Median microseconds of ``fn()``."""
    assert callable(fn)
    took = []
    for _ in range(n):
        began = time.perf_counter()
        fn()
        took.append(time.perf_counter() - began)
    return statistics.median(took) * 1e6


async def wake_times(service: Service, pages: int, rounds: int) -> dict[str, list[float]]:
    """Seconds from a claim to the answer of every waiting poll, per kind of writer."""
    clock = lambda: T0  # noqa: E731
    app = WebChat(service, WebStore(service.db), clock, asyncio.Event()).app()
    Accounts(service.db).set_password("王律师", PASSWORD, T0)
    Accounts(service.db).set_password("小李", PASSWORD, T0)
    transport = httpx.ASGITransport(app=app)
    clients = {}
    for name in ("王律师", "小李"):
        client = httpx.AsyncClient(transport=transport, base_url="http://bench")
        page = await client.get("/console/login")
        token = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text)
        assert token is not None
        await client.post("/console/login",
                          data={"csrf": token.group(1), "name": name, "password": PASSWORD})
        clients[name] = client
    found = re.search(r'name="csrf" value="([0-9a-f]+)"',
                      (await clients["小李"].get("/console/tickets")).text)
    assert found is not None
    csrf = found.group(1)
    watcher = clients["王律师"]
    times: dict[str, list[float]] = {"console": [], "other writer": []}
    for round_ in range(rounds):
        for kind in times:
            n = service.tickets.create(
                resident_id=None, address=Address("telegram", "x"), community="xinhepu",
                team="dongshan", category="租房", question="噪音", urgent=False, now=T0,
            ).number
            since = desk_revision(service.db)
            polls = [
                asyncio.create_task(watcher.get(f"/console/live?since={since}",
                                                headers={"x-console-live": "1"}))
                for _ in range(pages)
            ]
            await asyncio.sleep(0.05)  # let every poll reach its wait
            began = time.perf_counter()
            if kind == "console":
                await clients["小李"].post(f"/console/tickets/{n}/claim", data={"csrf": csrf})
            else:
                service.desk_command("小李", f"/claim {n}", T0)
            await asyncio.gather(*polls)
            if round_:  # the first round warms up
                times[kind].append(time.perf_counter() - began)
    for client in clients.values():
        await client.aclose()
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=2_000)
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=11)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="lawbot-live-bench-"))
    services = {}
    for label, drop in (("without the triggers (baseline)", True), ("with the triggers", False)):
        db = open_database(folder / f"{drop}.db")
        load_org(db)
        if drop:
            for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"
                                      " AND name LIKE 'desk_revision_%'").fetchall():
                db.execute(f"DROP TRIGGER {name}")
        services[label] = build_service(db, TZ, ScriptedIndex())
        desk_writes(services[label], 100)  # warm-up
    # Batches taking turns: the machine is shared, and both databases grow alike.
    results: dict[str, list[float]] = {label: [] for label in services}
    for _ in range(max(1, args.tickets // 100)):
        for label, service in services.items():
            results[label] += desk_writes(service, 100)
    service = services["with the triggers"]
    db = service.db
    revision_us = reads(lambda: desk_revision(db), 20_000)
    select_us = reads(lambda: db.execute("SELECT 1").fetchone(), 20_000)
    wakes = asyncio.run(wake_times(service, args.pages, args.rounds))
    for service in services.values():
        service.db.close()
    print(f"{args.tickets:,} tickets, each opened, claimed and answered through Service"
          f" (triggers on {', '.join(WATCHED)}):\n")
    print("| desk writes | p50 per ticket | p90 | × baseline (p50) |")
    print("|---|---:|---:|---:|")
    base = statistics.median(results["without the triggers (baseline)"])
    for label, took in results.items():
        p50, p90 = statistics.median(took), statistics.quantiles(took, n=10)[-1]
        print(f"| {label} | {p50 * 1000:.2f} ms | {p90 * 1000:.2f} ms | {p50 / base:.2f} |")
    print("\n| one read | median |\n|---|---:|")
    print(f"| `SELECT 1` (baseline) | {select_us:.1f} µs |")
    print(f"| `desk_revision` (each waiting page, every 0.5 s) | {revision_us:.1f} µs |")
    print(f"\nFrom a claim to the answer of all {args.pages} waiting polls"
          f" ({args.rounds - 1} rounds):\n")
    print("| claimed by | median | max |\n|---|---:|---:|")
    for kind, took in wakes.items():
        print(f"| {kind} | {statistics.median(took) * 1000:.1f} ms | {max(took) * 1000:.1f} ms |")
    shutil.rmtree(folder)


if __name__ == "__main__":
    main()
