"""The Matrix sender's failures are bounded and reach the outbox as its two error kinds."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import sqlite_utils
from nio import AsyncClient
from synapse_server import free_port

from bot.channels.matrix_client import client_config
from bot.channels.matrix_sender import MatrixSender
from bot.messages import Outgoing
from bot.runner import TemporarySendError
from bot.store import ChannelState


@pytest.fixture
async def unreachable(db: sqlite_utils.Database) -> AsyncIterator[MatrixSender]:
    """A sender whose homeserver port has nothing listening on it."""
    url = f"http://127.0.0.1:{free_port()}"
    client = AsyncClient(url, "@bot:lawbot.test", config=client_config())
    client.access_token = "token"
    yield MatrixSender(client, ChannelState(db, "matrix"))
    await client.close()


async def test_an_unreachable_homeserver_is_a_temporary_error_not_an_endless_retry(
    unreachable: MatrixSender,
) -> None:
    # matrix-nio would retry a refused connection forever by default; here it gives up.
    with pytest.raises(TemporarySendError, match="send"):
        await unreachable.send(Outgoing("matrix", "!room:lawbot.test", "你好"))


async def test_a_direct_room_that_could_not_be_made_is_not_remembered(
    unreachable: MatrixSender, db: sqlite_utils.Database
) -> None:
    with pytest.raises(TemporarySendError, match="create direct room"):
        await unreachable.send(Outgoing("matrix", "@li:lawbot.test", "新工单"))
    rows = db.execute("SELECT COUNT(*) FROM channel_state WHERE channel = 'matrix'")
    assert rows.fetchone()[0] == 0
