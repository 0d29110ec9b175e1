"""``lawbot report``: the programme's monthly report as XLSX (with charts), CSV or JSON."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from bot.report.figures import ProgrammeReport, build
from bot.report.xlsx import write_xlsx
from bot.texts import report as t

__all__ = ["ProgrammeReport", "as_json", "build", "write_csv", "write_xlsx"]


def as_json(r: ProgrammeReport) -> dict[str, Any]:
    """The report as plain data (keys as in the column tables of ``bot.texts.report``)."""
    return {"from": r.start.isoformat(), "to": r.end.isoformat(), "channels": list(r.channels),
            "summary": r.summary, "months": r.months, "categories": r.categories}


def _csv(path: Path, columns: tuple[tuple[str, str], ...], rows: list[dict[str, Any]]) -> None:
    # UTF-8 with BOM and CRLF: what Excel needs to open Chinese text correctly.
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, lineterminator="\r\n")
        writer.writerow([header for _, header in columns])
        writer.writerows(["" if row.get(k) is None else row.get(k) for k, _ in columns]
                         for row in rows)


def write_csv(r: ProgrammeReport, path: Path) -> list[Path]:
    """The summary to ``path`` and the month and category tables beside it; return all three."""
    path = path.with_suffix(".csv")
    path.parent.mkdir(parents=True, exist_ok=True)
    months = path.with_name(f"{path.stem}-{t.SHEET_MONTHS}.csv")
    categories = path.with_name(f"{path.stem}-{t.SHEET_CATEGORIES}.csv")
    channels = tuple((ch, t.CHANNEL_NAMES.get(ch, ch)) for ch in r.channels)
    _csv(path, t.SUMMARY_COLUMNS, r.summary)
    _csv(months, (t.MONTH_COLUMN, *channels, *t.MONTH_EXTRA_COLUMNS), r.months)
    _csv(categories, t.CATEGORY_COLUMNS, r.categories)
    return [path, months, categories]
