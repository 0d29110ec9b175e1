"""Data retention: resident words, names and chat addresses are kept only so long.

:func:`purge` blanks everything a resident wrote or that identifies them, older than a moment:
message text and addresses, logged question text, finished tickets' question, transcript and
address, the rows of residents not heard from since (and their links), and outbox messages.
What the statistics count stays: decisions, categories, communities, channels, times,
ticket status and ratings, so reports before and after agree.
``PRAGMA secure_delete`` zeroes the freed bytes and a checkpoint moves the pages out of the
WAL, so the words are gone from the database file itself, not only from its tables.

Forgetting one resident on request is ``/forget`` (and the privacy module); this is by date.
The daily job also deletes the long data of buttons not offered for a month
(:func:`expire_buttons`).
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlite_utils

from bot.clock import iso
from bot.store import get_state, set_state

log = logging.getLogger(__name__)

STATE = ("retention", "last_day")  # the local day of the last daily purge
# A button's long data is kept this long after it was last offered; pressed later, it answers
# "这个按钮已失效，请重新发送您的问题。" (not personal data: kept for the buttons' sake only).
BUTTON_KEY_AGE = timedelta(days=30)


@dataclass(frozen=True)
class Purged:
    """How many rows of each kind were blanked or deleted."""

    messages: int
    questions: int
    tickets: int
    residents: int
    outbox: int


def purge(db: sqlite_utils.Database, before: datetime) -> Purged:
    """Blank resident text and identifiers older than ``before``; return the counts.

    Tickets still open are left alone (the desk is still talking to the resident), and so
    is a resident who wrote since ``before`` or has an open ticket.
    """
    cutoff = iso(before)
    db.execute("PRAGMA secure_delete = ON")
    with db.atomic():
        messages = db.execute(
            "UPDATE messages SET text = '', sender_id = '', chat_id = ''"
            " WHERE received_at < ? AND (text != '' OR sender_id != '' OR chat_id != '')",
            [cutoff],
        ).rowcount
        # The web chat's page history holds both sides' words: older lines go whole.
        messages += db.execute("DELETE FROM web_messages WHERE at < ?", [cutoff]).rowcount
        questions = db.execute(
            "UPDATE question_log SET text = NULL WHERE at < ? AND text IS NOT NULL", [cutoff]
        ).rowcount
        db.execute(  # on-site appointments that started before: who booked is not kept
            "UPDATE appointments SET resident_id = NULL, channel = NULL, chat_id = NULL"
            " WHERE starts_at < ? AND chat_id IS NOT NULL", [cutoff],
        )
        finished = (
            "SELECT id FROM tickets WHERE status IN ('closed', 'expired')"
            " AND COALESCE(closed_at, updated_at) < ?"
        )
        db.execute(
            f"UPDATE ticket_events SET text = '' WHERE text != '' AND ticket_id IN ({finished})",
            [cutoff],
        )
        tickets = db.execute(
            "UPDATE tickets SET question = '', channel = NULL, chat_id = NULL"
            f" WHERE id IN ({finished})"
            " AND (question != '' OR channel IS NOT NULL OR chat_id IS NOT NULL)",
            [cutoff],
        ).rowcount
        gone = [
            row[0]
            for row in db.execute(
                "SELECT id FROM residents r WHERE created_at < ?"
                " AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.channel = r.channel"
                "   AND m.sender_id = r.user_id AND m.received_at >= ?)"
                " AND NOT EXISTS (SELECT 1 FROM tickets t WHERE t.resident_id = r.id"
                "   AND t.status NOT IN ('closed', 'expired'))",
                [cutoff, cutoff],
            ).fetchall()
        ]
        for resident_id in gone:
            # Unlinked first: a new resident may be given a deleted resident's id.
            db.execute("UPDATE question_log SET resident_id = NULL WHERE resident_id = ?",
                       [resident_id])
            db.execute("UPDATE tickets SET resident_id = NULL WHERE resident_id = ?",
                       [resident_id])
            db.execute("DELETE FROM residents WHERE id = ?", [resident_id])
        # Sent, failed or never sent: a message that old is done with either way.
        outbox = db.execute("DELETE FROM outbox WHERE created_at < ?", [cutoff]).rowcount
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return Purged(messages, questions, tickets, len(gone), outbox)


def expire_buttons(db: sqlite_utils.Database, before: datetime) -> int:
    """Delete the long button data last offered before ``before``; return how many."""
    return db.execute("DELETE FROM button_keys WHERE offered_at < ?", [iso(before)]).rowcount


def purge_due(
    db: sqlite_utils.Database, now: datetime, tz: ZoneInfo, retain_days: int
) -> Purged | None:
    """Once per local day, purge what is older than ``retain_days`` and expire old buttons'
    keys; None when already done."""
    today = now.astimezone(tz).date().isoformat()
    if get_state(db, *STATE) == today:
        return None
    buttons = expire_buttons(db, now - BUTTON_KEY_AGE)
    purged = purge(db, now - timedelta(days=retain_days))
    set_state(db, *STATE, today)
    log.info("retention: blanked data older than %d days: %s; %d button keys expired",
             retain_days, asdict(purged), buttons)
    return purged
