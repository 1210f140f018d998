"""The pages for rate cards, expense claims and the "Offer the fee" button, through the test client."""

from __future__ import annotations

import html
import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import make_member, make_staff, member_client, staff_client
from tests.core.dates import shown_date
from tests.meetings.factories import london, make_attendance, make_session
from withus.accounts.models import Role
from withus.rewards.models import IncomeLine, RateCard

pytestmark = pytest.mark.django_db
D = Decimal
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
RATE_CARDS = "/staff/payments/rate-cards/"
NEW_CLAIM = "/me/payments/expenses/new/"


def text(response) -> str:
    return html.unescape(response.content.decode())


def input_value(page: str, name: str) -> str | None:
    for tag in re.findall(r"<input[^>]*>", page):
        if f'name="{name}"' in tag and 'type="radio"' not in tag:
            found = re.search(r'value="([^"]*)"', tag)
            return found.group(1) if found else None
    raise AssertionError(f"no input {name}")


def is_checked(page: str, name: str, value: str) -> bool:
    for tag in re.findall(r"<input[^>]*>", page):
        if f'name="{name}"' in tag and f'value="{value}"' in tag:
            return "checked" in tag
    raise AssertionError(f"no input {name}={value}")


# ---- Access -----------------------------------------------------------------------------------


def test_a_member_or_a_coordinator_cannot_see_the_rate_cards_page(org_a, member_a, coordinator_a):
    assert member_client(member_a).get(RATE_CARDS).status_code == 403
    assert staff_client(coordinator_a).get(RATE_CARDS).status_code == 403
    assert staff_client(make_staff(org_a, Role.ADMIN)).get(RATE_CARDS).status_code == 200


def test_a_member_cannot_offer_a_fee(org_a, member_a):
    attendance = make_attendance(make_session(org_a), member_a)
    response = member_client(member_a).post(f"/staff/payments/attendance/{attendance.pk}/offer/", {})
    assert response.status_code == 403
    assert not IncomeLine.objects.exists()


def test_a_coordinator_cannot_offer_a_fee_for_another_organisations_meeting(org_a, member_a, coordinator_b):
    attendance = make_attendance(make_session(org_a), member_a)
    response = staff_client(coordinator_b).post(f"/staff/payments/attendance/{attendance.pk}/offer/", {})
    assert response.status_code == 404


def test_someone_signed_out_is_sent_to_sign_in_to_claim(client):
    response = client.get(NEW_CLAIM)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# ---- Rate cards -------------------------------------------------------------------------------


def test_a_rate_below_the_real_living_wage_is_shown_next_to_the_field_and_the_input_is_kept(org_a):
    client = staff_client(make_staff(org_a, Role.ADMIN))
    data = {
        "activity_type": "meeting",
        "level": "4",
        "hourly_rate": "12.60",
        "preparation_ratio": "1.00",
        "travel_time_over_minutes": "30",
        "chair_uplift_percent": "25.00",
        "valid_from": "2025-11-01",
    }
    response = client.post(RATE_CARDS, data)
    page = text(response)
    assert response.status_code == 200 and 'class="error-summary"' in page
    assert 'href="#id_hourly_rate"' in page and "at least the Real Living Wage, £13.45" in page
    assert input_value(page, "hourly_rate") == "12.60" and shown_date(page, "valid_from") == "1 11 2025"
    assert not RateCard.objects.exists()
    response = client.post(RATE_CARDS, {**data, "hourly_rate": "13.45"})
    assert response.status_code == 302
    assert RateCard.objects.get().level == 4
    assert "£13.45" in text(client.get(RATE_CARDS))


# ---- Claiming expenses ------------------------------------------------------------------------


def test_the_claim_page_offers_only_organisations_the_member_shares_with(org_a, org_b):
    member = make_member(org_a)
    page = text(member_client(member).get(NEW_CLAIM))
    assert 'enctype="multipart/form-data"' in page
    assert "Organisation A" in page and "Organisation B" not in page


def test_a_taxi_not_agreed_beforehand_is_refused_and_everything_typed_is_kept(org_a):
    member = make_member(org_a)
    data = {"category": "taxi", "amount": "25.50", "activity_date": "2025-06-11", "organisation": org_a.pk}
    response = member_client(member).post(NEW_CLAIM, data)
    page = text(response)
    assert response.status_code == 200 and 'class="error-summary"' in page
    assert "must be agreed with the organisation beforehand" in page
    assert is_checked(page, "category", "taxi") and is_checked(page, "organisation", str(org_a.pk))
    assert input_value(page, "amount") == "25.50" and shown_date(page, "activity_date") == "11 6 2025"
    assert not IncomeLine.objects.exists()


def test_mileage_without_miles_is_refused_next_to_the_miles(org_a):
    member = make_member(org_a)
    data = {"category": "mileage", "passengers": "2", "activity_date": "2025-06-11", "organisation": org_a.pk}
    page = text(member_client(member).post(NEW_CLAIM, data))
    assert 'href="#id_miles"' in page and input_value(page, "passengers") == "2"
    assert not IncomeLine.objects.exists()


@pytest.mark.parametrize("day", ["1900-01-01", "0001-01-01"])
def test_a_claim_dated_long_ago_is_refused_next_to_the_date_and_what_was_typed_is_kept(org_a, day):
    member = make_member(org_a)
    data = {"category": "parking", "amount": "3.20", "activity_date": day, "organisation": org_a.pk}
    page = text(member_client(member).post(NEW_CLAIM, data))
    assert 'href="#id_activity_date_day"' in page
    error = re.search(r'id="id_activity_date-error">(.*?)</p>', page, re.S)
    assert error and "Claims must be for an activity on or after 6 April 2024." in error.group(1)
    assert input_value(page, "amount") == "3.20" and shown_date(page, "activity_date") == "1 1 " + day[:4].lstrip("0")
    assert not IncomeLine.objects.exists()


def test_a_claim_with_a_receipt_lands_as_submitted(org_a, media):
    member = make_member(org_a)
    client = member_client(member)
    data = {
        "category": "parking",
        "amount": "3.20",
        "activity_date": "2025-06-11",
        "organisation": org_a.pk,
        "receipt": SimpleUploadedFile("ticket.png", PNG, content_type="image/png"),
    }
    response = client.post(NEW_CLAIM, data)
    line = IncomeLine.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/me/payments/expenses/{line.pk}/"
    assert (line.person, line.kind, line.status, line.amount) == (member, "expense", "submitted", D("3.20"))
    assert line.receipt and line.submitted_at is not None
    page = text(client.get(response["Location"]))
    assert "Claimed, waiting for approval" in page and "£3.20" in page
    other = make_member(org_a)
    assert member_client(other).get(response["Location"]).status_code == 404


def test_a_receipt_that_is_not_an_image_is_refused_next_to_the_receipt(org_a, media):
    member = make_member(org_a)
    data = {
        "category": "parking",
        "amount": "3.20",
        "activity_date": "2025-06-11",
        "organisation": org_a.pk,
        "receipt": SimpleUploadedFile("ticket.png", b"<html>not a photo</html>", content_type="image/png"),
    }
    page = text(member_client(member).post(NEW_CLAIM, data))
    assert 'href="#id_receipt"' in page and "a photo (JPEG, PNG or HEIC) or a PDF" in page
    assert input_value(page, "amount") == "3.20"
    assert not IncomeLine.objects.exists()


# ---- Offering the fee from the attendance page ------------------------------------------------


def test_the_coordinator_offers_the_fee_from_the_attendance_page(org_a, member_a, coordinator_a):
    session = make_session(org_a, starts_at=london(2025, 6, 11, 10, 30))
    attendance = make_attendance(session, member_a, minutes_present=120)
    absent = make_attendance(session, make_member(org_a), status="absent")
    RateCard.objects.create(
        organisation=org_a, activity_type="meeting", hourly_rate=D("15.00"), valid_from=date(2025, 4, 1)
    )
    client = staff_client(coordinator_a)
    page = text(client.get(f"/staff/sessions/{session.pk}/attendance/"))
    assert f'action="/staff/payments/attendance/{attendance.pk}/offer/"' in page
    assert f'action="/staff/payments/attendance/{absent.pk}/offer/"' not in page
    response = client.post(f"/staff/payments/attendance/{attendance.pk}/offer/", {"travel_minutes": "90"}, follow=True)
    assert response.redirect_chain[-1][0] == f"/staff/sessions/{session.pk}/attendance/"
    line = IncomeLine.objects.get(attendance=attendance)
    assert (line.status, line.amount) == ("offered", D("37.50"))  # 2 hours + 30 minutes' travel at £15
    assert "Fee of £37.50 offered to" in text(response)
    again = client.post(f"/staff/payments/attendance/{attendance.pk}/offer/", {"travel_minutes": "0"}, follow=True)
    assert "already been offered" in text(again)
    assert IncomeLine.objects.filter(attendance=attendance).count() == 1


def test_bad_travel_minutes_are_explained_and_nothing_is_offered(org_a, member_a, coordinator_a):
    session = make_session(org_a, starts_at=london(2025, 6, 11, 10, 30))
    attendance = make_attendance(session, member_a)
    RateCard.objects.create(
        organisation=org_a, activity_type="meeting", hourly_rate=D("15.00"), valid_from=date(2025, 4, 1)
    )
    response = staff_client(coordinator_a).post(
        f"/staff/payments/attendance/{attendance.pk}/offer/", {"travel_minutes": "-5"}, follow=True
    )
    assert "Give the travel time there and back, in minutes, from 0." in text(response)
    assert not IncomeLine.objects.exists()


# ---- Offering a fee by hand ----------------------------------------------------------------------


@pytest.mark.parametrize("choice", ["volunteer", "expenses_only"])
def test_the_offer_page_refuses_a_fee_for_someone_who_chose_not_to_be_paid(org_a, coordinator_a, choice):
    from withus.rewards.models import RewardPreference

    member = make_member(org_a, full_name="Vera Volunteer")
    RewardPreference.objects.create(person=member, method=choice)
    data = {
        "kind": "fee",
        "description": "Recruitment panel",
        "amount": "60.00",
        "hours": "2",
        "activity_date": "2025-06-12",
    }
    response = staff_client(coordinator_a).post(f"/staff/people/{member.pk}/offer/", data)
    page = text(response)
    assert response.status_code == 200 and 'class="error-summary"' in page
    assert (
        "Vera Volunteer has chosen “" in page and "One activity is not split into a paid and a voluntary part." in page
    )
    assert 'value="Recruitment panel"' in page  # what was typed is kept
    assert not IncomeLine.objects.exists()


def test_the_offer_page_refuses_a_fee_that_pays_its_hours_less_than_the_hourly_minimum(org_a, coordinator_a):
    member = make_member(org_a)
    data = {"kind": "fee", "description": "Panel", "amount": "15.00", "hours": "2", "activity_date": "2025-11-12"}
    client = staff_client(coordinator_a)
    response = client.post(f"/staff/people/{member.pk}/offer/", data)
    page = text(response)
    assert response.status_code == 200 and 'class="error-summary"' in page
    assert "A fee for 2 hours must be at least £26.90 (£13.45 an hour, the Real Living Wage)." in page
    assert 'value="15.00"' in page and 'value="Panel"' in page
    assert not IncomeLine.objects.exists()
    assert client.post(f"/staff/people/{member.pk}/offer/", {**data, "amount": "26.90"}).status_code == 302
    assert IncomeLine.objects.get().amount == Decimal("26.90")


# ---- The same claim again ----------------------------------------------------------------------


def test_the_same_claim_again_shows_a_warning_keeps_what_was_typed_and_sends_once_confirmed(org_a):
    member = make_member(org_a)
    client = member_client(member)
    data = {"category": "mileage", "miles": "12.5", "passengers": "1", "activity_date": "2025-06-11"}
    data["organisation"] = org_a.pk
    assert client.post(NEW_CLAIM, data).status_code == 302
    first = IncomeLine.objects.get()
    response = client.post(NEW_CLAIM, data)
    page = text(response)
    assert response.status_code == 200 and IncomeLine.objects.count() == 1
    warning = re.search(r'<div class="warning"[^>]*id="possible-duplicate".*?</div>', page, re.S)
    assert warning, "no warning about the claim already made"
    assert "You may have claimed this already" in warning.group(0)
    assert "11 June 2025" in warning.group(0) and f"£{first.amount}" in warning.group(0)
    assert input_value(page, "miles") == "12.5" and input_value(page, "passengers") == "1"
    assert shown_date(page, "activity_date") == "11 6 2025" and is_checked(page, "category", "mileage")
    assert re.search(r'<input type="checkbox" name="confirm_duplicate"[^>]*>', page)
    assert "There is a problem" not in page  # a question, not an error
    confirmed = client.post(NEW_CLAIM, {**data, "confirm_duplicate": "on"})
    assert confirmed.status_code == 302 and IncomeLine.objects.count() == 2


def test_a_first_claim_shows_no_duplicate_question(org_a):
    page = text(member_client(make_member(org_a)).get(NEW_CLAIM))
    assert 'type="checkbox" name="confirm_duplicate"' not in page and "You may have claimed this already" not in page
