"""The organisation: teams, communities, people and the duty roster."""

from __future__ import annotations

from knowledge.db import Migrations

migrations = Migrations("org")
