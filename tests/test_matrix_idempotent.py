"""A Matrix send repeated with the same outbox key (after a crash) reaches the room once:
the real Synapse deduplicates by transaction id."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlite_utils
from synapse_server import Person, Synapse, shared_synapse, stop_shared

from bot.channels.matrix_sender import MatrixSender
from bot.messages import Outgoing
from bot.store import ChannelState

pytestmark = pytest.mark.integration


@pytest.fixture(scope="session")
def synapse() -> Iterator[Synapse]:
    """One real homeserver for the whole session."""
    yield shared_synapse()
    stop_shared()


async def test_a_resend_with_the_same_key_is_one_message(
    synapse: Synapse, db: sqlite_utils.Database
) -> None:
    bot = Person(synapse, synapse.users["bot"])
    resident = Person(synapse, synapse.users["resident2"])
    try:
        await bot.start()
        await resident.start()
        room = await bot.create_room([resident.user.user_id])
        await resident.join(room)
        sender = MatrixSender(bot.client, ChannelState(db, "matrix"))
        first = Outgoing("matrix", room, "工单 #7 已收到")
        sent = await sender.send_keyed(first, "lawbot-outbox-7")
        again = await sender.send_keyed(first, "lawbot-outbox-7")  # the crash-and-resend case
        assert again == sent
        await sender.send_keyed(Outgoing("matrix", room, "下一条"), "lawbot-outbox-8")
        await resident.wait_for_text(room, "下一条")
        assert resident.messages(room).count("工单 #7 已收到") == 1
    finally:
        await bot.close()
        await resident.close()
