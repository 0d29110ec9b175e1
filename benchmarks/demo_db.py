"""The demo database the throughput benchmarks measure: statutes, the starter FAQ published as
`lawbot init --demo` does, and the demo organisation."""

from __future__ import annotations

from pathlib import Path

from bot.app import open_database
from bot.desk.org import load_demo
from knowledge.faq import FaqStore
from knowledge.laws import LawStore
from knowledge.seed import load_starter

ROOT = Path(__file__).resolve().parent.parent
LAWS = ROOT.parent / "shared" / "data" / "laws" / "laws.jsonl"


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
