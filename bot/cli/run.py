"""`lawbot run`: every configured network channel in one process and one asyncio loop."""

from __future__ import annotations

import asyncio
import logging
import signal
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click
import sqlite_utils

from bot.app import build_channels, open_database
from bot.cli.base import cli, db_option, fail, load_config
from bot.config import Config
from bot.runner import ChannelRunner, ChannelStartError
from bot.texts import cli as texts
from bot.texts import web as web_texts

if TYPE_CHECKING:
    from bot.service import Service


LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def _now() -> datetime:
    return datetime.now(UTC)


async def _serve_until_signalled(service: Service, channels: list[ChannelRunner]) -> None:
    """Run the channels until SIGTERM or SIGINT, then stop them cleanly."""
    from bot.runner import serve

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    click.echo(texts.RUNNING.format(channels="、".join(c.channel for c in channels)), err=True)
    await serve(service, channels, stop, _now)
    click.echo(texts.STOPPED, err=True)


def _print_web_urls(config: Config, db: sqlite_utils.Database) -> None:
    """Where to open the web chat: the community list and each community's page."""
    from bot.desk.org import Organisation

    host = config.web_host or ""
    if host in ("0.0.0.0", "::"):  # listening everywhere: this machine is reachable locally
        host = "127.0.0.1"
    base = f"http://{f'[{host}]' if ':' in host else host}:{config.web_port}"
    click.echo(web_texts.RUNNING_WEB + f" {base}/", err=True)
    for community in Organisation.load(db).communities.values():
        url = f"{base}/c/{community.code}"
        click.echo(web_texts.RUNNING_WEB_COMMUNITY.format(name=community.name, url=url), err=True)


@cli.command()
@db_option
@click.pass_context
def run(ctx: click.Context, db_path: Path) -> None:
    """启动已配置的聊天渠道（Telegram、Matrix、网页聊天）；都未配置时在终端里对话。"""
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    config = load_config()
    from bot.service import Service

    db = open_database(db_path)
    service = Service(db, config.tz)
    channels = build_channels(config, service)
    if not channels:
        from bot.cli.chat import chat

        click.echo(texts.NO_NETWORK, err=True)
        db.close()
        ctx.invoke(chat, db_path=db_path)
        return
    if config.web_enabled:
        _print_web_urls(config, db)
    try:
        asyncio.run(_serve_until_signalled(service, channels))
    except ChannelStartError as error:
        fail(texts.START_FAILED.format(error=error))
