"""`lawbot org import FILE` and `lawbot org show`: load and look at the organisation."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click

from bot.app import open_database
from bot.cli.base import cli, db_option, fail
from bot.desk import roster
from bot.desk.org import Organisation, OrgFileError, OrgImportError, Shift, save
from bot.desk.org_checks import replace_needed, warnings
from bot.desk.org_io import read_org
from bot.texts import org as t


def _tz() -> ZoneInfo:
    """The organisation's time zone from ``LAWBOT_TZ`` (default Asia/Shanghai)."""
    name = os.environ.get("LAWBOT_TZ", "").strip() or "Asia/Shanghai"
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        fail(t.BAD_TZ.format(name=name))
        raise  # unreachable: fail() raises


@cli.group()
def org() -> None:
    """组织架构：团队、社区、人员与值班表。"""


@org.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--replace", is_flag=True,
    help="确认整体替换：即使会让某个团队没有人员、或删除全部现有社区，也照样导入",
)
@db_option
def import_command(file: Path, replace: bool, db_path: Path) -> None:
    """导入组织文件（YAML 或 XLSX），整体替换现有组织架构；有任何错误则不导入。"""
    db = open_database(db_path)
    try:
        new = read_org(file)
        problems = replace_needed(new, Organisation.load(db))
        if problems and not replace:
            fail("\n".join([t.NEEDS_REPLACE, *problems]))
        counts = save(db, new, str(file))
    except OrgFileError as exc:
        fail(str(exc))
    except OrgImportError as exc:
        click.echo(t.IMPORT_FAILED.format(count=len(exc.errors)), err=True)
        for error in exc.errors:
            click.echo(str(error), err=True)
        raise SystemExit(1) from exc
    finally:
        db.close()
    click.echo(t.IMPORTED.format(**counts))
    for message in warnings(new):
        click.echo(t.WARNING.format(message=message), err=True)


def format_when(moment: datetime) -> str:
    """A local time as ``12月1日 周一 09:00``."""
    weekday = t.WEEKDAY_CN[moment.weekday()]
    return f"{moment.month}月{moment.day}日 {weekday} {moment.strftime('%H:%M')}"


def _shift_days(shift: Shift) -> str:
    parts = []
    if len(shift.days) == 7:
        parts.append(t.EVERY_DAY)
    elif shift.days:
        parts.append("、".join(t.DAY_NAMES[d] for d in shift.days))
    parts += [d.isoformat() for d in shift.dates]
    return "、".join(parts)


def render(organisation: Organisation, now: datetime, tz: ZoneInfo) -> list[str]:
    """The organisation and who is on duty at ``now``, as lines for the terminal."""
    lines = [t.HEAD_TEAMS]
    for team in organisation.teams.values():
        desk = "，".join(f"{ch}:{chat}" for ch, chat in team.desk.items()) or t.NO_DESK
        lines.append(t.TEAM_LINE.format(
            id=team.id, name=team.name, desk=desk,
            minutes=team.reminder_minutes, urgent=team.urgent_reminder_minutes,
        ))
    lines.append(t.HEAD_COMMUNITIES)
    for street in organisation.streets():
        lines.append(t.STREET_LINE.format(street=street))
        for c in organisation.communities_in(street):
            lines.append(t.COMMUNITY_LINE.format(code=c.code, name=c.name, team=c.team))
    lines.append(t.HEAD_PEOPLE)
    for p in organisation.people.values():
        ids = [f"{ch}:{uid}" for ch, uid in p.identities.items()] or [t.TERMINAL_ONLY]
        if p.backup:
            ids.append(t.BACKUP.format(name=p.backup))
        if p.specialties:
            ids.append(t.SPECIALTIES.format(fields="、".join(p.specialties)))
        role = t.ROLE_NAMES.get(p.role, p.role)
        lines.append(t.PERSON_LINE.format(
            name=p.name, role=role, team=p.team, identities="  ".join(ids)
        ))
    if organisation.pools:
        lines.append(t.HEAD_POOLS)
    for pool in organisation.pools.values():
        lines.append(t.POOL_LINE.format(id=pool.id, name=pool.name, people="、".join(pool.people)))
    lines.append(t.HEAD_ROSTER)
    for s in organisation.shifts:
        lines.append(t.SHIFT_LINE.format(
            person=s.person, when=_shift_days(s), hours=roster.format_hours(s)
        ))
    lines.append(t.HEAD_DUTY.format(now=f"{format_when(now.astimezone(tz))} {tz.key}"))
    for team in organisation.teams.values():
        people = roster.on_duty(organisation, team.id, now, tz)
        if people:
            text = "、".join(p.name for p in people)
        else:
            upcoming = roster.next_duty(organisation, team.id, now, tz)
            text = t.NOBODY + "，" + (
                t.NEXT_DUTY.format(when=format_when(upcoming[0]), person=upcoming[1].name)
                if upcoming else t.NO_NEXT_DUTY
            )
        lines.append(t.DUTY_LINE.format(team=team.name, people=text))
    return lines


@org.command("show")
@db_option
@click.option(
    "--at", "at", default=None, metavar="TIME",
    help="按指定的本地时间显示值班情况，如 2026-12-05T10:00（默认现在）",
)
def show_command(db_path: Path, at: str | None) -> None:
    """显示团队、社区、人员、值班表，以及现在谁在值班。"""
    tz = _tz()
    if at is None:
        now = datetime.now(tz)
    else:
        try:
            parsed = datetime.fromisoformat(at)
        except ValueError:
            fail(t.BAD_AT.format(value=at))
            raise
        now = parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)
    db = open_database(db_path)
    try:
        organisation = Organisation.load(db)
    finally:
        db.close()
    if not organisation.teams:
        click.echo(t.EMPTY_ORG)
        return
    click.echo("\n".join(render(organisation, now, tz)))
