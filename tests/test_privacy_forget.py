"""Forget-me holds: after /forget, neither the database file nor its WAL holds the resident's
phone, ID number, name or chat id, and an FAQ draft made from their ticket keeps only the
adviser's answer (its history too)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlite_utils
from fakes import T0, RecordingSender, ScriptedIndex, load_org, msg

from bot.app import build_service, open_database
from bot.desk.outbox import drain
from bot.messages import Incoming
from bot.service import Service
from knowledge.faq import FaqEntry

NAME = "张三丰"
USER = "777123456"
PHONE = "13812345678"
ID_CARD = "440104199003071234"
SECRETS = [PHONE, "1234 5678", ID_CARD, "19900307", NAME, USER]


def said(text: str, n: int) -> Incoming:
    return Incoming("telegram", USER, USER, text, f"{USER}:{n}", sender_name=NAME)


def stored_bytes(db_path: Path) -> bytes:
    wal = db_path.with_name(db_path.name + "-wal")
    return db_path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def found(data: bytes) -> list[str]:
    return [s for s in SECRETS if s.encode("utf-8") in data]


def a_resident_with_a_ticket_a_reply_and_a_draft(db: sqlite_utils.Database) -> Service:
    load_org(db)
    service = build_service(db, ZoneInfo("Asia/Shanghai"), ScriptedIndex())
    service.handle(said("/start xinhepu", 1), T0)
    service.handle(
        said(f"我叫{NAME}，电话 138 1234 5678，身份证 {ID_CARD}，公司拖欠工资怎么办", 2), T0
    )
    service.handle(said(f"补充一下，我的手机是 {PHONE}", 3), T0)
    reply = f"{NAME}您好：请带身份证 {ID_CARD} 去劳动仲裁委，我们也会打 {PHONE} 联系您。"
    service.handle(msg(f"/reply 1 {reply}", who="111", chat="111"), T0)  # 王律师 on Telegram
    service.desk_command("王律师", "/addfaq 1", T0)
    [draft] = service.faq.list(status="draft")
    service.faq.edit(draft.id, by="王律师", answer=draft.answer + "（已核对）")
    return service


def test_before_forget_the_secrets_are_stored(db_path: Path) -> None:
    """The byte test below can fail: without /forget every secret is in the file or WAL."""
    db = open_database(db_path)
    a_resident_with_a_ticket_a_reply_and_a_draft(db)
    assert found(stored_bytes(db_path)) == SECRETS
    db.close()


def test_forget_leaves_no_trace_in_the_file_or_the_wal(db_path: Path) -> None:
    db = open_database(db_path)
    service = a_resident_with_a_ticket_a_reply_and_a_draft(db)
    [draft] = service.faq.list(status="draft")
    outs = service.handle(said("/forget", 4), T0)
    assert "已删除" in outs[0].text
    assert found(stored_bytes(db_path)) == [USER]  # the goodbye's address, until it is sent
    sender = RecordingSender("telegram")
    asyncio.run(drain(service.outbox, {"telegram": sender}, T0))
    assert [out.chat_id for out in sender.sent if out.text == outs[0].text] == [USER]
    assert found(stored_bytes(db_path)) == []
    # the draft keeps the adviser's answer, masked; the resident's wording is gone
    kept = service.faq.get(draft.id)
    assert "请带身份证 440104********1234 去劳动仲裁委" in kept.answer
    assert "***您好" in kept.answer and kept.answer.endswith("（已核对）")
    assert kept.alternates == () and "拖欠工资" not in kept.question
    for version in service.faq.history(draft.id):
        assert "拖欠工资" not in version.question + "".join(version.alternates)
    # the desk's reply event stays readable, masked
    events = [e.text for e in service.tickets.events(1)]
    assert any("138****5678" in text for text in events)
    db.close()


def test_a_common_name_is_only_replaced_where_it_is_about_them(db: sqlite_utils.Database) -> None:
    load_org(db)
    service = build_service(db, ZoneInfo("Asia/Shanghai"), ScriptedIndex())
    service.faq.add(
        FaqEntry(id="notice", category="其他", question="居民怎么预约", answer="居民可以预约。",
                 status="draft"),
        by="王律师",
    )
    service.handle(msg("/start xinhepu", who="r2"), T0)
    service.handle(msg("居民楼漏水", who="r2"), T0)
    for n, text in enumerate(["/start xinhepu", "工资被拖欠", "/forget"]):
        service.handle(Incoming("telegram", "r9", "r9", text, f"r9:{n}", sender_name="居民"), T0)
    assert service.faq.get("notice").answer == "居民可以预约。"
    texts = [row[0] for row in db.execute("SELECT text FROM messages WHERE sender_id = 'r2'")]
    assert "居民楼漏水" in texts
