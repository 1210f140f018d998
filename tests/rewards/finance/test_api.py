"""The rewards API: claims, approval and payment batches."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from tests.api.helpers import ApiClient, api_as, assert_error, member_api
from tests.conftest import make_member, make_staff
from tests.people.factories import PersonFactory
from tests.rewards.finance.test_services import (
    DAY,
    accepted_line,
    approved_lines,
    bank_details,
    budget_for,
    claim_near_a_limit,
    holder_of,
    rows,
)
from withus.accounts.models import Role
from withus.rewards.finance import services
from withus.rewards.models import IncomeLine, PaymentBatch

pytestmark = pytest.mark.django_db


def holder_api(org, holder) -> ApiClient:
    return api_as(holder, org, Role.BUDGET_HOLDER)


def test_staff_claims_lists_only_the_tokens_organisation(org_a, org_b, coordinator_a):
    holder = holder_of(org_a)
    member = make_member(org_a, full_name="Ceri Claimant")
    line = services.submit_claim(actor=member.user, line=accepted_line(member, org_a), budget=budget_for(org_a, holder))
    holder_b = holder_of(org_b, "holder-b@example.org")
    member_b = make_member(org_b)
    services.submit_claim(actor=member_b.user, line=accepted_line(member_b, org_b), budget=budget_for(org_b, holder_b))
    body = api_as(coordinator_a, org_a).get("/api/staff/claims").json()
    assert [c["id"] for c in body["items"]] == [line.pk]
    claim = body["items"][0]
    assert claim["person"]["full_name"] == "Ceri Claimant" and claim["amount"] == "60.00"
    assert claim["status"] == "submitted" and claim["budget_name"] == "Panel budget"
    assert "account_number" not in claim and "sort_code" not in claim
    assert_error(member_api(member, org_a).get("/api/staff/claims"), 403, "forbidden")
    assert_error(ApiClient(None).get("/api/staff/claims"), 401, "not_authenticated")


def test_approve_and_return(org_a, org_b, coordinator_a):
    holder = holder_of(org_a)
    member = make_member(org_a)
    budget = budget_for(org_a, holder)
    line = services.submit_claim(actor=member.user, line=accepted_line(member, org_a), budget=budget)
    other = services.submit_claim(actor=member.user, line=accepted_line(member, org_a, "5.00"), budget=budget)
    client = holder_api(org_a, holder)
    # A coordinator token cannot decide, whatever else its user holds.
    assert_error(api_as(coordinator_a, org_a).post(f"/api/claims/{line.pk}/approve", {}), 403, "forbidden")
    body = assert_error(client.post(f"/api/claims/{other.pk}/return", {"reason": ""}), 422, "invalid")
    assert "reason" in body["fields"]
    assert client.post(f"/api/claims/{other.pk}/return", {"reason": "Which day?"}).json()["status"] == "returned"
    approved = client.post(f"/api/claims/{line.pk}/approve", {})
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "approved" and approved.json()["decided_by_id"] == holder.pk
    again = assert_error(client.post(f"/api/claims/{line.pk}/approve", {}), 422, "invalid")
    assert "waiting for approval" in again["message"]
    # Another organisation's claim is not found.
    holder_b = holder_of(org_b, "holder-b@example.org")
    assert_error(holder_api(org_b, holder_b).post(f"/api/claims/{line.pk}/approve", {}), 404, "not_found")


def test_own_claim_cannot_be_approved_through_the_api(org_a):
    holder = holder_of(org_a)
    person = PersonFactory(user=holder, email=holder.email)
    line = services.submit_claim(actor=holder, line=accepted_line(person, org_a), budget=budget_for(org_a, holder))
    body = assert_error(holder_api(org_a, holder).post(f"/api/claims/{line.pk}/approve", {}), 403, "forbidden")
    assert "own claim" in body["message"]


def test_batches_create_export_and_pay(org_a, org_b):
    holder = holder_of(org_a)
    lines = approved_lines(org_a, holder, budget_for(org_a, holder), ["10.00", "0.05"])
    client = holder_api(org_a, holder)
    assert_error(client.post("/api/staff/batches", {"method": "nonsense"}), 422, "invalid")
    assert_error(client.post("/api/staff/batches", {"method": "cheque"}), 422, "invalid")
    created = client.post("/api/staff/batches", {"method": "bank_transfer"})
    assert created.status_code == 201, created.content
    batch = created.json()
    assert batch["total"] == "10.05" and batch["line_count"] == 2 and "line_ids" not in batch
    paged = client.get(f"/api/staff/batches/{batch['id']}/lines").json()
    assert paged["count"] == 2 and [c["id"] for c in paged["items"]] == sorted(ln.pk for ln in lines)
    assert [b["id"] for b in client.get("/api/staff/batches").json()["items"]] == [batch["id"]]
    assert_error(client.post(f"/api/staff/batches/{batch['id']}/paid", {}), 422, "invalid")  # not exported yet
    export = client.get(f"/api/staff/batches/{batch['id']}/export")
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")
    assert len(rows(export.getvalue().decode())) == 2
    assert_error(client.get(f"/api/staff/batches/{batch['id']}/export"), 422, "invalid")
    copy = client.get(f"/api/staff/batches/{batch['id']}/export", {"copy": "true"})
    assert {r["copy"] for r in rows(copy.getvalue().decode())} == {"COPY"}
    # Another organisation sees nothing of it.
    admin_b = api_as(make_staff(org_b, Role.ADMIN, "admin-b@example.org"), org_b, Role.ADMIN)
    assert_error(admin_b.get(f"/api/staff/batches/{batch['id']}/export", {"copy": "true"}), 404, "not_found")
    assert_error(admin_b.post(f"/api/staff/batches/{batch['id']}/paid", {}), 404, "not_found")
    assert admin_b.get("/api/staff/batches").json()["items"] == []
    paid = client.post(f"/api/staff/batches/{batch['id']}/paid", {})
    assert paid.status_code == 200 and paid.json()["status"] == "paid" and paid.json()["paid_by_id"] == holder.pk
    body = assert_error(client.post(f"/api/staff/batches/{batch['id']}/paid", {}), 422, "invalid")
    assert "already been paid" in body["message"]
    assert PaymentBatch.objects.get().status == "paid"
    assert set(IncomeLine.objects.values_list("status", flat=True)) == {"paid"}


def test_member_sees_their_own_claims(org_a):
    holder = holder_of(org_a)
    member = make_member(org_a)
    bank_details(member)
    line = services.submit_claim(actor=member.user, line=accepted_line(member, org_a), budget=budget_for(org_a, holder))
    accepted_line(member, org_a, status=IncomeLine.Status.OFFERED)
    someone_else = make_member(org_a)
    accepted_line(someone_else, org_a)
    body = member_api(member, org_a).get("/api/me/claims").json()
    assert [c["id"] for c in body["items"]] == [line.pk]
    assert body["items"][0]["status"] == "submitted" and "person" not in body["items"][0]
    assert_error(holder_api(org_a, holder).get("/api/me/claims"), 403, "forbidden")


# ---- The benefits guard before approval, as on the approvals page --------------------------------


def test_claims_waiting_and_the_approval_carry_the_guards_warning(org_a, coordinator_a):
    holder = holder_of(org_a)
    budget = budget_for(org_a, holder)
    line = claim_near_a_limit(org_a, coordinator_a, budget)
    quiet = make_member(org_a)
    expense = services.submit_claim(actor=quiet.user, line=accepted_line(quiet, org_a, "5.00"), budget=budget)
    client = holder_api(org_a, holder)

    listed = {c["id"]: c for c in client.get("/api/staff/claims").json()["items"]}
    [warning] = listed[line.pk]["guard_warnings"]
    assert warning["benefit"] == "carers_allowance" and warning["problem"] == "over_limit"
    assert warning["over_by"] == "54.00" and warning["limit"] == "196.00"
    assert warning["limit_source"] == "DWP test row" and warning["counted_with_offer"] == "250.00"
    assert listed[expense.pk]["guard_warnings"] == []  # the other claimant declared nothing
    # The page the budget holder uses says the same.
    from tests.conftest import staff_client

    page = staff_client(holder).get("/staff/payments/approvals/").content.decode()
    assert "£54.00 over the Carer&#x27;s Allowance earnings limit of £196.00" in page

    approved = client.post(f"/api/claims/{line.pk}/approve", {})
    assert approved.status_code == 200, approved.content
    body = approved.json()
    assert body["status"] == "approved"
    assert [(w["problem"], w["over_by"]) for w in body["guard_warnings"]] == [("over_limit", "54.00")]


def test_the_guards_view_of_a_page_of_claims_is_read_in_the_same_queries_however_long(org_a, coordinator_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    holder = holder_of(org_a)
    budget = budget_for(org_a, holder)
    client = holder_api(org_a, holder)
    claim_near_a_limit(org_a, coordinator_a, budget)
    with CaptureQueriesContext(connection) as one:
        assert len(client.get("/api/staff/claims").json()["items"]) == 1
    for _ in range(3):
        claim_near_a_limit(org_a, coordinator_a, budget, "20.00")
    with CaptureQueriesContext(connection) as four:
        assert len(client.get("/api/staff/claims").json()["items"]) == 4
    assert len(four) == len(one)


# ---- A member claims an expense ----------------------------------------------------------------

CLAIM_EXPENSE = "/api/me/claims/expenses"


def test_a_member_claims_an_expense_and_mileage_through_the_api(org_a, coordinator_a):
    member = make_member(org_a)
    client = member_api(member, org_a)
    response = client.post(
        CLAIM_EXPENSE, {"category": "public_transport", "amount": "4.50", "activity_date": "2025-06-11"}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    line = IncomeLine.objects.get(pk=body["id"])
    assert (line.person, line.organisation, line.kind, line.status) == (member, org_a, "expense", "submitted")
    assert (body["status"], body["amount"], body["activity_date"]) == ("submitted", "4.50", "2025-06-11")
    mileage = client.post(CLAIM_EXPENSE, {"category": "mileage", "miles": "20", "activity_date": "2025-06-12"})
    assert mileage.status_code == 201 and mileage.json()["amount"] == "9.00"  # 20 miles at 45p
    body = assert_error(
        client.post(CLAIM_EXPENSE, {"category": "taxi", "amount": "9", "activity_date": "2025-06-11"}), 422, "invalid"
    )
    assert "agreed_beforehand" in body["fields"]
    assert_error(
        api_as(coordinator_a, org_a).post(
            CLAIM_EXPENSE, {"category": "parking", "amount": "2", "activity_date": "2025-06-11"}
        ),
        403,
        "forbidden",
    )


@pytest.mark.parametrize("day", ["1900-01-01", "0001-01-01"])
def test_an_expense_claimed_through_the_api_for_long_ago_is_refused(org_a, day):
    member = make_member(org_a)
    response = member_api(member, org_a).post(
        CLAIM_EXPENSE, {"category": "parking", "amount": "3.20", "activity_date": day}
    )
    body = assert_error(response, 422, "invalid")
    assert body["fields"]["activity_date"] == [
        "Claims must be for an activity on or after 6 April 2024. Check the date."
    ]
    assert not IncomeLine.objects.exists()


def test_the_same_claim_again_through_the_api_is_a_409_unless_confirmed(org_a):
    member = make_member(org_a)
    client = member_api(member, org_a)
    bus = {"category": "public_transport", "amount": "4.50", "activity_date": "2025-06-11"}
    first = client.post(CLAIM_EXPENSE, bus).json()
    body = assert_error(client.post(CLAIM_EXPENSE, bus), 409, "possible_duplicate")
    assert body["duplicate_of"] == [first["id"]] and "confirm_duplicate" in body["fields"]
    assert IncomeLine.objects.count() == 1
    assert client.post(CLAIM_EXPENSE, {**bus, "confirm_duplicate": True}).status_code == 201
    assert IncomeLine.objects.count() == 2


def test_the_schema_documents_confirming_a_likely_duplicate():
    from django.test import Client

    document = Client().get("/api/openapi.json").json()
    operation = document["paths"]["/api/me/claims/expenses"]["post"]
    assert "409" in operation["responses"]
    body = document["components"]["schemas"]["ExpenseClaimIn"]["properties"]["confirm_duplicate"]
    assert body["type"] == "boolean" and "possible_duplicate" in body["description"]
    waiting = document["components"]["schemas"]["ClaimForApprovalOut"]["properties"]
    assert waiting["possible_duplicate"]["type"] == "boolean" and waiting["duplicate_of"]["type"] == "array"


def routed_expense(member, organisation, coordinator, budget, **fields):
    from withus.rewards.fees import services as fee_services

    values = {"category": "public_transport", "amount": D("4.50"), "activity_date": DAY, **fields}
    line = fee_services.claim_expense(actor=member.user, person=member, organisation=organisation, **values)
    return services.submit_claim(actor=coordinator, line=line, budget=budget)


def test_claims_waiting_mark_likely_duplicates_in_the_same_queries_however_many(org_a, coordinator_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    holder = holder_of(org_a)
    budget = budget_for(org_a, holder)
    client = holder_api(org_a, holder)
    member = make_member(org_a)
    first = routed_expense(member, org_a, coordinator_a, budget)
    with CaptureQueriesContext(connection) as one:
        [alone] = client.get("/api/staff/claims").json()["items"]
    assert (alone["possible_duplicate"], alone["duplicate_of"]) == (False, [])
    copies = [routed_expense(member, org_a, coordinator_a, budget, confirm_duplicate=True) for _ in range(2)]
    other = routed_expense(make_member(org_a), org_a, coordinator_a, budget)
    with CaptureQueriesContext(connection) as four:
        listed = {c["id"]: c for c in client.get("/api/staff/claims").json()["items"]}
    assert len(four) == len(one)
    assert listed[first.pk]["possible_duplicate"] is True
    assert listed[first.pk]["duplicate_of"] == [c.pk for c in copies]
    assert listed[copies[0].pk]["duplicate_of"] == [first.pk, copies[1].pk]
    assert (listed[other.pk]["possible_duplicate"], listed[other.pk]["duplicate_of"]) == (False, [])
    approved = client.post(f"/api/claims/{first.pk}/approve", {}).json()
    assert approved["possible_duplicate"] is True and approved["duplicate_of"] == [c.pk for c in copies]


def test_a_batchs_claims_come_a_page_at_a_time_and_the_list_stays_the_same_size_however_big(org_a, org_b):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    holder = holder_of(org_a)
    budget = budget_for(org_a, holder)
    client = holder_api(org_a, holder)
    approved_lines(org_a, holder, budget, ["1.00", "2.00"])
    small = client.post("/api/staff/batches", {"method": "bank_transfer"}).json()

    def listed() -> tuple[bytes, int]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/api/staff/batches")
        assert response.status_code == 200
        return response.content, len(captured.captured_queries)

    _small_body, small_queries = listed()
    lines = approved_lines(org_a, holder, budget, [f"{i}.00" for i in range(1, 8)])
    large = client.post("/api/staff/batches", {"method": "bank_transfer"}).json()
    _large_body, large_queries = listed()
    assert small_queries == large_queries
    items = {b["id"]: b for b in client.get("/api/staff/batches").json()["items"]}
    assert (items[small["id"]]["line_count"], items[large["id"]]["line_count"]) == (2, 7)
    # Each batch says the same things, whatever its size: no list of its claims.
    assert set(items[small["id"]]) == set(items[large["id"]]) and "line_ids" not in items[large["id"]]

    first = client.get(f"/api/staff/batches/{large['id']}/lines", {"limit": 5}).json()
    rest = client.get(f"/api/staff/batches/{large['id']}/lines", {"limit": 5, "offset": 5}).json()
    assert first["count"] == rest["count"] == 7
    assert [c["id"] for c in first["items"] + rest["items"]] == sorted(ln.pk for ln in lines)
    assert first["items"][0]["person"]["full_name"] and first["items"][0]["batch_id"] == large["id"]
    # Another organisation's batch is not there; nor may someone who does not pay see a batch's claims.
    admin_b = api_as(make_staff(org_b, Role.ADMIN, "admin-b@example.org"), org_b, Role.ADMIN)
    assert_error(admin_b.get(f"/api/staff/batches/{large['id']}/lines"), 404, "not_found")
