"""One asyncio loop for every network channel: the Protocols the channels implement.

A channel receives from its network, turns what it gets into :class:`~bot.messages.Incoming`,
hands it to the service, and sends :class:`~bot.messages.Outgoing` taken from the outbox.
The runner (``lawbot run``) starts every configured channel in one loop, plus the outbox
pump and the reminder tick, and stops them all on SIGTERM.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from bot.desk.outbox import PermanentSendError, Sender, TemporarySendError, pump

if TYPE_CHECKING:
    from bot.service import Service

# Sending lives in bot.desk.outbox; re-exported here for the channels that import it from here.
__all__ = [
    "ChannelRunner",
    "ChannelStartError",
    "PermanentSendError",
    "Sender",
    "TemporarySendError",
    "serve",
]

log = logging.getLogger(__name__)


class ChannelStartError(Exception):
    """A channel cannot start with its configuration (a rejected token or password)."""


class ChannelRunner(Protocol):
    """A network channel that runs inside the shared loop."""

    channel: str

    @property
    def sender(self) -> Sender:
        """What sends this channel's stored outgoing messages."""
        ...

    async def start(self) -> None:
        """Connect and begin receiving in background tasks; return once running."""
        ...

    async def stop(self) -> None:
        """Stop receiving and close connections cleanly."""
        ...


async def _tick(
    service: Service, clock: Callable[[], datetime], stop: asyncio.Event, every: float
) -> None:
    """Run the core's periodic work (reminders, duty digests) every ``every`` seconds."""
    while not stop.is_set():
        try:
            service.tick(clock())
        except Exception:  # one bad pass must not end reminders for good
            log.exception("service tick failed")
        try:
            await asyncio.wait_for(stop.wait(), timeout=every)
        except TimeoutError:
            pass


async def serve(
    service: Service,
    channels: Sequence[ChannelRunner],
    stop: asyncio.Event,
    clock: Callable[[], datetime],
    tick_every: float = 30.0,
    pump_idle: float = 0.2,
) -> None:
    """Start every channel, pump the outbox and tick the core until ``stop`` is set.

    ``pump_idle`` is how long the pump waits when nothing is due: it bounds the time from a
    stored reply to its sending (benchmarks/telegram_throughput.py measures it).

    Channels are stopped in reverse order of starting, also when starting one fails; the
    pump and the tick finish their current pass first, so nothing half-sent is abandoned.
    """
    started: list[ChannelRunner] = []
    tasks: list[asyncio.Task[None]] = []
    resumed = service.resume(clock())  # before a redelivery could find them unhandled
    if resumed:
        log.warning("handled %s messages stored but not handled before a stop", resumed)
    try:
        for channel in channels:
            await channel.start()
            started.append(channel)
        senders = {channel.channel: channel.sender for channel in started}
        tasks = [
            asyncio.create_task(
                pump(service.outbox, senders, clock, stop, pump_idle), name="outbox"
            ),
            asyncio.create_task(_tick(service, clock, stop, tick_every), name="tick"),
        ]
        done, _ = await asyncio.wait(
            [asyncio.create_task(stop.wait()), *tasks], return_when=asyncio.FIRST_COMPLETED
        )
        for task in done:
            if task in tasks and task.exception() is not None:
                log.error("%s stopped unexpectedly", task.get_name(), exc_info=task.exception())
    finally:
        stop.set()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        for channel in reversed(started):
            try:
                await channel.stop()
            except Exception:
                log.exception("stopping the %s channel failed", channel.channel)
