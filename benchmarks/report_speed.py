"""How fast `lawbot report` builds a three-month workbook from 100,000 questions and 5,000 log rows.

Generates a district (220 communities in 20 streets), 100,000 logged questions over three
months on three channels (with tickets, first replies and both kinds of rating) and 5,000
work-log rows, straight into a SQLite file. Then each case runs in its own subprocess and
prints wall time and peak memory (VmHWM) next to a baseline from the same run: `lawbot stats`
over the same data and months (the old text table). Target: ≤ 10 s and ≤ 300 MB.

Usage: python benchmarks/report_speed.py [--questions N] [--log-rows N]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from child_measure import measure, peak_rss_mb  # noqa: E402

TZ = ZoneInfo("Asia/Shanghai")
FIRST, LAST = date(2026, 11, 1), date(2027, 1, 1)
STREETS, PER_STREET = 20, 11
CATEGORIES = ("租赁", "物业", "加装电梯", "相邻关系", "婚姻家庭", "继承", "劳动", "借贷",
              "交通事故", "消费", "法律援助", "")
DECISIONS = ("answer",) * 6 + ("suggest",) * 2 + ("escalate", "human", "urgent")
CHANNELS = ("telegram", "telegram", "web", "matrix")
LOG_TYPES = ("现场咨询", "电话咨询", "法律意见书", "人民调解", "法治宣传", "法律援助转介", "其他")
CASES = ("lawbot stats (baseline)", "report figures only", "lawbot report --out x.xlsx",
         "lawbot report --format csv")


def organisation() -> object:
    """20 streets of 11 communities, one team each."""
    from bot.desk.org import Community, Organisation, Team

    teams = [Team(f"t{s}", f"第{s}街道团队", {"terminal": f"t{s}"}) for s in range(STREETS)]
    communities = [
        Community(f"c{s:02d}{c:02d}", f"第{s}街道第{c}社区", f"第{s}街道", f"t{s}")
        for s in range(STREETS) for c in range(PER_STREET)
    ]
    return Organisation(teams, communities, [], [])


def fill(db_path: Path, questions: int, log_rows: int, seed: int = 11) -> None:
    """Write the organisation, the questions, tickets and the work log into ``db_path``."""
    from bot.app import open_database
    from bot.clock import iso
    from bot.desk.org import save

    rng = random.Random(seed)
    db = open_database(db_path)
    org = organisation()
    save(db, org, "benchmark")  # type: ignore[arg-type]
    codes = list(org.communities)  # type: ignore[attr-defined]
    start = datetime(2026, 10, 31, 16, tzinfo=UTC)  # 2026-11-01 00:00 in Shanghai
    span = (datetime(2027, 1, 31, 16, tzinfo=UTC) - start).total_seconds()
    q_rows, t_rows = [], []
    for i in range(questions):
        at = start + timedelta(seconds=rng.random() * span)
        decision = rng.choice(DECISIONS)
        place = rng.choice(codes)
        ticket = None
        if decision in ("escalate", "human", "urgent"):
            ticket = len(t_rows) + 1
            first = at + timedelta(minutes=rng.expovariate(1 / 40)) if rng.random() < 0.9 else None
            stars = rng.randint(1, 5) if rng.random() < 0.3 else None
            t_rows.append((ticket, place, iso(at), iso(first) if first else None,
                           "closed", stars, int(decision == "urgent"), "居民的问题", iso(at)))
        rating = rng.choice(("up", "down")) if decision == "answer" and rng.random() < 0.2 else None
        q_rows.append((iso(at), i, rng.choice(CHANNELS), place, f"居民问题{i}", decision,
                       rng.choice(CATEGORIES), ticket, rating))
    with db.atomic():
        db.conn.executemany(
            "INSERT INTO tickets (id, community, created_at, first_reply_at, status, rating,"
            " urgent, question, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", t_rows)
        db.conn.executemany(
            "INSERT INTO question_log (at, resident_id, channel, community, text, decision,"
            " category, ticket_id, rating) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", q_rows)
        days = (LAST - FIRST).days + 31
        db.conn.executemany(
            "INSERT INTO work_log (type, community, day, count, minutes, note, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(rng.choice(LOG_TYPES), rng.choice(codes),
              (FIRST + timedelta(days=rng.randrange(days))).isoformat(), rng.randint(1, 60),
              rng.choice((None, 30, 60, 120)), "摘要", iso(start)) for _ in range(log_rows)])
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def child(case: str, db_path: Path, out_dir: Path) -> None:
    """Run one case in this (fresh) process and print its time and peak memory as JSON."""
    from bot.app import open_database
    from bot.desk.org import Organisation
    from bot.report import build, write_csv, write_xlsx
    from bot.stats import report

    begin = time.perf_counter()
    db = open_database(db_path)
    if case == CASES[0]:
        codes = tuple(Organisation.load(db).communities)
        rows = len(report(db, TZ, FIRST, date(2027, 1, 31), communities=codes).by_community)
    else:
        result = build(db, TZ, FIRST, LAST)
        rows = len(result.summary)
        if case == CASES[2]:
            write_xlsx(result, out_dir / "report.xlsx", datetime.now(TZ))
        elif case == CASES[3]:
            write_csv(result, out_dir / "report.csv")
    db.close()
    seconds = time.perf_counter() - begin
    print(json.dumps({"seconds": seconds, "peak_mb": peak_rss_mb(), "rows": rows}))


def main() -> None:
    """Generate the database, run every case, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--questions", type=int, default=100_000)
    parser.add_argument("--log-rows", type=int, default=5_000)
    parser.add_argument("--child", nargs=3, metavar=("CASE", "DB", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), Path(args.child[2]))
        return
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        db_path = work / "lawbot.db"
        fill(db_path, args.questions, args.log_rows)
        print(f"{args.questions:,} questions, {args.log_rows:,} log rows, "
              f"{STREETS * PER_STREET} communities, 3 months; "
              f"database {db_path.stat().st_size / 1e6:.1f} MB")
        print(f"{'case':<30}{'time (s)':>10}{'peak (MB)':>12}{'× baseline time':>18}")
        base = None
        for case in CASES:
            run = measure(__file__, case, db_path, work)
            base = base or run
            ratio = run["seconds"] / base["seconds"] if base["seconds"] else float("inf")
            print(f"{case:<30}{run['seconds']:>10.2f}{run['peak_mb']:>12.0f}{ratio:>18.1f}")
        size = (work / "report.xlsx").stat().st_size / 1e3
        print(f"workbook {size:.0f} KB; target: ≤ 10 s and ≤ 300 MB")


if __name__ == "__main__":
    main()
