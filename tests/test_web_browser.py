"""The web chat in a real headless Chromium, against a real ``lawbot run`` process.

Debian's ``chromium`` (with a Chinese font: ``apt-get install chromium fonts-wqy-microhei``,
which ``make test`` does when it is missing) is driven by Playwright's Python API; Playwright's
own browser download is never used. The desk answers through the real ``lawbot tickets reply``.
Screenshots are kept under ``artifacts/web/`` (ignored by git) to be looked at.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

pytestmark = [pytest.mark.browser, pytest.mark.integration]

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts" / "web"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
PHONE = {"width": 360, "height": 740}
WAIT_MS = 15_000


def lawbot(*args: str) -> list[str]:
    """The real ``lawbot`` command line, of this checkout."""
    script = Path(sys.executable).parent / "lawbot"
    if script.exists():
        return [str(script), *args]
    return [sys.executable, "-c", "from bot.cli import main; main()", *args]


def env(**extra: str) -> dict[str, str]:
    """The environment of the subprocesses: this checkout first on the path, no network set."""
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("TELEGRAM_", "MATRIX_", "LAWBOT_"))}
    clean["PYTHONPATH"] = os.pathsep.join([str(ROOT), clean.get("PYTHONPATH", "")])
    return {**clean, **extra}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Running:
    """A running ``lawbot run`` with the web chat, and its database."""

    url: str
    db: Path
    process: subprocess.Popen[str]
    log: list[str]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """``lawbot init --demo`` then ``lawbot run`` with LAWBOT_WEB on a free loopback port."""
    folder = tmp_path_factory.mktemp("web")
    db = folder / "lawbot.db"
    subprocess.run(lawbot("init", "--demo", "--db", str(db)), env=env(), check=True,
                   capture_output=True, timeout=300)
    port = free_port()
    process = subprocess.Popen(
        lawbot("run", "--db", str(db)), env=env(LAWBOT_WEB=f"127.0.0.1:{port}"),
        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
    )
    log: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            log.append(line)
            if "web chat listening" in line:
                ready.set()
        ready.set()  # the process ended: let the fixture see why

    threading.Thread(target=read, daemon=True).start()
    if not ready.wait(120) or process.poll() is not None:
        process.kill()
        pytest.fail("lawbot run did not start:\n" + "".join(log))
    yield Running(f"http://127.0.0.1:{port}", db, process, log)
    process.terminate()
    process.wait(timeout=30)
    assert not [line for line in log if "Traceback" in line], "".join(log)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless."""
    if shutil.which(CHROMIUM) is None:
        pytest.fail(f"{CHROMIUM} not found: apt-get install -y chromium fonts-wqy-microhei")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """A fresh phone-sized page (its own cookies: a new resident)."""
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda m: errors.append(m.text)
        if m.type == "error" and "ERR_INTERNET_DISCONNECTED" not in m.text  # a phone asleep
        else None,
    )
    yield page
    context.close()
    assert not errors, errors  # no script error, no CSP violation


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))  # what the phone shows
    page.screenshot(path=str(ARTIFACTS / f"{name}-full.png"), full_page=True)


def ask(page: Page, text: str) -> None:
    box = page.locator('textarea[name="text"]')
    box.fill(text)
    box.press("Enter")


def bot_says(page: Page, text: str) -> None:
    expect(page.locator('[data-role="bot"]', has_text=text).last).to_be_visible(timeout=WAIT_MS)


def test_a_resident_asks_picks_a_suggestion_and_gets_the_desk_reply_live(
    server: Running, phone: Page
) -> None:
    phone.goto(f"{server.url}/c/xinhepu")
    expect(phone.locator("h1")).to_have_text("法律顾问助手")
    shot(phone, "01-open")

    ask(phone, "房东不退押金怎么办")
    expect(phone.locator('[data-role="resident"]', has_text="房东不退押金怎么办")).to_be_visible()
    bot_says(phone, "法律依据：")
    answer = phone.locator('[data-role="bot"]', has_text="法律依据：").last
    expect(answer).to_contain_text("不退押金")
    expect(answer.locator(".basis")).to_contain_text("《民法典》第七百三十三条")
    expect(answer.locator('[data-role="choice"]', has_text="转人工")).to_be_visible()
    shot(phone, "02-answer")

    ask(phone, "噪音")
    suggestion = phone.locator('[data-role="choice"]', has_text="楼上邻居长期制造噪音")
    expect(suggestion).to_be_visible(timeout=WAIT_MS)
    suggestion.click()
    expect(phone.locator('[data-role="resident"]', has_text="楼上邻居长期制造噪音")).to_be_visible()
    bot_says(phone, "【楼上邻居长期制造噪音，我该怎么办？】")

    law = phone.locator('[data-role="bot"]').last.locator('[data-role="choice"]',
                                                          has_text="查看")
    law.first.click()
    bot_says(phone, "版）")  # the article's text with its version date

    ask(phone, "我的情况比较复杂，房东还扣了我的东西，想请律师帮忙看看")
    bot_says(phone, "工单号 #")
    ticket = phone.locator('[data-role="bot"]', has_text="工单号 #").last.inner_text()
    number = re.search(r"工单号 #(\d+)", ticket)
    assert number is not None
    shot(phone, "03-ticket")

    reply = "您好，我是小李。扣押物品不合法，请保留清单和照片，我们明天上门帮您调解。"
    done = subprocess.run(
        lawbot("tickets", "reply", number.group(1), reply, "--as", "小李", "--db", str(server.db)),
        env=env(), capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    bot_says(phone, "我们明天上门帮您调解")  # arrives live: no reload
    shot(phone, "04-desk-reply")

    before = phone.locator("[data-id]").evaluate_all("els => els.map(e => e.dataset.id)")
    assert len(before) == len(set(before))  # nothing shown twice
    phone.reload()
    expect(phone.locator('[data-role="bot"]', has_text="我们明天上门帮您调解")).to_be_visible()
    after = phone.locator("[data-id]").evaluate_all("els => els.map(e => e.dataset.id)")
    assert after == before  # the same history after a reload

    phone.locator("#large").click()
    expect(phone.locator("html")).to_have_class(re.compile("large"))
    shot(phone, "05-large-text")
    phone.reload()
    expect(phone.locator("html")).to_have_class(re.compile("large"))  # remembered


def test_forget_is_a_visible_button_and_empties_the_page(server: Running, phone: Page) -> None:
    phone.goto(f"{server.url}/c/dongyuan")
    ask(phone, "房东不退押金")
    bot_says(phone, "法律依据：")
    phone.get_by_text("删除我的记录").click()
    phone.locator("#forget").click()
    bot_says(phone, "已删除您的全部对话记录")
    expect(phone.locator("[data-id]")).to_have_count(1)
    phone.reload()
    expect(phone.locator("[data-id]")).to_have_count(1)


def test_a_page_that_slept_catches_up_without_showing_anything_twice(
    server: Running, phone: Page
) -> None:
    phone.goto(f"{server.url}/c/xinhepu")
    ask(phone, "离婚")
    bot_says(phone, "您是不是想问")
    phone.context.set_offline(True)  # the phone sleeps: its waiting request fails
    phone.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    # Meanwhile the same resident (another tab) asks, and the answer is stored for the page.
    token = next(c["value"] for c in phone.context.cookies() if c["name"] == "lawbot_resident")
    csrf = phone.locator('input[name="csrf"]').first.get_attribute("value")
    sent = httpx.post(
        f"{server.url}/c/xinhepu/send", data={"text": "房东不退押金", "csrf": csrf or ""},
        cookies={"lawbot_resident": token}, headers={"accept": "application/json"},
    )
    assert sent.status_code == 200
    phone.context.set_offline(False)  # it wakes
    phone.evaluate("window.dispatchEvent(new Event('online'))")
    bot_says(phone, "【退租后房东不退押金")
    expect(phone.locator('[data-role="resident"]', has_text="房东不退押金")).to_have_count(1)
    ids = phone.locator("[data-id]").evaluate_all("els => els.map(e => e.dataset.id)")
    assert len(ids) == len(set(ids)) and ids == sorted(ids, key=int)
    phone.reload()
    again = phone.locator("[data-id]").evaluate_all("els => els.map(e => e.dataset.id)")
    assert again == ids


def test_two_hundred_residents_polling_at_once(server: Running) -> None:
    async def resident(n: int, start: asyncio.Event) -> str:
        async with httpx.AsyncClient(base_url=server.url, timeout=60) as client:
            page = await client.get("/c/xinhepu")
            page.raise_for_status()
            csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text)
            assert csrf is not None
            await start.wait()
            waiting = asyncio.create_task(client.get("/c/xinhepu/poll?after=0"))
            sent = await client.post(
                "/c/xinhepu/send", data={"text": "房东不退押金", "csrf": csrf.group(1)},
                headers={"accept": "application/json"},
            )
            sent.raise_for_status()
            seen: list[str] = []
            cursor = 0
            response = await waiting
            for _ in range(10):  # bounded: a missing answer fails instead of hanging
                response.raise_for_status()
                data = response.json()
                seen += [m["html"] for m in data["messages"]]
                cursor = data["cursor"]
                if any("【退租后房东不退押金" in html for html in seen):
                    return "\n".join(seen)
                response = await client.get(f"/c/xinhepu/poll?after={cursor}")
            raise AssertionError(f"resident {n} got no answer: {seen}")

    async def everyone() -> list[str]:
        start = asyncio.Event()
        tasks = [asyncio.create_task(resident(n, start)) for n in range(200)]
        await asyncio.sleep(0)
        start.set()
        return await asyncio.gather(*tasks)

    # Playwright's sync API keeps a loop running in this thread: run the residents in another.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pages = pool.submit(asyncio.run, everyone()).result(timeout=300)
    assert len(pages) == 200
    for html in pages:
        assert html.count('data-role="resident"') == 1  # its own message, nobody else's
        assert html.count("【退租后房东不退押金") == 1  # its answer, once
    assert not [line for line in server.log if " 500 " in line or "Traceback" in line]
