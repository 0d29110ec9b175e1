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

from bot.app import build_channels, build_service
from bot.cli.base import check_phrases, cli, db_option, fail, load_config
from bot.config import Config
from bot.ops import logs
from bot.ops.backup import OpsError, last_backup
from bot.ops.health import forget_channels
from bot.ops.lock import AlreadyRunning, RunLock
from bot.ops.nightly import nightly_backups
from bot.ops.upgrade import open_upgraded
from bot.runner import ChannelRunner, ChannelStartError
from bot.texts import cli as texts
from bot.texts import ops as ops_texts

if TYPE_CHECKING:
    from bot.service import Service

log = logging.getLogger(__name__)


def _now() -> datetime:
    return datetime.now(UTC)


async def _serve_until_signalled(
    service: Service, channels: list[ChannelRunner], config: Config, db_path: Path
) -> None:
    """Run the channels (and the nightly backups) until SIGTERM or SIGINT, then stop cleanly."""
    from bot.runner import serve

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    click.echo(texts.RUNNING.format(channels="、".join(c.channel for c in channels)), err=True)
    backups = None
    if config.backup_dir is not None:
        last = last_backup(service.db)
        backups = asyncio.create_task(
            nightly_backups(
                db_path, config.backup_dir, config.backup_keep, config.tz, _now,
                last[0] if last else None, stop,
            ),
            name="backups",
        )
    try:
        await serve(service, channels, stop, _now)
    finally:
        stop.set()
        if backups is not None:
            await backups
    click.echo(texts.STOPPED, err=True)


def _print_web_urls(config: Config, db: sqlite_utils.Database) -> None:
    """Where to open the web chat: the community list and each community's page."""
    from bot.desk.org import Organisation

    host = config.web_host or ""
    if host in ("0.0.0.0", "::"):  # listening everywhere: this machine is reachable locally
        host = "127.0.0.1"
    base = f"http://{f'[{host}]' if ':' in host else host}:{config.web_port}"
    click.echo(texts.RUNNING_WEB + f" {base}/", err=True)
    for community in Organisation.load(db).communities.values():
        url = f"{base}/c/{community.code}"
        click.echo(texts.RUNNING_WEB_COMMUNITY.format(name=community.name, url=url), err=True)
    _print_console(base, db)


def _print_console(base: str, db: sqlite_utils.Database) -> None:
    """Where staff log in, and the demo logins while they still have the demo password."""
    from bot.accounts import DEMO_PASSWORD, Accounts
    from bot.texts import console as console_texts

    click.echo(console_texts.RUNNING_CONSOLE.format(url=f"{base}/console/login"), err=True)
    demo = Accounts(db).with_password(DEMO_PASSWORD)
    if demo:
        click.echo(
            console_texts.DEMO_PASSWORDS.format(names="、".join(demo), password=DEMO_PASSWORD),
            err=True,
        )


@cli.command()
@db_option
@click.pass_context
def run(ctx: click.Context, db_path: Path) -> None:
    """启动已配置的聊天渠道（Telegram、Matrix、网页聊天）；都未配置时在终端里对话。"""
    config = load_config()
    check_phrases()
    try:
        lock = RunLock.acquire(db_path)
    except AlreadyRunning as error:
        fail(ops_texts.ALREADY_RUNNING.format(pid=error.pid or ops_texts.PID_UNKNOWN))
    secrets = (config.telegram_token, config.matrix_password, config.matrix_access_token)
    logs.configure(config.log_format, secrets=[s for s in secrets if s])
    with lock:
        try:
            db, upgrade = open_upgraded(db_path, _now())
        except OpsError as error:
            fail(str(error))
        if upgrade is not None:
            log.info("database migrated after a backup to %s", upgrade.path)
        forget_channels(db)  # each channel records its own connection from now on
        service = build_service(db, config.tz, retain_days=config.retain_days)
        channels = build_channels(config, service, db_path)
        if not channels:
            from bot.cli.chat import chat

            click.echo(texts.NO_NETWORK, err=True)
            db.close()
            ctx.invoke(chat, db_path=db_path)
            return
        if config.web_enabled:
            _print_web_urls(config, db)
        try:
            asyncio.run(_serve_until_signalled(service, channels, config, db_path))
        except ChannelStartError as error:
            fail(texts.START_FAILED.format(error=error))
