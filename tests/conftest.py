"""Shared fixtures: real SQLite databases, the shared statute corpus, a fixed clock."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlite_utils
from botapi_server import BotApiServer
from hypothesis import settings

from bot.app import open_database
from knowledge.laws import LawStore

# CI runs the property tests on a fixed seed, so that a landing does not hang on the draw;
# developers' runs keep exploring new examples (and replay failures from .hypothesis/).
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"
LAWS_JSONL = SHARED_DATA / "laws" / "laws.jsonl"


@pytest.fixture
def db() -> Iterator[sqlite_utils.Database]:
    """A fresh in-memory database with every migration applied."""
    database = open_database(None)
    yield database
    database.close()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A path for a real SQLite file in a temporary folder."""
    return tmp_path / "lawbot.db"


@pytest.fixture(scope="session")
def laws_jsonl() -> Path:
    """The shared statute corpus (read where it lies, never copied)."""
    if not LAWS_JSONL.exists():
        pytest.fail(f"statute corpus not found at {LAWS_JSONL}")
    return LAWS_JSONL


@dataclass(frozen=True)
class CorpusCounts:
    """What the shared corpus holds, read from the file so that a grown corpus breaks nothing."""

    articles: int
    laws: int
    per_law: dict[str, int]


@pytest.fixture(scope="session")
def corpus(laws_jsonl: Path) -> CorpusCounts:
    """Counts of the shared statute corpus: articles, laws, and articles per short name."""
    per_law: dict[str, int] = {}
    names = set()
    with laws_jsonl.open(encoding="utf-8-sig") as f:
        for line in f:
            if line.strip():
                record = json.loads(line)
                names.add(record["law"])
                per_law[record["short"]] = per_law.get(record["short"], 0) + 1
    return CorpusCounts(sum(per_law.values()), len(names), per_law)


@pytest.fixture
def laws(db: sqlite_utils.Database, laws_jsonl: Path) -> LawStore:
    """The statute store of ``db`` with the shared corpus loaded."""
    store = LawStore(db)
    store.import_jsonl(laws_jsonl)
    return store


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory: pytest.TempPathFactory, laws_jsonl: Path) -> Path:
    """A database file with the statutes loaded once; tests copy it rather than re-import."""
    path = tmp_path_factory.mktemp("corpus") / "laws.db"
    db = open_database(path)
    LawStore(db).import_jsonl(laws_jsonl)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


@pytest.fixture
def server() -> Iterator[BotApiServer]:
    """A Bot API server on loopback, speaking HTTP to the real python-telegram-bot."""
    with BotApiServer() as api:
        yield api
