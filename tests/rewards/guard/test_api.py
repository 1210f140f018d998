"""The member's answer to an offer through the API: the same rules as the offer page (002 §5)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.api.helpers import assert_error, member_api
from tests.conftest import make_member
from tests.rewards.fees.test_changes import two_hour_session
from withus.accounts.models import Organisation, User
from withus.meetings.models import Attendance
from withus.rewards.fees import services as fee_services
from withus.rewards.models import IncomeLine

pytestmark = pytest.mark.django_db
D = Decimal


def test_a_lower_fee_below_the_minimum_is_refused_and_fewer_hours_are_taken(
    org_a: Organisation, coordinator_a: User
) -> None:
    member = make_member(org_a)
    attendance = two_hour_session(org_a, coordinator_a, member)
    line, _breakdown = fee_services.offer_fee_for_attendance(actor=coordinator_a, attendance=attendance)
    client = member_api(member, org_a)
    url = f"/api/me/offers/{line.pk}/answer"

    body = assert_error(client.post(url, {"choice": "lower_fee", "amount": "15.00"}), 409, "split_refused")
    assert body["allowed"] == ["fewer_hours", "donate", "expenses_only", "decline"]
    assert body["message"].startswith("£15.00 is less than £26.90, the least a fee for 2 hours can be")
    assert "One activity cannot be split into a paid part and a voluntary part." in body["message"]
    assert list(body["fields"]) == ["amount"]
    line.refresh_from_db()
    assert (line.status, line.amount) == ("offered", D("30.00"))

    assert_error(client.post(url, {"choice": "fewer_hours", "hours": "2"}), 422, "invalid")
    response = client.post(url, {"choice": "fewer_hours", "hours": "1"})
    assert response.status_code == 200, response.content
    answer = response.json()
    assert (answer["status"], answer["amount"], answer["hours"]) == ("accepted", "15.00", "1.00")
    assert answer["description"] == (
        "Crisis care panel, 12 November 2025: meeting time 1 h £15.00 "
        "(taking part for fewer hours than first offered: 2 h)"
    )
    assert Attendance.objects.get(pk=attendance.pk).minutes_present == 60
    assert_error(client.post(url, {"choice": "accept"}), 422, "invalid")  # already answered


def test_the_description_comes_in_the_language_the_request_asks_for(org_a: Organisation, coordinator_a: User) -> None:
    member = make_member(org_a)
    attendance = two_hour_session(org_a, coordinator_a, member)
    fee_services.offer_fee_for_attendance(actor=coordinator_a, attendance=attendance)
    client = member_api(member, org_a)
    response = client.client.get("/api/me/payments", headers={**client.headers, "Accept-Language": "cy"})
    assert response.status_code == 200, response.content
    [payment] = response.json()["items"]
    assert payment["description"].startswith("Panel gofal argyfwng, 12 Tachwedd 2025")


def test_only_the_members_own_offers_can_be_answered(org_a: Organisation, coordinator_a: User) -> None:
    member, other = make_member(org_a), make_member(org_a)
    line = fee_services.offer_fee(
        actor=coordinator_a,
        organisation=org_a,
        person=other,
        description="Panel",
        amount=D("40.00"),
        hours=D("2"),
        activity_date=IncomeLine._meta.get_field("activity_date").to_python("2025-11-12"),
    )
    assert_error(
        member_api(member, org_a).post(f"/api/me/offers/{line.pk}/answer", {"choice": "accept"}), 404, "not_found"
    )
    line.refresh_from_db()
    assert line.status == "offered"
