"""FAQ curation in the console (advisers and leads): search, edit, alternates one at a time,
citations checked against the statutes, sign-off / publish / archive, history, a test pane.

Changes go through :class:`knowledge.faq.FaqStore` (its rules: a changed answer loses its
sign-off; publishing needs a sign-off and an in-force citation). The test pane runs the live
FAQ index, the one residents are answered from, and shows what ``lawbot ask`` shows.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.accounts import FAQ
from bot.channels.web_console import ConsoleRefused, Form, Staff
from bot.desk.learning import draft_from_question
from bot.desk.staff import review_items
from bot.explain import explain
from bot.faq_index import answered_elsewhere
from bot.texts import console as t
from knowledge.faq import FaqEntry, FaqNotFound, FaqStore, InvalidEntry
from knowledge.faqcheck import MAX_ITEMS, MAX_LENGTH
from knowledge.texts import DRAFT_ANSWER, field_name

if TYPE_CHECKING:
    from bot.channels.web_console import Console

REVIEW = "/console/faq-review"
FAQ_ACTIONS = ("edit", "addalt", "delalt", "signoff", "publish", "archive", "revert")
# What a revert restores: the content of an older version; the status stays (publishing keeps
# its own rules), and a restored answer or citation needs a new sign-off as any edit does.
REVERTED = ("category", "question", "answer", "alternates", "legal_basis", "communities")


def faq_routes(console: Console) -> list[Route]:
    """The FAQ pages, for advisers and leads."""
    pages = FaqPages(console)
    return [
        Route("/console/faq", console.guard(FAQ, pages.list_page)),
        Route("/console/faq-review", console.guard(FAQ, pages.review_page)),
        Route("/console/citations", console.guard(FAQ, pages.citations)),
        Route(
            "/console/faq-review/{qid:int}/draft", console.guard(FAQ, pages.review_draft),
            methods=["POST"],
        ),
        Route("/console/faq/{id}", console.guard(FAQ, pages.entry_page)),
        Route("/console/faq/{id}/{action}", console.guard(FAQ, pages.action), methods=["POST"]),
    ]


class FaqPages:
    """The FAQ list, an entry's editor and its actions."""

    def __init__(self, console: Console) -> None:
        self.console = console

    @property
    def faq(self) -> FaqStore:
        """The FAQ store of the service (read when used: a web-chat-only core has none)."""
        return self.console.service.faq

    async def list_page(self, request: Request, staff: Staff, form: Form) -> Response:
        """Entries found by words, status and category; the test pane on the side."""
        query = request.query_params
        words = query.get("q", "").strip()
        entries = self.faq.list(status=query.get("status") or None,
                                category=query.get("category") or None)
        if words:
            entries = [e for e in entries if _contains(e, words)]
        categories = sorted({e.category for e in self.faq.list()})
        return self.console.render(
            request, staff, "console_faq.html", entries=entries, query=query,
            categories=categories, statuses=t.FAQ_STATUS, test=self._test(query.get("try", "")),
        )

    async def review_page(self, request: Request, staff: Staff, form: Form) -> Response:
        """Questions that needed people (what /review lists), each with its likely entry."""
        service = self.console.service
        items = review_items(service.db, self.faq, service.index, self.console.clock())
        drafts = self._drafts()
        return self.console.render(
            request, staff, "console_review.html",
            items=[
                {"text": i.text, "reason": t.REVIEW_REASONS.get(i.reason, i.reason),
                 "at": i.at.astimezone(service.tz).strftime("%m-%d %H:%M"),
                 "candidate": i.candidate, "qid": i.question_id,
                 "draft": drafts.get(_source(i.question_id))}
                for i in items
            ],
        )

    async def review_draft(self, request: Request, staff: Staff, form: Form) -> Response:
        """"New draft from this": an unreviewed entry of a logged question (masked), filed
        under the category the matcher suggests, opened in the editor (once per question)."""
        qid = int(request.path_params["qid"])
        logged = self.console.service.staff.questions.get(qid)
        if logged is None or not (logged.text or "").strip():
            raise ConsoleRefused(404, t.REVIEW_GONE.format(qid=qid))
        made = self._drafts().get(_source(qid))
        if made is not None:
            return self.console.done(staff, t.REVIEW_DRAFT_EXISTS.format(id=made.id), _at(made))
        now = self.console.clock()
        draft = draft_from_question(
            self.faq, logged.text or "", DRAFT_ANSWER, staff.name, _source(qid),
            logged.category,
        )
        self.console.accounts.audit(staff.name, "faq-draft", now, f"faq:{draft.id}", draft.question)
        text = t.REVIEW_DRAFTED.format(id=draft.id, category=draft.category)
        return self.console.done(staff, text, _at(draft))

    def _drafts(self) -> dict[str, FaqEntry]:
        """The drafts made from logged questions, by their source."""
        return {e.extra["source"]: e for e in self.faq.list(status="draft")
                if e.extra.get("source", "").startswith("question:")}

    async def citations(self, request: Request, staff: Staff, form: Form) -> Response:
        """``GET /console/citations?text=…``: each line of a legal-basis box checked against
        the statutes, with the text it cites or the problem (JSON; what the editor shows as
        the adviser types). Reads only: no CSRF token needed."""
        lines = _lines(request.query_params.get("text", ""))
        longest = MAX_LENGTH["legal_basis"]
        if len(lines) > MAX_ITEMS["legal_basis"] or any(len(c) > longest for c in lines):
            raise ConsoleRefused(
                400, t.CITATIONS_TOO_MUCH.format(lines=MAX_ITEMS["legal_basis"], chars=longest)
            )
        return JSONResponse(
            {"citations": [self._citation(c) for c in lines]},
            headers={"cache-control": "no-store"},
        )

    async def entry_page(self, request: Request, staff: Staff, form: Form) -> Response:
        """One entry: the editor, its citations with the article text, history, test pane."""
        entry = self._entry(request)
        history = self.faq.history(entry.id)
        versions = [
            {"version": v.version, "by": v.updated_by, "at": v.updated_at[:16].replace("T", " "),
             "entry": v, "diff": answer_diff(history[i - 1].answer, v.answer) if i else None,
             "changed": "、".join(_changed(history[i - 1], v)) if i else t.FAQ_CREATED,
             "status": t.FAQ_STATUS.get(v.status, v.status)}
            for i, v in enumerate(history)
        ]
        return self.console.render(
            request, staff, "console_faq_entry.html", entry=entry,
            citations=[self._citation(c) for c in entry.legal_basis],
            versions=list(reversed(versions)), statuses=t.FAQ_STATUS,
            test=self._test(request.query_params.get("try", "")),
            may_sign=staff.person.role == "adviser",
        )

    async def action(self, request: Request, staff: Staff, form: Form) -> Response:
        """Edit, add or remove one alternate, sign off, publish, archive."""
        entry = self._entry(request)
        action = request.path_params["action"]
        if action not in FAQ_ACTIONS:
            raise ConsoleRefused(404, t.NO_SUCH_ACTION.format(action=action))
        if action == "signoff" and staff.person.role != "adviser":
            raise ConsoleRefused(403, t.SIGNOFF_ADVISERS_ONLY)
        now = self.console.clock()
        text = form.get("text", "").strip()
        index = self.console.service.index
        elsewhere = answered_elsewhere(index, entry.id, [text]) if action == "addalt" else []
        try:
            saved = self._change(entry, action, staff.name, form, text)
        except InvalidEntry as error:
            self.console.accounts.audit(
                staff.name, f"faq-{action}", now, f"faq:{entry.id}", f"{t.REFUSED}：{error}"
            )
            return self.console.done(staff, t.FAQ_REFUSED.format(error=error), _at(entry))
        if saved is None:  # nothing to remove or restore: said, nothing changed
            missing = t.FAQ_NO_VERSION if action == "revert" else t.FAQ_ALT_MISSING
            return self.console.done(staff, missing.format(text=text), _at(entry))
        self.console.accounts.audit(staff.name, f"faq-{action}", now, f"faq:{entry.id}", text)
        done = t.FAQ_UNCHANGED if saved.version == entry.version else t.FAQ_SAVED
        if entry.status == "published" and saved.status == "draft":
            done += t.FAQ_WITHDRAWN
        for phrasing, other in elsewhere if saved.version != entry.version else []:
            done += t.FAQ_ALT_ANSWERED_ELSEWHERE.format(alternate=phrasing, other=other)
        back = REVIEW if form.get("back") == "review" else _at(entry)
        return self.console.done(staff, done.format(version=saved.version), back)

    def _change(
        self, entry: FaqEntry, action: str, by: str, form: Form, text: str
    ) -> FaqEntry | None:
        if action == "edit":
            return self.faq.edit(
                entry.id, by, question=form.get("question", entry.question).strip(),
                answer=form.get("answer", entry.answer).strip(),
                category=form.get("category", entry.category).strip(),
                legal_basis=_lines(form.get("legal_basis", "\n".join(entry.legal_basis))),
            )
        if action == "addalt":
            if not text:
                raise InvalidEntry([("alternates", t.FAQ_ALT_EMPTY)])
            return self.faq.edit(entry.id, by, alternates=(*entry.alternates, text))
        if action == "delalt":
            if text not in entry.alternates:
                return None
            return self.faq.edit(
                entry.id, by, alternates=tuple(a for a in entry.alternates if a != text)
            )
        if action == "revert":
            old = next((v for v in self.faq.history(entry.id) if str(v.version) == text), None)
            if old is None:
                return None
            return self.faq.edit(entry.id, by, **{f: getattr(old, f) for f in REVERTED})
        if action == "signoff":
            return self.faq.signoff(entry.id, by)
        if action == "publish":
            return self.faq.publish(entry.id, by)
        return self.faq.archive(entry.id, by)

    def _entry(self, request: Request) -> FaqEntry:
        id = request.path_params["id"]
        try:
            return self.faq.get(id)
        except FaqNotFound:
            raise ConsoleRefused(404, t.FAQ_NOT_FOUND.format(id=id)) from None

    def _citation(self, citation: str) -> dict[str, str]:
        """A citation, whether it resolves and is in force, and the text it cites."""
        laws = self.faq.laws
        if laws is None or not laws.count():
            return {"citation": citation, "problem": t.NO_STATUTES, "text": ""}
        problem = laws.check(citation)
        if problem is not None:
            return {"citation": citation, "problem": problem, "text": ""}
        return {"citation": citation, "problem": "", "text": laws.quote(citation)[1]}

    def _test(self, wording: str) -> dict[str, Any] | None:
        """What the live matcher does with ``wording``, as `lawbot ask` prints it."""
        wording = wording.strip()[:500]
        if not wording:
            return None
        result = self.console.service.index.match(wording, None, explain=True)
        top = result.top[0] if result.top else None
        return {"wording": wording, "lines": explain(result),
                "decision": result.decision, "top": top.id if top else ""}


def answer_diff(before: str, after: str) -> Markup | None:
    """How an answer changed, inline: removed text in ``<del>``, added text in ``<ins>``.

    Compared character by character (Chinese has no spaces between words); one unchanged
    character between two changes is folded into them, so a rewritten phrase reads as one
    change rather than a comb of single characters. None when the answer is the same.
    """
    if before == after:
        return None
    ops = difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
    runs: list[list[str]] = []  # [removed, added] for a change, [kept] for what stayed
    for i, (op, a0, a1, b0, b1) in enumerate(ops):
        short = op == "equal" and a1 - a0 == 1 and 0 < i < len(ops) - 1
        if op == "equal" and not short:
            runs.append([before[a0:a1]])
            continue
        if not runs or len(runs[-1]) == 1:
            runs.append(["", ""])
        runs[-1][0] += before[a0:a1]
        runs[-1][1] += after[b0:b1]
    html = Markup()
    for run in runs:
        if len(run) == 1:
            html += escape(run[0])
            continue
        if run[0]:
            html += Markup("<del>{}</del>").format(run[0])
        if run[1]:
            html += Markup("<ins>{}</ins>").format(run[1])
    return html


def _source(qid: int) -> str:
    return f"question:{qid}"


def _contains(entry: FaqEntry, words: str) -> bool:
    haystack = " ".join((entry.id, entry.question, entry.answer, *entry.alternates))
    return all(w in haystack for w in words.split())


def _changed(before: FaqEntry, after: FaqEntry) -> list[str]:
    names = [field_name(f) for f in ("category", "question", "answer", "alternates",
                                     "legal_basis", "communities", "status")
             if getattr(before, f) != getattr(after, f)]
    if before.reviewed_by != after.reviewed_by:
        names.append(t.FAQ_REVIEW_CHANGED.format(by=after.reviewed_by or t.NOBODY))
    return names or [t.FAQ_NO_CHANGE]


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def _at(entry: FaqEntry) -> str:
    return f"/console/faq/{entry.id}"
