"""Reading import files safely: size limits, encodings, tabular rows, JSON without surprises.

Every importer reads through here, so a bad file ends in a :class:`RowError` list (row 1,
field ``file`` for a whole-file problem), never a traceback: files over
:data:`MAX_FILE_BYTES`, more than :data:`MAX_ROWS` rows, cells over :data:`MAX_CELL_CHARS`,
JSON nested deeper than a caller's limit or naming a key twice, and an encoding that is
neither UTF-8/UTF-16 nor GB18030 that reads as Simplified Chinese (Big5 and Latin-1 are
refused, never imported garbled). :func:`read_table` is the generic CSV/XLSX row reader.

CSV cells are un-neutralised as they are read (:func:`from_spreadsheet`): an export writes a
cell that begins with ``= + - @``, tab or CR (after any apostrophes) with one more leading
``'`` (:func:`spreadsheet_safe`, as OWASP recommends), so a round trip keeps the text.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from knowledge import texts

# Limits for files an administrator may pick by mistake. The starter FAQ exports to ~150 KB;
# 20 MB and 20,000 rows are far above any real FAQ and far below what hurts the machine.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 20_000
MAX_CELL_CHARS = 32_767  # what Excel itself holds in one cell
FORMULA_START = re.compile(r"'*[=+\-@\t\r]")


@dataclass(frozen=True)
class RowError:
    """One problem in an import: the row (header = 1; JSONL: line), field and message."""

    row: int
    field: str
    message: str
    source: str = ""

    def __str__(self) -> str:
        return texts.row_error(self.row, self.field, self.message, self.source)


class UnknownEncoding(ValueError):
    """The bytes are neither UTF-8/UTF-16 nor GB18030 that reads as Chinese."""

    def __init__(self) -> None:
        super().__init__(texts.unknown_encoding())


def decode_csv(data: bytes) -> str:
    """Text file bytes as text: UTF-8 (BOM or not), UTF-16 with BOM, or GB18030/GBK.

    Raises:
        UnknownEncoding: e.g. Big5 or Latin-1, which GB18030 would read as garbage.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise UnknownEncoding() from error
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")  # a superset of GBK, what Chinese Excel saves
    except UnicodeDecodeError as error:
        raise UnknownEncoding() from error
    if not _reads_as_chinese(text):
        raise UnknownEncoding()
    return text


def _reads_as_chinese(text: str) -> bool:
    """Whether GB18030-decoded text looks like Simplified Chinese, not Big5/Latin-1 garbage.

    Big5 bytes decode to kana, Cyrillic, box drawing and rare GBK-only characters; real
    GBK text is almost all common (GB2312) characters and punctuation.
    """
    odd = total = 0
    for ch in text:
        if ch.isascii():
            continue
        total += 1
        if not _common_chinese(ch):
            odd += 1
    return total == 0 or odd <= max(2, total // 50)


def _common_chinese(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return unicodedata.category(ch).startswith(("Z", "P"))
    return "\u4e00" <= ch <= "\u9fff" or not unicodedata.category(ch).startswith("L")


def read_limited(path: Path) -> tuple[bytes | None, list[RowError]]:
    """The file's bytes, or None and the error when it is over :data:`MAX_FILE_BYTES`."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return None, [RowError(1, "file", texts.file_too_large(size, MAX_FILE_BYTES))]
    return path.read_bytes(), []


def from_spreadsheet(cell: str) -> str:
    """A CSV cell as written before :func:`spreadsheet_safe` (one apostrophe less)."""
    return cell[1:] if cell.startswith("'") and FORMULA_START.match(cell[1:]) else cell


def spreadsheet_safe(cell: str) -> str:
    """A CSV cell no spreadsheet runs as a formula (OWASP: a leading apostrophe)."""
    return "'" + cell if FORMULA_START.match(cell) else cell


def read_table(path: Path, sheet: str | None = None) -> tuple[list[list[Any]], list[RowError]]:
    """Every row (header first) of a CSV file or an XLSX sheet, within the size limits.

    CSV: any encoding :func:`decode_csv` reads, comma or tab separated, formulas
    un-neutralised. XLSX: ``sheet`` when the workbook has it, else the first sheet.
    Problems come back as errors (row 1, field ``file``), never as exceptions.
    """
    data, errors = read_limited(path)
    if data is None:
        return [], errors
    if path.suffix.lower() == ".xlsx":
        return _xlsx_rows(data, sheet)
    try:
        text = decode_csv(data)
    except UnknownEncoding as error:
        return [], [RowError(1, "file", str(error))]
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    rows: list[list[Any]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for cells in reader:
            if len(rows) > MAX_ROWS:
                return [], [RowError(len(rows) + 1, "file", texts.too_many_rows(MAX_ROWS))]
            rows.append([from_spreadsheet(cell) for cell in cells])
    except csv.Error:  # the csv module's own cell limit (131,072 characters)
        return [], [RowError(reader.line_num, "file", texts.cell_too_large(MAX_CELL_CHARS))]
    return rows, _cell_errors(rows)


def read_sheets(path: Path) -> tuple[dict[str, list[list[Any]]], list[RowError]]:
    """Every sheet of an XLSX workbook by title, each sheet's rows header first, within the
    size limits; problems come back as errors (row 1, field ``file``), never as exceptions."""
    data, errors = read_limited(path)
    if data is None:
        return {}, errors
    return _workbook(data)


def _workbook(data: bytes) -> tuple[dict[str, list[list[Any]]], list[RowError]]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for a file that is not a workbook
        return {}, [RowError(1, "file", texts.unreadable_file(str(e)))]
    sheets: dict[str, list[list[Any]]] = {}
    try:
        for worksheet in workbook.worksheets:
            rows: list[list[Any]] = sheets.setdefault(worksheet.title, [])
            for values in worksheet.iter_rows(values_only=True):
                if len(rows) > MAX_ROWS:
                    message = texts.too_many_rows(MAX_ROWS)
                    return {}, [RowError(len(rows) + 1, "file", message, worksheet.title)]
                rows.append(list(values))
    except Exception as e:  # a damaged sheet inside a valid zip
        return {}, [RowError(1, "file", texts.unreadable_file(str(e)))]
    finally:
        workbook.close()
    return sheets, []


def _xlsx_rows(data: bytes, sheet: str | None) -> tuple[list[list[Any]], list[RowError]]:
    sheets, errors = _workbook(data)
    if errors:
        return [], errors
    rows = sheets[sheet] if sheet in sheets else next(iter(sheets.values()), [])
    return rows, _cell_errors(rows)


def _cell_errors(rows: list[list[Any]]) -> list[RowError]:
    return [
        RowError(number, "file", texts.cell_too_large(MAX_CELL_CHARS))
        for number, cells in enumerate(rows, start=1)
        if any(isinstance(c, str) and len(c) > MAX_CELL_CHARS for c in cells)
    ]


class DuplicateKey(ValueError):
    """A JSON object names the same key twice (json.loads would keep the last silently)."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``object_pairs_hook`` for json.loads that refuses a key given twice."""
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise DuplicateKey(key)
        found[key] = value
    return found


def json_depth(line: str) -> int:
    """How deep brackets nest in a JSON line (strings skipped), without parsing it."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in line:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest
