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
