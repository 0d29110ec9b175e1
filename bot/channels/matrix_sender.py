"""Sending stored outgoing messages to Matrix rooms, and finding a person's direct room."""

from __future__ import annotations

import logging

from nio import (
    AsyncClient,
    RoomCreateResponse,
    RoomGetStateEventResponse,
    RoomPreset,
    RoomResolveAliasResponse,
    RoomSendResponse,
)

from bot.channel_core import ChannelState
from bot.channels.matrix_client import CHANNEL, MatrixRequestError, as_send_error, call
from bot.channels.matrix_translate import to_contents
from bot.messages import Outgoing
from bot.runner import TemporarySendError

log = logging.getLogger(__name__)


def direct_room_key(user_id: str) -> str:
    """The channel state key under which the direct room with ``user_id`` is remembered."""
    return f"direct:{user_id}"


class MatrixSender:
    """Delivers outgoing messages to a room id, a room alias (``#…``) or a user id (``@…``)."""

    channel = CHANNEL

    def __init__(self, client: AsyncClient, state: ChannelState) -> None:
        self.client = client
        self.state = state
        self.aliases: dict[str, str] = {}  # alias -> room id, resolved once per run

    async def send(self, out: Outgoing) -> str:
        """Send ``out`` (split when long); return the event id of its first part."""
        return await self.send_keyed(out, None)

    async def send_keyed(self, out: Outgoing, key: str | None) -> str:
        """Send ``out`` with Matrix transaction ids made from ``key`` (one per part).

        The homeserver answers a repeated transaction id of the same device with the event
        it already made, so the outbox may resend after a crash without a duplicate.
        """
        try:
            room_id = await self.room_for(out.chat_id)
            event_ids = []
            for part, content in enumerate(to_contents(out)):
                tx_id = None if key is None else f"{key}-{part}"
                response = await call(
                    "send", self.client.room_send(room_id, "m.room.message", content, tx_id)
                )
                assert isinstance(response, RoomSendResponse)
                event_ids.append(response.event_id)
        except MatrixRequestError as error:
            if error.errcode == "M_FORBIDDEN" and out.chat_id.startswith("@"):
                # The person left the direct room: forget it, the next try opens a new one.
                self.state.set(direct_room_key(out.chat_id), "")
                raise TemporarySendError(str(error)) from error
            raise as_send_error(error) from error
        return event_ids[0]

    async def room_for(self, chat_id: str) -> str:
        """The room to send to: ``chat_id`` itself, an alias's room, or a user's direct room.

        A direct room the person has left is replaced by a new one (with a new invite).
        """
        if chat_id.startswith("#"):
            return await self.resolve_alias(chat_id)
        if not chat_id.startswith("@"):
            return chat_id
        known = self.state.get(direct_room_key(chat_id))
        if known and await self.still_there(known, chat_id):
            return known
        response = await call(
            "create direct room",
            self.client.room_create(
                is_direct=True, invite=[chat_id], preset=RoomPreset.trusted_private_chat
            ),
        )
        assert isinstance(response, RoomCreateResponse)
        log.info("created direct room %s with %s", response.room_id, chat_id)
        self.state.set(direct_room_key(chat_id), response.room_id)
        return str(response.room_id)

    async def still_there(self, room_id: str, user_id: str) -> bool:
        """Whether ``user_id`` is joined to (or invited to) ``room_id``; not after leaving."""
        try:
            member = await call(
                "membership",
                self.client.room_get_state_event(room_id, "m.room.member", user_id),
            )
        except MatrixRequestError as error:
            if error.errcode == "M_NOT_FOUND":
                return False
            raise
        assert isinstance(member, RoomGetStateEventResponse)
        return member.content.get("membership") in ("join", "invite")

    async def resolve_alias(self, alias: str) -> str:
        """The room id an alias (``#desk:example.org``) points to, asked once per run."""
        if alias not in self.aliases:
            response = await call("resolve alias", self.client.room_resolve_alias(alias))
            assert isinstance(response, RoomResolveAliasResponse)
            self.aliases[alias] = str(response.room_id)
        return self.aliases[alias]

    def remember_direct(self, user_id: str, room_id: str) -> None:
        """Record that ``room_id`` is the direct room with ``user_id`` (an accepted invite)."""
        if self.state.get(direct_room_key(user_id)) is None:
            self.state.set(direct_room_key(user_id), room_id)
