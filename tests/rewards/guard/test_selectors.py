"""The guard's reads shared by the member's page and ``withus benefits check``."""

from __future__ import annotations

import html
from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from tests.conftest import make_member, member_client
from withus.rewards.guard import selectors, services

pytestmark = pytest.mark.django_db


def test_the_page_and_the_command_give_the_same_next_period(org_a):
    member = make_member(org_a)
    services.declare_benefit(
        actor=member.user, person=member, benefit="universal_credit", assessment_day=31, share_with=[org_a]
    )
    services.declare_benefit(actor=member.user, person=member, benefit="carers_allowance", share_with=[org_a])
    with time_machine.travel(date(2025, 2, 10)):
        [carer, uc] = sorted(
            selectors.this_period_and_next(member, on=date(2025, 2, 10)), key=lambda v: v.declaration.benefit
        )
        assert (uc.following.period_start, uc.following.period_end) == (date(2025, 2, 28), date(2025, 3, 30))
        assert (carer.following.period_start, carer.following.period_end) == (date(2025, 2, 17), date(2025, 2, 23))
        page = html.unescape(member_client(member).get("/me/benefits/").content.decode())
        out = StringIO()
        call_command("benefits", "check", member.email, stdout=out)
    assert "Friday 28 February 2025 to Sunday 30 March 2025" in page
    assert "Monday 17 February 2025 to Sunday 23 February 2025" in page
    text = out.getvalue()
    assert "next period 2025-02-28 to 2025-03-30" in text and "next period 2025-02-17 to 2025-02-23" in text


def _esa_week(org_a, org_b, *, shared_with):
    """A member on ESA permitted work, paid £150 by A and offered £60 by B in the week of 17 November 2025."""
    from decimal import Decimal

    from tests.people.factories import share
    from tests.rewards.factories import BenefitDeclarationFactory, IncomeLineFactory

    member = make_member(org_a)
    share(member, org_b)
    declaration = BenefitDeclarationFactory(person=member, benefit="esa_permitted_work", share_with=shared_with)
    IncomeLineFactory(
        person=member, organisation=org_a, amount=Decimal("150.00"), activity_date=date(2025, 11, 18), status="paid"
    )
    offer = IncomeLineFactory(
        person=member, organisation=org_b, amount=Decimal("60.00"), activity_date=date(2025, 11, 19), status="offered"
    )
    return member, declaration, offer


@pytest.mark.parametrize("shared", ["none", "a", "b", "both"])
def test_the_member_is_warned_counting_every_organisation_whoever_they_share_with(org_a, org_b, shared):
    from decimal import Decimal

    shared_with = {"none": [], "a": [org_a], "b": [org_b], "both": [org_a, org_b]}[shared]
    member, _declaration, offer = _esa_week(org_a, org_b, shared_with=shared_with)
    [(_d, verdict)] = selectors.guard(member, offer=offer, on=date(2025, 11, 19))
    # £150 + £60 = £210 against the 2025-26 permitted work limit of £195.50 a week.
    assert verdict.counted_with_offer == Decimal("210.00")
    assert verdict.problem == "over_limit" and verdict.over_by == Decimal("14.50")


def test_staff_count_only_what_the_organisations_shared_with_pay(org_a, org_b):
    from decimal import Decimal

    member, _declaration, offer = _esa_week(org_a, org_b, shared_with=[org_b])
    [(_d, verdict)] = selectors.guard(member, offer=offer, on=date(2025, 11, 19), viewer_organisation=org_b)
    assert verdict.counted_with_offer == Decimal("60.00") and verdict.problem == ""
    # Shared with both, B's staff are told too.
    member, _declaration, offer = _esa_week(org_a, org_b, shared_with=[org_a, org_b])
    [(_d, verdict)] = selectors.guard(member, offer=offer, on=date(2025, 11, 19), viewer_organisation=org_b)
    assert verdict.problem == "over_limit"
    # Shared with B only, A's staff see no declaration at all.
    member, _declaration, offer = _esa_week(org_a, org_b, shared_with=[org_b])
    assert selectors.guard(member, offer=offer, on=date(2025, 11, 19), viewer_organisation=org_a) == []


def test_the_members_own_pages_warn_about_an_offer_from_an_organisation_they_share_nothing_with(org_a, org_b):
    member, _declaration, offer = _esa_week(org_a, org_b, shared_with=[])
    client = member_client(member)
    benefits = html.unescape(client.get("/me/benefits/").content.decode())
    answer = html.unescape(client.get(f"/me/benefits/offers/{offer.pk}/").content.decode())
    assert "14.50" in benefits and "14.50" in answer


def test_staff_see_what_is_counted_and_what_is_left_before_they_offer(org_a, org_b):
    from tests.conftest import make_staff, staff_client
    from withus.accounts.models import Role

    member, _declaration, _offer = _esa_week(org_a, org_b, shared_with=[org_a, org_b])
    coordinator = make_staff(org_b, Role.COORDINATOR)
    page = html.unescape(staff_client(coordinator).get(f"/staff/people/{member.pk}/offer/").content.decode())
    # £150 paid by A this week and £60 already offered by B (offers count until declined): £210.
    assert "Benefits, before you offer" in page
    assert "£210.00" in page and "Left before the limit" in page and "£0.00" in page
    _offer.delete()
    page = html.unescape(staff_client(coordinator).get(f"/staff/people/{member.pk}/offer/").content.decode())
    assert "£150.00" in page and "£45.50" in page  # £195.50 less £150.00
