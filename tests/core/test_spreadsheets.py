"""One CSV writer: text that a spreadsheet would run as a formula is written as text."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

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
