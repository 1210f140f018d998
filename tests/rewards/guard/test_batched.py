"""The guard read for many people at once: the same answers as one at a time, in the same few queries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import partial

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import make_member
from tests.people.factories import share
from tests.rewards.factories import BenefitDeclarationFactory, BudgetFactory, IncomeLineFactory
from withus.accounts.models import Organisation
from withus.people.models import Person
from withus.rewards.finance import selectors as finance_selectors
from withus.rewards.guard import selectors
from withus.rewards.models import IncomeLine

pytestmark = pytest.mark.django_db

WEEK = date(2025, 11, 17)  # a Monday
DAYS = [WEEK, date(2025, 12, 3), date(2026, 1, 14)]


def _claimants(org_a: Organisation, org_b: Organisation, count: int) -> list[tuple[Person, IncomeLine]]:
    """People on ESA permitted work or Universal Credit, paid by both organisations, each with a fee waiting.

    Their fees fall in different weeks and months, so one read must cover all their periods.
    """
    made = []
    for i in range(count):
        member = make_member(org_a)
        share(member, org_b)
        if i % 2:
            BenefitDeclarationFactory(person=member, benefit="esa_permitted_work", share_with=[org_a, org_b])
        else:
            BenefitDeclarationFactory(person=member, benefit="universal_credit", assessment_day=10, share_with=[org_a])
        day = DAYS[i % len(DAYS)]
        for organisation, amount in ((org_a, "150.00"), (org_b, "40.00")):
            IncomeLineFactory(person=member, organisation=organisation, amount=Decimal(amount), activity_date=day)
        # Paid long before, and an expense the same day: neither counts this period.
        IncomeLineFactory(person=member, organisation=org_a, amount=Decimal("900.00"), activity_date=date(2025, 5, 1))
        IncomeLineFactory(person=member, organisation=org_a, kind="expense", amount=Decimal("80.00"), activity_date=day)
        budget = BudgetFactory(organisation=org_a)
        waiting = IncomeLineFactory(
            person=member,
            organisation=org_a,
            amount=Decimal("60.00"),
            activity_date=day,
            status=IncomeLine.Status.SUBMITTED,
            budget=budget,
        )
        made.append((member, waiting))
    return made


def _queries(read: object) -> int:
    assert callable(read)
    with CaptureQueriesContext(connection) as captured:
        read()
    return len(captured.captured_queries)


def test_the_guard_for_many_people_is_read_in_the_same_four_queries_however_many(org_a, org_b):
    few = [person.pk for person, _line in _claimants(org_a, org_b, 2)]
    many = few + [person.pk for person, _line in _claimants(org_a, org_b, 18)]
    for viewer in (None, org_a):
        assert _queries(partial(selectors.guard_people, few, on=WEEK, viewer_organisation=viewer)) == 4
        assert _queries(partial(selectors.guard_people, many, on=WEEK, viewer_organisation=viewer)) == 4


def test_the_guard_before_approval_costs_the_same_for_two_claims_or_twenty(org_a, org_b):
    few = [line for _person, line in _claimants(org_a, org_b, 2)]
    many = few + [line for _person, line in _claimants(org_a, org_b, 18)]
    assert _queries(lambda: finance_selectors.guard_before_approval(few, org_a)) == 4
    assert _queries(lambda: finance_selectors.guard_before_approval(many, org_a)) == 4


def test_many_at_once_says_what_one_at_a_time_says(org_a, org_b):
    claimants = _claimants(org_a, org_b, 6)
    people = [person.pk for person, _line in claimants]
    lines = [line for _person, line in claimants]
    for viewer in (None, org_a, org_b):
        for day in DAYS:
            batched = selectors.guard_people(people, on=day, viewer_organisation=viewer)
            for person, _line in claimants:
                one = selectors.guard(person, on=day, viewer_organisation=viewer)
                assert [(d.pk, v) for d, v in batched[person.pk]] == [(d.pk, v) for d, v in one]
        offers = selectors.guard_offers(lines, viewer_organisation=viewer)
        for person, line in claimants:
            one = selectors.guard(person, offer=line, viewer_organisation=viewer)
            assert [(d.pk, v) for d, v in offers[line.pk]] == [(d.pk, v) for d, v in one]


def test_each_claim_counts_its_own_period_when_the_claims_are_months_apart(org_a, org_b):
    [_first, (_esa_person, esa_line), (_uc_person, uc_line)] = _claimants(org_a, org_b, 3)
    views = selectors.guard_offers([esa_line, uc_line], viewer_organisation=org_a)
    [(_d, esa)] = views[esa_line.pk]
    [(_d, uc)] = views[uc_line.pk]
    # ESA, the week of 1 to 7 December 2025: £150 from A and £40 from B (shared with both), and the £60 claimed.
    assert (esa.period_start, esa.period_end) == (date(2025, 12, 1), date(2025, 12, 7))
    assert esa.counted_before == Decimal("190.00") and esa.counted_with_offer == Decimal("250.00")
    # Universal Credit, 10 January to 9 February 2026, shared with A only: A's £150 and the £60 claimed.
    assert (uc.period_start, uc.period_end) == (date(2026, 1, 10), date(2026, 2, 9))
    assert uc.counted_before == Decimal("150.00") and uc.counted_with_offer == Decimal("210.00")
