"""The FAQ editor's tools over HTTP: citations checked as one types, a new draft from the
review queue, the answer's inline diff between versions (and revert beside it).

The console runs in-process on a real SQLite database (the harness of test_console.py); here
with the shared statute corpus loaded, so citations are checked against the real articles.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from test_console import Console, console, service  # noqa: F401  (fixtures)

from bot.channels.web_console_faq import answer_diff
from bot.messages import Incoming
from bot.texts import console as ct
from knowledge.laws import LawStore

GOOD = "《民法典》第七百二十二条"
BAD = "民法典第九九九九条"
GONE = "治安管理处罚法第十条"  # the superseded 2012 text: must be flagged


@pytest.fixture
def statutes(laws: LawStore, console: Console) -> LawStore:  # noqa: F811
    """The shared corpus in the console's database (the same in-memory ``db``)."""
    return laws


def citations_url(text: str) -> str:
    return f"/console/citations?text={quote(text)}"


# --- citations as one types -----------------------------------------------------------------


async def test_the_editor_checks_each_citation_and_shows_the_article(
    console: Console, statutes: LawStore  # noqa: F811
) -> None:
    wang = await console.as_("王律师")
    response = await wang.client.get(citations_url(f"{GOOD}\n\n {BAD} \n{GONE}"),
                                     headers={"accept": "application/json"})
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    good, bad, gone = response.json()["citations"]
    assert good == {"citation": GOOD, "problem": "", "text": statutes.quote(GOOD)[1]}
    assert "承租人无正当理由未支付或者迟延支付租金" in good["text"]
    assert bad["citation"] == BAD and bad["text"] == ""
    assert "「九九九九」不是规范的数字" in bad["problem"]
    assert "已失效" in gone["problem"] and gone["text"] == ""
    assert (await wang.client.get(citations_url(""))).json() == {"citations": []}
    page = (await wang.get("/console/faq/rent-deposit")).text
    assert 'data-check="/console/citations"' in page
    assert '<script src="/static/console_cite.js" defer>' in page


async def test_too_long_a_legal_basis_is_refused_with_the_limits(
    console: Console, statutes: LawStore  # noqa: F811
) -> None:
    wang = await console.as_("王律师")
    many = "\n".join([GOOD] * 31)
    response = await wang.client.get(citations_url(many), headers={"accept": "application/json"})
    assert response.status_code == 400
    assert response.json()["error"] == ct.CITATIONS_TOO_MUCH.format(lines=30, chars=120)


async def test_a_volunteer_may_not_check_citations(
    console: Console, statutes: LawStore  # noqa: F811
) -> None:
    li = await console.as_("小李")
    before = console.state()
    response = await li.client.get(citations_url(GOOD), headers={"accept": "application/json"})
    assert response.status_code == 403 and "无权访问" in response.json()["error"]
    assert console.state() == before
    refused = console.service.db.execute(
        "SELECT target FROM console_audit WHERE name = '小李' AND action = 'refused-role'"
    ).fetchall()
    assert refused == [("/console/citations",)]


# --- a new draft from the review queue ------------------------------------------------------

WORDING = "老板三个月没给钱了，我电话13812345678"


def escalated(console: Console) -> int:  # noqa: F811
    """A resident's question that was suggested, then handed to people; its log number."""
    core, now = console.service, console.clock()
    core.handle(Incoming("telegram", "555", "555", "/start xinhepu", "m0"), now)
    core.handle(Incoming("telegram", "555", "555", WORDING, "m1"), now)
    core.handle(Incoming("telegram", "555", "555", "转人工", "m2"), now)
    row = core.db.execute("SELECT id FROM question_log WHERE text = ?", [WORDING]).fetchone()
    return int(row[0])


async def test_new_draft_from_a_review_question_opens_it_in_the_editor(
    console: Console,  # noqa: F811
) -> None:
    qid = escalated(console)
    faq = console.service.faq
    wang = await console.as_("王律师")
    page = (await wang.get("/console/faq-review")).text
    assert f'action="/console/faq-review/{qid}/draft"' in page
    before = {e.id for e in faq.list()}
    response = await wang.post(f"/console/faq-review/{qid}/draft")
    (made,) = {e.id for e in faq.list()} - before
    assert response.status_code == 303 and response.headers["location"] == f"/console/faq/{made}"
    draft = faq.get(made)
    assert (draft.status, draft.reviewed_by, draft.updated_by) == ("draft", None, "王律师")
    assert draft.category == "劳动"  # the category of the entry the matcher finds nearest
    assert "13812345678" not in draft.question and draft.question.startswith("老板三个月没给钱了")
    assert draft.alternates == (draft.question,) and draft.extra["source"] == f"question:{qid}"
    editor = (await wang.get(f"/console/faq/{made}")).text
    assert ct.REVIEW_DRAFTED.format(id=made, category="劳动") in editor
    assert "13812345678" not in editor
    audit = console.service.db.execute(
        "SELECT name, target FROM console_audit WHERE action = 'faq-draft'"
    ).fetchall()
    assert audit == [("王律师", f"faq:{made}")]

    again = await wang.post(f"/console/faq-review/{qid}/draft")  # a second click: the same draft
    assert again.headers["location"] == f"/console/faq/{made}"
    assert len(faq.list()) == len(before) + 1
    assert f"/console/faq/{made}" in (await wang.get("/console/faq-review")).text


async def test_an_unwritten_draft_is_neither_signed_off_nor_published(
    console: Console,  # noqa: F811
) -> None:
    qid = escalated(console)
    wang = await console.as_("王律师")
    await wang.get("/console/faq-review")
    made = (await wang.post(f"/console/faq-review/{qid}/draft")).headers["location"]
    await wang.get(made)
    draft = console.service.faq.get(made.rsplit("/", 1)[1])
    for action in ("signoff", "publish"):
        await wang.post(f"{made}/{action}")
        assert "答案还没有撰写" in (await wang.get(made)).text
    assert console.service.faq.get(draft.id) == draft


async def test_a_new_draft_is_refused_to_a_volunteer_a_forged_form_and_a_gone_question(
    console: Console,  # noqa: F811
) -> None:
    qid = escalated(console)
    li = await console.as_("小李")
    wang = await console.as_("王律师")
    before = console.state()
    assert (await li.post(f"/console/faq-review/{qid}/draft")).status_code == 403
    forged = await wang.post(f"/console/faq-review/{qid}/draft", csrf="0" * 32)
    assert forged.status_code == 403
    gone = await wang.post(f"/console/faq-review/{qid + 100}/draft")
    assert gone.status_code == 404 and ct.REVIEW_GONE.format(qid=qid + 100) in gone.text
    assert console.state() == before


# --- the answer's diff between versions -----------------------------------------------------


def test_an_answer_diff_marks_what_went_and_what_came() -> None:
    assert answer_diff("可以申请劳动仲裁。", "可以申请劳动仲裁。") is None
    assert str(answer_diff("可以向劳动监察投诉。", "可以向劳动监察投诉或申请劳动仲裁。")) == (
        "可以向劳动监察投诉<ins>或申请劳动仲裁</ins>。"
    )
    assert str(answer_diff("先协商，再起诉。", "先调解，再起诉。")) == (
        "先<del>协商</del><ins>调解</ins>，再起诉。"
    )
    # one kept character between two changes is folded in: a phrase, not a comb
    assert str(answer_diff("甲乙丙", "丁乙戊")) == "<del>甲乙丙</del><ins>丁乙戊</ins>"
    assert str(answer_diff("答复<b>", "答复<i>")) == "答复&lt;<del>b</del><ins>i</ins>&gt;"


async def test_the_history_shows_each_answers_diff_and_revert_restores_it(
    console: Console,  # noqa: F811
) -> None:
    faq = console.service.faq
    faq.edit("wages", "test", answer="可以向劳动监察投诉或申请劳动仲裁，<b>保留工资条</b>。")
    wang = await console.as_("王律师")
    page = (await wang.get("/console/faq/wages")).text
    diffs = re.findall(r'data-role="diff">(.*?)</p>', page, re.S)
    assert len(diffs) == 1  # version 2 against 1; version 1 has nothing before it
    assert "<ins>，&lt;b&gt;保留工资条&lt;/b&gt;</ins>" in diffs[0]
    await wang.post("/console/faq/wages/revert", text="1")
    assert faq.get("wages").answer == "可以向劳动监察投诉或申请劳动仲裁。"
    page = (await wang.get("/console/faq/wages")).text
    newest = re.search(r'data-version="3">.*?data-role="diff">(.*?)</p>', page, re.S)
    assert newest is not None
    assert "<del>，&lt;b&gt;保留工资条&lt;/b&gt;</del>" in newest.group(1)
