"""The one CSV writer and the one XLSX writer every export uses: text a spreadsheet opens as text, never as a formula.

Names, titles and descriptions are typed by people, and a cell that begins with
``=``, ``+``, ``-``, ``@`` (or a tab or carriage return) is run as a formula by
Excel, LibreOffice and Google Sheets: ``=HYPERLINK(...)`` in an opportunity's title
would become a live link in a finance officer's spreadsheet. Such text gets a
leading apostrophe, which spreadsheets show as text and do not display. Numbers
(including negative amounts) are written as they are.

The XLSX writer (``workbook``) types its cells instead: numbers as numbers (``Decimal``
money with two places), dates and times as dates, and every piece of text as a text
cell, which no spreadsheet runs; text that looks like a formula is also marked
"quote prefixed", so that editing the cell in Excel keeps it text.
"""

from __future__ import annotations

import csv
import math
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any, Literal, Protocol

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")


class Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(text)


def safe_cell(value: Any) -> Any:
    """``value`` as a cell that cannot run as a formula: text that looks like one is escaped."""
    if value is None:
        return ""
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return value


class SafeWriter:
    """``csv.writer`` with every cell passed through ``safe_cell``; rows end in CRLF, as RFC 4180 says."""

    def __init__(self, handle: Writable) -> None:
        self._writer = csv.writer(handle, lineterminator="\r\n")

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(handle: Writable) -> SafeWriter:
    return SafeWriter(handle)


def csv_pieces(columns: Sequence[Any], rows: Iterable[Sequence[Any]], *, piece: int = 64 * 1024) -> Iterator[str]:
    """``columns`` then ``rows`` as CSV (through ``SafeWriter``), handed on about ``piece`` characters at a time.

    The same rows ``workbook`` takes, so one export builds its rows once, typed, for both formats:
    a ``Decimal`` is written as it is (``12.50``), a ``date`` as ``YYYY-MM-DD``.
    """
    pieces = Pieces()
    out = writer(pieces)
    out.writerow(columns)
    for row in rows:
        out.writerow(row)
        if pieces.size >= piece:
            yield pieces.take()
    yield pieces.take()


class Pieces:
    """Where a streamed export's writer puts rows until a piece of the file is big enough to hand on.

    ``writer(pieces)`` writes into it; the export yields ``pieces.take()`` whenever ``pieces.size``
    reaches the size it hands on, and once more at the end.
    """

    def __init__(self) -> None:
        self._parts: list[str] = []
        self.size = 0

    def write(self, text: str, /) -> None:
        self._parts.append(text)
        self.size += len(text)

    def take(self) -> str:
        text = "".join(self._parts)
        self._parts, self.size = [], 0
        return text


# ---- XLSX ---------------------------------------------------------------------------------

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
# The two formats every table a finance officer or a board takes away comes in (``?format=`` on the API).
FileFormat = Literal["csv", "xlsx"]
FILE_FORMATS: dict[str, FileFormat] = {"csv": "csv", "xlsx": "xlsx"}
CONTENT_TYPES: dict[str, str] = {"csv": CSV_CONTENT_TYPE, "xlsx": XLSX_CONTENT_TYPE}


def openapi_file_content() -> dict[str, dict[str, Any]]:
    """For an endpoint's ``openapi_extra``: its 200 answer is a CSV or an XLSX file (a new dict each time)."""
    return {"text/csv": {}, XLSX_CONTENT_TYPE: {}}


MONEY_FORMAT = "0.00"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
# A workbook this size or smaller is built in memory; a bigger one goes to a temporary file.
XLSX_IN_MEMORY_UP_TO = 8 * 1024 * 1024
# Excel's limits: sheet names, and the characters a cell holds (it will not open a file with more).
SHEET_TITLE_LENGTH = 31
CELL_LENGTH = 32767
NOT_IN_SHEET_TITLES = re.compile(r"[\[\]:*?/\\\x00-\x1f\ufffe\uffff]")
# Characters XML 1.0 cannot carry (tab, line feed and carriage return it can): dropped from text.
NOT_IN_CELLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Sheet:
    """One table of a workbook: its sheet's title, the header row, and the rows (any iterable, read once)."""

    title: str
    columns: Sequence[Any]
    rows: Iterable[Sequence[Any]]


def sheet_title(text: str, taken: set[str]) -> str:
    """``text`` as a sheet title Excel accepts: at most 31 characters, none of ``[]:*?/\\``, unique in ``taken``.

    ``taken`` holds the titles already used, case-folded (Excel compares them without case); the
    title returned is added to it. A title that is already taken gets " (2)", " (3)"... at its end.
    """
    # "2026/27" reads better as "2026-27" than with a gap.
    text = NOT_IN_SHEET_TITLES.sub(" ", text.replace("/", "-").replace("\\", "-"))
    # Excel refuses an apostrophe at either end, too.
    title = " ".join(text.split())[:SHEET_TITLE_LENGTH].strip(" '") or str(_("Table"))
    candidate, n = title, 1
    # "History" is kept by Excel for its own use.
    while candidate.casefold() in taken or candidate.casefold() == "history":
        n += 1
        suffix = f" ({n})"
        candidate = title[: SHEET_TITLE_LENGTH - len(suffix)].rstrip() + suffix
    taken.add(candidate.casefold())
    return candidate


def _typed(sheet: WriteOnlyWorksheet, value: Any) -> Cell | None:
    """One cell, typed: a number, money with two places, a date or time, or text that never runs."""
    if value is None:
        return None
    cell = WriteOnlyCell(sheet)
    if isinstance(value, bool | int) or (isinstance(value, float) and math.isfinite(value)):
        cell.value = value
    elif isinstance(value, Decimal) and value.is_finite():
        cell.value = value
        cell.number_format = MONEY_FORMAT
    elif isinstance(value, datetime):
        # Excel has no time zones: a time is written as the clock in London showed it.
        cell.value = timezone.make_naive(value) if timezone.is_aware(value) else value
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    else:
        text = NOT_IN_CELLS.sub("", str(value))[:CELL_LENGTH]
        cell.value = text
        # Always text: openpyxl takes a str beginning "=" as a formula, and "#N/A" as an error.
        cell.data_type = "s"
        if looks_like_formula(text):
            cell.quotePrefix = True
    return cell


def workbook(sheets: Iterable[Sheet]) -> IO[bytes]:
    """An XLSX workbook of ``sheets``, as a temporary file at its start, for a ``FileResponse`` or a file.

    openpyxl's write-only mode keeps one row at a time in memory, so a sheet of any length
    costs the same. Each sheet has a bold header row, frozen so that it stays in view, and
    typed cells (see ``_typed``); titles are made acceptable to Excel with ``sheet_title``.
    """
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    taken: set[str] = set()
    for table in sheets:
        sheet = book.create_sheet(sheet_title(table.title, taken))
        for number, column in enumerate(table.columns, start=1):
            sheet.column_dimensions[get_column_letter(number)].width = min(60, max(12, len(str(column)) + 2))
        sheet.freeze_panes = "A2"
        header = []
        for column in table.columns:
            cell = _typed(sheet, column) or WriteOnlyCell(sheet)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in table.rows:
            sheet.append([_typed(sheet, value) for value in row])
    if not book.worksheets:
        book.create_sheet(str(_("Table")))
    spool = tempfile.SpooledTemporaryFile(max_size=XLSX_IN_MEMORY_UP_TO, mode="w+b")  # noqa: SIM115 -- handed on
    book.save(spool)
    spool.seek(0)
    return spool


def xlsx_response(sheets: Iterable[Sheet], filename: str) -> FileResponse:
    """The workbook as a download, streamed from its temporary file a block at a time."""
    return FileResponse(workbook(sheets), as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
