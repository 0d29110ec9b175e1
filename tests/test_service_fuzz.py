"""Whatever a resident or a desk member types, Service.handle answers normally: no exception
escapes, and none is hidden behind the apology (which would mean a bug was caught)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
import sqlite_utils
from fakes import T0, ScriptedIndex, load_org, msg
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import build_service
from bot.service import Service
from bot.texts import resident as rt

ODD = ["²", "①", "３", "٣", "\ud800", "\udfff", "9" * 25, "-1", "0", "#", "t", "\x00", "\u200b",
       "𠀀", "😀", " ", "\n"]
COMMANDS = ["", "/rate ", "/rate t", "/reply ", "/claim ", "/close ", "/show ", "/addfaq ",
            "/adviser ", "/my", "/forget", "/start ", "/law ", "/community ", "/faq ", "/review ",
            "/duty ", "/tickets "]
WORDS = st.lists(st.sampled_from(ODD) | st.text(max_size=6), max_size=5).map("".join)
TYPED = st.tuples(st.sampled_from(COMMANDS), WORDS, st.sampled_from(["", " up", " 9" * 3])).map(
    "".join
)


@pytest.fixture
def service(db: sqlite_utils.Database) -> Service:
    load_org(db)
    service = build_service(db, ZoneInfo("Asia/Shanghai"), ScriptedIndex())
    service.handle(msg("/start xinhepu"), T0)
    service.handle(msg("公司拖欠了我整整三个月的工资"), T0)  # ticket #1 for the ticket commands
    return service


@pytest.mark.parametrize(
    "text",
    ["²", "①", "/rate 9999999999999999999999999 up", "/rate t9999999999999999999999 5",
     "/rate ² up", "工资\ud800被拖欠", "9999999999999999999999999", "３"],
)
def test_the_issues_messages_get_a_normal_reply(service: Service, text: str) -> None:
    outs = service.handle(msg(text), T0)
    assert outs and all(rt.APOLOGY not in out.text for out in outs)


@pytest.mark.parametrize(
    "text", ["/claim 9999999999999999999999999", "/reply ² 好的", "/show ①", "/close 99999999999"]
)
def test_desk_commands_with_odd_numbers_get_a_normal_reply(service: Service, text: str) -> None:
    outs = service.handle(msg(text, who="111", chat="111"), T0)
    assert outs and all(rt.APOLOGY not in out.text for out in outs)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=TYPED, staff=st.booleans())
def test_no_text_breaks_the_service(service: Service, text: str, staff: bool) -> None:
    who = "111" if staff else "r1"
    outs = service.handle(msg(text, who=who, chat=who), T0)
    assert all(rt.APOLOGY not in out.text for out in outs), text


def test_undecodable_bytes_from_the_command_line_are_stored_readably(service: Service) -> None:
    # click hands argv bytes that are not UTF-8 over as lone surrogates (surrogateescape)
    result = service.desk_command("王律师", "/reply 1 好的\udcff\udcfe", T0)
    assert "#1" in result.ack
    assert any("好的\ufffd\ufffd" in out.text for out in result.outs)
