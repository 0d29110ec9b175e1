"""Messages per second and update → reply latency of the bot over Telegram, beside the terminal.

Runs the unmodified python-telegram-bot client against the loopback Bot API server of the
tests (tests/botapi_server.py, real HTTP on 127.0.0.1), with the bot served exactly as
``lawbot run`` serves it (``bot.runner.serve``: Telegram channel, outbox pump, tick) on a
SQLite file holding the statutes and the starter FAQ. It measures, in one run:

* terminal: ``Service.handle`` called directly (what ``lawbot chat`` does), one at a time;
* Telegram, one at a time: an update is queued on the server → the bot's sendMessage for
  that chat arrives at the server (p50 / p99);
* Telegram, burst: every resident's question queued at once; answers per second until all
  arrived.

Every resident first sends ``/start xinhepu`` (not measured), then one question per round.
Only starter questions answered by exactly one message are asked (each update ↔ one reply),
and nobody reaches the flood limit. Each path gets a fresh copy of the same database.

Usage: python benchmarks/telegram_throughput.py [--residents N] [--rounds N]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from botapi_server import BotApiServer  # noqa: E402
from demo_db import prepare  # noqa: E402
from latency import percentile  # noqa: E402
from telegram_harness import running  # noqa: E402

from bot.app import build_service, open_database  # noqa: E402
from bot.clock import FixedClock  # noqa: E402
from bot.messages import Incoming  # noqa: E402

FIRST_RESIDENT = 10_000


def single_reply(path: Path, questions: list[str]) -> list[str]:
    """The questions answered by exactly one message (so one update ↔ one reply is timed)."""
    service = build_service(open_database(path), ZoneInfo("Asia/Shanghai"))
    clock = FixedClock(datetime(2026, 12, 1, 2, 0, tzinfo=UTC))
    kept = []
    for n, text in enumerate(questions):
        who = f"probe{n}"
        service.handle(Incoming("terminal", who, who, "/start xinhepu", f"{who}:s"), clock())
        outs = service.handle(Incoming("terminal", who, who, text, f"{who}:q"), clock())
        if len(outs) == 1:
            kept.append(text)
    service.db.close()
    return kept


def terminal(path: Path, questions: list[str], residents: int, rounds: int) -> list[float]:
    """Seconds per ``Service.handle`` call for every measured question."""
    service = build_service(open_database(path), ZoneInfo("Asia/Shanghai"))
    clock = FixedClock(datetime(2026, 12, 1, 2, 0, tzinfo=UTC))
    for r in range(residents):
        who = f"t{r}"
        service.handle(Incoming("terminal", who, who, "/start xinhepu", f"{who}:s"), clock())
    timings = []
    for n in range(rounds):
        clock.advance(seconds=10)
        for r in range(residents):
            who = f"t{r}"
            text = questions[(n * residents + r) % len(questions)]
            started = time.perf_counter()
            service.handle(Incoming("terminal", who, who, text, f"{who}:{n}"), clock())
            timings.append(time.perf_counter() - started)
    service.db.close()
    return timings


async def telegram(
    path: Path, questions: list[str], residents: int, rounds: int, pump_idle: float
) -> tuple[list[float], float, int]:
    """(one-at-a-time latencies, burst seconds, burst size) over the loopback server."""
    chats = [FIRST_RESIDENT + r for r in range(residents)]
    start = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    clock = FixedClock(start)
    service = build_service(open_database(path), ZoneInfo("Asia/Shanghai"))
    with BotApiServer() as server:

        def replies() -> int:
            return sum(1 for c in server.sent() if int(c.params["chat_id"]) in chats)

        async def until(count: int, timeout: float = 120.0) -> None:
            await server.wait_for(lambda: replies() >= count, timeout)

        async with running(service, server, clock, pump_idle=pump_idle):
            for chat in chats:
                server.push_message(chat, chat, "/start xinhepu")
            await until(2 * residents)  # notice + community set, each
            latencies = []
            for n in range(rounds):
                clock.advance(seconds=10)
                for r, chat in enumerate(chats):
                    text = questions[(n * residents + r) % len(questions)]
                    queued = time.monotonic()
                    server.push_message(chat, chat, text)
                    await server.wait_for(
                        lambda chat=chat, queued=queued: any(
                            c.at >= queued for c in server.sent(chat)
                        )
                    )
                    answered = min(c.at for c in server.sent(chat) if c.at >= queued)
                    latencies.append(answered - queued)
            clock.advance(seconds=60)
            before = replies()
            queued = time.monotonic()
            for r, chat in enumerate(chats):
                for n in range(rounds):
                    text = questions[(n * residents + r + 7) % len(questions)]
                    server.push_message(chat, chat, text)
            await until(before + residents * rounds)
            burst = max(c.at for c in server.sent()) - queued
    service.db.close()
    return latencies, burst, residents * rounds


def table(rows: list[tuple[str, str, str, str]]) -> str:
    """A Markdown table."""
    head = ("path", "messages/s", "p50 ms", "p99 ms")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Run both paths and print the table with ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--pump-idle", type=float, default=0.2, help="outbox pump pause when idle (s)"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        questions = single_reply(path, prepare(path))
        path.unlink()
        prepare(path)
        term = terminal(path, questions, args.residents, args.rounds)
        path.unlink()
        prepare(path)
        tg, burst, burst_count = asyncio.run(
            telegram(path, questions, args.residents, args.rounds, args.pump_idle)
        )
    ms: Callable[[float], str] = lambda s: f"{s * 1000:.1f}"  # noqa: E731
    term_rate = len(term) / sum(term)
    tg_serial_rate = len(tg) / sum(tg)
    tg_burst_rate = burst_count / burst
    print(
        f"{len(questions)} single-reply starter questions; {args.residents} residents × "
        f"{args.rounds} rounds ({len(term)} measured messages per path); loopback HTTP; "
        f"outbox pump idle {args.pump_idle * 1000:.0f} ms\n"
    )
    print(
        table(
            [
                ("terminal: Service.handle", f"{term_rate:.0f}", ms(statistics.median(term)),
                 ms(percentile(term, 99))),
                ("telegram: one at a time", f"{tg_serial_rate:.1f}",
                 ms(statistics.median(tg)), ms(percentile(tg, 99))),
                (f"telegram: burst of {burst_count}", f"{tg_burst_rate:.1f}", "–", "–"),
            ]
        )
    )
    print(
        "\nratios: telegram one-at-a-time p50 / terminal p50 = "
        f"{statistics.median(tg) / statistics.median(term):.0f}×; "
        f"terminal rate / telegram burst rate = {term_rate / tg_burst_rate:.1f}×"
    )


if __name__ == "__main__":
    main()
