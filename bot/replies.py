"""What the conversation says, built from data: answers, suggestions, streets, law text.

Pure functions: they take what they show and return text and buttons; the conversation
decides when to say them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from bot.clock import parse_iso
from bot.desk.org import Organisation
from bot.desk.tickets import Ticket
from bot.messages import Address, Button, Outgoing
from bot.texts import desk as dt
from bot.texts import resident as rt
from knowledge.faq import FaqEntry

Buttons = tuple[tuple[Button, ...], ...]
Reply = tuple[str, Buttons]

MAX_LAW_BUTTONS = 3
NONE_OF_THESE = "none"  # /human none: the 都不是，转人工 button (the ticket says so)
MAX_SUGGESTIONS = 3
STEP = re.compile(r"[；;]?\s*(?<!（)(?<!\()(\d{1,2}[）)])")


class Turn:
    """The replies of one turn: to the resident's chat, and ``extra`` elsewhere (the desk)."""

    def __init__(self, address: Address) -> None:
        self.address = address
        self.replies: list[Outgoing] = []
        self.extra: list[Outgoing] = []

    def say(
        self, text: str, buttons: Buttons = (), ref: str | None = None
    ) -> None:
        """Add a reply to the resident."""
        self.replies.append(
            Outgoing(self.address.channel, self.address.chat_id, text, buttons=buttons, ref=ref)
        )

    @property
    def outs(self) -> list[Outgoing]:
        """Resident replies first, then what goes elsewhere."""
        return self.replies + self.extra


def layout_answer(answer: str) -> str:
    """Put the "建议：" part and each of its numbered steps on lines of their own.

    Answers are written as one paragraph (easy to review in a diff); on a phone the steps
    read better one per line.
    """
    rule, mark, advice = answer.strip().partition(rt.ADVICE_MARK)
    if not mark:
        return rule
    return f"{rule.rstrip()}\n\n{mark}" + STEP.sub(r"\n\1", advice).rstrip()


def answer_reply(entry: FaqEntry, qid: int) -> Reply:
    """The FAQ answer with its legal basis and 👍 / 👎 / 转人工 / 查看法条."""
    parts = [rt.ANSWER.format(question=entry.question, answer=layout_answer(entry.answer))]
    if entry.legal_basis:
        parts.append(rt.LEGAL_BASIS.format(basis="；".join(entry.legal_basis)))
    parts.append(rt.DISCLAIMER)
    second: list[Button] = [Button(rt.BTN_HUMAN, "/human")]
    citations = entry.legal_basis[:MAX_LAW_BUTTONS]
    for citation in citations:
        label = rt.BTN_LAW if len(citations) == 1 else rt.BTN_LAW_NAMED.format(citation=citation)
        second.append(Button(label, f"/law {citation}"))
    buttons = (
        (Button(rt.BTN_UP, f"/rate {qid} up"), Button(rt.BTN_DOWN, f"/rate {qid} down")),
        tuple(second),
    )
    return "\n\n".join(parts), buttons


def suggestion_buttons(questions: Sequence[tuple[str, str]], extra: Buttons = ()) -> Buttons:
    """One button per (entry id, question), then ``extra``, then 都不是，转人工."""
    rows = [(Button(q, f"/faq {i}"),) for i, q in questions[:MAX_SUGGESTIONS]]
    return (*rows, *extra, (Button(rt.BTN_NONE, f"/human {NONE_OF_THESE}"),))


def answer_summary(entry: FaqEntry) -> str:
    """What the desk reads of an answer the bot gave: the entry's title and a beginning."""
    answer = " ".join(entry.answer.split())
    excerpt = answer[: dt.EXCERPT_CHARS] + ("…" if len(answer) > dt.EXCERPT_CHARS else "")
    return dt.REPLY_ANSWER.format(question=entry.question, excerpt=excerpt)


def suggest_summary(questions: Sequence[str]) -> str:
    """What the desk reads of a "did you mean" list."""
    return dt.REPLY_SUGGEST.format(questions="；".join(questions[:MAX_SUGGESTIONS]))


def street_choice(org: Organisation, prefix: str = "") -> Reply:
    """Street buttons (or the communities at once when there is one street)."""
    streets = org.streets()
    if len(streets) == 1:
        return community_choice(org, streets[0], prefix)
    return prefix + rt.ASK_STREET, tuple((Button(s, f"/street {s}"),) for s in streets)


def community_choice(org: Organisation, street: str, prefix: str = "") -> Reply:
    """Community buttons of one street (the streets again when it is unknown)."""
    communities = org.communities_in(street)
    if not communities:
        return street_choice(org, rt.UNKNOWN_STREET + "\n")
    buttons = tuple((Button(c.name, f"/community {c.code}"),) for c in communities)
    return prefix + rt.ASK_COMMUNITY.format(street=street), buttons


def law_text(laws: Any, citation: str) -> str:
    """``/law CITATION``: the article text, its law and version date (or why not)."""
    from knowledge.citations import CitationSyntaxError
    from knowledge.laws import UnknownArticle, UnknownLaw

    if not citation:
        return rt.LAW_USAGE
    if laws is None or laws.count() == 0:
        return rt.LAW_UNAVAILABLE
    try:
        article = laws.resolve(citation)
    except (CitationSyntaxError, UnknownLaw, UnknownArticle):
        return rt.LAW_UNKNOWN.format(citation=citation)
    text = rt.LAW_TEXT.format(
        citation=article.citation(), version=article.version_date, text=article.text
    )
    if not article.in_force:
        text += "\n" + rt.LAW_NOT_IN_FORCE
    return str(text)


def my_tickets_text(tickets: Sequence[Ticket], tz: ZoneInfo) -> str:
    """``/my``: the resident's tickets, newest first."""
    if not tickets:
        return rt.MY_TICKETS_NONE
    lines = [rt.MY_TICKETS_HEAD]
    for t in tickets:
        created = parse_iso(t.created_at).astimezone(tz).strftime("%m-%d %H:%M")
        status = rt.STATUS.get(t.status, t.status)
        lines.append(rt.MY_TICKET_LINE.format(
            number=t.number, status=status, created=created, question=t.question[:30]
        ))
    return "\n".join(lines)


def category_buttons(categories: Sequence[str]) -> Buttons:
    """The FAQ's categories as buttons, two to a row, then 转人工."""
    buttons = [Button(c, f"/topic {c}") for c in categories]
    rows = [tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2)]
    return (*rows, (Button(rt.BTN_HUMAN, "/human"),))
