"""The report as one workbook an official can forward: four sheets and three native charts."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.report.figures import ProgrammeReport
from bot.texts import report as t

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
PERCENT = "0.0%"
DECIMAL = "0.0"
FORMATS = {"satisfaction": PERCENT, "answered_share": PERCENT, "mean_reply": DECIMAL,
           "median_reply": DECIMAL, "hours": DECIMAL}
MIN_WIDTH, MAX_WIDTH = 10, 30
TOP_CATEGORIES = 10


def _width(value: Any) -> int:
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _table(
    sheet: Worksheet, columns: tuple[tuple[str, str], ...], rows: list[dict[str, Any]],
    frozen: str = "A2",
) -> None:
    """Header and rows; bold wrapped header, frozen header, widths, numbers kept numbers."""
    sheet.append([header for _, header in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for row in rows:
        sheet.append([row.get(key) for key, _ in columns])
        if row.get("level") in ("street", "total"):
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
                cell.fill = TOTAL_FILL
    for i, (key, header) in enumerate(columns, start=1):
        letter = get_column_letter(i)
        if key in FORMATS:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=i, max_col=i):
                cell.number_format = FORMATS[key]
        widest = max([_width(r.get(key)) for r in rows] + [(_width(header) + 1) // 2])
        sheet.column_dimensions[letter].width = max(MIN_WIDTH, min(MAX_WIDTH, widest + 2))
    sheet.row_dimensions[1].height = 45
    sheet.freeze_panes = frozen
    # Printed (or saved as PDF) landscape, one page wide, the header on every page.
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"


def _charts(months: Worksheet, r: ProgrammeReport, categories: Worksheet) -> None:
    n = len(r.months)
    stacked = BarChart()
    stacked.type, stacked.grouping, stacked.overlap = "col", "stacked", 100
    stacked.title, stacked.x_axis.title, stacked.y_axis.title = (
        t.CHART_CHANNELS, t.AXIS_MONTH, t.AXIS_COUNT)
    stacked.add_data(Reference(months, min_col=2, max_col=1 + len(r.channels), min_row=1,
                               max_row=n + 1), titles_from_data=True)
    stacked.set_categories(Reference(months, min_col=1, min_row=2, max_row=n + 1))
    stacked.width, stacked.height = 18, 9
    months.add_chart(stacked, f"A{n + 4}")

    share_col = 1 + len(r.channels) + len(t.MONTH_EXTRA_COLUMNS)
    share = LineChart()
    share.title, share.x_axis.title, share.y_axis.title = t.CHART_SHARE, t.AXIS_MONTH, t.AXIS_SHARE
    share.add_data(Reference(months, min_col=share_col, min_row=1, max_row=n + 1),
                   titles_from_data=True)
    share.set_categories(Reference(months, min_col=1, min_row=2, max_row=n + 1))
    share.y_axis.number_format, share.y_axis.scaling.min, share.y_axis.scaling.max = (
        PERCENT, 0, 1)
    share.width, share.height = 18, 9
    months.add_chart(share, f"A{n + 24}")

    top = min(TOP_CATEGORIES, len(r.categories))
    bars = BarChart()
    bars.type, bars.title, bars.y_axis.title = "bar", t.CHART_CATEGORIES, t.AXIS_COUNT
    bars.x_axis.scaling.orientation = "maxMin"  # the busiest category on top
    bars.add_data(Reference(categories, min_col=2, min_row=1, max_row=top + 1),
                  titles_from_data=True)
    bars.set_categories(Reference(categories, min_col=1, min_row=2, max_row=top + 1))
    bars.width, bars.height = 18, 10
    categories.add_chart(bars, f"{get_column_letter(len(t.CATEGORY_COLUMNS) + 2)}2")


def write_xlsx(r: ProgrammeReport, path: Path, generated: datetime) -> None:
    """Write the workbook: 汇总, 按月 (two charts), 按类别 (one chart) and 说明."""
    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = t.SHEET_SUMMARY
    _table(summary, t.SUMMARY_COLUMNS, r.summary, frozen="C2")
    months = book.create_sheet(t.SHEET_MONTHS)
    channel_columns = tuple((ch, t.CHANNEL_NAMES.get(ch, ch)) for ch in r.channels)
    _table(months, (t.MONTH_COLUMN, *channel_columns, *t.MONTH_EXTRA_COLUMNS), r.months,
           frozen="B2")
    categories = book.create_sheet(t.SHEET_CATEGORIES)
    _table(categories, t.CATEGORY_COLUMNS, r.categories)
    _charts(months, r, categories)
    notes = book.create_sheet(t.SHEET_NOTES)
    period = {"start": r.start.isoformat(), "end": r.end.isoformat(),
              "generated": generated.strftime("%Y-%m-%d %H:%M")}
    for label, text in t.NOTES:
        notes.append([label, text.format(**period)])
    notes.column_dimensions["A"].width = 18
    notes.column_dimensions["B"].width = 90
    for (cell,) in notes.iter_rows(min_col=1, max_col=1):
        cell.font = Font(bold=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
