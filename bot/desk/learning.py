"""The learning loop: a good ticket answer, or a question that needed people (the console's
review queue), becomes a draft FAQ entry for an adviser.

The draft is unreviewed (nothing a desk writes goes live without an adviser's sign-off and a
citation), starts without the greeting the reply had for its resident, and is filed under the
category of the published entry nearest to the question.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from bot.desk.masking import mask
from bot.desk.tickets import Event, Ticket
from bot.faq_index import FaqIndex
from knowledge.faq import FaqEntry, FaqStore

DEFAULT_CATEGORY = "其他"
# A salutation addressed to one resident, at the start of a reply: 您好，… / 你好！…
_GREETING = re.compile(
    r"^(?:\s*(?:您好|你好|您们好|你们好|大家好|哈喽|亲)\s*[，,！!。.：:、~～]*)+"
)


def without_greeting(reply: str) -> str:
    """The reply without a leading greeting (the answer is for every resident now)."""
    return _GREETING.sub("", reply.strip()).strip() or reply.strip()


def asked(ticket: Ticket, events: Sequence[Event]) -> str:
    """The one question of ``ticket``: the resident's message its question ends with.

    A ticket opened after a clarifying question joins the vague first message and the
    clarification (its thread keeps both); an FAQ entry is made of the clarification alone.
    """
    joined = ticket.question.strip()
    messages = [e.text.strip() for e in events if e.role == "resident" and e.text.strip()]
    ending = [m for m in messages if joined == m or joined.endswith("\n" + m)]
    return max(ending, key=len) if ending else joined


def nearest_entry(faq: FaqStore, question: str) -> tuple[FaqEntry | None, bool]:
    """The published entry the matcher finds nearest to ``question``, and whether the
    matcher would answer ``question`` with it (then the draft may be a duplicate)."""
    result = FaqIndex(faq).match(question)
    if not result.top or not faq.exists(result.top[0].id):
        return None, False
    return faq.get(result.top[0].id), result.decision == "answer"


def _draft(question: str, answer: str, category: str | None, source: str) -> FaqEntry:
    return FaqEntry(
        id="",
        category=category or DEFAULT_CATEGORY,
        question=question,
        answer=answer,
        alternates=(question,),
        communities=(),
        status="draft",
        extra={"source": source},
    )


def draft_from_question(
    faq: FaqStore, question: str, answer: str, by: str, source: str, category: str | None = None
) -> FaqEntry:
    """Store a draft of ``question`` (masked) and ``answer``; return it with its new id.

    Filed under the nearest published entry's category (else ``category``, else 其他); when
    that entry already answers the question, the draft records it (``extra["duplicate_of"]``)
    for the adviser to see. ``source`` says where it came from (``ticket:7``, ``question:12``).
    """
    question = mask(question.strip())  # an FAQ entry never carries a number
    nearest, answers = nearest_entry(faq, question)
    draft = _draft(question, answer, nearest.category if nearest else category, source)
    if nearest is not None and answers:
        draft = dataclasses.replace(draft, extra={**draft.extra, "duplicate_of": nearest.id})
    return faq.add(draft, by=by)


def draft_from_ticket(
    faq: FaqStore, ticket: Ticket, events: Sequence[Event], reply: str, by: str
) -> FaqEntry:
    """Store a draft of ``ticket``'s one question (:func:`asked`, read from its ``events``)
    answered by its ``reply`` (see draft_from_question)."""
    return draft_from_question(
        faq, asked(ticket, events), without_greeting(reply), by, ticket.ref, ticket.category
    )
