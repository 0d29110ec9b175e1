"""`lawbot qr`: per community, a QR code (PNG) that opens its web chat and a printable A4 poster."""

from __future__ import annotations

from pathlib import Path

import click
import jinja2
import segno

from bot.app import open_database
from bot.cli.base import cli, db_option, fail
from bot.desk.org import Organisation
from bot.desk.roster import WEEKDAYS, format_hours
from bot.texts import cli as cli_texts
from bot.texts import resident as rt
from bot.texts import web as texts

TEMPLATES = Path(__file__).resolve().parent.parent / "channels" / "web_assets" / "templates"
WHOLE_DAY = "00:00-24:00"


def team_hours(org: Organisation, team: str) -> list[str]:
    """The team's weekly staffed hours, e.g. ``["周一至周五 09:00-18:00", "周六 09:00-12:00"]``.

    Consecutive weekdays with the same hours share a line; one-off dates are left out (a
    poster hangs for months).
    """
    people = {p.name for p in org.people.values() if p.team == team}
    per_day: list[tuple[str, ...]] = []
    for day in WEEKDAYS:
        hours = sorted({format_hours(s) for s in org.shifts if s.person in people
                        and day in s.days})
        per_day.append(tuple(hours))
    lines: list[str] = []
    start = 0
    for i in range(1, len(WEEKDAYS) + 1):
        if i < len(WEEKDAYS) and per_day[i] == per_day[start]:
            continue
        if per_day[start]:
            first, last = rt.WEEKDAYS[start], rt.WEEKDAYS[i - 1]
            days = first if i - 1 == start else texts.POSTER_DAYS.format(first=first, last=last)
            shown = [texts.POSTER_ALL_DAY if h == WHOLE_DAY else h for h in per_day[start]]
            lines.append(texts.POSTER_HOURS_LINE.format(days=days, hours="、".join(shown)))
        start = i
    return lines


@cli.command()
@click.option("--base-url", required=True, help="网页聊天对外的地址，如 https://fl.example.gov.cn")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="输出文件夹")
@db_option
def qr(db_path: Path, base_url: str, out: Path) -> None:
    """为每个社区生成网页聊天二维码（PNG）和可打印的 A4 海报（HTML）。"""
    if not base_url.startswith(("http://", "https://")):
        fail(cli_texts.QR_BAD_URL)
    db = open_database(db_path)
    try:
        org = Organisation.load(db)
    finally:
        db.close()
    if not org.communities:
        fail(cli_texts.QR_NO_COMMUNITIES)
    out.mkdir(parents=True, exist_ok=True)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
    poster = env.get_template("poster.html")
    made = []
    for community in org.communities.values():
        url = f"{base_url.rstrip('/')}/c/{community.code}"
        code = segno.make_qr(url, error="m")
        code.save(str(out / f"{community.code}.png"), scale=12, border=4)
        team = org.teams.get(community.team)
        html = poster.render(
            t=texts, community=community, url=url, team=team.name if team else "",
            hours=team_hours(org, community.team), qr_svg=code.svg_data_uri(scale=10, border=2),
        )
        (out / f"{community.code}.html").write_text(html, encoding="utf-8")
        made.append(community)
    index = env.get_template("poster_index.html").render(t=texts, communities=made)
    (out / "index.html").write_text(index, encoding="utf-8")
    click.echo(cli_texts.QR_WRITTEN.format(count=len(made), out=out))
