"""`lawbot status`: the health report from the command line; exit 1 when unhealthy."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from bot.cli.base import cli, db_option, load_config
from bot.ops.health import report_for
from bot.texts import ops as t


def ago(seconds: float | None) -> str:
    """A duration in the largest whole unit: 秒, 分钟, 小时 or 天."""
    s = int(seconds or 0)
    if s < 120:
        return t.AGO_SECONDS.format(n=s)
    if s < 2 * 3600:
        return t.AGO_MINUTES.format(n=s // 60)
    if s < 2 * 86400:
        return t.AGO_HOURS.format(n=s // 3600)
    return t.AGO_DAYS.format(n=s // 86400)


def lines(report: dict[str, Any]) -> list[str]:
    """The report as Chinese lines for a person."""
    out = [t.STATUS_HEALTHY if report["healthy"] else t.STATUS_UNHEALTHY]
    database = report["database"]
    if database["reachable"]:
        out.append(t.STATUS_DB_OK.format(path=database["path"]))
    else:
        out.append(t.STATUS_DB_BAD.format(path=database["path"], error=database["error"]))
    bot = report["bot"]
    pid = bot["pid"] or t.PID_UNKNOWN
    out.append(t.STATUS_BOT_RUNNING.format(pid=pid) if bot["running"] else t.STATUS_BOT_STOPPED)
    if bot["running"] and not report["channels"]:
        out.append(t.STATUS_NO_CHANNELS)
    for channel, state in report["channels"].items():
        template = t.STATUS_CHANNEL_UP if state["connected"] else t.STATUS_CHANNEL_DOWN
        out.append(
            template.format(
                channel=channel,
                since=state["since"][:19].replace("T", " ") + " UTC",
                ago=ago(state["seconds"]),
                detail=state["detail"],
            )
        )
    outbox = report["outbox"]
    if outbox["oldest_unsent_seconds"] is None:
        out.append(t.STATUS_OUTBOX.format(backlog=outbox["backlog"]))
    else:
        out.append(
            t.STATUS_OUTBOX_OLDEST.format(
                backlog=outbox["backlog"], ago=ago(outbox["oldest_unsent_seconds"])
            )
        )
    if outbox["failed"]:
        out.append(t.STATUS_OUTBOX_FAILED.format(failed=outbox["failed"]))
    last = report["backup"]
    if last["last_at"] is None:
        out.append(t.STATUS_BACKUP_NONE)
    else:
        out.append(
            t.STATUS_BACKUP.format(
                at=last["last_at"][:19].replace("T", " ") + " UTC",
                ago=ago(last["age_seconds"]),
                path=last["path"],
            )
        )
    if report["problems"]:
        out.append(t.STATUS_PROBLEMS)
        for problem in report["problems"]:
            details = {k: v for k, v in problem.items() if k != "code"}
            out.append("  - " + t.PROBLEMS[problem["code"]].format(**details))
    return out


@cli.command(help=t.HELP_STATUS)
@click.option("--json", "as_json", is_flag=True, help=t.HELP_STATUS_JSON)
@db_option
@click.pass_context
def status(ctx: click.Context, as_json: bool, db_path: Path) -> None:
    """Print the health report; exit status 1 when something is wrong."""
    config = load_config()
    report = report_for(db_path, backup_expected=config.backup_dir is not None)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        click.echo("\n".join(lines(report)))
    ctx.exit(0 if report["healthy"] else 1)
