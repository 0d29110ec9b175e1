"""The service the channels talk to: store the message, decide, store the replies."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import sqlite_utils

from bot.clock import iso
from bot.desk.outbox import Outbox
from bot.messages import Incoming, Outgoing

if TYPE_CHECKING:
    from bot.faq_index import FaqIndex


class Service:
    """Channel-neutral entry point: ``handle`` incoming messages, ``tick`` for timers."""

    def __init__(
        self, db: sqlite_utils.Database, tz: ZoneInfo, index: FaqIndex | None = None
    ) -> None:
        self.db = db
        self.tz = tz
        self.index = index
        self.outbox = Outbox(db)

    def store_incoming(self, incoming: Incoming, now: datetime) -> bool:
        """Store ``incoming`` once; False when this channel message was seen before."""
        cursor = self.db.execute(
            "INSERT OR IGNORE INTO messages (channel, message_id, chat_id, sender_id, text,"
            " kind, is_group, reply_to, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                incoming.channel,
                incoming.message_id,
                incoming.chat_id,
                incoming.sender_id,
                incoming.text,
                incoming.kind,
                int(incoming.is_group),
                incoming.reply_to,
                iso(now),
            ],
        )
        self.db.conn.commit()
        return cursor.rowcount == 1

    def handle(self, incoming: Incoming, now: datetime) -> list[Outgoing]:
        """Store ``incoming`` (a duplicate does nothing), decide, store replies, return them."""
        if not self.store_incoming(incoming, now):
            return []
        outs: list[Outgoing] = []
        self.outbox.put(outs, now)
        return outs

    def tick(self, now: datetime) -> list[Outgoing]:
        """Reminders, expiry and duty-start digests due at ``now`` (also stored)."""
        return []
