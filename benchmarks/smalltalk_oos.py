"""Small talk and chit-chat: how many of them would reach the human desk as tickets.

Every line of ../shared/data/eval/oos_chitchat.jsonl (short user turns of travel-booking
dialogues: 谢谢, 好的, 地址在哪？, …) goes through the real Service (starter FAQ, real index,
demo organisation) as the first message of a fresh resident; the table counts what the bot
did. Even lines were used to tune the phrase file (bot/data/smalltalk.txt), odd lines are
the report. Target (issue 15): at most 1% become tickets.

    PYTHONPATH=. .venv/bin/python benchmarks/smalltalk_oos.py [--show ticket,answer]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.app import build_service, open_database  # noqa: E402
from bot.clock import system_now  # noqa: E402
from bot.desk.org import load_demo  # noqa: E402
from bot.messages import Incoming  # noqa: E402
from knowledge.seed import load_starter  # noqa: E402

SETS = ("oos_chitchat",)
OUTCOMES = ("small talk", "clarify", "suggest", "answer", "ticket")


def shared_eval() -> Path:
    """../shared/data/eval beside the checkout (or beside the main checkout of a worktree)."""
    for base in (ROOT.parent, ROOT.parent.parent):
        found = base / "shared" / "data" / "eval"
        if found.exists():
            return found
    raise SystemExit("../shared/data/eval not found")


def outcome(decisions: list[str], tickets: int) -> str:
    """What the bot did with one message, from the question log and the ticket count."""
    if tickets:
        return "ticket"
    if not decisions:
        return "small talk"
    return {"clarify": "clarify", "suggest": "suggest", "answer": "answer"}.get(
        decisions[-1], decisions[-1]
    )


def run(questions: list[str], show: set[str]) -> Counter[str]:
    """Each question as a fresh resident's first message; count the outcomes."""
    counts: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp) / "bench.db")
        load_starter(db, publish=True)  # the demo: published without sign-off
        load_demo(db)
        service = build_service(db, ZoneInfo("Asia/Shanghai"))
        now = system_now()
        for n, question in enumerate(questions):
            who = f"r{n}"
            for i, text in enumerate(("/start xinhepu", question)):
                service.handle(Incoming("terminal", who, who, text, f"{who}-{i}"), now)
            rows = db.execute(
                "SELECT q.decision FROM question_log q JOIN residents r ON r.id = q.resident_id"
                " WHERE r.user_id = ? ORDER BY q.id",
                [who],
            ).fetchall()
            tickets = db.execute(
                "SELECT count(*) FROM tickets t JOIN residents r ON r.id = t.resident_id"
                " WHERE r.user_id = ?",
                [who],
            ).fetchone()[0]
            found = outcome([r[0] for r in rows], tickets)
            counts[found] += 1
            if found in show:
                print(f"  {found}: {question}")
        db.close()
    return counts


def main() -> None:
    """Print one row per set and half: how many messages ended in each outcome."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--show", default="", help="print the messages of these outcomes")
    args = parser.parse_args()
    show = {s.strip() for s in args.show.split(",") if s.strip()}
    header = f"{'set':<24}{'n':>5}" + "".join(f"{o:>12}" for o in OUTCOMES) + f"{'tickets %':>11}"
    print(header)
    for name in SETS:
        lines = (shared_eval() / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        questions = [json.loads(line)["question"] for line in lines if line.strip()]
        for half, part in (("tune", questions[0::2]), ("report", questions[1::2])):
            counts = run(part, show)
            share = 100 * counts["ticket"] / len(part)
            cells = "".join(f"{counts[o]:>12}" for o in OUTCOMES)
            print(f"{name + ' ' + half:<24}{len(part):>5}{cells}{share:>10.1f}%")


if __name__ == "__main__":
    main()
