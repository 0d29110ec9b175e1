"""The bot's tables: messages, residents, tickets, outbox, statistics, channel state."""

from __future__ import annotations

from knowledge.db import Migrations

migrations = Migrations("bot")
