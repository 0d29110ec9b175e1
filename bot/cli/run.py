"""`lawbot run`: every configured network channel in one process and one asyncio loop."""

from __future__ import annotations

import asyncio
import logging
import signal
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from bot.app import build_channels, build_service, open_database
from bot.cli.base import cli, db_option, fail, load_config
from bot.runner import ChannelRunner, ChannelStartError
from bot.texts import cli as texts

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


@cli.command()
@db_option
@click.pass_context
def run(ctx: click.Context, db_path: Path) -> None:
    """启动已配置的聊天渠道（Telegram、Matrix）；都未配置时在终端里对话。"""
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    config = load_config()
    db = open_database(db_path)
    service = build_service(db, config.tz, retain_days=config.retain_days)
    channels = build_channels(config, service)
    if not channels:
        from bot.cli.chat import chat

        click.echo(texts.NO_NETWORK, err=True)
        db.close()
        ctx.invoke(chat, db_path=db_path)
        return
    try:
        asyncio.run(_serve_until_signalled(service, channels))
    except ChannelStartError as error:
        fail(texts.START_FAILED.format(error=error))
