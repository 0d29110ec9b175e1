"""The resident's simple commands: choosing a community, law text, ratings, /my, /forget.

A mixin of :class:`bot.conversation.Conversation`, kept apart so each file stays readable.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlite_utils

from bot.clock import parse_iso
from bot.desk.org import Organisation
from bot.desk.tickets import Tickets
from bot.messages import Address, Button, Outgoing
from bot.privacy import forget_resident
from bot.questions import QuestionLog
from bot.residents import Resident, Residents
from bot.texts import resident as rt


class Turn:
    """The replies of one turn: to the resident's chat, and ``extra`` elsewhere (the desk)."""

    def __init__(self, address: Address) -> None:
        self.address = address
        self.replies: list[Outgoing] = []
        self.extra: list[Outgoing] = []

    def say(self, text: str, buttons: tuple[tuple[Button, ...], ...] = ()) -> None:
        """Add a reply to the resident."""
        self.replies.append(
            Outgoing(self.address.channel, self.address.chat_id, text, buttons=buttons)
        )

    @property
    def outs(self) -> list[Outgoing]:
        """Resident replies first, then what goes elsewhere."""
        return self.replies + self.extra


class ResidentCommands:
    """Commands that need no matching: the parts of the conversation around the questions."""

    db: sqlite_utils.Database
    tz: ZoneInfo
    laws: Any
    tickets: Tickets
    residents: Residents
    questions: QuestionLog

    def ask_street(self, turn: Turn, org: Organisation, prefix: str = "") -> None:
        """Street buttons (or the communities at once when there is one street)."""
        streets = org.streets()
        if len(streets) == 1:
            self.ask_community(turn, org, streets[0], prefix)
            return
        buttons = tuple((Button(s, f"/street {s}"),) for s in streets)
        turn.say(prefix + rt.ASK_STREET, buttons)

    def ask_community(self, turn: Turn, org: Organisation, street: str, prefix: str = "") -> None:
        """Community buttons of one street."""
        communities = org.communities_in(street)
        if not communities:
            self.ask_street(turn, org, rt.UNKNOWN_STREET + "\n")
            return
        buttons = tuple((Button(c.name, f"/community {c.code}"),) for c in communities)
        turn.say(prefix + rt.ASK_COMMUNITY.format(street=street), buttons)

    def show_law(self, turn: Turn, citation: str) -> None:
        """``/law CITATION``: the article text, its law and version date."""
        from knowledge.citations import CitationSyntaxError
        from knowledge.laws import UnknownArticle, UnknownLaw

        if not citation:
            turn.say(rt.LAW_USAGE)
            return
        if self.laws is None or self.laws.count() == 0:
            turn.say(rt.LAW_UNAVAILABLE)
            return
        try:
            article = self.laws.resolve(citation)
        except (CitationSyntaxError, UnknownLaw, UnknownArticle):
            turn.say(rt.LAW_UNKNOWN.format(citation=citation))
            return
        text = rt.LAW_TEXT.format(
            citation=article.citation(), version=article.version_date, text=article.text
        )
        if not article.in_force:
            text += "\n" + rt.LAW_NOT_IN_FORCE
        turn.say(text)

    def rate(self, turn: Turn, r: Resident, arg: str, now: datetime) -> None:
        """``/rate QID up|down`` for an answer, ``/rate tN 1-5|up|down`` for a ticket."""
        target, _, value = arg.partition(" ")
        value = value.strip().lower()
        if target.lower().startswith("t") and _small(target[1:]):
            self.rate_ticket(turn, r, int(target[1:]), value, now)
            return
        logged = self.questions.get(int(target)) if _small(target) else None
        if logged is None or logged.resident_id != r.id or value not in ("up", "down"):
            turn.say(rt.RATE_UNKNOWN)
            return
        self.questions.set(logged.id, rating=value)
        if value == "up":
            turn.say(rt.THANKS_UP)
        else:
            turn.say(rt.SORRY_DOWN, ((Button(rt.BTN_HUMAN, "/human"),),))

    def rate_ticket(self, turn: Turn, r: Resident, number: int, value: str, now: datetime) -> None:
        """Store a 1–5 rating (👍 = 5, 👎 = 1) of the resident's own ticket."""
        stars = {"up": 5, "down": 1}.get(value) or (int(value) if _small(value) else 0)
        owned = {t.number for t in self.tickets.of_resident(r.id)}
        if number not in owned or not 1 <= stars <= 5:
            turn.say(rt.RATE_UNKNOWN)
            return
        self.tickets.rate(number, stars, now)
        turn.say(rt.TICKET_RATED.format(number=number))

    def my_tickets(self, turn: Turn, r: Resident) -> None:
        """``/my``: the resident's tickets."""
        tickets = self.tickets.of_resident(r.id)
        if not tickets:
            turn.say(rt.MY_TICKETS_NONE)
            return
        lines = [rt.MY_TICKETS_HEAD]
        for t in tickets:
            created = parse_iso(t.created_at).astimezone(self.tz).strftime("%m-%d %H:%M")
            status = rt.STATUS.get(t.status, t.status)
            lines.append(rt.MY_TICKET_LINE.format(
                number=t.number, status=status, created=created, question=t.question[:30]
            ))
        turn.say("\n".join(lines))

    def forget(self, turn: Turn, r: Resident, now: datetime) -> None:
        """``/forget``: delete the resident's words and identity; counts stay anonymous."""
        forget_resident(self.db, r, now)  # bot/privacy.py: every table, and the file's bytes
        turn.say(rt.FORGOTTEN)


def _small(text: str) -> bool:
    """A plain decimal number SQLite can hold (not ², ① or 25 nines)."""
    return text.isdecimal() and len(text) <= 9
