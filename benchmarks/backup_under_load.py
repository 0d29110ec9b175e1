"""What an online backup costs: its time against a plain file copy, and whether residents
chatting through the real Service wait for it.

Builds a database with the statute corpus and ``--messages`` residents' messages (every
question escalates to a ticket or follows one up: the write-heaviest path), then measures in
one run:

* ``lawbot backup`` (online backup API in one read transaction, integrity check, row counts)
  against ``shutil.copy`` of the file, the baseline (which is not safe under writes);
* ``Service.handle`` latency in a writer thread, first with nothing else running (baseline),
  then while backups run back to back in the main thread, for the same number of messages.

Usage: python benchmarks/backup_under_load.py [--messages N] [--sample N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from fakes import ScriptedIndex, load_org, msg  # noqa: E402

from bot.app import build_service, open_database  # noqa: E402
from bot.ops.backup import backup  # noqa: E402
from bot.service import Service  # noqa: E402
from knowledge.laws import LawStore  # noqa: E402

LAWS = ROOT.parent / "shared" / "data" / "laws" / "laws.jsonl"
TZ = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


def chat(service: Service, start: int, n: int) -> list[float]:
    """``n`` messages from 200 residents; the seconds each ``handle`` took."""
    took = []
    for i in range(start, start + n):
        who = f"r{i % 200}"
        text = "/start xinhepu" if i < 200 else f"房东不退押金，第{i}次补充说明"
        began = time.perf_counter()
        service.handle(msg(text, who=who), T0 + timedelta(seconds=i))
        took.append(time.perf_counter() - began)
    return took


def pct(values: list[float], q: float) -> float:
    return sorted(values)[min(len(values) - 1, int(q * len(values)))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--sample", type=int, default=2_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="lawbot-backup-bench-"))
    path = folder / "lawbot.db"
    db = open_database(path)
    LawStore(db).import_jsonl(LAWS)
    load_org(db)
    chat(build_service(db, TZ, ScriptedIndex()), 0, args.messages)
    db.close()
    size = path.stat().st_size / 1e6

    began = time.perf_counter()
    shutil.copy(path, folder / "plain.db")
    copy_s = time.perf_counter() - began
    times = []
    for n in range(3):
        began = time.perf_counter()
        backup(path, folder / f"b{n}.db", T0)
        times.append(time.perf_counter() - began)
    backup_s = statistics.median(times)

    def writer(start: int, out: list[float], done: threading.Event) -> None:
        wdb = open_database(path)
        try:
            out.extend(chat(build_service(wdb, TZ, ScriptedIndex()), start, args.sample))
        finally:
            wdb.close()
            done.set()

    # Two rounds each, taking turns, after a warm-up round: the machine is shared.
    alone: list[float] = []
    during: list[float] = []
    under_load: list[float] = []
    start = args.messages
    for round_ in range(5):
        out: list[float] = []
        done = threading.Event()
        threading.Thread(target=writer, args=(start, out, done)).start()
        start += args.sample
        if round_ % 2 == 0:
            done.wait()
        while not done.is_set():
            began = time.perf_counter()
            backup(path, folder / "under-load.db", T0)
            under_load.append(time.perf_counter() - began)
        if round_:
            (alone if round_ % 2 == 0 else during).extend(out)
    backups = len(under_load)

    print(f"database: {size:.1f} MB ({args.messages:,} messages + statutes)\n")
    print("| copy | time | × plain copy |")
    print("|---|---:|---:|")
    print(f"| plain `shutil.copy` (baseline, unsafe under writes) | {copy_s:.2f} s | 1.0 |")
    print(f"| `lawbot backup` (online API + integrity check + counts) | {backup_s:.2f} s"
          f" | {backup_s / copy_s:.1f} |")
    loaded_s = statistics.median(under_load)
    print(f"| `lawbot backup` while residents write (median of {backups})"
          f" | {loaded_s:.2f} s | {loaded_s / copy_s:.1f} |")
    print(f"\n`Service.handle` over 2 × {args.sample:,} messages each:\n")
    print("| | p50 | p99 | max |")
    print("|---|---:|---:|---:|")
    for name, values in (("alone (baseline)", alone), (f"during {backups} backups", during)):
        print(f"| {name} | {pct(values, 0.5):.2f} ms | {pct(values, 0.99):.2f} ms"
              f" | {max(values) * 1000:.1f} ms |")
    shutil.rmtree(folder)


if __name__ == "__main__":
    main()
