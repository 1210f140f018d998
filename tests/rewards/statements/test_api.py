"""The API for a member's own payments and statements."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast
from zoneinfo import ZoneInfo

import pytest

from tests.accounts.factories import MembershipFactory, UserFactory
from tests.api.helpers import ApiClient, api_as, assert_error, member_api
from tests.conftest import make_member
from withus.accounts.models import Organisation, Role, User
from withus.people.models import Person
from withus.rewards.models import IncomeLine

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def line(person: Person, organisation: Organisation, amount: str, **fields: Any) -> IncomeLine:
    values: dict[str, Any] = {
        "kind": "fee",
        "description": "Panel",
        "activity_date": date(2025, 6, 1),
        "status": "paid",
        "paid_at": datetime(2025, 7, 1, 12, 0, tzinfo=LONDON),
    }
    values.update(fields)
    return IncomeLine.objects.create(person=person, organisation=organisation, amount=Decimal(amount), **values)


def test_a_member_reads_their_statement_with_amounts_as_exact_strings(
    org_a: Organisation, org_b: Organisation, member_a: Person
) -> None:
    line(member_a, org_a, "0.10", description="Fee one")
    line(member_a, org_a, "0.20", description="Voucher", kind="voucher")
    line(member_a, org_a, "12.40", description="Train", kind="expense", expense_category="public_transport")
    line(member_a, org_a, "50.00", description="Next year", paid_at=datetime(2026, 4, 6, 0, 30, tzinfo=LONDON))
    line(member_a, org_a, "70.00", description="Not paid yet", status="approved", paid_at=None)
    line(make_member(org_a), org_a, "99.00", description="Someone else's")

    response = member_api(member_a, org_a).get("/api/me/statements/2025")

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["tax_year"], body["starts_on"], body["ends_on"]) == ("2025/26", "2025-04-06", "2026-04-05")
    assert [(p["description"], p["kind"], p["amount"]) for p in body["payments"]] == [
        ("Fee one", "fee", "0.10"),
        ("Voucher", "voucher", "0.20"),
    ]
    assert [(e["description"], e["amount"], e["expense_category"]) for e in body["expenses"]] == [
        ("Train", "12.40", "Public transport")
    ]
    assert (body["payments_total"], body["expenses_total"]) == ("0.30", "12.40")
    assert body["by_organisation"] == [{"organisation": "Organisation A", "payments": "0.30", "expenses": "12.40"}]
    assert body["trading_allowance"] == "1000.00"


def test_an_empty_year_and_an_impossible_one(org_a: Organisation, member_a: Person) -> None:
    client = member_api(member_a, org_a)
    body = client.get("/api/me/statements/2019").json()
    assert (body["payments"], body["expenses"], body["payments_total"], body["expenses_total"]) == (
        [],
        [],
        "0.00",
        "0.00",
    )
    assert_error(client.get("/api/me/statements/1850"), 422, "invalid")


def test_a_member_lists_their_payments_with_states(org_a: Organisation, member_a: Person, member_b: Person) -> None:
    line(member_a, org_a, "8.20", description="Taxi", kind="expense", status="returned", return_reason="No receipt")
    line(
        member_a, org_a, "60.00", description="Board", status="submitted", paid_at=None, activity_date=date(2025, 7, 1)
    )
    line(member_b, org_a, "99.00", description="Bedwyr's")

    response = member_api(member_a, org_a).get("/api/me/payments")

    assert response.status_code == 200, response.content
    items = response.json()["items"]
    assert [(i["description"], i["status"], i["amount"]) for i in items] == [
        ("Board", "submitted", "60.00"),
        ("Taxi", "returned", "8.20"),
    ]
    assert items[1]["return_reason"] == "No receipt" and items[1]["status_label"] == "Returned with a question"
    assert items[0]["organisation"] == "Organisation A"


def test_staff_tokens_have_no_statements(org_a: Organisation, coordinator_a: User) -> None:
    staff = api_as(coordinator_a, org_a)
    assert_error(staff.get("/api/me/statements/2025"), 403, "forbidden")
    assert_error(staff.get("/api/me/payments"), 403, "forbidden")
    assert_error(ApiClient(None).get("/api/me/payments"), 401, "not_authenticated")
    assert_error(ApiClient(None).get("/api/me/statements/2025"), 401, "not_authenticated")


def test_a_member_token_without_a_profile_gets_not_found(org_a: Organisation) -> None:
    user = cast(User, UserFactory())
    MembershipFactory(user=user, organisation=org_a, role=Role.MEMBER)
    client = api_as(user, org_a, Role.MEMBER)
    assert_error(client.get("/api/me/statements/2025"), 404, "not_found")
    assert_error(client.get("/api/me/payments"), 404, "not_found")
