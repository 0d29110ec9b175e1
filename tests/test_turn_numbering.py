"""One numbering per chat across a turn: decided by the core, printed by the channels."""

from __future__ import annotations

import sqlite_utils
from fakes import T0

from bot.channels.matrix_translate import to_contents
from bot.desk.outbox import Outbox
from bot.messages import Address, Button, Outgoing, number_turn, numbered_text

RESIDENT = Address("terminal", "张三")
DESK = Address("matrix", "!desk:example.org")


def out(address: Address, text: str, *labels: str) -> Outgoing:
    buttons = tuple((Button(label, f"/{label}"),) for label in labels)
    return Outgoing(address.channel, address.chat_id, text, buttons=buttons)


TURN = [
    out(RESIDENT, "答复", "👍", "👎", "转人工"),
    out(RESIDENT, "提示"),
    out(DESK, "新工单", "接单"),
    out(RESIDENT, "工单", "📅"),
]


def test_a_turns_buttons_are_numbered_once_per_chat() -> None:
    numbered, offered = number_turn(TURN)
    assert [o.text for o in numbered] == [o.text for o in TURN]
    assert [o.first_number for o in numbered] == [1, 1, 1, 4]
    assert [b.label for b in offered[RESIDENT]] == ["👍", "👎", "转人工", "📅"]
    assert [b.label for b in offered[DESK]] == ["接单"]
    printed = [numbered_text(o) for o in numbered]
    assert printed[0].endswith("1. 👍\n2. 👎\n3. 转人工\n（回复数字即可选择）")
    assert printed[1] == "提示"
    assert printed[3] == "工单\n\n4. 📅\n（回复数字即可选择）"
    for o in numbered:  # the number printed with a button is its place in the chat's list
        for n, button in enumerate(o.flat_buttons(), start=o.first_number):
            assert offered[o.address][n - 1] == button


def test_a_turn_without_buttons_offers_none() -> None:
    numbered, offered = number_turn([out(RESIDENT, "您好")])
    assert numbered == [out(RESIDENT, "您好")] and offered == {}


def test_the_outbox_keeps_the_numbers_for_the_channels(db: sqlite_utils.Database) -> None:
    numbered, _ = number_turn(TURN)
    outbox = Outbox(db)
    outbox.put(numbered, T0)
    stored = [item.out for item in outbox.due("terminal", T0)]
    assert [o.first_number for o in stored] == [1, 1, 4]
    assert stored == [o for o in numbered if o.channel == "terminal"]
    desk = outbox.due("matrix", T0)[0].out
    assert to_contents(desk)[0]["body"].endswith("1. 接单\n（回复数字即可选择）")
    ticket = Outgoing("matrix", "@z:example.org", "工单", TURN[0].buttons, first_number=7)
    assert "7. 👍\n8. 👎\n9. 转人工" in to_contents(ticket)[0]["body"]
