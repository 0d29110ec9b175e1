"""The staff console over HTTP: logins, roles on every route, CSRF, the desk, the FAQ editor.

The ASGI app runs in-process on a real SQLite database with the real FAQ index; desk actions
go through ``Service.desk_command`` and land in the real outbox.
"""

from __future__ import annotations

import asyncio
import re
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
import sqlite_utils
from fakes import ORG_YAML, T0, entry, load_org

from bot.accounts import Accounts
from bot.app import build_service
from bot.channels.web_app import WebChat
from bot.channels.web_store import WebStore
from bot.clock import FixedClock
from bot.desk.tickets import Ticket
from bot.messages import Address
from bot.service import Service
from bot.texts import console as ct
from bot.texts import desk as dt
from knowledge.faq import FaqStore

PASSWORD = "correct-horse"
DEPOSIT = entry(
    "rent-deposit", "房东不退押金怎么办", "先书面催告房东退还押金，协商不成可申请调解或起诉。",
    ("《民法典》第七百二十二条",),
)
WAGES = entry("wages", "公司拖欠工资怎么办", "可以向劳动监察投诉或申请劳动仲裁。", category="劳动")


class Browser:
    """One person's cookies against the console."""

    def __init__(self, app: object) -> None:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)  # type: ignore[arg-type]
        self.client = httpx.AsyncClient(transport=transport, base_url="http://testserver")
        self.csrf = ""

    async def login(self, name: str, password: str = PASSWORD) -> httpx.Response:
        page = await self.client.get("/console/login")
        token = _csrf(page.text)
        response = await self.client.post(
            "/console/login", data={"csrf": token, "name": name, "password": password}
        )
        if response.status_code == 303:
            await self.get("/console/tickets")
        return response

    async def get(self, path: str) -> httpx.Response:
        response = await self.client.get(path)
        self.csrf = _csrf(response.text) or self.csrf
        return response

    async def post(self, path: str, csrf: str | None = None, **data: str) -> httpx.Response:
        return await self.client.post(
            path, data={"csrf": self.csrf if csrf is None else csrf, **data}
        )


class Console:
    """The web app of one service, its clock, and a way to make browsers."""

    def __init__(self, service: Service) -> None:
        self.service = service
        self.clock = FixedClock(T0)
        chat = WebChat(service, WebStore(service.db), self.clock, asyncio.Event())
        self.app = chat.app()
        self.browsers: list[Browser] = []

    async def as_(self, name: str) -> Browser:
        browser = Browser(self.app)
        self.browsers.append(browser)
        response = await browser.login(name)
        assert response.status_code == 303, response.text
        return browser

    def ticket(self, team: str | None = "dongshan", urgent: bool = False,
               question: str = "邻居装修噪音很大怎么办？我电话13812345678") -> Ticket:
        return self.service.tickets.create(
            resident_id=None, address=Address("telegram", "555"), community="xinhepu",
            team=team, category="相邻关系", question=question, urgent=urgent,
            now=self.clock(),
        )

    def state(self) -> tuple[object, ...]:
        """Everything a refused action must leave alone."""
        db = self.service.db
        return (
            [dict(r) for r in db.query("SELECT * FROM tickets")],
            [dict(r) for r in db.query("SELECT * FROM ticket_events")],
            [dict(r) for r in db.query("SELECT * FROM faq")],
            db.execute("SELECT count(*) FROM outbox").fetchone()[0],
        )


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
    return found.group(1) if found else ""


@pytest.fixture
def service(db: sqlite_utils.Database) -> Service:
    load_org(db)
    faq = FaqStore(db)
    for e in (DEPOSIT, WAGES):
        faq.add(e, by="test")
    accounts = Accounts(db)
    for name in ("王律师", "小李", "赵律师", dt.ADMIN):
        accounts.set_password(name, PASSWORD, T0)
    return build_service(db, ZoneInfo("Asia/Shanghai"))


@pytest.fixture
async def console(service: Service) -> AsyncIterator[Console]:
    harness = Console(service)
    yield harness
    for browser in harness.browsers:
        await browser.client.aclose()


# --- logging in ---------------------------------------------------------------------------


async def test_login_sets_a_private_strict_session_cookie_and_logout_ends_it(
    console: Console,
) -> None:
    anonymous = Browser(console.app)
    console.browsers.append(anonymous)
    assert (await anonymous.client.get("/console/tickets")).headers["location"] == (
        "/console/login"
    )
    page = await anonymous.client.get("/console/login")
    assert 'name="name"' in page.text and 'name="password"' in page.text and _csrf(page.text)
    li = await console.as_("小李")
    cookie = next(c for c in li.client.cookies.jar if c.name == "lawbot_staff")
    assert cookie.has_nonstandard_attr("HttpOnly")
    assert (cookie.get_nonstandard_attr("SameSite") or "").lower() == "strict"
    tickets = await li.get("/console/tickets")
    assert tickets.status_code == 200 and "小李（志愿者）" in tickets.text
    audit = console.service.db.execute("SELECT name, action FROM console_audit").fetchall()
    assert ("小李", "login") in audit
    assert (await li.post("/console/logout")).status_code == 303
    assert (await li.client.get("/console/tickets")).status_code == 303  # back to login
    assert console.service.db.execute("SELECT count(*) FROM console_sessions").fetchone()[0] == 0


async def test_a_wrong_password_is_refused_and_five_lock_the_name(console: Console) -> None:
    browser = Browser(console.app)
    console.browsers.append(browser)
    for _ in range(5):
        response = await browser.login("小李", "wrong-password")
        assert response.status_code == 403 and ct.BAD_LOGIN in response.text
    locked = await browser.login("小李", PASSWORD)
    assert locked.status_code == 403 and ct.LOCKED in locked.text
    assert console.service.db.execute("SELECT count(*) FROM console_sessions").fetchone()[0] == 0
    console.clock.advance(minutes=16)
    assert (await browser.login("小李", PASSWORD)).status_code == 303


async def test_a_login_without_its_csrf_token_or_of_a_stranger_is_refused(
    console: Console,
) -> None:
    browser = Browser(console.app)
    console.browsers.append(browser)
    await browser.client.get("/console/login")
    forged = await browser.client.post(
        "/console/login", data={"csrf": "0" * 32, "name": "小李", "password": PASSWORD}
    )
    assert forged.status_code == 403 and ct.BAD_CSRF in forged.text
    stranger = await browser.login("张三", PASSWORD)
    assert stranger.status_code == 403
    assert console.service.db.execute("SELECT count(*) FROM console_sessions").fetchone()[0] == 0


async def test_an_idle_session_ends(console: Console) -> None:
    li = await console.as_("小李")
    console.clock.advance(minutes=29)
    assert (await li.get("/console/tickets")).status_code == 200
    console.clock.advance(minutes=31)
    assert (await li.get("/console/tickets")).status_code == 303


# --- roles on every route -----------------------------------------------------------------

DESK_PAGES = ["/console/tickets", "/console/tickets/{n}", "/console/live?since=0&wait=0"]
FAQ_PAGES = ["/console/faq", "/console/faq/rent-deposit", "/console/faq?try=押金",
             "/console/faq-review", "/console/citations?text=民法典第722条"]
ADMIN_PAGES = ["/console/org", "/console/stats"]
ADMIN_POSTS = ["/console/org/import"]
CANNED_POSTS = ["/console/canned", "/console/canned/1/delete"]
DESK_POSTS = [f"/console/tickets/{{n}}/{a}" for a in ("claim", "reply", "adviser", "close",
                                                        "addfaq", "note")]
FAQ_POSTS = [f"/console/faq/rent-deposit/{a}" for a in ("edit", "addalt", "delalt", "signoff",
                                                        "publish", "archive", "revert")]
FAQ_POSTS.append("/console/faq-review/1/draft")


async def test_a_volunteer_is_refused_every_adviser_and_admin_page_and_action(
    console: Console,
) -> None:
    n = console.ticket().number
    li = await console.as_("小李")
    for path in DESK_PAGES:
        assert (await li.get(path.format(n=n))).status_code == 200, path
    before = console.state()
    for path in FAQ_PAGES + ADMIN_PAGES:
        response = await li.get(path)
        assert response.status_code == 403, path
        assert "无权访问" in response.text and "志愿者" in response.text
    for path in FAQ_POSTS:
        response = await li.post(path, text="押金不退", answer="改掉", question="改掉")
        assert response.status_code == 403, path
    for path in CANNED_POSTS:
        response = await li.post(path, team="dongshan", text="常用回复")
        assert response.status_code == 403, path
    upload = await upload_org(li, BAD_ORG)
    assert upload.status_code == 403
    assert console.state() == before and org_rows(console) == ORIGINAL_PEOPLE
    refused = console.service.db.execute(
        "SELECT count(*) FROM console_audit WHERE name = '小李' AND action = 'refused-role'"
    ).fetchone()[0]
    assert refused == len(FAQ_PAGES + ADMIN_PAGES + FAQ_POSTS + ADMIN_POSTS + CANNED_POSTS)
    assert console.service.db.execute("SELECT count(*) FROM canned_replies").fetchone()[0] == 0


async def test_an_adviser_may_use_the_faq_but_not_the_administration(console: Console) -> None:
    wang = await console.as_("王律师")
    for path in FAQ_PAGES:
        assert (await wang.get(path)).status_code == 200, path
    for path in ADMIN_PAGES:
        assert (await wang.get(path)).status_code == 403, path


async def test_the_administrator_reaches_every_page(console: Console) -> None:
    n = console.ticket().number
    admin = await console.as_(dt.ADMIN)
    for path in DESK_PAGES + FAQ_PAGES + ADMIN_PAGES:
        assert (await admin.get(path.format(n=n))).status_code == 200, path


async def test_without_a_session_pages_go_to_login_and_posts_are_refused(
    console: Console,
) -> None:
    n = console.ticket().number
    anonymous = Browser(console.app)
    console.browsers.append(anonymous)
    for path in DESK_PAGES + FAQ_PAGES + ADMIN_PAGES:
        response = await anonymous.client.get(path.format(n=n))
        assert response.status_code == 303 and response.headers["location"] == "/console/login"
    before = console.state()
    for path in DESK_POSTS + FAQ_POSTS + ADMIN_POSTS + CANNED_POSTS + ["/console/logout"]:
        response = await anonymous.post(path.format(n=n), csrf="0" * 32, text="x")
        assert response.status_code == 403, path
    assert console.state() == before


async def test_every_post_without_the_sessions_csrf_token_is_refused_and_changes_nothing(
    console: Console,
) -> None:
    n = console.ticket().number
    wang = await console.as_("王律师")
    li = await console.as_("小李")
    before = console.state()
    for path in DESK_POSTS + FAQ_POSTS + CANNED_POSTS:
        for token in ("", "0" * 32, li.csrf):  # none, forged, another person's
            response = await wang.post(path.format(n=n), csrf=token, text="押金不退")
            assert response.status_code == 403 and ct.BAD_CSRF in response.text, path
    assert console.state() == before


async def test_another_teams_ticket_is_refused(console: Console) -> None:
    n = console.ticket(team="beijing").number
    li = await console.as_("小李")
    listing = await li.get("/console/tickets")
    assert f'data-ticket="{n}"' not in listing.text
    assert (await li.get(f"/console/tickets/{n}")).status_code == 403
    before = console.state()
    assert (await li.post(f"/console/tickets/{n}/claim")).status_code == 403
    assert console.state() == before


# --- the desk -----------------------------------------------------------------------------


async def test_the_list_puts_urgent_first_then_oldest_and_masks_phones(console: Console) -> None:
    old = console.ticket().number
    console.clock.advance(minutes=5)
    urgent = console.ticket(urgent=True).number
    console.clock.advance(minutes=5)
    new = console.ticket().number
    li = await console.as_("小李")
    page = (await li.get("/console/tickets")).text
    order = [int(x) for x in re.findall(r'data-ticket="(\d+)"', page)]
    assert order == [urgent, old, new]
    assert "13812345678" not in page and 'data-count="open">3<' in page


async def test_claim_reply_and_a_second_claim_refused_naming_the_holder(
    console: Console,
) -> None:
    n = console.ticket().number
    li = await console.as_("小李")
    wang = await console.as_("王律师")
    await li.post(f"/console/tickets/{n}/claim")
    page = await li.get(f"/console/tickets/{n}")
    assert dt.CLAIMED.format(name="小李", number=n) in page.text
    assert console.service.tickets.get(n).assignee == "小李"
    events = len(console.service.tickets.events(n))
    await wang.post(f"/console/tickets/{n}/claim")
    refused = await wang.get(f"/console/tickets/{n}")
    assert dt.ALREADY_CLAIMED.format(number=n, name="小李") in refused.text
    assert console.service.tickets.get(n).assignee == "小李"
    assert len(console.service.tickets.events(n)) == events
    await li.post(f"/console/tickets/{n}/reply", text="请先和邻居协商，或找物业。")
    relayed = [i.out for i in console.service.outbox.pending("telegram")]
    assert [o.chat_id for o in relayed] == ["555"]
    assert "请先和邻居协商" in relayed[0].text and "小李" in relayed[0].text
    assert console.service.tickets.get(n).status == "answered"
    page = await li.get(f"/console/tickets/{n}")
    assert "请先和邻居协商" in page.text and "13812345678" not in page.text
    audit = console.service.db.execute(
        "SELECT name, action, target FROM console_audit WHERE action IN ('claim', 'reply')"
    ).fetchall()
    assert audit == [("小李", "claim", f"ticket:{n}"), ("王律师", "claim", f"ticket:{n}"),
                     ("小李", "reply", f"ticket:{n}")]


async def test_an_empty_reply_sends_nothing(console: Console) -> None:
    n = console.ticket().number
    li = await console.as_("小李")
    before = console.state()
    await li.post(f"/console/tickets/{n}/reply", text="   ")
    assert ct.REPLY_EMPTY in (await li.get(f"/console/tickets/{n}")).text
    assert console.state() == before


# --- the FAQ ------------------------------------------------------------------------------


async def test_an_adviser_adds_and_removes_one_alternate_and_the_test_pane_answers_it(
    console: Console,
) -> None:
    faq = console.service.faq
    wang = await console.as_("王律师")
    await wang.post("/console/faq/wages/addalt", text="老板一直不发薪水")
    await wang.post("/console/faq/wages/addalt", text="工钱被扣着不给")
    assert faq.get("wages").alternates == ("老板一直不发薪水", "工钱被扣着不给")
    page = await wang.get("/console/faq/wages?try=老板一直不发薪水")
    assert 'data-top="wages"' in page.text and "老板一直不发薪水" in page.text
    await wang.post("/console/faq/wages/delalt", text="老板一直不发薪水")
    assert faq.get("wages").alternates == ("工钱被扣着不给",)
    missing = faq.get("wages")
    await wang.post("/console/faq/wages/delalt", text="从没有过的问法")
    assert faq.get("wages") == missing
    history = (await wang.get("/console/faq/wages")).text
    assert "v3" in history and "王律师" in history


async def test_an_alternate_another_entry_answers_is_saved_with_a_warning_naming_it(
    console: Console,
) -> None:
    faq = console.service.faq
    wang = await console.as_("王律师")
    await wang.post("/console/faq/wages/addalt", text="房东不退押金怎么办")
    assert faq.get("wages").alternates == ("房东不退押金怎么办",)
    warned = ct.FAQ_ALT_ANSWERED_ELSEWHERE.format(
        alternate="房东不退押金怎么办", other="rent-deposit"
    )
    assert warned in (await wang.get("/console/faq/wages")).text
    await wang.post("/console/faq/wages/addalt", text="老板一直不发薪水")
    assert "已能由已发布的条目" not in (await wang.get("/console/faq/wages")).text


async def test_only_an_adviser_signs_off_and_publishing_needs_it(console: Console) -> None:
    faq = console.service.faq
    faq.edit("rent-deposit", "test", answer="新的答案：先书面催告。", status="draft")
    assert faq.get("rent-deposit").reviewed_by is None
    admin = await console.as_(dt.ADMIN)
    await admin.get("/console/faq/rent-deposit")
    before = console.state()
    assert (await admin.post("/console/faq/rent-deposit/signoff")).status_code == 403
    await admin.post("/console/faq/rent-deposit/publish")
    assert console.state() == before
    wang = await console.as_("王律师")
    await wang.get("/console/faq/rent-deposit")
    await wang.post("/console/faq/rent-deposit/signoff")
    await wang.post("/console/faq/rent-deposit/publish")
    saved = faq.get("rent-deposit")
    assert saved.status == "published" and saved.reviewed_by == "王律师"


async def test_the_editor_escapes_what_it_shows(console: Console) -> None:
    console.service.faq.edit("wages", "test", alternates=("<script>alert(1)</script>",))
    wang = await console.as_("王律师")
    page = await wang.get("/console/faq/wages")
    assert "<script>alert(1)" not in page.text and "&lt;script&gt;" in page.text


# --- administration -----------------------------------------------------------------------


async def test_the_org_page_shows_who_is_on_duty_and_the_audit_log(console: Console) -> None:
    console.clock.advance(hours=1)  # 11:00 on a Tuesday in Shanghai
    admin = await console.as_(dt.ADMIN)
    page = (await admin.get("/console/org")).text
    duty = re.search(r'data-role="duty">(.*?)</ul>', page, re.S)
    assert duty is not None and "王律师、小李" in duty.group(1)
    assert "<td>管理员</td><td>登录</td>" in page


async def test_the_stats_page_counts_and_draws_without_a_cdn(console: Console) -> None:
    service = console.service
    from bot.messages import Incoming

    service.handle(Incoming("telegram", "555", "555", "/start xinhepu", "m0"), console.clock())
    service.handle(
        Incoming("telegram", "555", "555", "房东不退押金怎么办", "m1"), console.clock()
    )
    admin = await console.as_(dt.ADMIN)
    page = (await admin.get("/console/stats")).text
    assert 'data-figure="consultations">1<' in page and "<svg" in page
    assert not re.search(r'(src|href)="(https?:)?//', page)
    ranged = (await admin.get("/console/stats?from=2026-11-01&to=2026-12-31")).text
    assert "2026-12" in ranged and ranged.count("<svg") == 3  # months, communities, categories
    bad = await admin.get("/console/stats?from=2026-13-01")
    assert bad.status_code == 400 and "2026-13-01" in bad.text


async def test_the_review_queue_adds_a_residents_wording_in_one_click(console: Console) -> None:
    from bot.messages import Incoming

    service, now = console.service, console.clock()
    service.handle(Incoming("telegram", "555", "555", "/start xinhepu", "m0"), now)
    wording = "老板三个月没给钱了"
    service.handle(Incoming("telegram", "555", "555", wording, "m1"), now)
    service.handle(Incoming("telegram", "555", "555", "转人工", "m2"), now)  # suggested, then human
    logged = service.db.execute(
        "SELECT decision, ticket_id FROM question_log WHERE text = ?", [wording]
    ).fetchone()
    assert logged[0] == "suggest" and logged[1] is not None
    wang = await console.as_("王律师")
    page = (await wang.get("/console/faq-review")).text
    assert wording in page and 'action="/console/faq/wages/addalt"' in page
    response = await wang.post("/console/faq/wages/addalt", text=wording, back="review")
    assert response.headers["location"] == "/console/faq-review"
    assert service.faq.get("wages").alternates == (wording,)
    assert wording not in (await wang.get("/console/faq-review")).text  # reviewed: gone


async def test_an_older_version_is_restored_as_a_new_one(console: Console) -> None:
    faq = console.service.faq
    first = faq.get("wages")
    faq.edit("wages", "test", answer="错误的答案", alternates=("工资被拖欠",))
    wang = await console.as_("王律师")
    page = (await wang.get("/console/faq/wages")).text
    assert "错误的答案" in page and 'data-version="1"' in page
    await wang.post("/console/faq/wages/revert", text="1")
    restored = faq.get("wages")
    assert restored.version == 3 and restored.answer == first.answer
    assert restored.alternates == () and restored.updated_by == "王律师"
    await wang.post("/console/faq/wages/revert", text="9")
    assert faq.get("wages") == restored
    assert "没有第 9 版" in (await wang.get("/console/faq/wages")).text


async def test_editing_a_published_answer_withdraws_it_until_signed_off(console: Console) -> None:
    faq = console.service.faq
    assert faq.get("wages").status == "published"
    wang = await console.as_("王律师")
    await wang.get("/console/faq/wages")
    await wang.post("/console/faq/wages/edit", answer="新的答案：先申请劳动仲裁。")
    saved = faq.get("wages")
    assert (saved.status, saved.reviewed_by) == ("draft", None)
    assert saved.answer == "新的答案：先申请劳动仲裁。"
    assert "已撤回为草稿" in (await wang.get("/console/faq/wages")).text


async def test_the_stats_page_shows_median_and_p90_of_the_first_reply(console: Console) -> None:
    for minutes in (10, 20, 30, 40, 100):
        n = console.ticket().number
        console.clock.advance(minutes=minutes)
        console.service.desk_command("小李", f"/reply {n} 您好", console.clock())
        console.clock.advance(minutes=-minutes)
    admin = await console.as_(dt.ADMIN)
    waits = re.search(r'data-role="waits">(.*?)<', (await admin.get("/console/stats")).text)
    assert waits is not None
    assert "中位数 30 分钟" in waits.group(1) and "90% 在 76 分钟以内" in waits.group(1)


ORIGINAL_PEOPLE = ["小李", "王律师", "赵律师", "陈律师"]
NEW_ORG = ORG_YAML.replace(
    "roster:", "  - {name: 周主任, role: lead, team: dongshan, terminal: true}\nroster:"
)
BAD_ORG = ORG_YAML.replace("role: volunteer", "role: helper")
SMALLER_ORG = "\n".join(  # 北京街 team left without people: needs "replace"
    line for line in ORG_YAML.splitlines() if "赵律师" not in line
)


async def upload_org(
    browser: Browser, text: str, csrf: str | None = None, **extra: str
) -> httpx.Response:
    return await browser.client.post(
        "/console/org/import",
        data={"csrf": browser.csrf if csrf is None else csrf, **extra},
        files={"file": ("org.yaml", text.encode(), "application/x-yaml")},
    )


def org_rows(console: Console) -> list[str]:
    return [r[0] for r in console.service.db.execute("SELECT name FROM people ORDER BY name")]


async def test_an_uploaded_organisation_file_replaces_the_organisation(console: Console) -> None:
    admin = await console.as_(dt.ADMIN)
    assert (await upload_org(admin, NEW_ORG)).status_code == 303
    assert "周主任" in org_rows(console)
    page = (await admin.get("/console/org")).text
    assert "周主任" in page and "已导入" in page
    Accounts(console.service.db).set_password("周主任", PASSWORD, console.clock())
    lead = await console.as_("周主任")  # a lead of the new file: the administration is theirs
    assert (await lead.get("/console/stats")).status_code == 200


async def test_a_bad_organisation_file_shows_its_row_errors_and_changes_nothing(
    console: Console,
) -> None:
    admin = await console.as_(dt.ADMIN)
    await upload_org(admin, BAD_ORG)
    page = (await admin.get("/console/org")).text
    assert "未导入任何内容" in page and "helper" in page
    assert org_rows(console) == ORIGINAL_PEOPLE
    await upload_org(admin, SMALLER_ORG)
    assert ct.ORG_NEEDS_REPLACE in (await admin.get("/console/org")).text
    assert org_rows(console) == ORIGINAL_PEOPLE
    await upload_org(admin, SMALLER_ORG, replace="yes")
    assert org_rows(console) == ["小李", "王律师", "陈律师"]


async def test_a_forged_upload_is_refused_and_its_file_never_stored(
    console: Console, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    admin = await console.as_(dt.ADMIN)
    response = await upload_org(admin, NEW_ORG, csrf="0" * 32)
    assert response.status_code == 403
    assert org_rows(console) == ORIGINAL_PEOPLE and list(tmp_path.iterdir()) == []
    await upload_org(admin, NEW_ORG)
    assert list(tmp_path.iterdir()) == []  # the accepted one is removed after the import


async def test_a_private_note_stays_on_the_console_and_reaches_no_resident(
    console: Console,
) -> None:
    n = console.ticket().number
    li = await console.as_("小李")
    outbox = console.state()[3]
    await li.post(f"/console/tickets/{n}/note", text="居民电话13812345678，下午再联系")
    page = (await li.get(f"/console/tickets/{n}")).text
    notes = re.search(r'data-role="notes" data-live="notes">(.*?)</ol>', page, re.S)
    assert notes is not None and "下午再联系" in notes.group(1) and "小李" in notes.group(1)
    assert "13812345678" not in page  # masked on the page as the thread is
    assert console.state()[3] == outbox  # nothing sent
    events = [e.text for e in console.service.tickets.events(n)]
    assert not any("下午再联系" in e for e in events)  # not in the transcript chats show


async def test_canned_replies_are_kept_per_team_and_sent_as_ones_own_reply(
    console: Console,
) -> None:
    n = console.ticket().number
    wang = await console.as_("王律师")
    await wang.post("/console/canned", team="dongshan", text="您好，已收到，我们会在今天内答复您。",
                    back=f"/console/tickets/{n}")
    refused = await wang.post("/console/canned", team="beijing", text="别的团队")
    assert refused.status_code == 403
    rows = console.service.db.execute("SELECT team, text FROM canned_replies").fetchall()
    assert rows == [("dongshan", "您好，已收到，我们会在今天内答复您。")]
    li = await console.as_("小李")
    page = (await li.get(f"/console/tickets/{n}")).text
    found = re.search(r'name="canned" value="(\d+)"', page)
    assert found is not None and "已收到" in page
    assert 'action="/console/canned"' not in page  # a volunteer uses them, does not edit them
    await li.post(f"/console/tickets/{n}/reply", canned=found.group(1))
    relayed = [i.out for i in console.service.outbox.pending("telegram")]
    assert len(relayed) == 1 and "我们会在今天内答复您" in relayed[0].text
    assert "小李" in relayed[0].text
    other = console.ticket(team="beijing").number
    zhao = await console.as_("赵律师")
    before = console.state()
    await zhao.post(f"/console/tickets/{other}/reply", canned=found.group(1))  # not his team's
    assert console.state() == before
    await wang.post(f"/console/canned/{found.group(1)}/delete", team="dongshan")
    assert console.service.db.execute("SELECT count(*) FROM canned_replies").fetchone()[0] == 0


async def test_the_administrator_may_close_but_not_claim_and_is_told_why(console: Console) -> None:
    n = console.ticket().number
    admin = await console.as_(dt.ADMIN)
    before = console.state()
    response = await admin.post(f"/console/tickets/{n}/claim")
    assert response.status_code == 303
    assert ct.ADMIN_CLOSE_ONLY in (await admin.get(f"/console/tickets/{n}")).text
    assert console.state() == before
    await admin.post(f"/console/tickets/{n}/close")
    assert console.service.tickets.get(n).status == "closed"
