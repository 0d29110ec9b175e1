"""LAWBOT_WEB: validated like every other key, and it adds the web channel to `lawbot run`."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
import sqlite_utils
from fakes import ScriptedIndex

from bot.app import build_channels, build_service, open_database
from bot.config import Config, ConfigError


@pytest.mark.parametrize(
    ("value", "host", "port"),
    [("127.0.0.1:8080", "127.0.0.1", 8080), ("0.0.0.0:80", "0.0.0.0", 80),
     ("[::1]:8443", "::1", 8443), ("localhost:65535", "localhost", 65535)],
)
def test_a_good_address_enables_the_web_chat(value: str, host: str, port: int) -> None:
    config = Config.from_env({"LAWBOT_WEB": value})
    assert config.web_enabled and (config.web_host, config.web_port) == (host, port)


@pytest.mark.parametrize("value", ["8080", "127.0.0.1", "127.0.0.1:0", "127.0.0.1:70000",
                                   ":8080", "127.0.0.1:http", "a b:80"])
def test_a_bad_address_is_named_with_the_other_bad_keys(value: str) -> None:
    with pytest.raises(ConfigError) as error:
        Config.from_env({"LAWBOT_WEB": value, "LAWBOT_TZ": "Mars/Base"})
    assert "LAWBOT_WEB：格式应为 主机:端口" in str(error.value)
    assert "LAWBOT_TZ" in str(error.value)


def test_unset_means_no_web_chat() -> None:
    assert not Config.from_env({}).web_enabled


def test_build_channels_adds_the_web_channel(db: sqlite_utils.Database) -> None:
    service = build_service(db, ZoneInfo("Asia/Shanghai"), ScriptedIndex())
    channels = build_channels(Config.from_env({"LAWBOT_WEB": "127.0.0.1:8080"}), service)
    assert [c.channel for c in channels] == ["web"]
    assert channels[0].sender.channel == "web"
    assert build_channels(Config.from_env({}), service) == []


async def test_a_taken_port_stops_start_up_with_a_clear_error(db: sqlite_utils.Database) -> None:
    import socket

    from bot.channels.web import WebChannel, WebStartError
    from bot.channels.web_store import WebStore

    service = build_service(db, ZoneInfo("Asia/Shanghai"), ScriptedIndex())
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        channel = WebChannel(service, WebStore(db), "127.0.0.1", port)
        with pytest.raises(WebStartError, match=f"LAWBOT_WEB 127.0.0.1:{port}"):
            await channel.start()


async def test_healthz_answers_what_lawbot_status_reports(db_path: Path) -> None:
    """GET /healthz: 503 while no bot holds the database or a channel is down, else 200."""
    from bot.channels.web import WebChannel
    from bot.ops.health import ConnectionState
    from bot.ops.lock import RunLock

    db = open_database(db_path)
    service = build_service(db, ZoneInfo("Asia/Shanghai"), ScriptedIndex())
    config = Config.from_env({"LAWBOT_WEB": "127.0.0.1:8080"})
    [channel] = build_channels(config, service, db_path)
    assert isinstance(channel, WebChannel)
    transport = httpx.ASGITransport(app=channel.chat.app())
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        stopped = await client.get("/healthz")
        assert stopped.status_code == 503
        assert [p["code"] for p in stopped.json()["problems"]] == ["bot_not_running"]
        with RunLock.acquire(db_path):
            telegram = ConnectionState(db, "telegram", lambda: datetime.now(UTC))
            telegram.up()
            healthy = await client.get("/healthz")
            assert healthy.status_code == 200 and healthy.json()["healthy"] is True
            assert healthy.json()["channels"]["telegram"]["connected"] is True
            telegram.down("httpx.ConnectError: All connection attempts failed")
            down = await client.get("/healthz")
            assert down.status_code == 503
            assert down.json()["channels"]["telegram"]["connected"] is False
            telegram.up()
            assert (await client.get("/healthz")).status_code == 200
    without = build_channels(config, service)[0]  # no database path: no health page
    transport = httpx.ASGITransport(app=without.chat.app())  # type: ignore[attr-defined]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        assert (await client.get("/healthz")).status_code == 404
    db.close()
