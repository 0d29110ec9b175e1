"""One asyncio loop for every network channel: the Protocols the channels implement.

A channel receives from its network, turns what it gets into :class:`~bot.messages.Incoming`,
hands it to the service, and sends :class:`~bot.messages.Outgoing` taken from the outbox.
The runner (``lawbot run``) starts every configured channel in one loop, plus the outbox
pump and the reminder tick, and stops them all on SIGTERM.
"""

from __future__ import annotations

from typing import Protocol

from bot.messages import Outgoing


class TemporarySendError(Exception):
    """Sending failed in a way that may succeed later (network, rate limit): retry."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PermanentSendError(Exception):
    """Sending can never succeed (chat gone, bot blocked): stop retrying, log it."""


class Sender(Protocol):
    """Delivers one stored outgoing message on one network."""

    channel: str

    async def send(self, out: Outgoing) -> str:
        """Send ``out``; return the channel's message id.

        Raises:
            TemporarySendError: retry later (with ``retry_after`` seconds when known).
            PermanentSendError: never retry.
        """
        ...


class ChannelRunner(Protocol):
    """A network channel that runs inside the shared loop."""

    channel: str
    sender: Sender

    async def start(self) -> None:
        """Connect and begin receiving in background tasks; return once running."""
        ...

    async def stop(self) -> None:
        """Stop receiving and close connections cleanly."""
        ...
