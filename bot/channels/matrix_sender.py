"""Sending stored outgoing messages to Matrix rooms, and finding a person's direct room."""

from __future__ import annotations

import logging

import sqlite_utils
from nio import AsyncClient, RoomCreateResponse, RoomPreset, RoomSendResponse

from bot import store
from bot.channels.matrix_client import CHANNEL, MatrixRequestError, as_send_error, call
from bot.channels.matrix_translate import to_contents
from bot.messages import Outgoing

log = logging.getLogger(__name__)


def direct_room_key(user_id: str) -> str:
    """The channel_state key under which the direct room with ``user_id`` is remembered."""
    return f"direct:{user_id}"


class MatrixSender:
    """Delivers outgoing messages; a user id (``@…``) is resolved to a direct room first."""

    channel = CHANNEL

    def __init__(self, client: AsyncClient, db: sqlite_utils.Database) -> None:
        self.client = client
        self.db = db

    async def send(self, out: Outgoing) -> str:
        """Send ``out`` (split when long); return the event id of its first part."""
        try:
            room_id = await self.room_for(out.chat_id)
            event_ids = []
            for content in to_contents(out):
                response = await call(
                    "send", self.client.room_send(room_id, "m.room.message", content)
                )
                assert isinstance(response, RoomSendResponse)
                event_ids.append(response.event_id)
        except MatrixRequestError as error:
            raise as_send_error(error) from error
        return event_ids[0]

    async def room_for(self, chat_id: str) -> str:
        """The room to send to: ``chat_id`` itself, or the direct room with a user id."""
        if not chat_id.startswith("@"):
            return chat_id
        known = store.get_state(self.db, CHANNEL, direct_room_key(chat_id))
        if known:
            return known
        response = await call(
            "create direct room",
            self.client.room_create(
                is_direct=True, invite=[chat_id], preset=RoomPreset.trusted_private_chat
            ),
        )
        assert isinstance(response, RoomCreateResponse)
        log.info("created direct room %s with %s", response.room_id, chat_id)
        store.set_state(self.db, CHANNEL, direct_room_key(chat_id), response.room_id)
        return str(response.room_id)

    def remember_direct(self, user_id: str, room_id: str) -> None:
        """Record that ``room_id`` is the direct room with ``user_id`` (an accepted invite)."""
        if store.get_state(self.db, CHANNEL, direct_room_key(user_id)) is None:
            store.set_state(self.db, CHANNEL, direct_room_key(user_id), room_id)
