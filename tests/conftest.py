"""Shared fixtures: real SQLite databases, the shared statute corpus, a fixed clock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlite_utils

from bot.app import open_database

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
