"""Forget-me: a resident's words and identifiers leave every table, and the file's bytes.

``/forget`` calls :func:`forget_resident` inside the turn's transaction:

- their messages: text, sender, chat, channel message id (it holds the chat id) and reply_to
  blanked; their resident row deleted;
- their tickets: question and their transcript lines blanked, address dropped (Tickets);
  the desk's lines keep the adviser's words with the resident's numbers masked and name
  replaced; the question log keeps counts only;
- the outbox: everything to them deleted; desk copies about their tickets blanked; the
  goodbye itself is deleted (and the WAL checkpointed) as soon as it is sent;
- FAQ entries (every version in ``faq_history`` too): their wording is removed from the
  alternates, a question that is their wording becomes a placeholder, their numbers and name
  are masked, the adviser's answer stays;
- any other stored text that carries one of their phone / ID / card numbers is masked.

``PRAGMA secure_delete`` is switched on first, so freed bytes are zeroed; after the commit
:func:`checkpoint_if_forgotten` copies the WAL into the main file and truncates it, so the
old pages do not linger in ``-wal`` either.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

import sqlite_utils

from bot.desk.masking import digits_of, mask, personal_numbers
from bot.desk.outbox import ERASE_REF
from bot.desk.tickets import Tickets
from bot.questions import QuestionLog
from bot.residents import Resident, Residents
from bot.store import get_state, set_state
from bot.texts import desk as dt
from knowledge.faq import FaqStore

CHECKPOINT_STATE = ("privacy", "checkpoint_due")
NAME_MASK = "***"
MIN_NAME_CHARS = 2  # a one-character "name" would blank ordinary words


def forget_resident(db: sqlite_utils.Database, resident: Resident, now: datetime) -> None:
    """Remove or blank ``resident``'s text and identifiers everywhere (see module doc)."""
    db.execute("PRAGMA secure_delete = ON")
    tickets = Tickets(db)
    own = tickets.of_resident(resident.id)
    refs = [t.ref for t in own]
    said = _their_texts(db, resident, [t.id for t in own])
    secrets = {n for text in said for n in personal_numbers(text)}
    row = db.execute("SELECT name FROM residents WHERE id = ?", [resident.id]).fetchone()
    name = (row[0] or "").strip() if row is not None else ""
    name = name if len(name) >= MIN_NAME_CHARS else ""
    wordings = {w for text in said for w in (text.strip(), mask(text.strip())) if w}

    tickets.forget_resident(resident.id, now)
    QuestionLog(db).forget_resident(resident.id)
    db.execute(
        "DELETE FROM outbox WHERE channel = ? AND chat_id = ?", [resident.channel, resident.chat_id]
    )
    for ref in refs:
        db.execute("DELETE FROM outbox WHERE ref = ? AND sent_at IS NULL", [ref])
        db.execute("UPDATE outbox SET text = '' WHERE ref = ?", [ref])
    db.execute(
        "UPDATE messages SET text = '', sender_id = '', chat_id = '', reply_to = NULL,"
        " message_id = 'forgotten:' || id"
        " WHERE channel = ? AND (sender_id = ? OR (chat_id = ? AND is_group = 0))",
        [resident.channel, resident.user_id, resident.chat_id],
    )
    db.execute(
        "DELETE FROM channel_state WHERE channel = ? AND key = ?",
        [resident.channel, f"direct:{resident.user_id}"],
    )
    Residents(db).forget(resident.id)

    _forget_in_faq(db, refs, wordings, secrets, name)
    event_ids = [t.id for t in own]
    for table, key, column, where, params in (
        ("ticket_events", "id", "text", _in("ticket_id", event_ids), event_ids),
        ("messages", "id", "text", "text != ''", []),
        ("outbox", "id", "text", "text != ''", []),
    ):
        _scrub(db, table, key, column, where, params, secrets, name)
    set_state(db, *CHECKPOINT_STATE, "1")


def erase_once_sent(db: sqlite_utils.Database, outbox_ids: list[int]) -> None:
    """In a forget-me turn, mark the goodbye (the replies ``outbox_ids``) to leave no trace.

    The goodbye needs the resident's address until it is sent; the outbox then deletes it.
    """
    if outbox_ids and get_state(db, *CHECKPOINT_STATE) is not None:
        marks = ", ".join("?" * len(outbox_ids))
        db.execute(f"UPDATE outbox SET ref = ? WHERE id IN ({marks})", [ERASE_REF, *outbox_ids])


def checkpoint_if_forgotten(db: sqlite_utils.Database) -> None:
    """After a forget-me commit: copy the WAL into the file and truncate it (else nothing)."""
    if get_state(db, *CHECKPOINT_STATE) is None:
        return
    with db.atomic():
        db.execute("DELETE FROM channel_state WHERE channel = ? AND key = ?", CHECKPOINT_STATE)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _in(column: str, values: list[int]) -> str:
    return f"{column} IN ({', '.join('?' * len(values))})" if values else "0"


def _their_texts(db: sqlite_utils.Database, r: Resident, ticket_ids: list[int]) -> list[str]:
    """Everything the resident wrote that is stored: messages, questions, ticket lines."""
    rows: list[str] = [
        row[0]
        for row in db.execute(
            "SELECT text FROM messages WHERE channel = ? AND sender_id = ?", [r.channel, r.user_id]
        )
    ]
    rows += [
        row[0]
        for row in db.execute("SELECT text FROM question_log WHERE resident_id = ?", [r.id])
        if row[0]
    ]
    rows += [
        row[0]
        for row in db.execute(
            f"SELECT question FROM tickets WHERE {_in('id', ticket_ids)}", ticket_ids
        )
    ]
    rows += [
        row[0]
        for row in db.execute(
            f"SELECT text FROM ticket_events WHERE role = 'resident'"
            f" AND {_in('ticket_id', ticket_ids)}",
            ticket_ids,
        )
    ]
    return [text for text in rows if text]


def _cleaned(text: str, secrets: set[str], name: str) -> str:
    if name and name in text:
        text = text.replace(name, NAME_MASK)
    if secrets and any(secret in digits_of(text) for secret in secrets):
        text = mask(text)
    return text


def _scrub(
    db: sqlite_utils.Database,
    table: str,
    key: str,
    column: str,
    where: str,
    params: Iterable[object],
    secrets: set[str],
    name: str,
) -> None:
    """Mask the resident's numbers and name in ``table.column`` where they appear."""
    if not secrets and not name:
        return
    for row_key, text in db.execute(
        f"SELECT {key}, {column} FROM {table} WHERE {where}", list(params)
    ).fetchall():
        cleaned = _cleaned(text, secrets, name)
        if cleaned != text:
            db.execute(f"UPDATE {table} SET {column} = ? WHERE {key} = ?", [cleaned, row_key])


def _forget_in_faq(
    db: sqlite_utils.Database, refs: list[str], wordings: set[str], secrets: set[str], name: str
) -> None:
    """Their wording out of every FAQ version; drafts from their tickets keep the answer."""
    changed = False
    for table, key in (("faq", "id"), ("faq_history", "id || ':' || version")):
        rows = db.execute(
            f"SELECT {key}, question, answer, alternates, extra FROM {table}"
        ).fetchall()
        for row_key, question, answer, alternates, extra in rows:
            source = json.loads(extra or "{}").get("source")
            alts = [a for a in json.loads(alternates or "[]") if a.strip() not in wordings]
            new_question = question
            if question.strip() in wordings or (source in refs and _touches(question, wordings)):
                new_question = dt.REDACTED
            new_alts = [_cleaned(a, secrets, name) for a in alts]
            new = (_cleaned(new_question, secrets, name), _cleaned(answer, secrets, name))
            if new != (question, answer) or new_alts != json.loads(alternates or "[]"):
                db.execute(
                    f"UPDATE {table} SET question = ?, answer = ?, alternates = ?"
                    f" WHERE {key} = ?",
                    [*new, json.dumps(new_alts, ensure_ascii=False), row_key],
                )
                changed = True
    if changed:
        FaqStore(db).bump()  # the bot's index rebuilds without their wording


def _touches(question: str, wordings: set[str]) -> bool:
    return any(w and (w in question or question in w) for w in wordings)
