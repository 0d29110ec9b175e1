"""The core as a resident channel sees it: the one small protocol channels talk to.

A channel (Telegram, Matrix, the web chat, the terminal) holds no database and no
organisation model. It hands messages to the core, asks it which communities and desk chats
exist, and keeps its own few values (an update offset, a sync token, a device id) in a
key/value store the core hands it. :class:`bot.service.Service` implements :class:`Core`;
tests/test_architecture.py keeps the channels from importing what lies behind it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Protocol

from bot.messages import Incoming, Outgoing


class ChannelState(Protocol):
    """One channel's own small values, kept across restarts."""

    def get(self, key: str) -> str | None:
        """The stored value of ``key``, or None."""
        ...

    def set(self, key: str, value: str) -> None:
        """Store ``value`` under ``key`` (replacing the old one)."""
        ...

    def keep_button(self, key: str, data: str, now: datetime) -> None:
        """Keep a long button's ``data`` under a short ``key`` (renewed when offered again)."""
        ...

    def button(self, key: str) -> str | None:
        """The data kept under button ``key``, or None (never kept, or expired)."""
        ...


class Connection(Protocol):
    """A channel's connection to its network, as `lawbot status` reports it."""

    def up(self) -> None:
        """The network answered."""
        ...

    def down(self, detail: str) -> None:
        """The network did not answer (``detail`` says how; never a token)."""
        ...


class Community(Protocol):
    """A residents' committee a resident can pick (the web chat's page per community)."""

    @property
    def code(self) -> str:
        """The short code in links and ``/start <code>``."""
        ...

    @property
    def name(self) -> str:
        """The committee's name (社区)."""
        ...

    @property
    def street(self) -> str:
        """The sub-district (街道) it belongs to."""
        ...


class Core(Protocol):
    """What a resident channel may ask of the core."""

    def handle(self, incoming: Incoming, now: datetime) -> list[Outgoing]:
        """Store ``incoming`` (once) and return the replies, already put in the outbox."""
        ...

    def post(self, outs: list[Outgoing], now: datetime) -> None:
        """Put a channel's own notices (an apology) in the outbox for the pump to send."""
        ...

    def community_of(self, channel: str, user_id: str) -> str | None:
        """The community code this resident chose, or None (unknown or not chosen)."""
        ...

    def communities(self) -> Mapping[str, Community]:
        """Every community by its code."""
        ...

    def desk_chats(self, channel: str) -> set[str]:
        """The desk rooms on ``channel`` the bot must be in, as the organisation names them."""
        ...

    def channel_state(self, channel: str) -> ChannelState:
        """``channel``'s own key/value store."""
        ...

    def connection(self, channel: str, clock: Callable[[], datetime]) -> Connection:
        """Where ``channel`` records whether its network answers (for `lawbot status`)."""
        ...
