"""Mentors and buddies for new members: dates, what they agreed, check-ins, and one buddy for a seat."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.api.helpers import api_as, assert_error, member_api
from tests.conftest import make_member, member_client, staff_client
from tests.groups.factories import AppointmentFactory
from tests.support.factories import MentoringFactory
from tests.support.test_views import date_fields
from withus.accounts.models import Organisation, User
from withus.core import privacy
from withus.people.models import OutgoingMessage
from withus.support import rules, services
from withus.support.models import Mentoring, MentoringCheckIn

pytestmark = pytest.mark.django_db
TODAY = date(2030, 6, 12)


def test_the_review_comes_after_the_start_and_not_in_the_past() -> None:
    assert rules.mentoring_dates_refusal(starts_on=TODAY, review_on=TODAY + timedelta(days=1), today=TODAY) == {}
    assert "review_on" in rules.mentoring_dates_refusal(starts_on=TODAY, review_on=TODAY, today=TODAY)
    assert "review_on" in rules.mentoring_dates_refusal(
        starts_on=TODAY - timedelta(days=20), review_on=TODAY - timedelta(days=1), today=TODAY
    )
    assert set(rules.mentoring_dates_refusal(starts_on=None, review_on=None, today=TODAY)) == {"starts_on", "review_on"}


def test_a_coordinator_pairs_a_new_member_and_bad_input_writes_nothing(
    coordinator_a: User, org_a: Organisation
) -> None:
    new, mentor = make_member(org_a, full_name="Newydd"), make_member(org_a, full_name="Profiadol")
    client = staff_client(coordinator_a)
    today = timezone.localdate()
    wrong_order = client.post(
        "/staff/support/mentoring/",
        {
            "new_member": new.pk,
            "mentor": mentor.pk,
            "agreed": "Meet before each meeting",
            **date_fields("starts_on", today + timedelta(days=10)),
            **date_fields("review_on", today + timedelta(days=5)),
        },
    )
    page = wrong_order.content.decode()
    assert "must be after the start date" in page and "Meet before each meeting" in page
    same = client.post(
        "/staff/support/mentoring/",
        {
            "new_member": new.pk,
            "mentor": new.pk,
            **date_fields("starts_on", today),
            **date_fields("review_on", today + timedelta(days=30)),
        },
    )
    assert "nobody mentors themself" in same.content.decode()
    assert not Mentoring.objects.exists()
    done = client.post(
        "/staff/support/mentoring/",
        {
            "new_member": new.pk,
            "mentor": mentor.pk,
            "agreed": "Phone after meetings",
            **date_fields("starts_on", today),
            **date_fields("review_on", today + timedelta(days=30)),
        },
    )
    assert done.status_code == 302
    assert "Phone after meetings" in client.get("/staff/support/mentoring/").content.decode()


def test_a_pair_for_a_seat_is_the_appointments_buddy_not_a_second_record(
    coordinator_a: User, org_a: Organisation
) -> None:
    new, mentor = make_member(org_a), make_member(org_a)
    appointment = AppointmentFactory(person=new, group__organisation=org_a)
    today = timezone.localdate()
    pair = services.start_mentoring(
        actor=coordinator_a,
        organisation=org_a,
        new_member=None,
        mentor=mentor,
        appointment=appointment,
        starts_on=today,
        review_on=today + timedelta(days=60),
    )
    appointment.refresh_from_db()
    assert pair.new_member == new and appointment.buddy == mentor
    with pytest.raises(ValidationError):  # one current mentor per new member
        services.start_mentoring(
            actor=coordinator_a,
            organisation=org_a,
            new_member=new,
            mentor=make_member(org_a),
            starts_on=today,
            review_on=today + timedelta(days=60),
        )


def test_either_of_the_pair_checks_in_and_nobody_else(org_a: Organisation) -> None:
    new, mentor, other = make_member(org_a), make_member(org_a), make_member(org_a)
    pair = MentoringFactory(organisation=org_a, new_member=new, mentor=mentor, agreed="Coffee before meetings")
    client = member_client(mentor)
    page = client.get(f"/me/support/mentoring/{pair.pk}/").content.decode()
    assert "Coffee before meetings" in page
    future = client.post(
        f"/me/support/mentoring/{pair.pk}/",
        {"note": "Fine", **date_fields("on", timezone.localdate() + timedelta(days=1))},
    )
    assert "cannot be in the future" in future.content.decode()
    client.post(f"/me/support/mentoring/{pair.pk}/", {"note": "Going well", **date_fields("on", timezone.localdate())})
    assert MentoringCheckIn.objects.get().by_person == mentor
    assert "Going well" in member_client(new).get(f"/me/support/mentoring/{pair.pk}/").content.decode()
    assert "Your mentor or buddy is" in member_client(new).get("/me/support/").content.decode()
    assert member_client(other).get(f"/me/support/mentoring/{pair.pk}/").status_code == 404


def test_mentoring_is_in_the_download_of_both_and_goes_with_erasure(org_a: Organisation) -> None:
    new, mentor = make_member(org_a, full_name="Newydd"), make_member(org_a, full_name="Profiadol")
    MentoringFactory(organisation=org_a, new_member=new, mentor=mentor, agreed="Coffee")
    assert privacy.subject_access(new)["mentoring"][0]["other"] == "Profiadol"
    assert privacy.subject_access(mentor)["mentoring"][0]["part"] == "mentor"
    privacy.erase(mentor)
    assert not Mentoring.objects.exists()


def test_either_of_the_pair_ends_it_with_a_reason_and_the_other_is_told(org_a: Organisation) -> None:
    new, mentor = make_member(org_a, full_name="Newydd"), make_member(org_a, full_name="Profiadol")
    pair = MentoringFactory(organisation=org_a, new_member=new, mentor=mentor, starts_on=timezone.localdate())
    client = member_client(mentor)
    url = f"/me/support/mentoring/{pair.pk}/end/"
    assert url in client.get(f"/me/support/mentoring/{pair.pk}/").content.decode()
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert (
        "Say why the pairing is ending"
        in client.post(url, {"reason": "", **date_fields("on", tomorrow)}).content.decode()
    )
    future = client.post(url, {"reason": "Moving away", **date_fields("on", tomorrow)}).content.decode()
    assert "cannot end in the future" in future and "Moving away" in future
    pair.refresh_from_db()
    assert pair.ended_on is None and not mail.outbox
    done = client.post(url, {"reason": "Moving away", **date_fields("on", timezone.localdate())})
    assert done.status_code == 302
    pair.refresh_from_db()
    assert (pair.ended_on, pair.end_reason, pair.ended_by) == (timezone.localdate(), "Moving away", mentor.user)
    assert [m.to for m in mail.outbox] == [[new.email]]  # the other, not the one who ended it
    assert "Moving away" in mail.outbox[0].body
    again = client.post(url, {"reason": "Again", **date_fields("on", timezone.localdate())})
    assert "has ended already" in again.content.decode()
    assert member_client(make_member(org_a)).get(url).status_code == 404


def test_staff_end_a_pairing_and_both_are_told_by_their_channel(
    coordinator_a: User, coordinator_b: User, org_a: Organisation
) -> None:
    new, mentor = make_member(org_a), make_member(org_a, preferred_channel="post")
    pair = MentoringFactory(organisation=org_a, new_member=new, mentor=mentor)
    url = f"/staff/support/mentoring/{pair.pk}/end/"
    assert staff_client(coordinator_b).get(url).status_code == 404
    client = staff_client(coordinator_a)
    assert url in client.get("/staff/support/mentoring/").content.decode()
    assert (
        client.post(url, {"reason": "Not a good match", **date_fields("on", timezone.localdate())}).status_code == 302
    )
    assert [m.to for m in mail.outbox] == [[new.email]]
    letter = OutgoingMessage.objects.get(person=mentor)
    assert letter.status == OutgoingMessage.Status.TO_PRINT and "Not a good match" in letter.body
    assert "Not a good match" in client.get("/staff/support/mentoring/").content.decode()


def test_the_api_ends_a_pairing_for_staff_and_for_either_of_the_pair(
    coordinator_a: User, coordinator_b: User, org_a: Organisation, org_b: Organisation
) -> None:
    new, mentor = make_member(org_a), make_member(org_a)
    pair = MentoringFactory(organisation=org_a, new_member=new, mentor=mentor)
    assert (
        api_as(coordinator_b, org_b).post(f"/api/support/mentoring/{pair.pk}/end", {"reason": "x"}).status_code == 404
    )
    mine = member_api(new, org_a)
    assert_error(mine.post(f"/api/support/me/mentoring/{pair.pk}/end", {"reason": ""}), 422, "invalid")
    ended = mine.post(f"/api/support/me/mentoring/{pair.pk}/end", {"reason": "Found my feet"})
    assert ended.status_code == 200, ended.content
    assert ended.json()["end_reason"] == "Found my feet" and ended.json()["ended_on"]
    assert mail.outbox[-1].to == [mentor.email]
    refused = api_as(coordinator_a, org_a).post(f"/api/support/mentoring/{pair.pk}/end", {"reason": "x"})
    assert "ended already" in assert_error(refused, 422, "invalid")["message"] + str(refused.json())
