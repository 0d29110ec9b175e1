"""Residents as the bot remembers them: community, consent, last buttons, flood counters."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Any, Literal

import sqlite_utils

from bot.clock import iso, parse_iso
from bot.messages import Button, Incoming
from knowledge.db import update_row

# Flood control: more than FLOOD_LIMIT messages within FLOOD_WINDOW gets one slow-down notice.
# Eight in thirty seconds is more than anyone types by hand; pasted paragraphs stay below it.
FLOOD_LIMIT = 8
FLOOD_WINDOW = timedelta(seconds=30)

# The terminal is one person at a keyboard or a script on a pipe: never a flood.
FLOOD_EXEMPT_CHANNELS = ("terminal",)

FloodState = Literal["ok", "warn", "quiet"]


@dataclass(frozen=True)
class Resident:
    """One resident on one channel."""

    id: int
    channel: str
    user_id: str
    chat_id: str
    community: str | None
    street: str | None
    consent_at: str | None
    last_buttons: tuple[Button, ...]  # the last turn's buttons: number n is [n - 1]
    pending: dict[str, Any] | None
    legal_aid_referred_on: str | None = None  # local ISO day of the last logged referral


_COLUMNS = ", ".join(f.name for f in fields(Resident))


class Residents:
    """The ``residents`` table."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def get_or_create(self, incoming: Incoming, now: datetime) -> Resident:
        """The resident who sent ``incoming``, made on first contact."""
        self.db.execute(
            "INSERT OR IGNORE INTO residents (channel, user_id, chat_id, name, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [incoming.channel, incoming.sender_id, incoming.chat_id, incoming.sender_name,
             iso(now)],
        )
        self.db.execute(
            "UPDATE residents SET chat_id = ? WHERE channel = ? AND user_id = ?",
            [incoming.chat_id, incoming.channel, incoming.sender_id],
        )
        found = self.find(incoming.channel, incoming.sender_id)
        assert found is not None
        return found

    def find(self, channel: str, user_id: str) -> Resident | None:
        """The resident with this identity, or None."""
        return self._one("channel = ? AND user_id = ?", [channel, user_id])

    def by_chat(self, channel: str, chat_id: str) -> Resident | None:
        """The resident whose private chat this is, or None."""
        return self._one("channel = ? AND chat_id = ?", [channel, chat_id])

    def set(self, resident_id: int, **changes: Any) -> None:
        """Update columns (``last_buttons`` as buttons, ``pending`` as a dict or None)."""
        if "last_buttons" in changes:
            changes["last_buttons"] = json.dumps(
                [[b.label, b.data] for b in changes["last_buttons"]], ensure_ascii=False
            )
        if "pending" in changes and changes["pending"] is not None:
            changes["pending"] = json.dumps(changes["pending"], ensure_ascii=False)
        update_row(self.db, "residents", resident_id, changes)

    def flood(self, resident_id: int, now: datetime) -> FloodState:
        """Count one message: "warn" the first time past the limit, "quiet" after that."""
        row = self.db.table("residents").get(resident_id)
        start, count, warned = row["flood_window_start"], row["flood_count"], row["flood_warned"]
        if start is None or now - parse_iso(start) > FLOOD_WINDOW:
            self.set(resident_id, flood_window_start=iso(now), flood_count=1, flood_warned=0)
            return "ok"
        count += 1
        state: FloodState = "ok"
        if count > FLOOD_LIMIT:
            state = "quiet" if warned else "warn"
            warned = 1
        self.set(resident_id, flood_count=count, flood_warned=warned)
        return state

    def forget(self, resident_id: int) -> None:
        """Delete the resident's row and blank their stored messages."""
        resident = self._one("id = ?", [resident_id])
        if resident is None:
            return
        self.db.execute(
            "UPDATE messages SET text = '', sender_id = '', chat_id = ''"
            " WHERE channel = ? AND (sender_id = ? OR (chat_id = ? AND is_group = 0))",
            [resident.channel, resident.user_id, resident.chat_id],
        )
        self.db.execute("DELETE FROM residents WHERE id = ?", [resident_id])

    def _one(self, where: str, params: list[Any]) -> Resident | None:
        for row in self.db.table("residents").rows_where(where, params, select=_COLUMNS, limit=1):
            buttons = tuple(Button(label, data) for label, data in json.loads(row["last_buttons"]))
            pending = json.loads(row["pending"]) if row["pending"] else None
            return Resident(**{**row, "last_buttons": buttons, "pending": pending})
        return None
