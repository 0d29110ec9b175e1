"""Sending: the persistent outbox, the pump, and the Sender protocol the channels implement.

Every outgoing message is stored before it is sent. The pump takes due items, records that a
send begins (``sending_at``, committed), hands the item to the channel's sender and marks it
sent; temporary failures are retried with capped exponential back-off (or the server's
``retry_after``), permanent ones are given up and logged. Whatever was stored before a crash
and never begun is sent by the next process.

At most once per row: a process killed between beginning a send and recording its outcome
leaves the row *in doubt* — the network may or may not have delivered it. A sender with
``send_keyed(out, key)`` (Matrix: the key becomes the transaction id, which the homeserver
deduplicates) gets such rows again with the same key. Telegram's Bot API has no idempotency
key, so the next pump gives its rows up (``failed_at``, error ``IN_DOUBT``) rather than risk
sending them twice, and logs them for the operator. The window is the one HTTP request;
tests/test_crash_exactly_once.py measures how many rows a kill -9 leaves in doubt and how many
of those had in fact been delivered.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

import sqlite_utils

from bot.clock import iso
from bot.messages import Button, Outgoing

log = logging.getLogger(__name__)

FIRST_RETRY_SECONDS = 2.0
MAX_RETRY_SECONDS = 600.0  # ten minutes: a chat network that is down for long is retried slowly
MAX_ATTEMPTS = 50  # about eight hours of ten-minute retries before giving up


class TemporarySendError(Exception):
    """Sending failed in a way that may succeed later (network, rate limit): retry."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PermanentSendError(Exception):
    """Sending can never succeed (chat gone, bot blocked): stop retrying, log it."""


class Sender(Protocol):
    """Delivers one stored outgoing message on one network.

    A sender whose network deduplicates by a client key may also offer
    ``async send_keyed(out, key) -> str``; the pump then uses it with a key per outbox row,
    and resends rows left in doubt by a crash (see the module doc).
    """

    channel: str

    async def send(self, out: Outgoing) -> str:
        """Send ``out``; return the channel's message id.

        Raises:
            TemporarySendError: retry later (with ``retry_after`` seconds when known).
            PermanentSendError: never retry.
        """
        ...


ERASE_REF = "erase-once-sent"  # a forget-me goodbye: deleted, not kept, once delivered
IN_DOUBT = "in doubt: the process stopped while sending; not resent to avoid a duplicate"


@dataclass(frozen=True)
class OutboxItem:
    """One stored outgoing message and how often sending it was tried."""

    id: int
    out: Outgoing
    attempts: int


def backoff_seconds(attempts: int) -> float:
    """Seconds to wait after the ``attempts``-th failed try (doubling, capped)."""
    return float(min(MAX_RETRY_SECONDS, FIRST_RETRY_SECONDS * 2 ** max(0, attempts - 1)))


def _buttons_json(out: Outgoing) -> str:
    return json.dumps(
        [[[b.label, b.data] for b in row] for row in out.buttons], ensure_ascii=False
    )


def _buttons_from(text: str) -> tuple[tuple[Button, ...], ...]:
    rows: list[list[list[str]]] = json.loads(text)
    return tuple(tuple(Button(label, data) for label, data in row) for row in rows)


def _item(row: Mapping[str, Any]) -> OutboxItem:
    out = Outgoing(
        channel=row["channel"],
        chat_id=row["chat_id"],
        text=row["text"],
        buttons=_buttons_from(row["buttons"]),
        ref=row["ref"],
        reply_to=row["reply_to"],
        first_number=int(row["first_number"]),
    )
    return OutboxItem(id=int(row["id"]), out=out, attempts=int(row["attempts"]))


class Outbox:
    """Outgoing messages in the ``outbox`` table, sent by channel pumps."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        # Set by put() so a waiting pump sends at once rather than after its idle pause;
        # created by the pump inside its own event loop.
        self.added: asyncio.Event | None = None

    def put(self, outs: list[Outgoing], now: datetime) -> list[int]:
        """Store ``outs`` (due at once) and return their ids, in the caller's transaction if any."""
        ids = []
        stamp = iso(now)
        with self.db.atomic():
            for out in outs:
                cursor = self.db.execute(
                    "INSERT INTO outbox (channel, chat_id, text, buttons, first_number, ref,"
                    " reply_to, created_at, next_attempt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        out.channel,
                        out.chat_id,
                        out.text,
                        _buttons_json(out),
                        out.first_number,
                        out.ref,
                        out.reply_to,
                        stamp,
                        stamp,
                    ],
                )
                ids.append(int(cursor.lastrowid or 0))
        if ids and self.added is not None:
            self.added.set()
        return ids

    def due(
        self, channel: str, now: datetime, limit: int = 50, chat_id: str | None = None
    ) -> list[OutboxItem]:
        """Unsent, not given-up items of ``channel`` whose next try is due, oldest first."""
        sql = (
            "SELECT * FROM outbox WHERE channel = ? AND sent_at IS NULL AND failed_at IS NULL"
            " AND next_attempt <= ?"
        )
        params: list[Any] = [channel, iso(now)]
        if chat_id is not None:
            sql += " AND chat_id = ?"
            params.append(chat_id)
        sql += " ORDER BY id LIMIT ?"
        params.append(limit)
        return [_item(row) for row in self.db.query(sql, params)]

    def pending(self, channel: str | None = None) -> list[OutboxItem]:
        """Every unsent, not given-up item (of ``channel`` when given), oldest first."""
        sql = "SELECT * FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL"
        params: list[Any] = []
        if channel is not None:
            sql += " AND channel = ?"
            params.append(channel)
        return [_item(row) for row in self.db.query(sql + " ORDER BY id", params)]

    def begin(self, item_id: int, now: datetime) -> None:
        """Record (committed) that sending ``item_id`` begins: from now on it is never resent."""
        with self.db.atomic():
            self.db.execute("UPDATE outbox SET sending_at = ? WHERE id = ?", [iso(now), item_id])

    def settle_in_doubt(
        self,
        now: datetime,
        resendable: frozenset[str] = frozenset(),
        channels: frozenset[str] | None = None,
    ) -> list[OutboxItem]:
        """Settle the rows a stopped process began sending but never finished.

        Only rows of ``channels`` (all when None): a channel not running now keeps its rows
        for the process that runs it. Rows of a ``resendable`` channel (its sender
        deduplicates by key) are sent again; the others are given up. Returns those given
        up. Only the one process that pumps (``lawbot run`` holds the lock) may call this,
        before its first pass.
        """
        sql = (
            "SELECT * FROM outbox WHERE sending_at IS NOT NULL AND sent_at IS NULL"
            " AND failed_at IS NULL ORDER BY id"
        )
        begun = [
            item
            for item in map(_item, self.db.query(sql, []))
            if channels is None or item.out.channel in channels
        ]
        doubtful = [item for item in begun if item.out.channel not in resendable]
        with self.db.atomic():
            for item in begun:
                self.db.execute(
                    "UPDATE outbox SET failed_at = ?, error = ?, sending_at = NULL WHERE id = ?",
                    [None, None, item.id]
                    if item.out.channel in resendable
                    else [iso(now), IN_DOUBT, item.id],
                )
        for item in doubtful:
            log.error("outbox item %s to %s is in doubt: %s", item.id, item.out.address, IN_DOUBT)
        return doubtful

    def mark_sent(self, item_id: int, channel_message_id: str, now: datetime) -> None:
        """Record that ``item_id`` was delivered as ``channel_message_id``.

        A row tagged :data:`ERASE_REF` is deleted instead (zeroed, and out of the WAL).
        """
        row = self.db.execute("SELECT ref FROM outbox WHERE id = ?", [item_id]).fetchone()
        if row is not None and row[0] == ERASE_REF:
            self.db.execute("PRAGMA secure_delete = ON")
            with self.db.atomic():
                self.db.execute("DELETE FROM outbox WHERE id = ?", [item_id])
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            return
        with self.db.atomic():
            self.db.execute(
                "UPDATE outbox SET sent_at = ?, channel_message_id = ?, attempts = attempts + 1,"
                " sending_at = NULL WHERE id = ?",
                [iso(now), str(channel_message_id), item_id],
            )

    def mark_failed(
        self,
        item_id: int,
        error: str,
        now: datetime,
        retry_after: float | None = None,
        permanent: bool = False,
    ) -> None:
        """Record a failed try: retry later with back-off, or give up when ``permanent``."""
        row = self.db.execute("SELECT attempts FROM outbox WHERE id = ?", [item_id]).fetchone()
        if row is None:
            return
        attempts = int(row[0]) + 1
        give_up = permanent or attempts >= MAX_ATTEMPTS
        wait = backoff_seconds(attempts)
        if retry_after is not None:
            wait = max(wait, retry_after)
        with self.db.atomic():
            self.db.execute(
                "UPDATE outbox SET attempts = ?, error = ?, next_attempt = ?, failed_at = ?,"
                " sending_at = NULL WHERE id = ?",
                [
                    attempts,
                    error[:500],
                    iso(now + timedelta(seconds=wait)),
                    iso(now) if give_up else None,
                    item_id,
                ],
            )
        if give_up:
            log.error("outbox item %s given up after %s tries: %s", item_id, attempts, error)

    def ref_for(self, channel: str, chat_id: str, channel_message_id: str) -> str | None:
        """The ``ref`` of the message we sent as ``channel_message_id`` in that chat."""
        row = self.db.execute(
            "SELECT ref FROM outbox WHERE channel = ? AND chat_id = ? AND channel_message_id = ?"
            " ORDER BY id DESC LIMIT 1",
            [channel, chat_id, str(channel_message_id)],
        ).fetchone()
        return None if row is None or row[0] is None else str(row[0])


async def send_one(outbox: Outbox, sender: Sender, item: OutboxItem, now: datetime) -> bool:
    """Try to send ``item`` once and record the outcome; True when it was delivered.

    A refusal or a network error answered by the server clears the in-doubt mark: the row is
    retried (a timed-out request that did arrive is the one remaining duplicate risk).
    """
    outbox.begin(item.id, now)
    keyed = getattr(sender, "send_keyed", None)
    try:
        if keyed is not None:
            message_id = await keyed(item.out, f"lawbot-outbox-{item.id}")
        else:
            message_id = await sender.send(item.out)
    except TemporarySendError as error:
        log.warning("send to %s failed, will retry: %s", item.out.address, error)
        outbox.mark_failed(item.id, str(error), now, retry_after=error.retry_after)
        return False
    except PermanentSendError as error:
        log.error("send to %s failed for good: %s", item.out.address, error)
        outbox.mark_failed(item.id, str(error), now, permanent=True)
        return False
    except Exception as error:  # a bug in a sender must not stop the pump: retry later
        log.exception("sender for %s raised", item.out.channel)
        outbox.mark_failed(item.id, f"{type(error).__name__}: {error}", now)
        return False
    outbox.mark_sent(item.id, message_id, now)
    return True


async def drain(outbox: Outbox, senders: Mapping[str, Sender], now: datetime) -> int:
    """One pass over every channel with a sender; return how many items were delivered."""
    delivered = 0
    for channel, sender in senders.items():
        for item in outbox.due(channel, now):
            if await send_one(outbox, sender, item, now):
                delivered += 1
    return delivered


async def pump(
    outbox: Outbox,
    senders: Mapping[str, Sender],
    clock: Callable[[], datetime],
    stop: asyncio.Event,
    idle: float = 0.2,
) -> None:
    """Send due items until ``stop`` is set.

    When nothing is due the pump waits until :meth:`Outbox.put` stores something, or at most
    ``idle`` seconds (retries fall due with time, not with a put).
    """
    added = outbox.added = asyncio.Event()
    resendable = frozenset(c for c, s in senders.items() if hasattr(s, "send_keyed"))
    outbox.settle_in_doubt(clock(), resendable, frozenset(senders))
    while not stop.is_set():
        added.clear()
        try:
            delivered = await drain(outbox, senders, clock())
        except Exception:  # the database may be busy for a moment: keep pumping
            log.exception("outbox pump pass failed")
            delivered = 0
        if delivered == 0:
            await _first_of(stop, added, timeout=idle)


async def _first_of(*events: asyncio.Event, timeout: float) -> None:
    """Wait until any of ``events`` is set, or ``timeout`` seconds."""
    waiters = [asyncio.ensure_future(event.wait()) for event in events]
    try:
        await asyncio.wait(waiters, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
