"""A member's statement as XLSX beside the CSV: the same rows, typed (issue 16)."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal as D

import pytest
from django.test import Client

from tests.conftest import member_client
from tests.core.xlsx import HOSTILE, assert_money, assert_text, records, sheet_of
from tests.rewards.statements.test_statements import LONDON, paid, streamed
from withus.accounts.models import Organisation
from withus.core import spreadsheets
from withus.people.models import Person
from withus.rewards.statements import documents

pytestmark = pytest.mark.django_db

XLSX = "/me/payments/statement/2025.xlsx"


def test_the_statement_workbook_has_the_csvs_rows_typed(org_a: Organisation, member_a: Person) -> None:
    at = datetime(2025, 7, 1, 12, 0, tzinfo=LONDON)
    paid(member_a, org_a, "60.00", at, description=HOSTILE, hours=D("4"), method="bank_transfer")
    paid(member_a, org_a, "12.40", at, description="Train", kind="expense", expense_category="public_transport")
    client = member_client(member_a)
    page = client.get("/me/payments/").content.decode()
    assert 'href="/me/payments/statement/2025.xlsx"' in page
    response = client.get(XLSX)
    assert response.status_code == 200 and response["Content-Type"] == spreadsheets.XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="statement-2025-26.xlsx"'
    sheet = sheet_of(response.getvalue())
    assert [c.value for c in sheet[1]] == documents.CSV_COLUMNS
    found = records(sheet)
    fee, expense = found[:2]
    assert_text(fee["description"], HOSTILE)
    assert fee["paid_on"].is_date and fee["paid_on"].value.date() == date(2025, 7, 1)
    assert fee["activity_date"].is_date and fee["activity_date"].value.date() == date(2025, 6, 1)
    assert_money(fee["amount"], "60.00")
    assert_money(fee["hours"], "4.00")
    assert expense["hours"].value is None
    assert_money(expense["amount"], "12.40")
    totals = {(r["section"].value, r["kind"].value): r for r in found[2:]}
    assert_money(totals["total", "payments"]["amount"], "60.00")
    assert_money(totals["total", "expenses"]["amount"], "12.40")
    assert totals["total", "payments"]["paid_on"].value is None
    # The CSV, written from the same rows, reads as it did: blanks blank, amounts with two places.
    rows = list(csv.DictReader(io.StringIO(streamed(client.get("/me/payments/statement/2025.csv")))))
    assert [r["amount"] for r in rows] == ["60.00", "12.40", "60.00", "12.40", "60.00", "12.40"]
    assert (rows[0]["hours"], rows[1]["hours"], rows[-1]["paid_on"]) == ("4.00", "", "")
    assert len(rows) == len(found)


def test_only_the_members_own_statement_workbook(org_a: Organisation, member_a: Person, member_b: Person) -> None:
    paid(member_a, org_a, "60.00", datetime(2025, 7, 1, 12, 0, tzinfo=LONDON), description="Alaw's panel")
    theirs = records(sheet_of(member_client(member_b).get(XLSX).getvalue()))
    assert all(r["description"].value != "Alaw's panel" for r in theirs)
    assert Client().get(XLSX).status_code == 302
    assert member_client(member_a).get("/me/payments/statement/1999.xlsx").status_code == 404
