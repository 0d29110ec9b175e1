"""The knowledge package's tables (statutes, FAQ entries and their history)."""

from __future__ import annotations

import sqlite_utils

from knowledge.db import Migrations

migrations = Migrations("knowledge")


@migrations
def create_laws(db: sqlite_utils.Database) -> None:
    """One row per statute article; one loaded version per law."""
    db.execute(
        "CREATE TABLE laws ("
        " law TEXT NOT NULL, short TEXT NOT NULL, article INTEGER NOT NULL,"
        " article_sub INTEGER NOT NULL DEFAULT 0, article_cn TEXT NOT NULL, chapter TEXT,"
        " section TEXT, text TEXT NOT NULL, version_date TEXT NOT NULL DEFAULT '',"
        " version_note TEXT, source_file TEXT,"
        " PRIMARY KEY (law, article, article_sub))"
    )
    db.execute("CREATE INDEX laws_short ON laws (short)")
    # Fingerprints of imported corpora, so `lawbot init` can skip a corpus already loaded.
    db.execute(
        "CREATE TABLE law_sources ("
        " fingerprint TEXT PRIMARY KEY, path TEXT NOT NULL, articles INTEGER NOT NULL,"
        " imported_at TEXT NOT NULL)"
    )


@migrations
def create_faq(db: sqlite_utils.Database) -> None:
    """Current FAQ entries, every version ever written, and the change counter."""
    columns = (
        " category TEXT NOT NULL DEFAULT '', question TEXT NOT NULL, answer TEXT NOT NULL,"
        " alternates TEXT NOT NULL DEFAULT '[]', legal_basis TEXT NOT NULL DEFAULT '[]',"
        " communities TEXT NOT NULL DEFAULT '[]',"
        " status TEXT NOT NULL CHECK (status IN ('published', 'draft', 'archived')),"
        " version INTEGER NOT NULL, updated_by TEXT NOT NULL DEFAULT '',"
        " updated_at TEXT NOT NULL DEFAULT '', review_by TEXT, extra TEXT NOT NULL DEFAULT '{}'"
    )
    db.execute(f"CREATE TABLE faq (id TEXT PRIMARY KEY,{columns})")
    db.execute("CREATE INDEX faq_status ON faq (status)")
    db.execute(
        f"CREATE TABLE faq_history (id TEXT NOT NULL,{columns},"
        " PRIMARY KEY (id, version), FOREIGN KEY (id) REFERENCES faq (id) ON DELETE CASCADE)"
    )
    # Bumped in the same transaction as every FAQ change: the bot polls it to rebuild its index.
    db.execute(
        "CREATE TABLE faq_revision (one INTEGER PRIMARY KEY CHECK (one = 1),"
        " revision INTEGER NOT NULL)"
    )
    db.execute("INSERT INTO faq_revision (one, revision) VALUES (1, 0)")


@migrations
def add_law_kind(db: sqlite_utils.Database) -> None:
    """What a text is: 法律, 行政法规, 部门规章 or 司法解释 (corpus version 2)."""
    db.execute("ALTER TABLE laws ADD COLUMN kind TEXT")


@migrations
def add_review(db: sqlite_utils.Database) -> None:
    """Who signed an entry off and when (kept in every version of its history)."""
    for table in ("faq", "faq_history"):
        db.execute(f"ALTER TABLE {table} ADD COLUMN reviewed_by TEXT")
        db.execute(f"ALTER TABLE {table} ADD COLUMN reviewed_at TEXT")
