"""The web chat over HTTP (the ASGI app in-process, real SQLite, the real outbox pass).

Replies reach the page as on a running server: ``Service.handle`` stores them in the outbox,
one pass of the pump (``drain``) hands them to the web sender, the page polls them.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator
from datetime import datetime
from zoneinfo import ZoneInfo

import httpx
import pytest
import sqlite_utils
from fakes import T0, ChannelCoreBase, ScriptedIndex, entry, load_org

from bot.app import build_service
from bot.channels.web_app import WebChat
from bot.channels.web_guard import WebLimits
from bot.channels.web_store import WebSender, WebStore
from bot.clock import FixedClock
from bot.desk.outbox import drain
from bot.messages import Incoming, Outgoing
from bot.service import Service
from bot.texts import resident as rt
from bot.texts import web as wt
from knowledge.faq import FaqStore

DEPOSIT = entry(
    "rent-deposit", "房东不退押金怎么办", "先书面催告房东退还押金，协商不成可申请调解或起诉。",
    ("《民法典》第七百二十二条",),
)
SCRIPT = entry("script", "<script>alert(1)</script>怎么办", "答案<script>alert(2)</script>结束")
# A poll that finds nothing returns after 5 s instead of 25 s, so a failing test fails soon.
QUICK = WebLimits(poll_seconds=5)


class Web:
    """The web chat of one service, a browser-like client, and the pump's delivery pass."""

    def __init__(self, service: Service, limits: WebLimits = QUICK) -> None:
        self.service = service
        self.clock = FixedClock(T0)
        self.store = WebStore(service.db)
        self.sender = WebSender(self.store, self.clock)
        self.stop = asyncio.Event()
        self.chat = WebChat(service, self.store, self.clock, self.stop, limits)
        self.client = self.new_client()
        self.csrf = ""

    def new_client(self) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=self.chat.app(), raise_app_exceptions=False)
        return httpx.AsyncClient(transport=transport, base_url="http://testserver")

    async def open(self, code: str = "xinhepu") -> httpx.Response:
        page = await self.client.get(f"/c/{code}")
        found = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text)
        self.csrf = found.group(1) if found else ""
        return page

    async def say(self, text: str = "", choice: str = "", **extra: str) -> httpx.Response:
        data = {"csrf": self.csrf, "text": text, **extra}
        if choice:
            data["choice"] = choice
        return await self.client.post(
            "/c/xinhepu/send", data=data, headers={"accept": "application/json"}
        )

    async def deliver(self) -> int:
        return await drain(self.service.outbox, {"web": self.sender}, self.clock())

    async def poll(self, after: int = 0) -> dict[str, object]:
        response = await self.client.get(f"/c/xinhepu/poll?after={after}")
        assert response.status_code == 200
        return dict(response.json())

    async def page_html(self) -> str:
        """Every message the page would show now, as one HTML string."""
        data = await self.poll()
        return "\n".join(str(m["html"]) for m in data["messages"])  # type: ignore[attr-defined]

    def counts(self) -> tuple[int, int, int]:
        db = self.service.db
        return tuple(  # type: ignore[return-value]
            db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
            for t in ("messages", "outbox", "web_messages")
        )


@pytest.fixture
def service(db: sqlite_utils.Database) -> Service:
    load_org(db)
    faq = FaqStore(db)
    for e in (DEPOSIT, SCRIPT):
        faq.add(e, by="test")
    index = ScriptedIndex()
    index.answer("押金", "rent-deposit", "房东不退押金怎么办")
    index.answer("脚本", "script", SCRIPT.question)
    return build_service(db, ZoneInfo("Asia/Shanghai"), index)


@pytest.fixture
async def web(service: Service) -> AsyncIterator[Web]:
    harness = Web(service)
    yield harness
    await harness.client.aclose()


async def test_the_page_sets_a_private_cookie_a_strict_policy_and_the_markup_contract(
    web: Web,
) -> None:
    page = await web.open()
    assert page.status_code == 200
    cookie = page.headers["set-cookie"]
    assert "HttpOnly" in cookie and "samesite=lax" in cookie.lower()
    token = re.search(r"lawbot_resident=([A-Za-z0-9_-]+)", cookie)
    assert token is not None and len(token.group(1)) == 32
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'none'" in csp
    assert '<textarea id="text" name="text"' in page.text
    assert "新河浦社区" in page.text and "/forget" in page.text
    assert not re.search(r'(src|href)="(https?:)?//', page.text)  # nothing from elsewhere
    again = await web.client.get("/c/xinhepu")
    assert "set-cookie" not in again.headers  # the same resident on the next visit


async def test_the_page_and_its_assets_stay_under_100_kb(web: Web) -> None:
    page = await web.open()
    total = len(page.content)
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', page.text):
        response = await web.client.get(asset)
        assert response.status_code == 200
        total += len(response.content)
    assert total <= 100 * 1024, total


async def test_an_unknown_community_is_a_chinese_404(web: Web) -> None:
    page = await web.client.get("/c/nowhere")
    assert page.status_code == 404
    assert "没有找到社区“nowhere”" in page.text


async def test_a_question_gets_its_answer_with_the_legal_basis_and_real_buttons(web: Web) -> None:
    await web.open()
    sent = await web.say("房东不退押金怎么办")
    assert sent.status_code == 200
    mine = sent.json()["messages"]
    assert len(mine) == 1 and 'data-role="resident"' in mine[0]["html"]
    assert await web.deliver() == 3  # the notice, the community, the answer
    data = await web.poll()
    html = "\n".join(m["html"] for m in data["messages"])  # type: ignore[attr-defined]
    assert html.count('data-role="bot"') == 3 and html.count('data-role="resident"') == 1
    assert "先书面催告房东" in html
    assert '<p class="basis">法律依据：《民法典》第七百二十二条</p>' in html
    for label in (rt.BTN_UP, rt.BTN_DOWN, rt.BTN_HUMAN, rt.BTN_LAW):
        assert f'data-role="choice">{label}</button>' in html
    assert data["cursor"] == max(m["id"] for m in data["messages"])  # type: ignore[attr-defined]
    resident = web.service.residents.find("web", web.client.cookies["lawbot_resident"])
    assert resident is not None and resident.community == "xinhepu"


async def test_a_poll_returns_only_what_is_after_its_cursor(web: Web) -> None:
    await web.open()
    await web.say("房东不退押金怎么办")
    await web.deliver()
    first = await web.poll()
    cursor = int(first["cursor"])  # type: ignore[call-overload]
    await web.say("押金还想再问")
    await web.deliver()
    later = await web.poll(cursor)
    ids = [m["id"] for m in later["messages"]]  # type: ignore[attr-defined]
    assert ids and min(ids) > cursor
    assert len(ids) == 2  # the resident's line and one answer: nothing shown twice


async def test_a_waiting_poll_is_answered_when_the_desk_reply_is_delivered(web: Web) -> None:
    await web.open()
    await web.say("楼上邻居装修太吵了")  # the FAQ has no answer: a ticket
    await web.deliver()
    cursor = int((await web.poll())["cursor"])  # type: ignore[call-overload]
    waiting = asyncio.create_task(web.poll(cursor))
    while web.store.waiting(web.client.cookies["lawbot_resident"]) == 0:
        await asyncio.sleep(0)  # let the poll reach its wait (no time passes)
    web.service.desk_command("王律师", "/claim 1", web.clock())
    web.service.desk_command("王律师", "/reply 1 您好，押金可以要求退还。", web.clock())
    await web.deliver()
    data = await waiting
    html = "\n".join(m["html"] for m in data["messages"])  # type: ignore[attr-defined]
    assert "您好，押金可以要求退还。" in html and "王律师" in html


async def test_script_in_an_answer_or_a_question_shows_as_text(web: Web) -> None:
    await web.open()
    await web.say("脚本<script>alert(3)</script>")
    await web.deliver()
    html = await web.page_html()
    assert "<script>" not in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in html
    page = await web.client.get("/c/xinhepu")
    assert re.findall(r"<script[^>]*>", page.text) == [  # only the page's own script files
        '<script src="/static/poll.js">', '<script src="/static/app.js">'
    ]


async def test_a_pressed_button_shows_its_label_and_runs_its_command(web: Web) -> None:
    await web.open()
    await web.say("房东不退押金怎么办")
    await web.deliver()
    data = await web.poll()
    answer = data["messages"][-1]  # type: ignore[index]
    up = re.search(r'value="(\d+:\d+)" data-role="choice">' + rt.BTN_UP, answer["html"])
    assert up is not None
    pressed = await web.say(choice=up.group(1))
    assert rt.BTN_UP in pressed.json()["messages"][0]["html"]
    await web.deliver()
    assert rt.THANKS_UP in await web.page_html()
    rating = web.service.db.execute("SELECT rating FROM question_log").fetchone()[0]
    assert rating == "up"


async def test_a_button_of_another_resident_does_nothing(web: Web, service: Service) -> None:
    await web.open()
    await web.say("房东不退押金怎么办")
    await web.deliver()
    other = Web(service)
    await other.open()
    before = web.counts()
    refused = await other.say(choice="4:0")  # the first resident's 👍
    assert refused.status_code == 400 and refused.json()["error"] == wt.EMPTY
    assert web.counts() == before
    await other.client.aclose()


async def test_forget_clears_the_page_and_the_stored_words(web: Web) -> None:
    await web.open()
    await web.say("房东不退押金怎么办")
    await web.deliver()
    forgot = await web.say("/forget")
    assert forgot.json() == {"messages": [], "cleared": True}
    await web.deliver()
    data = await web.poll()
    assert [m["html"].count(rt.FORGOTTEN) for m in data["messages"]] == [1]  # type: ignore[attr-defined]
    texts = [r[0] for r in web.service.db.execute("SELECT text FROM messages")]
    assert "房东不退押金怎么办" not in texts


async def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(web: Web) -> None:
    await web.open()
    before = web.counts()
    web.csrf = "0" * 32
    refused = await web.say("房东不退押金怎么办")
    assert refused.status_code == 403 and refused.json()["error"] == wt.STALE_PAGE
    cookieless = web.new_client()
    refused = await cookieless.post("/c/xinhepu/send", data={"text": "你好", "csrf": ""})
    assert refused.status_code == 403 and wt.STALE_PAGE in refused.text
    assert web.counts() == before
    await cookieless.aclose()


async def test_a_post_from_another_site_is_refused(web: Web) -> None:
    await web.open()
    before = web.counts()
    refused = await web.client.post(
        "/c/xinhepu/send", data={"text": "你好", "csrf": web.csrf},
        headers={"origin": "https://evil.example", "accept": "application/json"},
    )
    assert refused.status_code == 403
    assert web.counts() == before


async def test_too_long_a_message_is_refused_clearly_and_changes_nothing(web: Web) -> None:
    await web.open()
    before = web.counts()
    refused = await web.say("押" * 1001)
    assert refused.status_code == 400
    assert refused.json()["error"] == wt.TOO_LONG.format(limit=1000, length=1001)
    huge = await web.say("押" * 9000)
    assert huge.status_code == 413 and huge.json()["error"] == wt.TOO_LARGE
    assert web.counts() == before


async def test_rate_limits_per_resident_and_per_address(service: Service) -> None:
    web = Web(service, WebLimits(resident_per_minute=2, ip_per_minute=3, poll_seconds=5))
    await web.open()
    assert (await web.say("你好")).status_code == 200
    assert (await web.say("你好呀")).status_code == 200
    before = web.counts()
    refused = await web.say("再来一条")
    assert refused.status_code == 429 and refused.json()["error"] == wt.TOO_FAST
    assert web.counts() == before
    first_phone = web.client
    web.client = web.new_client()  # a second phone behind the same address
    await web.open()
    assert (await web.say("你好")).status_code == 200
    before = web.counts()
    refused = await web.say("第二条")
    assert refused.status_code == 429 and refused.json()["error"] == wt.TOO_FAST_NETWORK
    assert web.counts() == before
    await web.client.aclose()
    await first_phone.aclose()


async def test_a_repeated_message_id_is_stored_and_answered_once(web: Web) -> None:
    await web.open()
    await web.say("房东不退押金怎么办", mid="retry-0001")
    again = await web.say("房东不退押金怎么办", mid="retry-0001")
    assert again.json() == {"messages": [], "cleared": False}
    await web.deliver()
    html = await web.page_html()
    assert html.count("先书面催告房东") == 1 and html.count('data-role="resident"') == 1


async def test_without_javascript_a_post_redirects_back_to_the_page(web: Web) -> None:
    await web.open()
    response = await web.client.post("/c/xinhepu/send", data={"text": "你好", "csrf": web.csrf})
    assert response.status_code == 303 and response.headers["location"] == "/c/xinhepu"
    await web.deliver()
    page = await web.client.get("/c/xinhepu")
    assert page.text.count('data-role="bot"') >= 2 and "你好" in page.text


class Broken(ChannelCoreBase):
    """The real core but for a bug in handling: what the browser sees of a bug."""

    def handle(self, incoming: Incoming, now: datetime) -> list[Outgoing]:
        raise RuntimeError("secret internals")


async def test_a_bug_shows_an_apology_without_a_trace(db: sqlite_utils.Database) -> None:
    load_org(db)
    store = WebStore(db)
    chat = WebChat(Broken(db), store, FixedClock(T0), asyncio.Event())
    transport = httpx.ASGITransport(app=chat.app(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        page = await client.get("/c/xinhepu")
        csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text)
        assert csrf is not None
        failed = await client.post("/c/xinhepu/send", data={"text": "你好", "csrf": csrf.group(1)})
    assert failed.status_code == 500
    assert wt.SERVER_ERROR in failed.text
    assert "secret" not in failed.text and "Traceback" not in failed.text


async def test_request_logs_leave_the_message_text_out(
    web: Web, caplog: pytest.LogCaptureFixture
) -> None:
    await web.open()
    with caplog.at_level(logging.INFO, logger="bot.channels.web.access"):
        await web.say("房东不退押金怎么办")
        await web.poll()
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.channels.web.access"]
    assert any(line.startswith("POST /c/xinhepu/send 200") for line in lines)
    assert not any("押金" in line or "lawbot_resident" in line for line in lines)


async def test_the_index_lists_the_communities(web: Web) -> None:
    page = await web.client.get("/")
    assert '<a href="/c/xinhepu">' in page.text and "北京路社区" in page.text


def test_wait_returns_when_stopped() -> None:
    async def scenario() -> None:
        from bot.app import open_database

        store = WebStore(open_database(None))
        stop = asyncio.Event()
        task = asyncio.create_task(store.wait("someone", 3600, stop))
        await asyncio.sleep(0)
        stop.set()
        await task
        assert store.waiting("someone") == 0

    asyncio.run(scenario())
