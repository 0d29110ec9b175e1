"""The Matrix channel: sync with the homeserver, hand messages to the service, join rooms.

The sync token is stored in the database after each batch has been handed to the service
(which stores every message once), so a restart neither answers old messages again nor
misses new ones. On the very first start the bot syncs once and skips the history: it does
not answer messages from before it first ran. Sending is :class:`MatrixSender`'s job, driven
by the outbox pump.

Deploying: ``MATRIX_HOMESERVER`` (``https://matrix.example.org``), ``MATRIX_USER_ID`` and
``MATRIX_PASSWORD`` (the device id and access token are then kept in the database, so a
restart reuses one device) or ``MATRIX_ACCESS_TOKEN``. Residents start a direct chat with
the bot; it accepts every invite. Each team's desk room goes in the organisation file as a
room id or, for room version 12 rooms whose ids have no server part, as an alias
(``#dongshan-desk:example.org``); invite the bot to it. The bot has no end-to-end encryption:
use unencrypted rooms (it answers encrypted messages with the core's "text only" notice).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import Callable
from datetime import datetime
from typing import Any

from nio import AsyncClient, MatrixRoom, MessageDirection, RoomMessagesResponse, SyncResponse

from bot.channel_core import Core
from bot.channels.matrix_client import (
    CHANNEL,
    MatrixRequestError,
    call,
    client_config,
    log_in,
)
from bot.channels.matrix_sender import MatrixSender
from bot.channels.matrix_translate import to_incoming
from bot.clock import system_now
from bot.messages import Incoming
from bot.runner import Sender

log = logging.getLogger(__name__)

SYNC_TOKEN = "next_batch"
FIRST_START = "first_start_ms"
# Events per room and batch; a longer gap (a long downtime) is closed by backfilling.
TIMELINE_LIMIT = 200
BACKFILL_PAGE = 100
BACKFILL_PAGES = 20


class MatrixChannel:
    """Receives from and (through :attr:`sender`) sends to one Matrix account."""

    channel = CHANNEL

    def __init__(
        self,
        service: Core,
        homeserver: str,
        user_id: str,
        *,
        password: str | None = None,
        access_token: str | None = None,
        clock: Callable[[], datetime] = system_now,
        sync_timeout_ms: int = 30_000,
        retry_seconds: float = 5.0,
        timeline_limit: int = TIMELINE_LIMIT,
    ) -> None:
        self.service = service
        self.state = service.channel_state(CHANNEL)
        self.clock = clock
        self.password = password
        self.access_token = access_token
        self.sync_timeout_ms = sync_timeout_ms
        self.retry_seconds = retry_seconds
        self.sync_filter = {"room": {"timeline": {"limit": timeline_limit}}}
        self.client = AsyncClient(
            homeserver, user_id, config=client_config(sync_timeout_ms / 1000 + 15)
        )
        self.direct = MatrixSender(self.client, self.state)
        self.sender: Sender = self.direct
        self._stop = asyncio.Event()
        self.ready = asyncio.Event()  # set once started: callers and tests wait on it
        self._task: asyncio.Task[None] | None = None
        self._since_ms = 0
        self.aliases: dict[str, str] = {}  # room id -> the desk alias it was configured by
        self.connection = service.connection(CHANNEL, clock)  # for `lawbot status`

    async def start(self) -> None:
        """Log in, catch up (or skip history on the first start), join desk rooms, run."""
        self._stop.clear()
        if self.state.get("user_id") not in (None, self.client.user):
            # Another account than last time: its history is not ours to answer.
            self.state.set(SYNC_TOKEN, "")
            self.state.set(FIRST_START, "")
        await log_in(
            self.client, self.state, password=self.password, access_token=self.access_token
        )
        token = self.state.get(SYNC_TOKEN) or None
        if not self.state.get(FIRST_START):
            self.state.set(FIRST_START, str(_ms(self.clock())))
        self._since_ms = int(self.state.get(FIRST_START) or 0)
        # Desks first: aliases must be known before the first batch is translated.
        await self.join_desk_rooms()
        first = await call(
            "sync",
            self.client.sync(timeout=0, sync_filter=self.sync_filter, since=token, full_state=True),
        )
        assert isinstance(first, SyncResponse)
        await self._handle_batch(first, answer=token is not None)
        self._task = asyncio.create_task(self._run(), name="matrix-sync")
        self.ready.set()

    async def stop(self) -> None:
        """Stop syncing and close the connection."""
        self._stop.set()
        self.ready.clear()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self.client.close()

    async def join_desk_rooms(self) -> None:
        """Join every team's Matrix desk room (an invite or a public room is needed).

        A desk may be given as a room alias (``#desk:example.org``): room version 12 ids have
        no server part, and an alias reads better in the organisation file. Messages from that
        room then carry the alias as their chat id, so the core finds the desk either way.
        """
        for desk in sorted(self.service.desk_chats(CHANNEL)):
            room_id = desk
            if desk.startswith("#"):
                try:
                    room_id = await self.direct.resolve_alias(desk)
                except MatrixRequestError as error:
                    log.warning("Matrix desk alias %s not found: %s", desk, error)
                    continue
                self.aliases[room_id] = desk
            await self._join(room_id)  # joining a room the bot is in already changes nothing

    async def _run(self) -> None:
        while not self._stop.is_set():
            try:
                response = await call(
                    "sync",
                    self.client.sync(timeout=self.sync_timeout_ms, sync_filter=self.sync_filter),
                )
                assert isinstance(response, SyncResponse)
                self.connection.up()
                await self._handle_batch(response, answer=True)
            except MatrixRequestError as error:
                log.warning("Matrix sync failed, retrying in %ss: %s", self.retry_seconds, error)
                self.connection.down(str(error))
                await self._retry_later()
            except Exception:
                # A bug in handling one batch must not end the channel; the operator sees it.
                log.exception("Matrix batch failed; retrying from the stored sync token")
                await self._retry_later()

    async def _retry_later(self) -> None:
        """Rewind to the stored sync token (nio moved on already) and pause before retrying."""
        self.client.next_batch = self.state.get(SYNC_TOKEN) or None
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stop.wait(), self.retry_seconds)

    async def _handle_batch(self, response: SyncResponse, *, answer: bool) -> None:
        """Hand the batch's messages to the service, accept invites, then store the token."""
        for room_id, invite in response.rooms.invite.items():
            await self._accept(room_id, invite.invite_state)
        if answer:
            desks = self.service.desk_chats(CHANNEL)
            for room_id, info in response.rooms.join.items():
                events = [event.source for event in info.timeline.events]
                if info.timeline.limited and info.timeline.prev_batch:
                    events = await self._backfill(room_id, info.timeline.prev_batch) + events
                for source in events:
                    if source.get("origin_server_ts", 0) < self._since_ms:
                        continue  # from before the bot first ran: history, not a question
                    incoming = self.translate(source, room_id, desks)
                    if incoming is not None:
                        self._hand_over(incoming)
        self.state.set(SYNC_TOKEN, response.next_batch)

    async def _backfill(self, room_id: str, prev_batch: str) -> list[dict[str, Any]]:
        """The events a gappy (``limited``) timeline left out, oldest first.

        Pages back until the bot's first start, at most :data:`BACKFILL_PAGES` pages. Events
        handed over before are harmless: the service stores each message once.
        """
        older: list[dict[str, Any]] = []
        token = prev_batch
        for _ in range(BACKFILL_PAGES):
            page = await call(
                "messages",
                self.client.room_messages(
                    room_id, start=token, direction=MessageDirection.back, limit=BACKFILL_PAGE
                ),
            )
            assert isinstance(page, RoomMessagesResponse)
            chunk = [event.source for event in page.chunk]
            fresh = [e for e in chunk if e.get("origin_server_ts", 0) >= self._since_ms]
            older.extend(fresh)
            if len(fresh) < len(chunk) or not chunk or not page.end:
                break
            token = page.end
        else:
            log.warning("Matrix room %s: gap longer than the backfill limit", room_id)
        log.info("Matrix room %s: %d events fetched to close a sync gap", room_id, len(older))
        return older[::-1]

    def _hand_over(self, incoming: Incoming) -> None:
        """Give one message to the service; a bug is logged and the batch goes on.

        Retrying the batch would stop every later message behind one that fails. A busy or
        locked database is different: it passes, so the batch is retried from its token.
        """
        try:
            self.service.handle(incoming, self.clock())
        except sqlite3.OperationalError:
            raise
        except Exception:
            log.exception("handling Matrix event %s failed", incoming.message_id)

    def translate(self, source: dict[str, Any], room_id: str, desks: set[str]) -> Incoming | None:
        """The neutral message for one event in ``room_id`` (None when ignored).

        ``desks`` holds the desk rooms as configured (room ids or aliases).
        """
        room: MatrixRoom | None = self.client.rooms.get(room_id)
        sender = source.get("sender")
        name = (room.user_name(sender) or "") if room and isinstance(sender, str) else ""
        chat_id = self.aliases.get(room_id, room_id)
        is_group = chat_id in desks or (room is not None and room.member_count > 2)
        return to_incoming(
            source, chat_id, self.client.user_id, sender_name=name, is_group=is_group
        )

    async def _accept(self, room_id: str, invite_state: list[Any]) -> None:
        """Join a room the bot is invited to; remember it when it is a direct chat."""
        await self._join(room_id)
        for event in invite_state:
            source = getattr(event, "source", {})
            content = source.get("content", {})
            if (
                source.get("type") == "m.room.member"
                and source.get("state_key") == self.client.user_id
                and content.get("is_direct")
                and isinstance(source.get("sender"), str)
            ):
                self.direct.remember_direct(source["sender"], room_id)

    async def _join(self, room_id: str) -> None:
        try:
            await call("join", self.client.join(room_id))
        except MatrixRequestError as error:
            log.warning("could not join Matrix room %s: %s", room_id, error)
            return
        log.info("joined Matrix room %s", room_id)


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)
