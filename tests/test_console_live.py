"""Live desk pages over HTTP: the desk's change counter, the long poll, what it leaves alone.

The console runs in-process on a real SQLite database (the harness of test_console.py); the
browser scenario of two volunteers is in test_console_browser.py.
"""

from __future__ import annotations

import asyncio
import re

import pytest
import sqlite_utils
from test_console import Browser, Console, console, service  # noqa: F401  (fixtures)

from bot.console_notes import Notes, desk_revision
from bot.texts import console as ct
from bot.texts import desk as dt

LIVE = {"x-console-live": "1"}


async def let_run() -> None:
    """Let the tasks just made run up to where they wait (a turn of the loop: no time
    passes)."""
    await asyncio.sleep(0)


def revision_of(html: str) -> int:
    found = re.search(r'data-revision="(\d+)"', html)
    assert found is not None, html
    return int(found.group(1))


async def live(browser: Browser, since: int, wait: int | None = 0) -> int:
    query = f"/console/live?since={since}" + ("" if wait is None else f"&wait={wait}")
    response = await browser.client.get(query, headers=LIVE)
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    return int(response.json()["revision"])


def test_every_writer_of_the_desk_moves_the_revision(
    console: Console,  # noqa: F811
) -> None:
    db: sqlite_utils.Database = console.service.db
    seen = [desk_revision(db)]

    def moved() -> None:
        seen.append(desk_revision(db))
        assert seen[-1] > seen[-2]

    n = console.ticket().number
    moved()
    console.service.desk_command("小李", f"/claim {n}", console.clock())  # a chat desk
    moved()
    Notes(db).add_note(n, "小李", "下午再联系", console.clock())
    moved()
    Notes(db).add_canned("dongshan", "王律师", "已收到", console.clock())
    moved()
    console.service.desk_command("小李", f"/close {n}", console.clock())
    moved()
    before = desk_revision(db)
    console.service.faq.edit("wages", "test", answer="另一个答案")  # not the desk
    assert desk_revision(db) == before


async def test_a_page_behind_the_desk_is_answered_at_once_and_sees_the_new_ticket(
    console: Console,  # noqa: F811
) -> None:
    li = await console.as_("小李")
    page = await li.get("/console/tickets")
    assert 'http-equiv="refresh"' not in page.text  # no reload any more
    assert '<script src="/static/console_live.js" defer>' in page.text
    drawn = revision_of(page.text)
    assert await live(li, drawn) == drawn  # nothing new: the same revision after the wait
    n = console.ticket().number  # opened by a resident in a chat
    moved = await live(li, drawn, wait=None)  # the full wait, but answered at once
    assert moved != drawn
    fresh = await li.client.get("/console/tickets", headers=LIVE)
    assert f'data-ticket="{n}"' in fresh.text and revision_of(fresh.text) == moved


async def test_a_claim_in_one_browser_wakes_the_page_waiting_in_another(
    console: Console,  # noqa: F811
) -> None:
    n = console.ticket().number
    li = await console.as_("小李")
    wang = await console.as_("王律师")
    drawn = revision_of((await wang.get("/console/tickets")).text)
    waiting = asyncio.create_task(live(wang, drawn, wait=None))  # waits up to 25 s
    await let_run()
    assert not waiting.done()
    await li.get(f"/console/tickets/{n}")
    await li.post(f"/console/tickets/{n}/claim")
    moved = await asyncio.wait_for(waiting, timeout=5)  # woken by the claim, not the timeout
    assert moved != drawn
    row = re.search(
        rf'data-ticket="{n}".*?class="who">(.*?)<',
        (await wang.client.get("/console/tickets", headers=LIVE)).text, re.S,
    )
    assert row is not None and row.group(1) == "小李"


async def test_a_change_from_another_writer_wakes_a_waiting_page(
    console: Console,  # noqa: F811
) -> None:
    n = console.ticket().number
    wang = await console.as_("王律师")
    drawn = revision_of((await wang.get(f"/console/tickets/{n}")).text)
    waiting = asyncio.create_task(live(wang, drawn, wait=10))
    await let_run()
    console.service.desk_command("小李", f"/reply {n} 请先和邻居协商。", console.clock())
    assert await asyncio.wait_for(waiting, timeout=5) != drawn  # seen at the next re-read
    page = (await wang.client.get(f"/console/tickets/{n}", headers=LIVE)).text
    thread = re.search(r'data-live="thread">(.*?)</ol>', page, re.S)
    assert thread is not None and "请先和邻居协商" in thread.group(1)


async def test_live_requests_keep_no_session_alive_and_leave_the_notice(
    console: Console,  # noqa: F811
) -> None:
    n = console.ticket().number
    li = await console.as_("小李")
    await li.get(f"/console/tickets/{n}")
    await li.post(f"/console/tickets/{n}/claim")
    await live(li, 0)
    behind = await li.client.get(f"/console/tickets/{n}", headers=LIVE)  # the page's refetch
    assert behind.status_code == 200
    page = await li.get(f"/console/tickets/{n}")  # the page the person opens next
    assert dt.CLAIMED.format(name="小李", number=n) in page.text
    console.clock.advance(minutes=29)
    await live(li, 0)
    console.clock.advance(minutes=2)  # 31 minutes since the person did anything
    ended = await li.client.get("/console/live?since=0&wait=0", headers=LIVE)
    assert ended.status_code == 303 and ended.headers["location"] == "/console/login"


async def test_a_bad_or_greedy_live_request_is_refused(console: Console) -> None:  # noqa: F811
    li = await console.as_("小李")
    for query in ("since=abc", "since=-1", "", "since=1&wait=x"):
        response = await li.client.get(f"/console/live?{query}", headers=LIVE)
        assert response.status_code == 400 and ct.LIVE_BAD_QUERY in response.text, query
    drawn = revision_of((await li.get("/console/tickets")).text)
    tabs = [asyncio.create_task(live(li, drawn, wait=None)) for _ in range(6)]
    await let_run()
    greedy = await li.client.get(f"/console/live?since={drawn}", headers=LIVE)
    assert greedy.status_code == 429 and ct.LIVE_TOO_MANY in greedy.text
    console.ticket()  # a change: every tab is answered
    assert len(set(await asyncio.wait_for(asyncio.gather(*tabs), timeout=5))) == 1


@pytest.mark.parametrize("path", ["/console/tickets", "/console/tickets/{n}"])
async def test_desk_pages_mark_what_changes_and_draw_it_the_same_when_nothing_did(
    console: Console, path: str  # noqa: F811
) -> None:
    n = console.ticket().number
    li = await console.as_("小李")
    page = (await li.get(path.format(n=n))).text
    parts = re.findall(r'data-live="(\w+)"', page)
    assert parts == (["counts", "filters", "list"] if path == "/console/tickets" else
                     ["meta", "answer", "thread", "actions", "reply", "notes"])
    # The script swaps only a part drawn differently: a page fetched again with nothing new
    # must come out the same, byte for byte, or a reply being typed would lose its focus.
    again = [(await li.client.get(path.format(n=n), headers=LIVE)).text for _ in range(2)]
    assert again[0] == again[1]
    if path != "/console/tickets":
        reply = re.search(r'<fieldset class="bare" data-live="reply">(.*?)</fieldset>', page, re.S)
        assert reply is not None and f'action="/console/tickets/{n}/reply"' in reply.group(1)
        assert f'action="/console/tickets/{n}/note"' not in reply.group(1)  # notes stay usable


def reply_part(html: str) -> str:
    found = re.search(r'<fieldset class="bare" data-live="reply"([^>]*)>', html)
    assert found is not None, html
    return found.group(1)


async def test_a_closed_ticket_says_who_closed_it_and_its_reply_box_is_disabled(
    console: Console,  # noqa: F811
) -> None:
    n = console.ticket().number
    li = await console.as_("小李")
    wang = await console.as_("王律师")
    page = (await wang.get(f"/console/tickets/{n}")).text
    assert reply_part(page) == "" and f"/console/tickets/{n}/close" in page
    assert 'data-role="state"' not in page
    await li.get(f"/console/tickets/{n}")
    await li.post(f"/console/tickets/{n}/close")
    page = (await wang.client.get(f"/console/tickets/{n}", headers=LIVE)).text  # the refetch
    state = re.search(r'data-role="state">(.*?)<', page)
    assert state is not None and state.group(1) == ct.CLOSED_BY.format(name="小李")
    assert reply_part(page) == " disabled"
    for action in ("claim", "adviser", "close", "addfaq"):
        assert f"/console/tickets/{n}/{action}" not in page
    closed = console.service.tickets.events(n)[-1]  # who closed it, in the transcript
    assert (closed.role, closed.author, closed.text) == ("bot", "小李", dt.BTN_CLOSE)


async def test_a_reply_to_a_closed_ticket_is_refused_and_changes_nothing(
    console: Console,  # noqa: F811
) -> None:
    n = console.ticket().number
    wang = await console.as_("王律师")
    await wang.get(f"/console/tickets/{n}")  # the page was open before the ticket closed
    console.service.desk_command("小李", f"/close {n}", console.clock())  # in a chat desk
    Notes(console.service.db).add_canned("dongshan", "王律师", "已收到", console.clock())
    before = console.state()
    refused = dt.ALREADY_FINISHED.format(number=n, status="已结束")
    sent = (({"text": "请先和邻居协商。"}, "请先和邻居协商。"), ({"canned": "1"}, "已收到"))
    for form, words in sent:
        await wang.post(f"/console/tickets/{n}/reply", **form)
        assert console.state() == before
        page = (await wang.get(f"/console/tickets/{n}")).text
        unsent = ct.REPLY_NOT_SENT.format(text=words)  # the words are not lost: copy them
        assert f'data-role="flash">{refused}\n{unsent}<' in page
        assert ct.CLOSED_BY.format(name="小李") in page and reply_part(page) == " disabled"

async def test_an_expired_ticket_says_so_without_naming_anyone(
    console: Console,  # noqa: F811
) -> None:
    n = console.ticket().number
    console.service.tickets.expire(n, console.clock())
    li = await console.as_("小李")
    page = (await li.get(f"/console/tickets/{n}")).text
    assert f'data-role="state">{ct.FINISHED.format(status="已过期")}<' in page
    assert reply_part(page) == " disabled"


async def test_a_ticket_someone_else_claimed_offers_no_claim_and_says_who(
    console: Console,  # noqa: F811
) -> None:
    n = console.ticket().number
    li = await console.as_("小李")
    wang = await console.as_("王律师")
    await li.get(f"/console/tickets/{n}")
    await li.post(f"/console/tickets/{n}/claim")
    theirs = (await wang.client.get(f"/console/tickets/{n}", headers=LIVE)).text
    assert f'data-role="state">{ct.CLAIMED_BY.format(name="小李")}<' in theirs
    assert f"/console/tickets/{n}/claim" not in theirs and reply_part(theirs) == ""
    assert f"/console/tickets/{n}/close" in theirs  # what still applies stays
    hers = (await li.client.get(f"/console/tickets/{n}", headers=LIVE)).text
    assert f"/console/tickets/{n}/claim" in hers and 'data-role="state"' not in hers


async def test_a_volunteer_may_not_answer_a_ticket_an_adviser_holds_and_nothing_changes(
    console: Console,  # noqa: F811
) -> None:
    n = console.ticket().number
    li = await console.as_("小李")
    wang = await console.as_("王律师")
    await wang.get(f"/console/tickets/{n}")
    await wang.post(f"/console/tickets/{n}/claim")
    page = (await li.get(f"/console/tickets/{n}")).text
    assert f'data-role="state">{ct.CLAIMED_BY_NO_REPLY.format(name="王律师")}<' in page
    assert reply_part(page) == " disabled"
    before = console.state()
    await li.post(f"/console/tickets/{n}/reply", text="请先和邻居协商。")
    assert console.state() == before
    page = (await li.get(f"/console/tickets/{n}")).text
    refused = dt.CLAIMED_NO_REPLY.format(number=n, name="王律师")
    unsent = ct.REPLY_NOT_SENT.format(text="请先和邻居协商。")
    assert f'data-role="flash">{refused}\n{unsent}<' in page
    # The adviser who holds it answers as before.
    assert reply_part((await wang.get(f"/console/tickets/{n}")).text) == ""


async def test_the_assignee_filter_is_redrawn_with_a_new_claimer(
    console: Console,  # noqa: F811
) -> None:
    n = console.ticket().number
    li = await console.as_("小李")
    wang = await console.as_("王律师")

    def assignees(html: str) -> list[str]:
        found = re.search(r'data-live="filters">.*?<select name="assignee">(.*?)</select>', html,
                          re.S)
        assert found is not None, html
        return re.findall(r"<option[^>]*>(.*?)</option>", found.group(1))

    page = (await wang.get("/console/tickets?assignee=")).text
    assert assignees(page) == [ct.FILTER_ANY]
    await li.get(f"/console/tickets/{n}")
    await li.post(f"/console/tickets/{n}/claim")
    fresh = (await wang.client.get("/console/tickets?assignee=", headers=LIVE)).text
    assert assignees(fresh) == [ct.FILTER_ANY, "小李"]
