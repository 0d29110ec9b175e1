"""Channel-neutral messages: what channels hand to the core and what the core returns.

Channels translate their SDK objects to :class:`Incoming` and render :class:`Outgoing`.
A channel that has no buttons renders them as a numbered list (:func:`numbered_text`). The
core numbers the buttons of a whole turn at once (:func:`number_turn`): when one turn sends a
chat two messages with buttons, the second list goes on where the first stopped, and the core
maps a bare number typed back by the person to exactly the button printed with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from bot.texts.resident import CHOOSE_BY_NUMBER

Channel = str  # "terminal" | "telegram" | "matrix"
IncomingKind = Literal["text", "button", "command", "unsupported"]


@dataclass(frozen=True)
class Address:
    """Where a message goes: a chat on one network."""

    channel: Channel
    chat_id: str


@dataclass(frozen=True)
class Button:
    """A choice offered to a person: ``data`` is the core command it sends when pressed."""

    label: str
    data: str


@dataclass(frozen=True)
class Incoming:
    """One message or button press from a person, as the channel received it.

    ``message_id`` is the channel's own id, used to store each message once.
    ``reply_to`` is the channel message id this one replies to (desk replies to a ticket).
    ``callback`` is the pressed button's ``data`` when ``kind == "button"``.
    ``kind == "unsupported"`` marks stickers, photos and the like: the core answers politely.
    """

    channel: Channel
    chat_id: str
    sender_id: str
    text: str
    message_id: str
    sender_name: str = ""
    is_group: bool = False
    reply_to: str | None = None
    callback: str | None = None
    kind: IncomingKind = "text"

    @property
    def address(self) -> Address:
        """The chat this message came from."""
        return Address(self.channel, self.chat_id)


@dataclass(frozen=True)
class Outgoing:
    """One message to send: stored in the outbox first, then sent by its channel.

    ``buttons`` are rows of buttons. ``ref`` tags what the message is about (for example
    ``"ticket:12"``) so that a later reply to it can be traced back. ``reply_to`` is a channel
    message id to reply to, when the channel supports it. ``first_number`` is the number
    shown with the first button in a numbered list (set by :func:`number_turn`).
    """

    channel: Channel
    chat_id: str
    text: str
    buttons: tuple[tuple[Button, ...], ...] = field(default=())
    ref: str | None = None
    reply_to: str | None = None
    first_number: int = 1

    @property
    def address(self) -> Address:
        """The chat this message goes to."""
        return Address(self.channel, self.chat_id)

    def flat_buttons(self) -> list[Button]:
        """All buttons in reading order (numbered from ``first_number`` on)."""
        return [b for row in self.buttons for b in row]


def number_turn(
    outs: Sequence[Outgoing],
) -> tuple[list[Outgoing], dict[Address, tuple[Button, ...]]]:
    """Number the buttons of one turn: per chat, one numbering across all its messages.

    Returns the messages, each with its ``first_number``, and for every chat that was offered
    buttons the whole turn's buttons in number order: number ``n`` is ``buttons[n - 1]``.
    """
    offered: dict[Address, list[Button]] = {}
    numbered: list[Outgoing] = []
    for out in outs:
        if not out.buttons:
            numbered.append(out)
            continue
        buttons = offered.setdefault(out.address, [])
        numbered.append(replace(out, first_number=len(buttons) + 1))
        buttons.extend(out.flat_buttons())
    return numbered, {address: tuple(buttons) for address, buttons in offered.items()}


def numbered_text(out: Outgoing) -> str:
    """The message text with its buttons as a numbered list, for channels without buttons."""
    buttons = out.flat_buttons()
    if not buttons:
        return out.text
    lines = [out.text, ""]
    lines += [f"{i}. {b.label}" for i, b in enumerate(buttons, start=out.first_number)]
    lines.append(CHOOSE_BY_NUMBER)
    return "\n".join(lines)
