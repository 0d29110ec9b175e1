"""The knowledge package's tables (statutes, FAQ entries and their history)."""

from __future__ import annotations

from knowledge.db import Migrations

migrations = Migrations("knowledge")
