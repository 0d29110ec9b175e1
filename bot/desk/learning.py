"""The learning loop: a good ticket answer becomes a draft FAQ entry for an adviser."""

from __future__ import annotations

from bot.desk.masking import mask
from bot.desk.tickets import Ticket
from knowledge.faq import FaqEntry, FaqStore

DEFAULT_CATEGORY = "其他"


def draft_entry(ticket: Ticket, reply: str) -> FaqEntry:
    """A draft entry: the resident's wording as question and alternate, the reply as answer."""
    question = mask(ticket.question.strip())  # an FAQ entry never carries a number
    return FaqEntry(
        id="",
        category=ticket.category or DEFAULT_CATEGORY,
        question=question,
        answer=reply.strip(),
        alternates=(question,),
        communities=(),
        status="draft",
        extra={"source": ticket.ref},
    )


def draft_from_ticket(faq: FaqStore, ticket: Ticket, reply: str, by: str) -> FaqEntry:
    """Store a draft made from ``ticket`` and its ``reply``; return it with its new id."""
    return faq.add(draft_entry(ticket, reply), by=by)
