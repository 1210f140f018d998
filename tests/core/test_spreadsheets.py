"""One CSV writer and one XLSX writer: text that a spreadsheet would run as a formula is written as text."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from withus.core import spreadsheets


@pytest.mark.parametrize("text", ['=HYPERLINK("http://evil")', "+44 cmd", "-2+3", "@SUM(A1)", "\tpadded", "\r=1"])
def test_formula_like_text_gets_an_apostrophe(text: str) -> None:
    assert spreadsheets.safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["-5.00", "-12", "0.50", Decimal("-3.20"), 7, "Fee for a panel", ""])
def test_numbers_and_ordinary_text_are_left_alone(value: object) -> None:
    assert spreadsheets.safe_cell(value) == value


def test_nothing_is_an_empty_cell() -> None:
    assert spreadsheets.safe_cell(None) == ""


@given(st.text())
def test_no_written_cell_begins_a_formula(text: str) -> None:
    out = io.StringIO()
    spreadsheets.writer(out).writerow([text])
    (cell,) = next(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert not cell.startswith(spreadsheets.FORMULA_STARTS) or spreadsheets.PLAIN_NUMBER.fullmatch(cell)
    assert cell.removeprefix("'") == text or cell == text


# ---- XLSX -----------------------------------------------------------------------------------

HOSTILE = ['=HYPERLINK("http://evil.example","Click")', "+44 cmd", "-2+3", "@SUM(A1)", "\tpadded", "#N/A"]


def read_back(*sheets: spreadsheets.Sheet) -> Workbook:
    file = spreadsheets.workbook(sheets)
    assert file.read(2) == b"PK"  # a zip, as every XLSX is
    file.seek(0)
    return load_workbook(file)


def test_a_workbook_has_a_bold_frozen_header_and_typed_cells() -> None:
    when = datetime(2026, 7, 1, 8, 30, tzinfo=UTC)  # 9.30 in London, in summer time
    book = read_back(
        spreadsheets.Sheet(
            "Fees paid",
            ["Name", "Amount (£)", "Activity date", "Paid at", "Sessions", "Share"],
            [["Ceri Jones", Decimal("12.50"), date(2026, 4, 6), when, 3, 0.25], ["Sam", None, None, None, 0, None]],
        )
    )
    assert book.sheetnames == ["Fees paid"]
    sheet = book["Fees paid"]
    assert sheet.freeze_panes == "A2"
    header, first, second = sheet.iter_rows()
    assert [c.value for c in header] == ["Name", "Amount (£)", "Activity date", "Paid at", "Sessions", "Share"]
    assert all(c.font.b for c in header)
    name, amount, day, paid, sessions, share = first
    assert (name.value, name.data_type) == ("Ceri Jones", "s")
    assert (amount.value, amount.data_type, amount.number_format) == (12.5, "n", "0.00")
    assert day.is_date and day.value.date() == date(2026, 4, 6) and day.number_format == "yyyy-mm-dd"
    assert paid.is_date and paid.value == datetime(2026, 7, 1, 9, 30)
    assert (sessions.value, sessions.data_type) == (3, "n")
    assert share.value == 0.25
    assert [c.value for c in second] == ["Sam", None, None, None, 0, None]


@pytest.mark.parametrize("text", HOSTILE)
def test_text_that_looks_like_a_formula_is_a_text_cell(text: str) -> None:
    sheet = read_back(spreadsheets.Sheet("People", [text], [[text]])).active
    assert sheet is not None
    for cell in (sheet["A1"], sheet["A2"]):
        assert (cell.value, cell.data_type) == (text, "s")
    # Marked as typed with an apostrophe, so that editing the cell in Excel keeps it text.
    assert sheet["A2"].quotePrefix == (text != "#N/A")


def test_no_formula_is_written_into_the_file() -> None:
    file = spreadsheets.workbook([spreadsheets.Sheet("People", ["Name"], [[text] for text in HOSTILE])])
    with zipfile.ZipFile(file) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml
    assert "HYPERLINK" in xml


@settings(max_examples=40, deadline=None)
@given(st.text())
def test_any_text_comes_back_as_the_same_text(text: str) -> None:
    sheet = read_back(spreadsheets.Sheet("Text", ["Text"], [[text]])).active
    assert sheet is not None
    kept = spreadsheets.NOT_IN_CELLS.sub("", text)
    cell = sheet["A2"]
    if not kept:
        assert cell.value is None
        return
    assert cell.data_type == "s"
    # XML reads every line ending as a line feed, as Excel shows a line break in a cell.
    assert cell.value == kept.replace("\r\n", "\n").replace("\r", "\n")


def test_rows_may_come_from_a_generator_and_are_read_once() -> None:
    rows = ([n, Decimal(n) / 4] for n in range(1000))
    sheet = read_back(spreadsheets.Sheet("Many", ["n", "quarter"], rows)).active
    assert sheet is not None
    assert sheet.max_row == 1001
    assert sheet["B1001"].value == 249.75


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Fees and expenses: 2026/27 [draft]", "Fees and expenses 2026-27 draft"),
        ("Who took part, by area, against the population served", "Who took part, by area, against"),
        ("'quoted'", "quoted"),
        ("*?", "Table"),
        ("History", "History (2)"),
    ],
)
def test_sheet_titles_are_ones_excel_accepts(text: str, title: str) -> None:
    assert spreadsheets.sheet_title(text, set()) == title
    assert len(title) <= 31


def test_sheet_titles_do_not_repeat_whatever_their_case() -> None:
    taken: set[str] = set()
    long = "Perspectives of the people who took part"
    titles = [spreadsheets.sheet_title(t, taken) for t in ("Areas", "areas", "AREAS", long, long)]
    assert titles == [
        "Areas",
        "areas (2)",
        "AREAS (3)",
        "Perspectives of the people who",
        "Perspectives of the people (2)",
    ]
    book = read_back(*(spreadsheets.Sheet(t, ["a"], []) for t in titles))
    assert book.sheetnames == titles


def test_a_download_is_streamed_as_an_xlsx_attachment() -> None:
    response = spreadsheets.xlsx_response([spreadsheets.Sheet("A", ["a"], [[1]])], "tables.xlsx")
    assert response.streaming
    assert response["Content-Type"] == spreadsheets.XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="tables.xlsx"'
    body = b"".join(response.streaming_content)  # type: ignore[arg-type]
    assert load_workbook(io.BytesIO(body))["A"]["A2"].value == 1
