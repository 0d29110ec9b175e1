"""The web chat channel: a uvicorn server in the shared loop, the resident's page on a phone.

Incoming messages go through ``Service.handle`` like every channel's; replies go into the
outbox and the pump hands them to :class:`~bot.channels.web_store.WebSender`, which makes them
visible to the resident's page (it stores them in the page's numbered history and wakes the
page's waiting request). So a web resident answered from a Telegram or Matrix desk, or from
``lawbot tickets reply`` in another process, sees the answer arrive live.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import uvicorn

from bot.channel_core import Core
from bot.channels.web_app import WebChat
from bot.channels.web_guard import DEFAULT_LIMITS, WebLimits
from bot.channels.web_store import CHANNEL, WebSender, WebStore
from bot.clock import system_now
from bot.runner import ChannelStartError, Sender

log = logging.getLogger(__name__)


class WebStartError(ChannelStartError):
    """The web server cannot listen on LAWBOT_WEB's address (taken, or not this machine's)."""


class _Server(uvicorn.Server):
    """uvicorn without its own signal handlers: ``lawbot run`` owns SIGTERM and SIGINT."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        """Leave the process's signal handling alone."""
        yield


class WebChannel:
    """Serves the web chat on ``host:port`` inside the running loop.

    ``store`` keeps the pages' histories in its own table: the composition root builds it on
    the database, so the channel itself never holds one.
    """

    channel = CHANNEL

    def __init__(
        self,
        service: Core,
        store: WebStore,
        host: str,
        port: int,
        *,
        clock: Callable[[], datetime] = system_now,
        limits: WebLimits = DEFAULT_LIMITS,
        health: Callable[[], dict[str, Any]] | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.store = store
        self.sender: Sender = WebSender(self.store, clock)
        self._stopping = asyncio.Event()
        self.chat = WebChat(service, self.store, clock, self._stopping, limits, health)
        self._server: _Server | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Listen on the configured address and serve in a background task.

        Raises:
            WebStartError: the address cannot be bound.
        """
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on sockets that say they are TCP,
        # and without it every response waits ~40 ms for a delayed ACK (Nagle).
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.host, self.port))
        except OSError as error:
            sock.close()
            raise WebStartError(f"LAWBOT_WEB {self.host}:{self.port}: {error.strerror}") from None
        sock.set_inheritable(True)
        config = uvicorn.Config(
            self.chat.app(),
            log_config=None,
            access_log=False,  # our own request log leaves the query and body out
            lifespan="off",
            proxy_headers=True,  # behind a local reverse proxy, rate limits see the real client
            timeout_graceful_shutdown=3,
            timeout_keep_alive=30,  # above the 25 s poll: a page keeps its connection
        )
        self._server = _Server(config)
        self._task = asyncio.create_task(self._server.serve(sockets=[sock]), name="web")
        while not self._server.started:
            if self._task.done():
                self._task.result()  # surface why the server did not start
            await asyncio.sleep(0.01)
        log.info("web chat listening on %s:%s", self.host, self.port)

    async def stop(self) -> None:
        """End the waiting page requests, then stop the server."""
        self._stopping.set()
        if self._server is not None:
            self._server.should_exit = True
        if self._task is not None:
            await self._task
