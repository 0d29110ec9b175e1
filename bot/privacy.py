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
import logging
import re
import sqlite3
from collections.abc import Iterable, Sequence
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

log = logging.getLogger(__name__)

CHECKPOINT_STATE = ("privacy", "checkpoint_due")
GOODBYE_DUE, CHECKPOINT_DUE = "goodbye", "checkpoint"  # set by a forget; by its goodbye
NAME_MASK = "***"
MIN_NAME_CHARS = 2  # a one-character "name" would blank ordinary words


def forget_resident(
    db: sqlite_utils.Database,
    resident: Resident,
    now: datetime,
    tickets: Tickets,
    questions: QuestionLog,
    residents: Residents,
) -> None:
    """Remove or blank ``resident``'s text and identifiers everywhere (see module doc)."""
    db.execute("PRAGMA secure_delete = ON")
    own = tickets.of_resident(resident.id)
    refs = [t.ref for t in own]
    said = _their_texts(db, resident, [t.id for t in own])
    secrets = {n for text in said for n in personal_numbers(text)}
    row = db.execute("SELECT name FROM residents WHERE id = ?", [resident.id]).fetchone()
    name = (row[0] or "").strip() if row is not None else ""
    name = name if len(name) >= MIN_NAME_CHARS else ""
    wordings = {w for text in said for w in (text.strip(), mask(text.strip())) if w}

    tickets.forget_resident(resident.id, now)
    questions.forget_resident(resident.id)
    db.execute(  # their on-site bookings: upcoming ones freed, none traceable to them
        "UPDATE appointments SET resident_id = NULL, channel = NULL, chat_id = NULL,"
        " status = CASE status WHEN 'booked' THEN 'cancelled' ELSE status END"
        " WHERE resident_id = ?", [resident.id],
    )
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
    residents.forget(resident.id)

    _forget_in_faq(db, refs, wordings, secrets, name)
    ids = [t.id for t in own]
    about_them = _desk_messages_about(db, refs, [t.number for t in own])
    # Their name is only replaced where it is about them; their numbers wherever they are.
    for table, where, params, their_name in (
        ("ticket_events", _in("ticket_id", ids), ids, name),
        ("messages", _in("id", about_them), about_them, name),
        ("messages", "text != ''", [], ""),
        ("outbox", "text != ''", [], ""),
    ):
        _scrub(db, table, where, params, secrets, their_name)
    set_state(db, *CHECKPOINT_STATE, GOODBYE_DUE)


def _desk_messages_about(
    db: sqlite_utils.Database, refs: list[str], numbers: list[int]
) -> list[int]:
    """Desk members' messages about these tickets: commands naming them, replies to posts."""
    posts = {
        (channel, chat, message)
        for channel, chat, message in db.execute(
            f"SELECT channel, chat_id, channel_message_id FROM outbox WHERE {_in('ref', refs)}"
            " AND channel_message_id IS NOT NULL",
            refs,
        )
    }
    alternatives = "|".join(str(n) for n in numbers)
    command = re.compile(rf"^/\w+\s+#?({alternatives})\b") if numbers else None
    found = []
    for row_id, channel, chat, reply_to, text in db.execute(
        "SELECT id, channel, chat_id, reply_to, text FROM messages WHERE text != ''"
    ):
        if (channel, chat, reply_to) in posts or (command and command.match(text)):
            found.append(int(row_id))
    return found


def erase_once_sent(db: sqlite_utils.Database, outbox_ids: list[int]) -> None:
    """In a forget-me turn, mark the goodbye (the replies ``outbox_ids``) to leave no trace.

    The goodbye needs the resident's address until it is sent; the outbox then deletes it.
    """
    if get_state(db, *CHECKPOINT_STATE) != GOODBYE_DUE:
        return  # no forget-me in this turn (a left-over "checkpoint" mark tags nothing)
    marks = ", ".join("?" * len(outbox_ids))
    db.execute(f"UPDATE outbox SET ref = ? WHERE id IN ({marks})", [ERASE_REF, *outbox_ids])
    set_state(db, *CHECKPOINT_STATE, CHECKPOINT_DUE)


def checkpoint_if_forgotten(db: sqlite_utils.Database) -> None:
    """After a forget-me commit: copy the WAL into the file and truncate it (else nothing)."""
    try:
        if get_state(db, *CHECKPOINT_STATE) is None:
            return
        busy = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy and busy[0]:  # a reader held the WAL: keep the mark, try after the next turn
            log.warning("WAL checkpoint after a forget-me was blocked; will retry")
            return
        with db.atomic():
            db.execute("DELETE FROM channel_state WHERE channel = ? AND key = ?", CHECKPOINT_STATE)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the mark's own page, too
    except sqlite3.Error:  # the answer is already stored: never fail the turn for this
        log.exception("WAL checkpoint after a forget-me failed; will retry")


def _in(column: str, values: Sequence[object]) -> str:
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
    where: str,
    params: Iterable[object],
    secrets: set[str],
    name: str,
) -> None:
    """Mask the resident's numbers and name in ``table.text`` where they appear."""
    if not secrets and not name:
        return
    for row_id, text in db.execute(
        f"SELECT id, text FROM {table} WHERE {where}", list(params)
    ).fetchall():
        cleaned = _cleaned(text, secrets, name)
        if cleaned != text:
            db.execute(f"UPDATE {table} SET text = ? WHERE id = ?", [cleaned, row_id])


def _forget_in_faq(
    db: sqlite_utils.Database, refs: list[str], wordings: set[str], secrets: set[str], name: str
) -> None:
    """Every FAQ version: drafts from their tickets lose their wording and name (the
    adviser's answer stays); any entry loses their numbers."""
    changed = False
    for table, key in (("faq", "id"), ("faq_history", "id || ':' || version")):
        rows = db.execute(
            f"SELECT {key}, question, answer, alternates, extra FROM {table}"
        ).fetchall()
        for row_key, question, answer, alternates, extra in rows:
            theirs = json.loads(extra or "{}").get("source") in refs
            alts = json.loads(alternates or "[]")
            new_question, their_name = question, name if theirs else ""
            if theirs:  # an entry drafted from their ticket: keep only the adviser's text
                alts = [a for a in alts if a.strip() not in wordings]
                if _touches(question, wordings):
                    new_question = dt.REDACTED
            new_alts = [_cleaned(a, secrets, their_name) for a in alts]
            new = (
                _cleaned(new_question, secrets, their_name),
                _cleaned(answer, secrets, their_name),
            )
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
