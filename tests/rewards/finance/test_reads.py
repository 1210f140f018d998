"""Seeing a person's benefits (through the guard's warnings) or bank details is recorded for them to see."""

from __future__ import annotations

import pytest

from tests.conftest import make_staff, staff_client
from tests.rewards.finance.test_api import holder_api
from tests.rewards.finance.test_services import approved_lines, budget_for, claim_near_a_limit, holder_of
from withus.accounts.models import Role
from withus.people.models import SensitiveRead
from withus.rewards.finance import services

pytestmark = pytest.mark.django_db


def reads(**filters: object) -> set[tuple[int, str, str]]:
    return set(SensitiveRead.objects.filter(**filters).values_list("person_id", "what", "via"))


def test_the_guards_warnings_on_the_approvals_page_and_the_api_are_recorded(org_a, coordinator_a):
    holder = holder_of(org_a)
    budget = budget_for(org_a, holder)
    line = claim_near_a_limit(org_a, coordinator_a, budget)
    staff_client(holder).get("/staff/payments/approvals/")
    assert reads(reader=holder) == {(line.person_id, "benefits", "web")}
    SensitiveRead.objects.all().delete()
    holder_api(org_a, holder).get("/api/staff/claims")
    assert reads(reader=holder) == {(line.person_id, "benefits", "api")}


def test_a_claim_without_a_warning_records_nothing(org_a):
    holder = holder_of(org_a)
    budget = budget_for(org_a, holder)
    approved = approved_lines(org_a, holder, budget, ["10.00"])
    staff_client(holder).get("/staff/payments/approvals/")
    assert not SensitiveRead.objects.filter(person_id=approved[0].person_id, what="benefits").exists()


def test_exporting_a_bank_file_records_whose_bank_details_went_into_it(org_a):
    holder = holder_of(org_a)
    lines = approved_lines(org_a, holder, budget_for(org_a, holder), ["10.00", "20.00"])
    payer = make_staff(org_a, Role.ADMIN)
    batch = services.create_batch(actor=payer, organisation=org_a, method="bank_transfer")
    services.export_batch(actor=payer, batch=batch)
    assert reads(reader=payer) == {(line.person_id, "bank", "export") for line in lines}
