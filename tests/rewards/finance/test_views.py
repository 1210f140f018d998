"""Finance pages: approvals, budgets, members' view of budgets, payment batches."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import make_member, make_staff, member_client, staff_client
from tests.people.factories import PersonFactory
from tests.rewards.finance.test_services import (
    accepted_line,
    approved_lines,
    bank_details,
    budget_for,
    claim_near_a_limit,
    holder_of,
    rows,
)
from withus.accounts.models import Role
from withus.groups.models import Appointment, Group
from withus.rewards import rules
from withus.rewards.finance import services
from withus.rewards.models import Budget, IncomeLine, PaymentBatch

pytestmark = pytest.mark.django_db

APPROVALS = "/staff/payments/approvals/"
BUDGETS = "/staff/payments/budgets/"
BATCHES = "/staff/payments/batches/"


def submitted(org, holder, budget, amount="40.00"):
    member = make_member(org, full_name="Ceri Claimant")
    bank_details(member)
    line = accepted_line(member, org, amount, description="Interview panel")
    return services.submit_claim(actor=member.user, line=line, budget=budget)


def test_pages_need_the_right_role(org_a, coordinator_a, member_a):
    assert member_client(member_a).get(APPROVALS).status_code in (302, 403)
    coordinator = staff_client(coordinator_a)
    assert coordinator.get(APPROVALS).status_code == 403
    assert coordinator.get(BATCHES).status_code == 403
    assert coordinator.get(BUDGETS).status_code == 200
    assert staff_client(holder_of(org_a)).get(BATCHES).status_code == 200


def test_holder_approves_and_returns_through_the_page(org_a, media):
    holder = holder_of(org_a)
    budget = budget_for(org_a, holder)
    line = submitted(org_a, holder, budget)
    line.receipt = SimpleUploadedFile("r.png", b"\x89PNG fake", content_type="image/png")
    line.receipt_name = "<b>r</b>.png"
    line.save(update_fields=["receipt", "receipt_name"])
    other = submitted(org_a, holder, budget, "15.00")
    client = staff_client(holder)
    page = client.get(APPROVALS)
    assert page.status_code == 200
    assert b"Ceri Claimant" in page.content and b"Interview panel" in page.content and b"40.00" in page.content
    assert b"&lt;b&gt;r&lt;/b&gt;.png" in page.content and b"<b>r</b>" not in page.content  # shown, escaped
    receipt = client.get(f"/staff/payments/claims/{line.pk}/receipt/")
    assert receipt.status_code == 200 and b"".join(receipt.streaming_content) == b"\x89PNG fake"
    assert receipt["Content-Disposition"].startswith("attachment;")
    # Returning without a reason keeps what was typed elsewhere and says what is wrong.
    response = client.post(f"/staff/payments/approvals/{other.pk}/return/", {f"return-{other.pk}-reason": ""})
    assert response.status_code == 422
    assert b"There is a problem" in response.content and b"Say why you are returning it" in response.content
    long_reason = "x" * 501
    response = client.post(f"/staff/payments/approvals/{other.pk}/return/", {f"return-{other.pk}-reason": long_reason})
    assert response.status_code == 422 and long_reason.encode() in response.content
    response = client.post(
        f"/staff/payments/approvals/{other.pk}/return/", {f"return-{other.pk}-reason": "Add the ticket"}
    )
    assert response.status_code == 302
    other.refresh_from_db()
    assert (other.status, other.return_reason) == ("returned", "Add the ticket")
    assert client.post(f"/staff/payments/approvals/{line.pk}/approve/").status_code == 302
    line.refresh_from_db()
    assert line.status == "approved" and line.decided_by == holder
    # Approving again: a clear message, nothing changes.
    response = client.post(f"/staff/payments/approvals/{line.pk}/approve/", follow=True)
    assert b"Only claims waiting for approval" in response.content


def test_own_claim_shows_no_approve_button_and_is_refused(org_a):
    holder = holder_of(org_a)
    person = PersonFactory(user=holder, email=holder.email)
    budget = budget_for(org_a, holder)
    line = services.submit_claim(actor=holder, line=accepted_line(person, org_a), budget=budget)
    client = staff_client(holder)
    page = client.get(APPROVALS)
    assert b"This is your own claim" in page.content
    assert f"/staff/payments/approvals/{line.pk}/approve/".encode() not in page.content
    response = client.post(f"/staff/payments/approvals/{line.pk}/approve/", follow=True)
    assert b"cannot approve or return your own claim" in response.content
    line.refresh_from_db()
    assert line.status == "submitted"


def test_another_holders_claims_are_not_found(org_a):
    holder = holder_of(org_a)
    line = submitted(org_a, holder, budget_for(org_a, holder))
    other = staff_client(holder_of(org_a, "other@example.org"))
    assert b"Interview panel" not in other.get(APPROVALS).content
    assert other.post(f"/staff/payments/approvals/{line.pk}/approve/").status_code == 404
    assert other.get(f"/staff/payments/claims/{line.pk}/receipt/").status_code == 404


def test_budgets_page_lists_figures_and_creates(org_a, coordinator_a):
    holder = holder_of(org_a)
    budget = budget_for(org_a, holder, "250.00", name="Carers panel")
    submitted(org_a, holder, budget, "40.00")
    client = staff_client(coordinator_a)
    page = client.get(BUDGETS)
    assert b"Carers panel" in page.content and b"250.00" in page.content and b"210.00" in page.content
    response = client.post(BUDGETS, {"name": "New fund", "allocation": "12.345", "holder": holder.pk})
    assert response.status_code == 422
    assert b"There is a problem" in response.content and b'value="New fund"' in response.content
    response = client.post(BUDGETS, {"name": "New fund", "allocation": "1200.50", "holder": holder.pk})
    assert response.status_code == 302
    assert Budget.objects.get(name="New fund").allocation == rules.money("1200.50")
    assert client.post(f"/staff/payments/budgets/{budget.pk}/close/").status_code == 302
    budget.refresh_from_db()
    assert budget.closed
    # A budget holder sees the figures but cannot set budgets up.
    holder_page = staff_client(holder).get(BUDGETS)
    assert holder_page.status_code == 200 and b"Set up a budget" not in holder_page.content
    assert staff_client(holder).post(BUDGETS, {"name": "X", "allocation": "1", "holder": holder.pk}).status_code == 403


def test_members_see_their_groups_budgets_totals_only(org_a):
    holder = holder_of(org_a)
    group = Group.objects.create(organisation=org_a, name="Crisis care panel")
    budget = budget_for(org_a, holder, "500.00", name="Crisis panel budget", group=group)
    budget_for(org_a, holder, "900.00", name="Hidden budget")
    submitted(org_a, holder, budget, "40.00")
    member = make_member(org_a)
    Appointment.objects.create(person=member, group=group, term_start=date(2025, 1, 1), planned_end=date(2028, 1, 1))
    page = member_client(member).get("/me/payments/budgets/")
    assert page.status_code == 200
    assert b"Crisis panel budget" in page.content and b"460.00" in page.content
    assert b"Hidden budget" not in page.content
    assert b"Ceri Claimant" not in page.content and b"Interview panel" not in page.content
    outsider = member_client(make_member(org_a)).get("/me/payments/budgets/")
    assert b"Crisis panel budget" not in outsider.content


def test_batch_export_and_paid_through_the_pages(org_a):
    holder = holder_of(org_a)
    lines = approved_lines(org_a, holder, budget_for(org_a, holder), ["10.00", "15.25"])
    client = staff_client(holder)
    response = client.post(BATCHES, {"method": "cheque"})
    assert response.status_code == 422 and b"no approved claims" in response.content
    response = client.post(BATCHES, {"method": ""})
    assert response.status_code == 422 and b"Choose how this batch will be paid" in response.content
    assert client.post(BATCHES, {"method": "bank_transfer"}).status_code == 302
    batch = PaymentBatch.objects.get()
    page = client.get(BATCHES)
    assert b"25.25" in page.content and b"Export the payment file" in page.content
    export = client.post(f"/staff/payments/batches/{batch.pk}/export/")
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")
    assert "attachment" in export["Content-Disposition"]
    assert len(rows(export.getvalue().decode())) == 2
    again = client.post(f"/staff/payments/batches/{batch.pk}/export/", follow=True)
    assert b"already been exported" in again.content
    copy = client.post(f"/staff/payments/batches/{batch.pk}/export/", {"copy": "1"})
    assert {r["copy"] for r in rows(copy.getvalue().decode())} == {"COPY"}
    confirm = client.get(f"/staff/payments/batches/{batch.pk}/paid/")
    assert b"Yes, the batch has been paid" in confirm.content
    assert client.post(f"/staff/payments/batches/{batch.pk}/paid/").status_code == 302
    batch.refresh_from_db()
    assert batch.status == "paid" and batch.paid_by == holder
    assert set(IncomeLine.objects.filter(pk__in=[ln.pk for ln in lines]).values_list("status", flat=True)) == {"paid"}
    page = client.get(BATCHES)
    assert b"recorded by" in page.content
    twice = client.post(f"/staff/payments/batches/{batch.pk}/paid/", follow=True)
    assert b"already been paid" in twice.content


def test_another_organisations_batch_is_not_found(org_a, org_b):
    holder = holder_of(org_a)
    approved_lines(org_a, holder, budget_for(org_a, holder), ["10.00"])
    batch = services.create_batch(actor=holder, organisation=org_a, method="bank_transfer")
    other = staff_client(make_staff(org_b, Role.ADMIN, "admin-b@example.org"))
    assert other.post(f"/staff/payments/batches/{batch.pk}/export/").status_code == 404
    assert other.post(f"/staff/payments/batches/{batch.pk}/paid/").status_code == 404
    batch.refresh_from_db()
    assert batch.status == "open"


def test_coordinator_routes_an_expense_claim_to_a_budget_for_approval(org_a, coordinator_a):
    from decimal import Decimal as Dec

    from tests.conftest import make_member, make_staff, staff_client
    from withus.rewards.models import Budget, IncomeLine

    holder = make_staff(org_a, "budget_holder")
    budget = Budget.objects.create(organisation=org_a, name="Involvement 2026", allocation=Dec("1000"), holder=holder)
    member = make_member(org_a)
    line = IncomeLine.objects.create(
        person=member,
        organisation=org_a,
        kind="expense",
        description="Bus fare",
        amount=Dec("4.20"),
        activity_date="2026-11-02",
        status="submitted",
        expense_category="public_transport",
    )
    client = staff_client(coordinator_a)
    assert "Bus fare" in client.get("/staff/payments/claims/").content.decode()
    client.post("/staff/payments/claims/", {"line": line.pk, "budget": budget.pk})
    line.refresh_from_db()
    assert line.budget == budget and line.status == "submitted"
    assert "Bus fare" in staff_client(holder).get("/staff/payments/approvals/").content.decode()
    assert "Bus fare" not in client.get("/staff/payments/claims/").content.decode()


def test_the_budget_holder_sees_the_benefits_check_before_approving_a_fee(org_a, coordinator_a):
    from decimal import Decimal as Dec

    from tests.conftest import make_staff, staff_client
    from withus.rewards.models import Budget

    holder = make_staff(org_a, "budget_holder")
    budget = Budget.objects.create(organisation=org_a, name="Fees", allocation=Dec("1000"), holder=holder)
    claim_near_a_limit(org_a, coordinator_a, budget)
    page = staff_client(holder).get("/staff/payments/approvals/").content.decode()
    assert (
        "£54.00 over the Carer&#x27;s Allowance earnings limit" in page or "£54.00 over the Carer's Allowance" in page
    )


# ---- Likely duplicates, marked for the budget holder ----------------------------------------------


def test_the_approvals_page_marks_likely_duplicates_in_the_same_queries_however_many(org_a, coordinator_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.rewards.finance.test_api import routed_expense

    holder = holder_of(org_a)
    budget = budget_for(org_a, holder)
    client = staff_client(holder)
    member = make_member(org_a, full_name="Ceri Claimant")
    first = routed_expense(member, org_a, coordinator_a, budget)
    with CaptureQueriesContext(connection) as one:
        page = client.get(APPROVALS).content.decode()
    assert "Possible duplicate" not in page
    copy = routed_expense(member, org_a, coordinator_a, budget, confirm_duplicate=True)
    routed_expense(make_member(org_a), org_a, coordinator_a, budget)
    routed_expense(member, org_a, coordinator_a, budget, amount=D("9.00"))
    with CaptureQueriesContext(connection) as four:
        page = client.get(APPROVALS).content.decode()
    assert len(four) == len(one)
    sections = dict(re.findall(r'<section[^>]*id="claim-(\d+)">(.*?)</section>', page, re.S))
    assert len(sections) == 4
    marked = {int(pk) for pk, section in sections.items() if "Possible duplicate" in section}
    assert marked == {first.pk, copy.pk}
    assert f'href="#claim-{copy.pk}"' in sections[str(first.pk)]
    assert f'href="#claim-{first.pk}"' in sections[str(copy.pk)]
