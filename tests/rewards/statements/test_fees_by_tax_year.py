"""Fees and vouchers paid by tax year, for the annual report: the statement's own rule, added up, in one query."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.people.factories import PersonFactory
from tests.rewards.factories import IncomeLineFactory
from withus.rewards.statements import selectors
from withus.rewards.statements.selectors import TaxYearFees

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
D = Decimal


def _paid(org, amount: str, paid_at: datetime | None, **fields):
    fields.setdefault("activity_date", date(2025, 3, 1))
    return IncomeLineFactory(organisation=org, amount=D(amount), status="paid", paid_at=paid_at, **fields)


def _read(org):
    with CaptureQueriesContext(connection) as captured:
        found = selectors.fees_paid_by_tax_year(org, 2024, 2026)
    return found, len(captured.captured_queries)


def test_fees_paid_by_tax_year_are_what_a_hand_count_gives_in_one_query_however_many(org_a, org_b):
    _paid(org_a, "30.00", datetime(2025, 4, 5, 23, 30, tzinfo=LONDON))  # the last half hour of 2024/25, in Wales
    _paid(org_a, "20.00", datetime(2025, 4, 5, 23, 30, tzinfo=ZoneInfo("UTC")))  # 00:30 on 6 April in Wales: 2025/26
    _paid(org_a, "15.00", datetime(2025, 7, 1, 12, tzinfo=LONDON), kind="voucher")
    _paid(org_a, "10.00", None, activity_date=date(2026, 5, 1))  # no payment time: the day of the activity, 2026/27
    _paid(org_a, "99.00", datetime(2025, 7, 1, 12, tzinfo=LONDON), kind="expense")  # a repayment, not a fee
    _paid(org_a, "99.00", datetime(2025, 7, 1, 12, tzinfo=LONDON), kind="donation")  # given to a charity
    IncomeLineFactory(organisation=org_a, amount=D("99.00"), status="approved")  # not paid yet
    _paid(org_b, "99.00", datetime(2025, 7, 1, 12, tzinfo=LONDON))  # another organisation's
    small, small_queries = _read(org_a)
    assert small == [
        TaxYearFees(2024, 1, D("30.00")),
        TaxYearFees(2025, 2, D("35.00")),
        TaxYearFees(2026, 1, D("10.00")),
    ]
    assert [y.label for y in small] == ["2024/25", "2025/26", "2026/27"]

    person = PersonFactory()
    for _ in range(12):
        _paid(org_a, "0.10", datetime(2025, 12, 1, 12, tzinfo=LONDON), person=person)
    large, large_queries = _read(org_a)
    assert large[1] == TaxYearFees(2025, 14, D("36.20")) and large[::2] == small[::2]
    assert small_queries == large_queries == 1
    # The same figure as the member's own statement, added up.
    statement = selectors.statement(person, date(2025, 4, 6))
    assert statement.payments_total == D("1.20")
