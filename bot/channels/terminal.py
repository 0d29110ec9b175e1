"""The terminal channel: one resident typing lines, replies printed from the outbox.

Everything the resident sees comes out of the outbox, so desk replies relayed while the
resident was away are printed at the next start, exactly like on a chat network.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from bot.channel_core import Core
from bot.clock import system_now
from bot.desk.outbox import Outbox
from bot.messages import Incoming, Outgoing, numbered_text
from bot.texts import cli as texts

CHANNEL = "terminal"


class TerminalCore(Core, Protocol):
    """The core, and its outbox: the terminal prints what waits there as it goes."""

    @property
    def outbox(self) -> Outbox:
        """The outbox the terminal reads its replies from."""
        ...


def deliver(
    outbox: Outbox, chat_id: str, write: Callable[[str], None], clock: Callable[[], datetime]
) -> int:
    """Print the terminal outbox items waiting for ``chat_id``, mark them sent; how many."""
    printed = 0
    while True:
        items = outbox.due(CHANNEL, clock(), chat_id=chat_id)
        if not items:
            return printed
        for item in items:
            write(numbered_text(item.out))
            outbox.mark_sent(item.id, f"terminal-{item.id}", clock())
            printed += 1


class TerminalSender:
    """Prints a message (buttons as a numbered list); its id is a fresh random id."""

    channel = CHANNEL

    def __init__(self, write: Callable[[str], None]) -> None:
        self.write = write

    async def send(self, out: Outgoing) -> str:
        """Print ``out`` and return a message id."""
        self.write(numbered_text(out))
        return uuid.uuid4().hex


class TerminalChat:
    """A resident's conversation in the terminal: ``say`` a line, replies are written out."""

    def __init__(
        self,
        service: TerminalCore,
        resident: str,
        write: Callable[[str], None],
        clock: Callable[[], datetime] = system_now,
    ) -> None:
        self.service = service
        self.resident = resident
        self.write = write
        self.clock = clock

    def start(self, community: str | None = None) -> int:
        """Bind ``community`` if it is new for this resident; print what is waiting."""
        if community:
            if self.service.community_of(CHANNEL, self.resident) != community:
                self.service.handle(self._incoming(f"/start {community}"), self.clock())
        return self.deliver()

    def say_bytes(self, raw: bytes) -> int:
        """Like :meth:`say` for a line read as bytes: one that is not UTF-8 gets a notice."""
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            self.write(texts.NOT_UTF8)
            return self.deliver()
        return self.say(line)

    def say(self, line: str) -> int:
        """Hand one typed line to the service and print every reply; return how many."""
        line = line.strip()
        if line:
            self.service.handle(self._incoming(line), self.clock())
        return self.deliver()

    def deliver(self) -> int:
        """Print the outbox items waiting for this resident and mark them sent."""
        return deliver(self.service.outbox, self.resident, self.write, self.clock)

    def _incoming(self, text: str) -> Incoming:
        return Incoming(
            channel=CHANNEL,
            chat_id=self.resident,
            sender_id=self.resident,
            sender_name=self.resident,
            text=text,
            message_id=uuid.uuid4().hex,
        )
