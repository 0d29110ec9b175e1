"""Authorization by ticket: every desk action, by every kind of outsider, changes nothing.

Each outsider (a stranger, the ticket's own resident, another team's volunteer, another
team's adviser) tries every desk action in every place they could send it from; the test
compares the ticket, its transcript, what the resident was sent and the FAQ before and
after, not only the refusal text. Insiders doing the same succeed (so the test can fail).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlite_utils
from click.testing import CliRunner
from fakes import DESK_MX, DESK_TG, ORG_YAML, T0, ScriptedIndex, msg, to

from bot.app import build_service, open_database
from bot.cli import cli
from bot.desk.org import save
from bot.desk.org_io import parse_org_yaml
from bot.service import Service

QUESTION = "公司拖欠我工资，我的电话是13812345678"
OTHER_ROOM = ("telegram", "-200")  # team beijing's desk room
ORG = ORG_YAML.replace(
    '  - {name: 赵律师, role: adviser, team: beijing, telegram: "444"}\n',
    '  - {name: 赵律师, role: adviser, team: beijing, telegram: "444"}\n'
    '  - {name: 小周, role: volunteer, team: beijing, telegram: "555"}\n',
)
OUTSIDERS = {"stranger": "999", "resident": "r1", "volunteer": "555", "adviser": "444"}
ACTIONS = ["/tickets", "/show 1", "/claim 1", "/reply 1 外人的答复", "/adviser 1", "/close 1",
           "/addfaq 1"]


@pytest.fixture
def service(db: sqlite_utils.Database) -> Iterator[Service]:
    save(db, parse_org_yaml(ORG), "test")
    svc = build_service(db, ZoneInfo("Asia/Shanghai"), ScriptedIndex())
    svc.handle(msg("/start xinhepu", who="r1"), T0)
    svc.handle(msg(QUESTION, who="r1"), T0)
    svc.desk_command("王律师", "/reply 1 可以申请劳动仲裁。", T0)  # answered: addfaq would work
    post = svc.db.execute(
        "SELECT id FROM outbox WHERE chat_id = ? AND ref = 'ticket:1'", [DESK_TG[1]]
    ).fetchone()[0]
    svc.outbox.mark_sent(post, "post-1", T0)
    yield svc


def snapshot(db: sqlite_utils.Database) -> dict[str, Any]:
    """The tickets, their events, what the desk sent the resident, and the FAQ."""
    return {
        "ticket": list(db["tickets"].rows),
        "events": list(db["ticket_events"].rows),
        "resident_outbox": list(
            db["outbox"].rows_where("chat_id = ? AND ref IS NOT NULL", ["r1"])
        ),
        "faq": list(db["faq"].rows),
    }


def places(who: str) -> list[tuple[str, str, bool]]:
    """Where an outsider could send a desk command: their private chat and the desk rooms."""
    found = [("telegram", who, False), (*DESK_TG, True), (*DESK_MX, True)]
    if who in ("555", "444"):
        found.append((*OTHER_ROOM, True))
    return found


@pytest.mark.parametrize("kind", list(OUTSIDERS))
@pytest.mark.parametrize("action", [*ACTIONS, "button", "reply-to-post"])
def test_an_outsider_changes_nothing(service: Service, kind: str, action: str) -> None:
    who = OUTSIDERS[kind]
    before = snapshot(service.db)
    for channel, chat, group in places(who):
        if action == "reply-to-post" and who == "r1" and not group:
            continue  # in their own chat the resident's words are their follow-up, rightly
        if action == "button":
            incoming = msg("/claim 1", who=who, channel=channel, chat=chat, group=group,
                           button=True)
        elif action == "reply-to-post":
            incoming = msg("外人的答复", who=who, channel=channel, chat=chat, group=group,
                           reply_to="post-1")
        else:
            incoming = msg(action, who=who, channel=channel, chat=chat, group=group)
        outs = service.handle(incoming, T0)
        for out in outs:  # nothing of the ticket is shown to an outsider
            assert "13812345678" not in out.text and "138****5678" not in out.text
            assert "拖欠我工资" not in out.text
    assert snapshot(service.db) == before


@pytest.mark.parametrize("name", ["赵律师", "小周"])
@pytest.mark.parametrize("action", ACTIONS)
def test_another_team_at_the_terminal_changes_nothing(
    service: Service, name: str, action: str
) -> None:
    before = snapshot(service.db)
    result = service.desk_command(name, action, T0)
    assert "拖欠我工资" not in result.ack and result.outs == []
    if action != "/tickets":
        assert "不属于您所在的团队" in result.ack
    assert snapshot(service.db) == before


def test_the_refusal_says_what_is_wrong(service: Service) -> None:
    in_room = service.handle(msg("/claim 1", who="999", chat=DESK_TG[1], group=True), T0)
    assert "不在这个值班团队的名单里" in in_room[0].text
    own_room = service.handle(msg("/claim 1", who="444", chat=OTHER_ROOM[1], group=True), T0)
    assert own_room[0].text == "工单 #1 不属于您所在的团队，您不能查看或处理。"


def test_the_ticket_s_own_team_may_do_all_of_it(service: Service) -> None:
    listed = service.handle(msg("/tickets", who="111", chat=DESK_TG[1], group=True), T0)
    assert "#1" in listed[0].text
    shown = service.handle(msg("/show 1", who="111", chat=DESK_TG[1], group=True), T0)
    assert "138****5678" in shown[0].text and "13812345678" not in shown[0].text
    replied = service.handle(msg("再补充一点", who="111", chat=DESK_TG[1], group=True,
                                 reply_to="post-1"), T0)
    assert "再补充一点" in to(replied, "telegram", "r1")[0].text
    assert "已根据工单" in service.desk_command("王律师", "/addfaq 1", T0).ack
    assert "已转给顾问" in service.desk_command("王律师", "/adviser 1", T0).ack
    assert "已结单" in service.desk_command("王律师", "/close 1", T0).ack
    assert service.tickets.get(1).status == "closed"


CLI_ACTIONS = [
    ("list",), ("show", "1"), ("claim", "1"), ("reply", "1", "外人的答复"), ("adviser", "1"),
    ("close", "1"), ("addfaq", "1"),
]


@pytest.mark.parametrize("name", ["赵律师", "小周"])
@pytest.mark.parametrize("action", CLI_ACTIONS, ids=[a[0] for a in CLI_ACTIONS])
def test_lawbot_tickets_as_another_team_changes_nothing(
    db_path: Path, name: str, action: tuple[str, ...]
) -> None:
    db = open_database(db_path)
    save(db, parse_org_yaml(ORG), "test")
    service = build_service(db, ZoneInfo("Asia/Shanghai"), ScriptedIndex())
    service.handle(msg("/start xinhepu", who="r1"), T0)
    service.handle(msg(QUESTION, who="r1"), T0)
    before = snapshot(db)
    out = CliRunner().invoke(cli, ["tickets", *action, "--as", name, "--db", str(db_path)])
    assert out.exit_code == 0, out.output
    assert "拖欠我工资" not in out.output and "138" not in out.output
    if action[0] == "list":
        assert "#1" not in out.output
    else:
        assert "不属于您所在的团队" in out.output
    assert snapshot(open_database(db_path)) == before


def test_a_volunteer_does_not_answer_a_ticket_someone_else_holds(db: sqlite_utils.Database) -> None:
    """Within the team: 王律师 holds the ticket; another volunteer's answer, from any place,
    is refused and changes nothing (the resident would get two answers); an adviser may."""
    org = ORG.replace(
        '  - {name: 陈律师, role: adviser, team: dongshan, telegram: "333"}\n',
        '  - {name: 陈律师, role: adviser, team: dongshan, telegram: "333"}\n'
        '  - {name: 小孙, role: volunteer, team: dongshan, telegram: "666"}\n',
    )
    save(db, parse_org_yaml(org), "test")
    service = build_service(db, ZoneInfo("Asia/Shanghai"), ScriptedIndex())
    service.handle(msg("/start xinhepu", who="r1"), T0)
    service.handle(msg(QUESTION, who="r1"), T0)
    post = service.db.execute(
        "SELECT id FROM outbox WHERE chat_id = ? AND ref = 'ticket:1'", [DESK_TG[1]]
    ).fetchone()[0]
    service.outbox.mark_sent(post, "post-1", T0)
    assert "认领了工单 #1" in service.desk_command("王律师", "/claim 1", T0).ack
    before = snapshot(service.db)
    at_terminal = service.desk_command("小孙", "/reply 1 志愿者的答复", T0)
    assert at_terminal.ack.startswith("工单 #1 已由 王律师 认领，由 王律师 答复居民")
    assert at_terminal.outs == []
    for incoming in (
        msg("/reply 1 志愿者的答复", who="666", chat=DESK_TG[1], group=True),
        msg("志愿者的答复", who="666", chat=DESK_TG[1], group=True, reply_to="post-1"),
        msg("/reply 1 志愿者的答复", who="666", chat="666"),
    ):
        outs = service.handle(incoming, T0)
        assert not to(outs, "telegram", "r1") and "已由 王律师 认领" in outs[0].text
    assert snapshot(service.db) == before
    # An adviser of the team may still answer (and the volunteer may claim nothing either).
    assert "已由 王律师 认领" in service.desk_command("小孙", "/claim 1", T0).ack
    replied = service.desk_command("陈律师", "/reply 1 顾问的补充答复", T0)
    assert "顾问的补充答复" in to(replied.outs, "telegram", "r1")[0].text
