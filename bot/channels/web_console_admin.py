"""Administration in the console (leads and the administrator): the organisation, who is on
duty now, the audit log, and the statistics of bot/stats.py with server-side SVG charts."""

from __future__ import annotations

import statistics
import tempfile
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup, escape
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.accounts import ADMIN
from bot.channels.web_console import ConsoleRefused, Form, Staff
from bot.desk.org import Organisation, OrgFileError, OrgImportError, save
from bot.desk.org_checks import replace_needed, warnings
from bot.desk.org_io import MAX_FILE_BYTES, read_org
from bot.desk.roster import format_hours, on_duty
from bot.stats import Counts, cube, report
from bot.texts import console as t
from bot.texts import org as org_texts

if TYPE_CHECKING:
    from bot.channels.web_console import Console

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# answered by the bot, suggested, escalated: the colours of every chart's three parts
COLOURS = ("#0b5d3b", "#d9a400", "#b3261e")


def admin_routes(console: Console) -> list[Route]:
    """The organisation and statistics pages, for leads and the administrator."""
    pages = AdminPages(console)
    return [
        Route("/console/org", console.guard(ADMIN, pages.org_page)),
        Route("/console/stats", console.guard(ADMIN, pages.stats_page)),
        Route(
            "/console/org/import", console.guard(ADMIN, pages.org_import, pages.read_upload),
            methods=["POST"],
        ),
    ]


class AdminPages:
    """The organisation page and the statistics page."""

    def __init__(self, console: Console) -> None:
        self.console = console

    async def org_page(self, request: Request, staff: Staff, form: Form) -> Response:
        """Teams, communities, people, the roster as a week grid, on duty now, the audit log."""
        org = staff.org
        now = self.console.clock()
        tz = self.console.service.tz
        duty = {team: [p.name for p in on_duty(org, team, now, tz)] for team in org.teams}
        grid = [
            {"person": s.person, "hours": format_hours(s),
             "days": [d in s.days for d in DAYS],
             "dates": "、".join(d.isoformat() for d in s.dates)}
            for s in org.shifts
        ]
        return self.console.render(
            request, staff, "console_org.html", org=org, duty=duty, grid=grid,
            days=[t.WEEKDAYS[d] for d in DAYS], audit=self.console.accounts.audit_log(50),
        )

    async def read_upload(self, request: Request) -> Form:
        """The upload form: ``csrf``, ``replace`` and the file, kept as text fields.

        The file's bytes go to a temporary file read by the importer (``lawbot org import``'s
        reader: YAML or XLSX, its size limit, its row errors).
        """
        async with request.form(max_files=1, max_fields=4, max_part_size=MAX_FILE_BYTES) as data:
            upload = data.get("file")
            form = {k: v for k, v in data.items() if isinstance(v, str)}
            # a forged form is refused by the guard: its file is never stored
            if isinstance(upload, UploadFile) and upload.filename and self.console.csrf_ok(
                request, form
            ):
                suffix = Path(upload.filename).suffix.lower()
                with tempfile.NamedTemporaryFile(suffix=suffix, delete=False) as out:
                    out.write(await upload.read(MAX_FILE_BYTES + 1))
                form["path"], form["filename"] = out.name, Path(upload.filename).name
        return form

    async def org_import(self, request: Request, staff: Staff, form: Form) -> Response:
        """Replace the organisation with the uploaded file; every row error shown, or saved."""
        path = form.get("path")
        if not path:
            return self.console.done(staff, t.ORG_NO_FILE, "/console/org")
        db = self.console.service.db
        try:
            new = read_org(Path(path))
            problems = replace_needed(new, Organisation.load(db))
            if problems and form.get("replace") != "yes":
                text = "\n".join([t.ORG_NEEDS_REPLACE, *problems])
            else:
                counts = save(db, new, f"console:{form.get('filename', '')}")
                notes = [org_texts.WARNING.format(message=m) for m in warnings(new)]
                text = "\n".join([org_texts.IMPORTED.format(**counts), *notes])
                self.console.accounts.audit(
                    staff.name, "org-import", self.console.clock(), form.get("filename", "")
                )
        except OrgFileError as error:
            text = str(error)
        except OrgImportError as error:
            lines = [org_texts.IMPORT_FAILED.format(count=len(error.errors))]
            text = "\n".join([*lines, *(str(e) for e in error.errors)])
        finally:
            Path(path).unlink(missing_ok=True)
        return self.console.done(staff, text, "/console/org")

    async def stats_page(self, request: Request, staff: Staff, form: Form) -> Response:
        """The figures of `lawbot stats` for a period, and charts of them."""
        start, end = _date(request, "from"), _date(request, "to")
        codes = tuple(staff.org.communities)
        figures = report(self.console.service.db, self.console.service.tz, start, end,
                         None, codes)
        service = self.console.service
        waits = cube(service.db, service.tz, start, end).total().waits
        months: list[tuple[str, Counts]] = []
        if start is not None and end is not None and start <= end:
            monthly = cube(service.db, service.tz, start, end, monthly=True).by_month()
            months = [(month, f.counts()) for month, f in sorted(monthly.items())]
        names = {c.code: c.name for c in staff.org.communities.values()}
        by_community = [(names.get(code, code), c) for code, c in figures.by_community.items()]
        return self.console.render(
            request, staff, "console_stats.html", figures=figures,
            start=start.isoformat() if start else "", end=end.isoformat() if end else "",
            by_community=by_community, p90=_p90(waits),
            community_chart=bars(by_community), month_chart=bars(months) if months else None,
            category_chart=bars(list(figures.by_category.items())),
        )


def _p90(waits: list[float]) -> float | None:
    """The 90th percentile of minutes to the first human reply (None without any)."""
    if len(waits) < 2:
        return waits[0] if waits else None
    return statistics.quantiles(waits, n=10, method="inclusive")[-1]


def _date(request: Request, key: str) -> date | None:
    value = request.query_params.get(key, "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ConsoleRefused(400, t.BAD_DATE.format(field=key, value=value)) from None


def bars(rows: list[tuple[str, Counts]], width: int = 640, row: int = 28) -> Markup:
    """A horizontal stacked bar chart (answered / suggested / escalated) as inline SVG."""
    if not rows:
        return Markup(f'<p class="muted">{escape(t.NO_DATA)}</p>')
    label_w, count_w = 130, 50
    scale = max(max(c.consultations for _, c in rows), 1)
    span = width - label_w - count_w
    height = row * len(rows) + 30
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(t.CHART_LABEL)}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, (label, counts) in enumerate(rows):
        y = i * row + 4
        parts.append(f'<text x="0" y="{y + 16}" font-size="13">{escape(label[:10])}</text>')
        x = float(label_w)
        for value, colour in zip(
            (counts.answered, counts.suggested, counts.escalated), COLOURS, strict=True
        ):
            w = span * value / scale
            if w > 0:
                parts.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row - 8}" '
                    f'fill="{colour}"/>'
                )
            x += w
        parts.append(
            f'<text x="{x + 4:.1f}" y="{y + 16}" font-size="13">{counts.consultations}</text>'
        )
    legend_y = row * len(rows) + 22
    for i, (name, colour) in enumerate(zip(t.CHART_PARTS, COLOURS, strict=True)):
        x = label_w + i * 130
        parts.append(f'<rect x="{x}" y="{legend_y - 11}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{x + 16}" y="{legend_y}" font-size="13">{escape(name)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
