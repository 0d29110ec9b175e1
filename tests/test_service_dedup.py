"""The service stores each channel message once, and every reply in the outbox."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import sqlite_utils
from fakes import T0, ScriptedIndex, load_org, msg

from bot.app import build_service

WAGES = "公司拖欠了我整整三个月的工资"  # no FAQ entry and not vague: a ticket


def outbox_count(db: sqlite_utils.Database) -> int:
    return int(db.execute("SELECT count(*) FROM outbox").fetchone()[0])


def test_a_redelivered_message_is_handled_once(db: sqlite_utils.Database) -> None:
    load_org(db)
    service = build_service(db, ZoneInfo("Asia/Shanghai"), ScriptedIndex())
    service.handle(msg("/start xinhepu"), T0)
    first = msg(WAGES, message_id="tg-77")
    outs = service.handle(first, T0)
    assert outs
    stored = outbox_count(db)
    assert service.handle(first, T0) == []
    assert outbox_count(db) == stored
    assert len(service.tickets.by_status()) == 1
    # the same id on another network is another message
    assert service.handle(msg(WAGES, channel="matrix", message_id="tg-77"), T0)


def test_every_reply_is_in_the_outbox_before_handle_returns(db: sqlite_utils.Database) -> None:
    load_org(db)
    service = build_service(db, ZoneInfo("Asia/Shanghai"), ScriptedIndex())
    outs = service.handle(msg("/start xinhepu"), T0) + service.handle(msg(WAGES), T0)
    stored = [item.out for item in service.outbox.pending()]
    assert stored == outs


def test_incoming_is_stored_even_when_nothing_is_said_back(db: sqlite_utils.Database) -> None:
    load_org(db)
    service = build_service(db, ZoneInfo("Asia/Shanghai"), ScriptedIndex())
    assert service.handle(msg("早上好", chat="-100", group=True), T0) == []
    row = db.execute("SELECT text, is_group FROM messages").fetchone()
    assert tuple(row) == ("早上好", 1)


class BrokenIndex:
    def match(self, text: str, community: str | None = None) -> object:
        raise RuntimeError("index exploded")


def test_a_bug_while_deciding_still_gets_an_apology_out(db: sqlite_utils.Database) -> None:
    load_org(db)
    service = build_service(db, ZoneInfo("Asia/Shanghai"), BrokenIndex())  # type: ignore[arg-type]
    outs = service.handle(msg(WAGES), T0)
    assert len(outs) == 1 and "抱歉" in outs[0].text
    assert [i.out for i in service.outbox.pending()] == outs
    assert db.execute("SELECT count(*) FROM residents").fetchone()[0] == 0  # rolled back


def test_a_message_stored_by_a_stopped_process_is_handled_on_redelivery(
    db: sqlite_utils.Database,
) -> None:
    load_org(db)
    service = build_service(db, ZoneInfo("Asia/Shanghai"), ScriptedIndex())
    service.handle(msg("/start xinhepu"), T0)
    question = msg("工资被拖欠", message_id="tg-78")
    assert service.store_incoming(question, T0)  # the process died right after this
    before = outbox_count(db)
    outs = service.handle(question, T0)  # Telegram hands the unconfirmed update again
    assert outs and outbox_count(db) == before + len(outs)
    assert service.handle(question, T0) == []  # handled now: a further copy is dropped
    assert outbox_count(db) == before + len(outs)


def test_resume_handles_what_a_stopped_process_stored_once(db: sqlite_utils.Database) -> None:
    load_org(db)
    service = build_service(db, ZoneInfo("Asia/Shanghai"), ScriptedIndex())
    service.handle(msg("/start xinhepu"), T0)
    service.store_incoming(msg("公司拖欠了我整整三个月的工资", message_id="tg-79"), T0)
    before = outbox_count(db)
    assert service.resume(T0) == 1
    assert outbox_count(db) > before
    assert len(service.tickets.by_status()) == 1
    assert service.resume(T0) == 0
    unhandled = db.execute("SELECT count(*) FROM messages WHERE handled_at IS NULL").fetchone()
    assert unhandled[0] == 0


def test_the_decision_and_the_handled_mark_are_one_transaction(
    db: sqlite_utils.Database,
) -> None:
    load_org(db)
    service = build_service(db, ZoneInfo("Asia/Shanghai"), BrokenIndex())  # type: ignore[arg-type]
    outs = service.handle(msg("工资被拖欠", message_id="tg-80"), T0)
    assert "抱歉" in outs[0].text  # the apology is the decision: handled, not retried forever
    row = db.execute("SELECT handled_at FROM messages WHERE message_id = 'tg-80'").fetchone()
    assert row[0] is not None


def test_a_lone_surrogate_gets_a_normal_reply(db: sqlite_utils.Database) -> None:
    load_org(db)
    service = build_service(db, ZoneInfo("Asia/Shanghai"), ScriptedIndex())
    service.handle(msg("/start xinhepu"), T0)
    outs = service.handle(msg("工资\ud800被拖欠", message_id="tg-81"), T0)
    assert outs and not any("抱歉，系统" in out.text for out in outs)
    stored = db.execute("SELECT text FROM messages WHERE message_id = 'tg-81'").fetchone()[0]
    assert stored == "工资\ufffd被拖欠"
