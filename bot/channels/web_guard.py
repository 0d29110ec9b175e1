"""The web chat's defences: rate limits, CSRF tokens, security headers, request logs.

Everything here is about the HTTP edge; what a resident may do in the conversation (the
core's flood rule, commands) is decided by the core as for every channel.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.channel_core import ChannelState

access_log = logging.getLogger("bot.channels.web.access")

TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")
MESSAGE_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
SECRET_KEY = "csrf_secret"  # in the web channel's state

# No inline script or style, nothing from another origin: an injected <script> cannot run,
# and the page works offline from the internet (WeChat's browser included).
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
]
# The console's plain HTML forms: with no-referrer Chromium sends ``Origin: null`` on their
# POSTs, and the same-origin check could not tell them from another site's; same-origin
# still gives no other site a console URL.
REFERRER = (b"referrer-policy", b"no-referrer")
CONSOLE_REFERRER = (b"referrer-policy", b"same-origin")


@dataclass(frozen=True)
class WebLimits:
    """The web chat's limits; each with why it is what it is.

    ``resident_per_minute``: the core's flood rule quiets a resident after 8 messages in
    30 s; 20 a minute is a hard stop for scripts, far above any hand on a phone.
    ``ip_per_minute``: residents behind one carrier NAT or the committee's Wi-Fi share an
    address, so it is generous; it stops one machine cycling through fresh cookies.
    ``max_text``: a long WeChat message is a few hundred characters; 1,000 fits any question.
    ``poll_seconds``: under the 30–60 s idle timeouts of proxies and phone networks.
    """

    max_text: int = 1000
    max_body: int = 16 * 1024
    resident_per_minute: int = 20
    ip_per_minute: int = 300
    polls_per_resident: int = 4
    history_shown: int = 100
    poll_seconds: float = 25.0


DEFAULT_LIMITS = WebLimits()


class RateLimit:
    """At most ``limit`` events per key within ``window`` seconds (a sliding window)."""

    def __init__(
        self, limit: int, window: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._events: dict[str, deque[float]] = {}

    def allow(self, key: str) -> bool:
        """Count one event for ``key``; False (and not counted) when over the limit."""
        now = self.clock()
        events = self._events.setdefault(key, deque())
        while events and events[0] <= now - self.window:
            events.popleft()
        if len(events) >= self.limit:
            return False
        events.append(now)
        if len(self._events) > 10_000:  # keep memory bounded: drop keys with no recent event
            recent = now - self.window
            self._events = {k: v for k, v in self._events.items() if v and v[-1] > recent}
        return True


def csrf_secret(state: ChannelState) -> bytes:
    """The key of the CSRF tokens, kept in the web channel's state so pages survive a restart."""
    value = state.get(SECRET_KEY)
    if value is None:
        value = secrets.token_hex(32)
        state.set(SECRET_KEY, value)
    return bytes.fromhex(value)


def csrf_token(secret: bytes, resident: str) -> str:
    """The token a resident's forms carry: bound to their cookie, useless to another site."""
    return hmac.new(secret, resident.encode(), hashlib.sha256).hexdigest()[:32]


def csrf_ok(secret: bytes, resident: str, token: str) -> bool:
    """True when ``token`` is this resident's CSRF token."""
    return hmac.compare_digest(csrf_token(secret, resident), token)


def new_resident_token() -> str:
    """A random, unguessable resident id (192 bits) for the cookie."""
    return secrets.token_urlsafe(24)


class GuardMiddleware:
    """Adds the security headers to every response and logs each request without its body.

    The log line has the method, the path, the status and the time taken: never the
    message text, the cookie or the query.
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        """Handle one ASGI call."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        console = scope["path"].startswith("/console")

        async def send_with_headers(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                referrer = CONSOLE_REFERRER if console else REFERRER
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS, referrer]
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            access_log.info(
                "%s %s %s %.1f ms", scope["method"], scope["path"], status,
                (time.perf_counter() - started) * 1000,
            )
