"""The one CSV writer every export uses: text a spreadsheet opens as text, never as a formula.

Names, titles and descriptions are typed by people, and a cell that begins with
``=``, ``+``, ``-``, ``@`` (or a tab or carriage return) is run as a formula by
Excel, LibreOffice and Google Sheets: ``=HYPERLINK(...)`` in an opportunity's title
would become a live link in a finance officer's spreadsheet. Such text gets a
leading apostrophe, which spreadsheets show as text and do not display. Numbers
(including negative amounts) are written as they are.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any, Protocol

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")


class Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def safe_cell(value: Any) -> Any:
    """``value`` as a cell that cannot run as a formula: text that looks like one is escaped."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(value):
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
