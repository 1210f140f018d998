"""Registers as organisations keep them, written as CSV or XLSX bytes for the import tests."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

import openpyxl

HEADERS = [
    "Name",
    "Email",
    "Phone",
    "Address line 1",
    "Town",
    "Postcode",
    "Service user or carer",
    "Contact by",
    "Welsh",
]


def good_row(n: int) -> list[str]:
    return [
        f"Person {n:03d}",
        f"person{n:03d}@example.org",
        f"07700 9{n:05d}",
        f"{n} High Street",
        "Cardiff",
        "CF10 1AA",
        "carer" if n % 3 == 0 else "service user",
        "e-mail",
        "yes" if n % 4 == 0 else "no",
    ]


def as_csv(rows: Sequence[Sequence[str]], headers: Sequence[str] = HEADERS, encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def as_xlsx(rows: Sequence[Sequence[object]], headers: Sequence[str] = HEADERS) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
