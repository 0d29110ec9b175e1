"""The bot's tables: messages, residents, tickets, outbox, statistics, channel state.

Times are stored as ISO-8601 text in UTC (:func:`bot.clock.iso`), so that text order is time
order and SQL comparisons work.
"""

from __future__ import annotations

from datetime import datetime

import sqlite_utils

from bot.clock import iso
from knowledge.db import Migrations

migrations = Migrations("bot")


@migrations
def create_bot_tables(db: sqlite_utils.Database) -> None:
    """Messages, residents, tickets with transcript, outbox, question log, channel state."""
    db.executescript(
        """
        CREATE TABLE messages (
            id INTEGER PRIMARY KEY,
            channel TEXT NOT NULL,
            message_id TEXT NOT NULL,
            chat_id TEXT NOT NULL,
            sender_id TEXT NOT NULL,
            text TEXT NOT NULL,
            kind TEXT NOT NULL,
            is_group INTEGER NOT NULL DEFAULT 0,
            reply_to TEXT,
            received_at TEXT NOT NULL,
            UNIQUE (channel, message_id)
        );
        CREATE INDEX messages_sender ON messages (channel, sender_id, received_at);

        CREATE TABLE residents (
            id INTEGER PRIMARY KEY,
            channel TEXT NOT NULL,
            user_id TEXT NOT NULL,
            chat_id TEXT NOT NULL,
            name TEXT NOT NULL DEFAULT '',
            community TEXT,
            street TEXT,
            consent_at TEXT,
            last_buttons TEXT NOT NULL DEFAULT '[]',
            pending TEXT,
            flood_window_start TEXT,
            flood_count INTEGER NOT NULL DEFAULT 0,
            flood_warned INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            UNIQUE (channel, user_id)
        );

        CREATE TABLE tickets (
            id INTEGER PRIMARY KEY,
            resident_id INTEGER,
            channel TEXT,
            chat_id TEXT,
            community TEXT,
            team TEXT,
            category TEXT NOT NULL DEFAULT '',
            question TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open',
            assignee TEXT,
            urgent INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            claimed_at TEXT,
            first_reply_at TEXT,
            answered_at TEXT,
            closed_at TEXT,
            updated_at TEXT NOT NULL,
            last_reminded_at TEXT,
            reminders INTEGER NOT NULL DEFAULT 0,
            rating INTEGER
        );
        CREATE INDEX tickets_status ON tickets (status);
        CREATE INDEX tickets_resident ON tickets (resident_id);

        CREATE TABLE ticket_events (
            id INTEGER PRIMARY KEY,
            ticket_id INTEGER NOT NULL REFERENCES tickets(id),
            at TEXT NOT NULL,
            role TEXT NOT NULL,
            author TEXT NOT NULL DEFAULT '',
            text TEXT NOT NULL
        );
        CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id);

        CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            channel TEXT NOT NULL,
            chat_id TEXT NOT NULL,
            text TEXT NOT NULL,
            buttons TEXT NOT NULL DEFAULT '[]',
            ref TEXT,
            reply_to TEXT,
            created_at TEXT NOT NULL,
            next_attempt TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            sent_at TEXT,
            channel_message_id TEXT,
            failed_at TEXT,
            error TEXT
        );
        CREATE INDEX outbox_due ON outbox (channel, sent_at, failed_at, next_attempt);
        CREATE INDEX outbox_sent ON outbox (channel, chat_id, channel_message_id);

        CREATE TABLE question_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            resident_id INTEGER,
            channel TEXT NOT NULL,
            community TEXT,
            text TEXT,
            decision TEXT NOT NULL,
            entry_id TEXT,
            score REAL,
            category TEXT NOT NULL DEFAULT '',
            ticket_id INTEGER,
            rating TEXT
        );
        CREATE INDEX question_log_at ON question_log (at);

        CREATE TABLE channel_state (
            channel TEXT NOT NULL,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (channel, key)
        );
        """
    )


@migrations
def add_handled_and_sending(db: sqlite_utils.Database) -> None:
    """Exactly-once across crashes: when a message was handled, when a send began."""
    for statement in (
        "ALTER TABLE messages ADD COLUMN handled_at TEXT",
        "UPDATE messages SET handled_at = received_at",
        "CREATE INDEX messages_unhandled ON messages (id) WHERE handled_at IS NULL",
        "ALTER TABLE outbox ADD COLUMN sending_at TEXT",
    ):
        db.execute(statement)


@migrations
def add_legal_aid_referral_day(db: sqlite_utils.Database) -> None:
    """The local day the bot last logged a legal-aid referral for a resident (once a day)."""
    db.execute("ALTER TABLE residents ADD COLUMN legal_aid_referred_on TEXT")


@migrations
def add_button_keys(db: sqlite_utils.Database) -> None:
    """Long button data under short keys, with when each was last offered (they expire)."""
    db.executescript(
        """
        CREATE TABLE button_keys (
            channel TEXT NOT NULL,
            key TEXT NOT NULL,
            data TEXT NOT NULL,
            offered_at TEXT NOT NULL,
            PRIMARY KEY (channel, key)
        );
        CREATE INDEX button_keys_offered ON button_keys (offered_at);
        """
    )
    # Telegram kept its keys in channel_state as 'callback:' + key, with no time: they count
    # as offered at the upgrade, so none expires sooner than a fresh one.
    db.execute(
        "INSERT INTO button_keys (channel, key, data, offered_at)"
        " SELECT channel, substr(key, 10), value,"
        " strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000+00:00'"
        " FROM channel_state WHERE key LIKE 'callback:%'"
    )
    db.execute("DELETE FROM channel_state WHERE key LIKE 'callback:%'")


@migrations
def add_outbox_first_number(db: sqlite_utils.Database) -> None:
    """The number shown with a message's first button: a turn numbers its buttons once."""
    db.execute("ALTER TABLE outbox ADD COLUMN first_number INTEGER NOT NULL DEFAULT 1")


def get_state(db: sqlite_utils.Database, channel: str, key: str) -> str | None:
    """A channel's stored value (sync token, offset...), or None."""
    row = db.execute(
        "SELECT value FROM channel_state WHERE channel = ? AND key = ?", [channel, key]
    ).fetchone()
    return None if row is None else str(row[0])


def set_state(db: sqlite_utils.Database, channel: str, key: str, value: str) -> None:
    """Store a channel's value (replacing the old one); commits unless in a transaction."""
    db.execute(
        "INSERT INTO channel_state (channel, key, value) VALUES (?, ?, ?)"
        " ON CONFLICT (channel, key) DO UPDATE SET value = excluded.value",
        [channel, key, value],
    )


class ChannelState:
    """One channel's values in ``channel_state`` (what :class:`bot.channel_core.Core` hands)."""

    def __init__(self, db: sqlite_utils.Database, channel: str) -> None:
        self.db = db
        self.channel = channel

    def get(self, key: str) -> str | None:
        """The stored value of ``key``, or None."""
        return get_state(self.db, self.channel, key)

    def set(self, key: str, value: str) -> None:
        """Store ``value`` under ``key``; commits unless in a transaction."""
        set_state(self.db, self.channel, key, value)

    def keep_button(self, key: str, data: str, now: datetime) -> None:
        """Keep a long button's ``data`` under its short ``key``; offering it again renews it.

        The daily retention job deletes keys not offered for a while (bot.retention).
        """
        self.db.execute(
            "INSERT INTO button_keys (channel, key, data, offered_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (channel, key) DO UPDATE SET data = excluded.data,"
            " offered_at = excluded.offered_at",
            [self.channel, key, data, iso(now)],
        )

    def button(self, key: str) -> str | None:
        """The data kept under button ``key``, or None (never kept, or expired)."""
        row = self.db.execute(
            "SELECT data FROM button_keys WHERE channel = ? AND key = ?", [self.channel, key]
        ).fetchone()
        return None if row is None else str(row[0])
