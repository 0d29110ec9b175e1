"""Desk pages that follow what another volunteer does, in a real headless Chromium.

小李 and 小周 (two browser contexts, the ``zhou`` fixture of test_console_browser.py) against
a real ``lawbot run``: a ticket closed by one disables the reply box open on the other's
page, a claim by one adds the claimer to the other's assignee filter, without a reload; a
desk page that lost the network says so and catches up when it is back (poll.js). Its
own server (module fixtures): the login rate limit (10 a minute per address) counts each
module's logins apart. Screenshots go to ``artifacts/web/console-*.png``.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect
from test_console_browser import (  # noqa: F401  (zhou: a fixture)
    DESKTOP,
    log_in,
    open_ticket,
    page_of,
    read,
    two_volunteers,
    zhou,
)
from test_web_browser import (  # noqa: F401  (fixtures)
    PHONE,
    WAIT_MS,
    Running,
    bot_says,
    browser,
    server,
    shot,
)

from bot.texts import console as ct

pytestmark = [pytest.mark.browser, pytest.mark.integration]


def test_a_ticket_closed_by_xiaoli_disables_the_reply_box_open_on_zhous_page(
    server: Running, browser: Browser, zhou: str  # noqa: F811
) -> None:
    question = "我收藏的古画被拍卖行弄坏了，情况复杂，请律师看看"
    with two_volunteers(browser, server.url, zhou, question) as (phone, li, other, number):
        other.goto(f"{server.url}/console/tickets/{number}")
        expect(other.locator('[data-role="live"]')).to_have_text(ct.LIVE_ON)
        other.evaluate("window.drawnOnce = true")  # gone if the page reloaded
        box = other.locator('form[action$="/reply"] textarea')
        typed = "您好，古画的事请先拍照留证，"
        box.fill(typed)  # 小周 is still typing when 小李 writes a note, then closes the ticket
        other.evaluate("window.replyBox = document.activeElement")

        li.goto(f"{server.url}/console/tickets/{number}")
        li.locator('form[action$="/note"] textarea').fill("居民说下午三点后方便接电话")
        li.get_by_role("button", name=ct.NOTE_SUBMIT).click()
        expect(other.locator('[data-role="notes"]')).to_contain_text("下午三点", timeout=WAIT_MS)
        # The reply part was drawn the same: left in place, 小周 keeps typing where he was.
        assert other.evaluate(
            "window.replyBox.name === 'text' && window.replyBox.isConnected"
            " && document.activeElement === window.replyBox"
        ) is True

        li.get_by_role("button", name=ct.ACT_CLOSE, exact=True).click()
        expect(li.locator('[data-role="state"]')).to_have_text(ct.CLOSED_BY.format(name="小李"))

        closed = ct.CLOSED_BY.format(name="小李")
        expect(other.locator('[data-role="state"]')).to_have_text(closed, timeout=WAIT_MS)
        expect(other.locator('[data-role="status"]')).to_have_text("已结束")
        expect(box).to_be_disabled()
        expect(box).to_have_value(typed)  # what was typed stays readable
        expect(other.get_by_role("button", name=ct.ACT_REPLY, exact=True)).to_be_disabled()
        for action in (ct.ACT_CLAIM, ct.ACT_CLOSE, ct.ACT_ADVISER):
            expect(other.get_by_role("button", name=action, exact=True)).to_have_count(0)
        assert other.evaluate("window.drawnOnce") is True
        shot(other, "console-14-closed-by-another-live")
        bot_says(phone, f"工单 #{number} 已结束")  # the resident is told
    assert read(server, f"SELECT status, assignee FROM tickets WHERE id = {number}") == [
        ("closed", None)
    ]
    assert read(server, f"SELECT author FROM ticket_events WHERE ticket_id = {number} "
                        "AND role = 'desk'") == []  # nothing of 小周's reached the resident


def test_a_claim_adds_the_claimer_to_the_other_volunteers_assignee_filter(
    server: Running, browser: Browser, zhou: str  # noqa: F811
) -> None:
    question = "网上买的二手钢琴有问题，情况复杂，想请律师看看"
    with two_volunteers(browser, server.url, zhou, question) as (_phone, li, other, number):
        options = li.locator('select[name="assignee"] option')
        expect(li.locator('[data-role="live"]')).to_have_text(ct.LIVE_ON)
        expect(options.filter(has_text=zhou)).to_have_count(0)  # 小周 has claimed nothing yet
        li.locator('select[name="status"]').select_option("")  # chosen, not yet submitted
        li.evaluate("window.drawnOnce = true")

        other.goto(f"{server.url}/console/tickets/{number}")
        other.get_by_role("button", name=ct.ACT_CLAIM, exact=True).click()
        expect(other.locator('[data-role="assignee"]')).to_have_text(zhou)

        expect(options.filter(has_text=zhou)).to_have_count(1, timeout=WAIT_MS)  # no reload
        expect(li.locator(f'[data-ticket="{number}"] .who')).to_have_text(zhou)
        expect(li.locator('select[name="status"]')).to_have_value("")  # the choice stays
        assert li.evaluate("window.drawnOnce") is True
        li.locator('select[name="assignee"]').select_option(zhou)
        li.get_by_role("button", name=ct.FILTER_SUBMIT).click()
        expect(li.locator("[data-ticket]")).to_have_count(1)
        expect(li.locator(f'[data-ticket="{number}"]')).to_be_visible()
        shot(li, "console-15-assignee-filter-live")


def test_a_desk_page_that_lost_the_network_says_so_and_catches_up(
    server: Running, browser: Browser  # noqa: F811
) -> None:
    """poll.js's loop on a desk page: failures shown from the second on, and a new ticket
    opened meanwhile shown at once when the network is back. The failed requests are logged
    by Chromium, so this page is not one of page_of's (which allows no console error)."""
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")  # type: ignore[arg-type]
    try:
        li = context.new_page()
        errors: list[str] = []
        li.on("pageerror", lambda error: errors.append(str(error)))
        log_in(li, server.url, "小李")
        mark = li.locator('[data-role="live"]')
        expect(mark).to_have_text(ct.LIVE_ON)
        li.evaluate("window.drawnOnce = true")
        context.set_offline(True)
        li.evaluate("document.dispatchEvent(new Event('visibilitychange'))")  # poll now: fails
        expect(mark).to_have_text(ct.LIVE_OFF, timeout=WAIT_MS)  # the retry 1 s later fails too
        shot(li, "console-16-live-interrupted")
        with page_of(browser, PHONE) as phone:
            question = "朋友借走我的古董花瓶弄丢了，情况复杂，请律师看看"
            number = open_ticket(phone, server.url, question)
        context.set_offline(False)
        li.evaluate("window.dispatchEvent(new Event('online'))")
        expect(li.locator(f'[data-ticket="{number}"]')).to_be_visible(timeout=WAIT_MS)
        expect(mark).to_have_text(ct.LIVE_ON)
        assert li.evaluate("window.drawnOnce") is True
        assert not errors, errors
    finally:
        context.close()
