"""The staff console in a real headless Chromium, against a real ``lawbot run`` process.

Same setup as tests/test_web_browser.py (its fixtures: ``lawbot init --demo`` then ``lawbot
run`` with LAWBOT_WEB; Debian's Chromium). Screenshots go to ``artifacts/web/console-*.png``.
"""

from __future__ import annotations

import re
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, Page, expect
from test_web_browser import (  # noqa: F401  (fixtures)
    PHONE,
    WAIT_MS,
    Running,
    ask,
    bot_says,
    browser,
    env,
    lawbot,
    server,
    shot,
)

from bot.accounts import DEMO_PASSWORD
from bot.texts import console as ct
from knowledge.texts import DRAFT_ANSWER

pytestmark = [pytest.mark.browser, pytest.mark.integration]

DESKTOP = {"width": 1280, "height": 900}
ENTRY = "tenancy-deposit-refund"
WORDING = "搬走的时候那笔钱业主一直拖着不给"  # escalated until it is a wording of ENTRY


@contextmanager
def page_of(
    browser: Browser, viewport: dict[str, int], refused: bool = False  # noqa: F811
) -> Iterator[Page]:
    """A fresh browser context (its own cookies); no script error, no CSP violation, and no
    failed request unless the test expects a 403 (``refused``)."""
    context = browser.new_context(viewport=viewport, locale="zh-CN")  # type: ignore[arg-type]
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        yield page
    finally:
        context.close()
    if refused:
        errors = [e for e in errors if "status of 403" not in e]
    assert not errors, errors


def log_in(page: Page, url: str, name: str) -> None:
    page.goto(f"{url}/console/login")
    page.locator('input[name="name"]').fill(name)
    page.locator('input[name="password"]').fill(DEMO_PASSWORD)
    page.get_by_role("button", name=ct.LOGIN_SUBMIT).click()
    expect(page.locator('[data-role="me"]')).to_contain_text(name)


def open_ticket(phone: Page, url: str, question: str, community: str = "xinhepu") -> str:
    """A web resident asks something the FAQ cannot answer; the ticket's number."""
    phone.goto(f"{url}/c/{community}")
    ask(phone, question)
    bot_says(phone, "工单号 #")
    found = re.search(
        r"工单号 #(\d+)", phone.locator('[data-role="bot"]', has_text="工单号 #").last.inner_text()
    )
    assert found is not None
    return found.group(1)


@contextmanager
def two_volunteers(
    browser: Browser, url: str, zhou: str, question: str  # noqa: F811
) -> Iterator[tuple[Page, Page, Page, str]]:
    """A web resident's phone with a ticket open on ``question``, and 小李's and 小周's desk
    pages, both logged in: (phone, 小李, 小周, the ticket's number)."""
    with page_of(browser, PHONE) as phone, page_of(browser, DESKTOP) as li, \
            page_of(browser, DESKTOP) as other:
        number = open_ticket(phone, url, question)
        log_in(li, url, "小李")
        log_in(other, url, zhou)
        yield phone, li, other, number


@pytest.fixture(scope="module")
def zhou(server: Running, tmp_path_factory: pytest.TempPathFactory) -> str:  # noqa: F811
    """A second volunteer of 小李's team, added to the running demo's organisation file
    with the real ``lawbot org import`` and ``lawbot staff passwd``."""
    demo = Path(__file__).resolve().parent.parent / "bot" / "desk" / "demo_org.yaml"
    org = yaml.safe_load(demo.read_text(encoding="utf-8"))
    org["people"].append({"name": "小周", "role": "volunteer", "team": "dongshan",
                          "terminal": True})
    path = tmp_path_factory.mktemp("org") / "org.yaml"
    path.write_text(yaml.safe_dump(org, allow_unicode=True), encoding="utf-8")
    db = str(server.db)
    subprocess.run(lawbot("org", "import", str(path), "--db", db), env=env(), check=True,
                   capture_output=True, timeout=120)
    subprocess.run(lawbot("staff", "passwd", "小周", "--password-stdin", "--db", db), env=env(),
                   input=DEMO_PASSWORD + "\n", text=True, check=True, capture_output=True,
                   timeout=120)
    return "小周"


def read(running: Running, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(running.db) as db:
        return db.execute(sql).fetchall()


def test_xiaoli_claims_a_web_residents_ticket_and_her_reply_reaches_the_page(
    server: Running, browser: Browser  # noqa: F811
) -> None:
    with page_of(browser, PHONE) as phone, page_of(browser, PHONE) as desk:
        phone.goto(f"{server.url}/c/xinhepu")
        ask(phone, "我的情况比较复杂，房东还扣了我的东西，想请律师帮忙看看")
        bot_says(phone, "工单号 #")
        found = re.search(
            r"工单号 #(\d+)",
            phone.locator('[data-role="bot"]', has_text="工单号 #").last.inner_text(),
        )
        assert found is not None
        number = found.group(1)

        log_in(desk, server.url, "小李")
        row = desk.locator(f'[data-ticket="{number}"]')
        expect(row).to_be_visible()
        shot(desk, "console-01-tickets-360")
        row.get_by_role("link").first.click()
        expect(desk.locator("h1")).to_contain_text(f"#{number}")
        desk.get_by_role("button", name=ct.ACT_CLAIM, exact=True).click()
        expect(desk.locator('[data-role="flash"]')).to_contain_text("小李")
        expect(desk.locator('[data-role="assignee"]')).to_have_text("小李")

        reply = "您好，我是小李。扣押物品不合法，请保留清单和照片，我们会联系您。"
        desk.locator('form[action$="/reply"] textarea').fill(reply)
        desk.get_by_role("button", name=ct.ACT_REPLY, exact=True).click()
        expect(desk.locator('[data-role="thread"]')).to_contain_text("请保留清单和照片")
        shot(desk, "console-02-ticket-360")
        bot_says(phone, "请保留清单和照片")  # relayed through the outbox, live on the page
        shot(phone, "console-03-resident-sees-reply")
    assert read(server, f"SELECT assignee, status FROM tickets WHERE id = {number}") == [
        ("小李", "answered")
    ]


def test_wang_adds_a_wording_and_the_test_pane_answers_it(
    server: Running, browser: Browser  # noqa: F811
) -> None:
    with page_of(browser, DESKTOP) as page:
        log_in(page, server.url, "王律师")
        page.goto(f"{server.url}/console/faq/{ENTRY}")
        pane = page.locator('[data-role="test"]')
        pane.locator('input[name="try"]').fill(WORDING)
        pane.get_by_role("button", name=ct.TEST_SUBMIT).click()
        expect(page.locator('[data-role="explain"]')).not_to_have_attribute(
            "data-decision", "answer"
        )

        page.locator('form.addalt input[name="text"]').fill(WORDING)
        page.locator("form.addalt").get_by_role("button").click()
        expect(page.locator('[data-role="alternates"]')).to_contain_text(WORDING)
        expect(page.locator('[data-role="citations"]')).to_contain_text(ct.FAQ_CITATION_OK)

        pane.locator('input[name="try"]').fill(WORDING)
        pane.get_by_role("button", name=ct.TEST_SUBMIT).click()
        explained = page.locator('[data-role="explain"]')
        expect(explained).to_have_attribute("data-decision", "answer")
        expect(explained).to_have_attribute("data-top", ENTRY)
        expect(explained).to_contain_text("直接回答")
        shot(page, "console-04-faq-desktop")


def test_a_volunteer_is_refused_on_the_faq_editor(
    server: Running, browser: Browser  # noqa: F811
) -> None:
    before = read(server, f"SELECT version, alternates FROM faq WHERE id = '{ENTRY}'")
    with page_of(browser, DESKTOP, refused=True) as page:
        log_in(page, server.url, "小李")
        expect(page.get_by_role("link", name=ct.NAV_FAQ)).to_have_count(0)
        response = page.goto(f"{server.url}/console/faq/{ENTRY}")
        assert response is not None and response.status == 403
        expect(page.locator('[data-role="refused"]')).to_contain_text("无权访问")
        shot(page, "console-05-volunteer-refused")
    assert read(server, f"SELECT version, alternates FROM faq WHERE id = '{ENTRY}'") == before


def test_a_forged_csrf_token_is_refused(server: Running, browser: Browser) -> None:  # noqa: F811
    with page_of(browser, PHONE) as phone:
        phone.goto(f"{server.url}/c/dongyuan")  # a resident of the other community
        ask(phone, "我被人骗了钱，情况复杂，想请律师帮忙看看")
        bot_says(phone, "工单号 #")
        found = re.search(
            r"工单号 #(\d+)",
            phone.locator('[data-role="bot"]', has_text="工单号 #").last.inner_text(),
        )
        assert found is not None
        number = found.group(1)
    before = read(server, f"SELECT * FROM tickets WHERE id = {number}")
    with page_of(browser, DESKTOP, refused=True) as page:
        log_in(page, server.url, "王律师")
        page.goto(f"{server.url}/console/tickets/{number}")
        page.evaluate(
            "document.querySelectorAll('input[name=csrf]').forEach(i => i.value = '0'.repeat(32))"
        )
        with page.expect_response(re.compile(r"/claim$")) as claimed:
            page.get_by_role("button", name=ct.ACT_CLAIM, exact=True).click()
        assert claimed.value.status == 403
        expect(page.locator('[data-role="refused"]')).to_contain_text("安全校验未通过")
        shot(page, "console-06-forged-csrf")
    assert read(server, f"SELECT * FROM tickets WHERE id = {number}") == before


def test_two_volunteers_see_each_others_claims_replies_and_new_tickets_without_reload(
    server: Running, browser: Browser, zhou: str  # noqa: F811
) -> None:
    question = "老人被人骗签了一份合同，情况复杂，想请律师看看"
    with two_volunteers(browser, server.url, zhou, question) as (phone, li, other, number):
        row = other.locator(f'[data-ticket="{number}"]')
        expect(row.locator(".who")).to_have_text("")
        expect(other.locator('[data-role="live"]')).to_have_text(ct.LIVE_ON)
        other.evaluate("window.drawnOnce = true")  # gone if the page reloaded

        li.goto(f"{server.url}/console/tickets/{number}")
        li.get_by_role("button", name=ct.ACT_CLAIM, exact=True).click()
        expect(li.locator('[data-role="assignee"]')).to_have_text("小李")
        expect(row.locator(".who")).to_have_text("小李", timeout=WAIT_MS)  # no reload
        assert other.evaluate("window.drawnOnce") is True
        shot(other, "console-07-claim-seen-live")

        other.goto(f"{server.url}/console/tickets/{number}")
        expect(other.locator('[data-role="assignee"]')).to_have_text("小李")
        expect(other.locator('[data-role="state"]')).to_have_text(
            ct.CLAIMED_BY_NO_REPLY.format(name="小李")
        )
        expect(other.get_by_role("button", name=ct.ACT_CLAIM, exact=True)).to_have_count(0)
        expect(other.locator('form[action$="/reply"] textarea')).to_be_disabled()
        shot(other, "console-08-claimed-by-another")
        other.evaluate("window.drawnOnce = true")

        reply = "您好，请先不要付款，把合同拍照保存，我们今天会联系您。"
        li.locator('form[action$="/reply"] textarea').fill(reply)
        li.get_by_role("button", name=ct.ACT_REPLY, exact=True).click()
        thread = other.locator('[data-role="thread"]')
        expect(thread).to_contain_text("把合同拍照保存", timeout=WAIT_MS)  # the reply, live
        expect(other.locator('[data-role="status"]')).to_have_text("已答复")
        assert other.evaluate("window.drawnOnce") is True
        bot_says(phone, "把合同拍照保存")

        li.goto(f"{server.url}/console/tickets")
        li.evaluate("window.drawnOnce = true")
        with page_of(browser, PHONE) as second:
            fresh = open_ticket(second, server.url, "公司把我调到外地还降了工资，想请律师看看")
        expect(li.locator(f'[data-ticket="{fresh}"]')).to_be_visible(timeout=WAIT_MS)
        assert li.evaluate("window.drawnOnce") is True
        shot(li, "console-09-new-ticket-live")
    assert read(server, f"SELECT assignee, status FROM tickets WHERE id = {number}") == [
        ("小李", "answered")
    ]


def test_wang_types_a_citation_and_sees_the_article_or_what_is_wrong(
    server: Running, browser: Browser  # noqa: F811
) -> None:
    before = read(server, f"SELECT version, legal_basis FROM faq WHERE id = '{ENTRY}'")
    with page_of(browser, DESKTOP) as page:
        log_in(page, server.url, "王律师")
        page.goto(f"{server.url}/console/faq/{ENTRY}")
        page.evaluate("window.drawnOnce = true")
        box = page.locator('textarea[name="legal_basis"]')
        citations = page.locator('[data-role="citations"]')
        box.fill("")
        box.press_sequentially("民法典第722条")  # key by key, as an adviser types
        expect(citations.locator("li.ok")).to_have_count(1, timeout=WAIT_MS)
        expect(citations.locator("li.ok b")).to_have_text("民法典第722条")
        expect(citations.locator("li.ok blockquote")).to_contain_text(
            "承租人无正当理由未支付或者迟延支付租金"
        )
        shot(page, "console-10-citation-as-you-type")

        box.press("Enter")
        box.press_sequentially("民法典第九九九九条")
        bad = citations.locator("li.bad")
        expect(bad).to_have_count(1, timeout=WAIT_MS)
        expect(bad.locator(".error")).to_contain_text("「九九九九」不是规范的数字")
        expect(citations.locator("li.ok")).to_have_count(1)  # the good one stays beside it
        shot(page, "console-11-citation-error")
        assert page.evaluate("window.drawnOnce") is True  # no reload, nothing submitted
    assert read(server, f"SELECT version, legal_basis FROM faq WHERE id = '{ENTRY}'") == before


def test_wang_makes_a_draft_from_a_review_question_and_the_history_shows_his_answer(
    server: Running, browser: Browser  # noqa: F811
) -> None:
    question = "装修公司拿了钱一直不开工，想请律师帮忙看看"
    with page_of(browser, PHONE) as phone:
        open_ticket(phone, server.url, question)
    with page_of(browser, DESKTOP) as page:
        log_in(page, server.url, "王律师")
        page.goto(f"{server.url}/console/faq-review")
        item = page.locator('[data-role="review"] li', has_text=question)
        item.get_by_role("button", name=ct.REVIEW_NEW_DRAFT).click()
        expect(page.locator('[data-role="flash"]')).to_contain_text("已新建草稿")
        assert re.search(r"/console/faq/faq-\d+$", page.url), page.url
        expect(page.locator('input[name="question"]')).to_have_value(question)
        expect(page.locator('textarea[name="answer"]')).to_have_value(DRAFT_ANSWER)
        shot(page, "console-12-draft-from-review")

        answer = "先书面催告装修公司在合理期限内开工；仍不开工的，可以解除合同，要求退款。"
        page.locator('textarea[name="answer"]').fill(answer)
        page.locator('textarea[name="legal_basis"]').fill("《民法典》第五百六十三条")
        page.get_by_role("button", name=ct.FAQ_SAVE).click()
        diff = page.locator('[data-version="2"] [data-role="diff"]')
        expect(diff.locator("ins")).to_have_text(answer)
        expect(diff.locator("del")).to_have_text(DRAFT_ANSWER)
        shot(page, "console-13-answer-diff")
        entry_id = page.url.rsplit("/", 1)[1]
    assert read(server, f"SELECT status, answer, reviewed_by FROM faq WHERE id = '{entry_id}'") == [
        ("draft", answer, None)
    ]

