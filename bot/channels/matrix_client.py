"""The matrix-nio boundary: bounded retries, error objects raised as one exception, login.

matrix-nio returns error objects instead of raising, and by default retries rate-limit
answers and time-outs forever. Here every call goes through :func:`checked`, which raises
:class:`MatrixRequestError`, and the client is configured to give up after a few tries so
that the outbox (which retries with back-off) stays in charge of retrying sends.
"""

from __future__ import annotations

import logging
from typing import Any, TypeVar

import aiohttp
from nio import (
    AsyncClient,
    AsyncClientConfig,
    ErrorResponse,
    LocalProtocolError,
    LoginResponse,
    WhoamiResponse,
)

from bot.channel_core import ChannelState
from bot.runner import PermanentSendError, TemporarySendError

CHANNEL = "matrix"
log = logging.getLogger(__name__)

R = TypeVar("R")

# Errors that will not go away by sending the same request again.
PERMANENT_CODES = frozenset(
    {"M_FORBIDDEN", "M_NOT_FOUND", "M_UNKNOWN_TOKEN", "M_BAD_JSON", "M_NOT_JSON",
     "M_TOO_LARGE", "M_INVALID_PARAM", "M_USER_DEACTIVATED", "M_MISSING_TOKEN"}
)


class MatrixRequestError(Exception):
    """The homeserver answered a request with an error (or could not be reached)."""

    def __init__(
        self, what: str, errcode: str | None, message: str, retry_after_ms: int | None = None
    ) -> None:
        super().__init__(f"{what}: {errcode or 'error'} {message}".strip())
        self.errcode = errcode
        self.retry_after_ms = retry_after_ms


class MatrixLoginError(Exception):
    """The bot could not log in to the homeserver (wrong password or token)."""


def client_config(request_timeout: float = 45.0) -> AsyncClientConfig:
    """A client config that never retries forever: one rate-limit answer, two time-outs."""
    return AsyncClientConfig(
        max_limit_exceeded=0,
        max_timeouts=2,
        request_timeout=request_timeout,
        max_timeout_retry_wait_time=5,
        store_sync_tokens=False,
        encryption_enabled=False,
    )


def checked(what: str, response: R) -> R:
    """Return ``response`` unless it is one of matrix-nio's error objects; then raise."""
    if isinstance(response, ErrorResponse):
        raise MatrixRequestError(
            what, response.status_code, response.message, response.retry_after_ms
        )
    return response


def as_send_error(error: Exception) -> TemporarySendError | PermanentSendError:
    """The outbox's view of a failed send: retry later, or never."""
    if isinstance(error, MatrixRequestError):
        if error.errcode == "M_LIMIT_EXCEEDED":
            retry = None if error.retry_after_ms is None else error.retry_after_ms / 1000
            return TemporarySendError(str(error), retry_after=retry)
        if error.errcode in PERMANENT_CODES:
            return PermanentSendError(str(error))
    return TemporarySendError(str(error))


async def call(what: str, request: Any) -> Any:
    """Await a matrix-nio request; errors and network failures become MatrixRequestError."""
    try:
        response = await request
    except (TimeoutError, OSError, aiohttp.ClientError, LocalProtocolError) as error:
        # Network trouble after matrix-nio's own (bounded) retries, or a client-side refusal.
        raise MatrixRequestError(what, None, repr(error)) from error
    return checked(what, response)


async def log_in(
    client: AsyncClient,
    state: ChannelState,
    *,
    password: str | None,
    access_token: str | None,
    device_name: str = "lawbot",
) -> None:
    """Log in, reusing the stored device and token so a restart keeps one device.

    Order: a given access token; else the token stored by an earlier password login (if the
    homeserver still accepts it); else a password login on the stored device id.
    """
    stored_user = state.get("user_id")
    stored_token = state.get("access_token")
    stored_device = state.get("device_id")
    same_user = stored_user == client.user
    candidates = [access_token] if access_token else []
    if same_user and stored_token and password:
        candidates.append(stored_token)
    for token in candidates:
        client.access_token = token
        try:
            who = await call("whoami", client.whoami())
        except MatrixRequestError as error:
            if error.errcode not in ("M_UNKNOWN_TOKEN", "M_MISSING_TOKEN", "M_FORBIDDEN"):
                raise
            log.warning("stored Matrix access token refused, logging in again")
            continue
        assert isinstance(who, WhoamiResponse)
        client.user_id = who.user_id
        client.device_id = who.device_id or (stored_device if same_user else None) or ""
        _remember(state, client)
        return
    client.access_token = ""
    if not password:
        raise MatrixLoginError("no usable access token and no password")
    if same_user and stored_device:
        client.device_id = stored_device
    try:
        response = await call("login", client.login(password, device_name=device_name))
    except MatrixRequestError as error:
        raise MatrixLoginError(str(error)) from error
    assert isinstance(response, LoginResponse)
    _remember(state, client)


def _remember(state: ChannelState, client: AsyncClient) -> None:
    state.set("user_id", client.user_id)
    state.set("access_token", client.access_token)
    state.set("device_id", client.device_id or "")
