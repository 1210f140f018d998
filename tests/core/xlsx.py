"""Reading a downloaded XLSX back, as a finance officer's spreadsheet would open it, for the export tests."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

HOSTILE = '=HYPERLINK("http://x")'


def sheet_of(content: bytes | Any) -> Worksheet:
    """The workbook's first sheet; ``content`` is the file's bytes or a file at its start."""
    data = content if isinstance(content, bytes) else content.read()
    assert data[:2] == b"PK", "not an XLSX file"
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.b for cell in sheet[1] if cell.value is not None)
    return sheet


def records(sheet: Worksheet) -> list[dict[str, Any]]:
    """Each row under the header as ``{column: cell}``, cells kept so their types can be checked."""
    header, *rows = sheet.iter_rows()
    names = [cell.value for cell in header]
    return [dict(zip(names, row, strict=False)) for row in rows]


def assert_money(cell: Any, amount: str) -> None:
    assert cell.data_type == "n" and cell.number_format == "0.00", (cell.value, cell.data_type, cell.number_format)
    assert f"{cell.value:.2f}" == amount


def assert_text(cell: Any, text: str) -> None:
    """A text cell holding ``text`` exactly: never a formula, and no apostrophe added."""
    assert (cell.value, cell.data_type) == (text, "s")
