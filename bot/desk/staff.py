"""Commands for people of the organisation: /duty, /faq quick curation and /review.

They work wherever a person of the organisation talks to the bot (their private chat, a
desk room, the terminal). Volunteers may read; advisers and leads may also change the FAQ.
``/review`` closes the learning loop: questions that needed people, each with one button
that adds the resident's wording to the best entry as an alternate phrasing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

import sqlite_utils

from bot.clock import iso, parse_iso
from bot.commands import FAQ_SUBCOMMANDS, is_bare_faq_id
from bot.desk.appointments import Appointments
from bot.desk.commands import DeskResult
from bot.desk.masking import mask
from bot.desk.notices import format_when
from bot.desk.onsite_desk import day_list, mark_held
from bot.desk.org import Organisation, Person
from bot.desk.roster import next_duty, on_duty
from bot.faq_index import answered_elsewhere
from bot.messages import Button
from bot.questions import QuestionLog
from bot.texts import staff as st
from knowledge.faq import CitationError, FaqEntry, FaqNotFound, FaqStore, InvalidEntry
from matcher.types import MatchResult

log = logging.getLogger(__name__)

CURATORS = ("adviser", "lead")
REVIEW_DAYS = 7
REVIEW_LIMIT = 10
Buttons = tuple[tuple[Button, ...], ...]


class Index(Protocol):
    """What /review needs of the FAQ index (``bot.faq_index.FaqIndex``)."""

    def match(self, text: str, community: str | None) -> MatchResult:
        """Rank the published entries for ``text``."""
        ...


@dataclass(frozen=True)
class ReviewItem:
    """A logged question that needed people, with the entry it most likely belongs to."""

    question_id: int
    at: datetime
    text: str
    reason: str
    candidate: FaqEntry | None


def review_items(
    db: sqlite_utils.Database,
    faq: FaqStore,
    index: Index,
    now: datetime,
    days: int = REVIEW_DAYS,
    limit: int = REVIEW_LIMIT,
) -> list[ReviewItem]:
    """Escalated, clarified, suggested-then-human and 👎-rated questions of the last ``days``.

    Newest first.

    Forgotten residents' questions (no text) are skipped, and so is a question whose wording
    is already a phrasing of its best candidate (it was reviewed).
    """
    rows = db.execute(
        "SELECT id, at, text, decision, entry_id, score, rating, community FROM question_log"
        " WHERE at >= ? AND text IS NOT NULL AND trim(text) != ''"
        " AND (decision IN ('escalate', 'human', 'clarify') OR rating = 'down'"
        "      OR (decision = 'suggest' AND ticket_id IS NOT NULL))"
        " ORDER BY at DESC, id DESC",
        [iso(now - timedelta(days=days))],
    ).fetchall()
    found: list[ReviewItem] = []
    for qid, at, text, decision, entry_id, score, rating, community in rows:
        if len(found) >= limit:
            break
        wording = mask(text.strip())
        reason = "down" if rating == "down" else decision
        rejected = entry_id if reason == "down" else None
        logged = entry_id if score is not None and score > 0 and not rejected else None
        candidate = _candidate(faq, index, wording, community, logged, rejected)
        if candidate is not None and wording in (candidate.question, *candidate.alternates):
            continue
        found.append(ReviewItem(qid, parse_iso(at), wording, reason, candidate))
    return found


def _candidate(
    faq: FaqStore, index: Index, text: str, community: str | None, logged: str | None,
    rejected: str | None,
) -> FaqEntry | None:
    """The logged best entry, else the index's; a 👎-rated answer's entry is not a candidate.

    Only candidates that share something with the question count (score above zero).
    """
    ids = [] if logged is None else [logged]
    try:
        ids += [c.id for c in index.match(text, community).top if c.score > 0]
    except Exception:  # the index must not break the review list
        log.exception("matching a review item failed")
    for entry_id in ids:
        if entry_id == rejected:
            continue
        try:
            return faq.get(entry_id)
        except FaqNotFound:
            continue
    return None


def render_review(items: list[ReviewItem], tz: ZoneInfo, days: int, limit: int) -> str:
    """The review list as text (the chat and the terminal show the same lines)."""
    if not items:
        return st.REVIEW_NONE.format(days=days)
    lines = [st.REVIEW_HEAD.format(days=days, limit=limit)]
    for item in items:
        candidate = (
            st.REVIEW_CANDIDATE.format(id=item.candidate.id, question=item.candidate.question)
            if item.candidate is not None
            else st.REVIEW_NO_CANDIDATE
        )
        lines.append(
            st.REVIEW_LINE.format(
                qid=item.question_id,
                when=item.at.astimezone(tz).strftime("%m-%d %H:%M"),
                reason=st.REVIEW_REASONS.get(item.reason, item.reason),
                text=item.text,
                candidate=candidate,
            )
        )
    return "\n".join(lines)


def review_buttons(items: list[ReviewItem]) -> Buttons:
    """One button per item with a candidate: add the wording to that entry in one tap."""
    rows = []
    for item in items:
        if item.candidate is None:
            continue
        question = item.candidate.question
        if len(question) > st.BUTTON_QUESTION_CHARS:
            question = question[: st.BUTTON_QUESTION_CHARS] + "…"
        label = st.BTN_ADD_ALT.format(qid=item.question_id, question=question)
        rows.append((Button(label, f"/faq altq {item.question_id} {item.candidate.id}"),))
    return tuple(rows)


class Staff:
    """Runs /duty, /faq and /review for a person of the organisation."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        tz: ZoneInfo,
        faq: FaqStore,
        index: Index,
        questions: QuestionLog,
    ) -> None:
        self.db = db
        self.tz = tz
        self.faq = faq
        self.index = index
        self.questions = questions

    def act(
        self, org: Organisation, person: Person, command: str, arg: str, now: datetime
    ) -> DeskResult:
        """Run ``/duty``, ``/faq …`` or ``/review`` as ``person``."""
        if command == "duty":
            return DeskResult(self.duty(org, person, now))
        if command == "onsite":
            return day_list(Appointments(self.db), org, person, arg, now, self.tz)
        if command == "held":
            return mark_held(Appointments(self.db), org, person, arg, now, self.tz)
        if command == "review":
            if person.role not in CURATORS:
                return DeskResult(st.REVIEW_ONLY_CURATORS)
            items = review_items(self.db, self.faq, self.index, now)
            text = render_review(items, self.tz, REVIEW_DAYS, REVIEW_LIMIT)
            buttons = review_buttons(items)
            if buttons:
                text += "\n" + st.REVIEW_HINT
            return DeskResult(text, buttons=buttons)
        return DeskResult(self.faq_command(person, arg))

    def duty(self, org: Organisation, person: Person, now: datetime) -> str:
        """Who of the person's team is on duty now, and whose duty starts next and when."""
        team = org.teams.get(person.team)
        if team is None:
            return st.DUTY_NO_TEAM
        people = on_duty(org, team.id, now, self.tz)
        if people:
            names = "、".join(
                st.DUTY_PERSON.format(name=p.name, role=st.ROLE.get(p.role, p.role))
                for p in people
            )
            lines = [st.DUTY_NOW.format(team=team.name, people=names)]
        else:
            lines = [st.DUTY_NOBODY.format(team=team.name)]
        upcoming = next_duty(org, team.id, now, self.tz)
        if upcoming is None:
            lines.append(st.DUTY_NO_NEXT)
        else:
            when, who = upcoming
            lines.append(
                st.DUTY_NEXT.format(
                    name=who.name, role=st.ROLE.get(who.role, who.role),
                    when=format_when(when, self.tz),
                )
            )
        return "\n".join(lines)

    def faq_command(self, person: Person, arg: str) -> str:
        """``/faq show|add|answer|alt|altq|publish …`` (a bare id shows the entry)."""
        sub, _, rest = arg.strip().partition(" ")
        sub, rest = sub.lower(), rest.strip()
        if is_bare_faq_id(arg):
            sub, rest = "show", arg.strip()
        if sub not in FAQ_SUBCOMMANDS:
            return st.FAQ_USAGE
        if sub != "show" and person.role not in CURATORS:
            return st.FAQ_ONLY_SHOW
        try:
            return self._faq(person, sub, rest)
        except FaqNotFound as error:
            return st.FAQ_NOT_FOUND.format(id=error.id)

    def _faq(self, person: Person, sub: str, rest: str) -> str:
        if sub == "add":
            return self.add(person, rest)
        entry_id, _, value = rest.partition(" ")
        value = value.strip()
        if not entry_id or (sub in ("answer", "alt", "altq") and not value):
            return st.FAQ_USAGE
        if sub == "show":
            return self.show(entry_id)
        if sub == "publish":
            return self.publish(person, entry_id)
        if sub == "answer":
            return self._edit(person, entry_id, st.FAQ_ANSWER_SET, answer=value)
        if sub == "alt":
            return self.add_alternate(person, entry_id, value)
        # altq QUESTION_LOG_ID ENTRY_ID: a reviewed question's wording as an alternate
        qid, target = entry_id, value.split()[0]
        logged = self.questions.get(int(qid)) if qid.isdecimal() and len(qid) <= 9 else None
        if logged is None or not (logged.text or "").strip():
            return st.FAQ_QUESTION_GONE.format(qid=qid)
        return self.add_alternate(person, target, mask((logged.text or "").strip()))

    def show(self, entry_id: str) -> str:
        """The entry as an adviser reviews it."""
        e = self.faq.get(entry_id)
        return st.FAQ_SHOW.format(
            id=e.id, category=e.category, status=st.FAQ_STATUS.get(e.status, e.status),
            version=e.version, by=e.updated_by or st.FAQ_NONE, question=e.question,
            alternates="；".join(e.alternates) or st.FAQ_NONE, answer=e.answer,
            basis="；".join(e.legal_basis) or st.FAQ_NONE,
        )

    def add(self, person: Person, rest: str) -> str:
        """``类别|问题|答案|法条1;法条2`` → a draft entry by ``person``."""
        parts = [p.strip() for p in rest.replace("｜", "|").split("|", 3)]
        if len(parts) < 3 or not all(parts[:3]):
            return st.FAQ_USAGE
        basis = parts[3].replace("；", ";").split(";") if len(parts) == 4 else []
        draft = FaqEntry(
            id="", category=parts[0], question=parts[1], answer=parts[2],
            legal_basis=tuple(b.strip() for b in basis if b.strip()), status="draft",
        )
        try:
            entry = self.faq.add(draft, by=person.name)
        except InvalidEntry as error:
            return st.FAQ_INVALID.format(error=error)
        return st.FAQ_ADDED.format(id=entry.id, question=entry.question)

    def add_alternate(self, person: Person, entry_id: str, alternate: str) -> str:
        """Add ``alternate`` as a phrasing of the entry (a new version by ``person``)."""
        current = self.faq.get(entry_id)
        if alternate in (current.question, *current.alternates):
            return st.FAQ_ALT_EXISTS.format(id=entry_id, alternate=alternate)
        elsewhere = answered_elsewhere(self.index, entry_id, [alternate])  # before it is added
        said = self._edit(
            person, entry_id, st.FAQ_ALT_ADDED, alternate=alternate,
            alternates=(*current.alternates, alternate),
        )
        if alternate in self.faq.get(entry_id).alternates:  # added: say where it also fits
            for phrasing, other in elsewhere:
                said += st.FAQ_ALT_ANSWERED_ELSEWHERE.format(alternate=phrasing, other=other)
        return said

    def publish(self, person: Person, entry_id: str) -> str:
        """Publish the entry; refused, naming the citation, when one is wrong or not in force."""
        try:
            # an adviser who publishes signs off; a team lead needs an adviser's sign-off first
            reviewer = person.name if person.role == "adviser" else None
            entry = self.faq.publish(entry_id, by=person.name, reviewed_by=reviewer)
        except CitationError as error:
            return st.FAQ_CITATION_REFUSED.format(id=entry_id, error=error)
        except InvalidEntry as error:
            return st.FAQ_INVALID.format(error=error)
        return st.FAQ_PUBLISHED.format(id=entry.id, version=entry.version)

    def _edit(self, person: Person, entry_id: str, done: str, alternate: str = "",
              **changes: object) -> str:
        before = self.faq.get(entry_id)
        try:
            entry = self.faq.edit(entry_id, by=person.name, **changes)
        except InvalidEntry as error:
            return st.FAQ_INVALID.format(error=error)
        if entry.version == before.version:
            return st.FAQ_UNCHANGED.format(id=entry_id)
        said = done.format(id=entry.id, version=entry.version, alternate=alternate)
        if before.status == "published" and entry.status == "draft":
            said += st.FAQ_WITHDRAWN.format(id=entry.id)
        return said
