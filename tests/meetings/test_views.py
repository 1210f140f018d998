from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.html import escape

from tests.conftest import make_member, member_client, staff_client
from tests.meetings.factories import make_attendance, make_invitation, make_session, make_venue
from withus.meetings.models import Attendance, CalendarFeedToken, Session

pytestmark = pytest.mark.django_db


def test_coordinator_plans_a_session_and_errors_keep_input(org_a, coordinator_a):
    client = staff_client(coordinator_a)
    venue = make_venue(org_a)
    start = timezone.localtime() + timedelta(days=30)
    data = {
        "title": "Carers' forum",
        "kind": "meeting",
        "starts_at": start.strftime("%Y-%m-%dT10:30"),
        "ends_at": start.strftime("%Y-%m-%dT09:30"),
        "refreshments": "drinks",
        "contact": coordinator_a.pk,
    }
    page = client.post("/staff/sessions/new/", data).content.decode()
    assert "There is a problem" in page
    assert "The session must end after it starts." in page
    assert "Choose a venue, or give an online link." in page
    assert 'value="Carers&#x27; forum"' in page
    assert not Session.objects.exists()
    data.update(ends_at=start.strftime("%Y-%m-%dT12:30"), venue=venue.pk, agenda="Welcome\nBudget")
    response = client.post("/staff/sessions/new/", data)
    session = Session.objects.get()
    assert response["Location"] == f"/staff/sessions/{session.pk}/"
    detail = client.get(response["Location"]).content.decode()
    assert "Involvement on the agenda" in detail and "Budget" in detail


def test_staff_pages_are_for_their_own_organisation(org_a, org_b, coordinator_a, coordinator_b):
    session = make_session(org_a, coordinator_a)
    other = staff_client(coordinator_b)
    for url in [
        f"/staff/sessions/{session.pk}/",
        f"/staff/sessions/{session.pk}/edit/",
        f"/staff/sessions/{session.pk}/attendance/",
        f"/staff/sessions/{session.pk}/after/",
    ]:
        assert other.get(url).status_code == 404, url
    member = make_member(org_a)
    assert member_client(member).get(f"/staff/sessions/{session.pk}/").status_code == 403


def test_member_sees_their_sessions_replies_and_gets_a_certificate(org_a, coordinator_a):
    member = make_member(org_a)
    session = make_session(org_a, coordinator_a, starts_at=timezone.now() + timedelta(days=10))
    invitation = make_invitation(session, member, sent_at=timezone.now())
    client = member_client(member)
    page = client.get("/me/sessions/").content.decode()
    assert escape(session.title) in page
    client.post(f"/me/sessions/invitations/{invitation.pk}/reply/", {"coming": "no"})
    invitation.refresh_from_db()
    assert invitation.reply == "apologies"
    past = make_session(org_a, coordinator_a, starts_at=timezone.now() - timedelta(days=10))
    attendance = make_attendance(past, member, minutes_present=150)
    response = client.get(f"/me/attendance/{attendance.pk}/certificate.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    stranger = make_member(org_a)
    assert member_client(stranger).get(f"/me/attendance/{attendance.pk}/certificate.pdf").status_code == 404


def test_personal_calendar_address_can_be_revoked(client, org_a, coordinator_a):
    member = make_member(org_a)
    session = make_session(org_a, coordinator_a, starts_at=timezone.now() + timedelta(days=3))
    make_invitation(session, member, sent_at=timezone.now())
    member_client(member).post("/me/sessions/calendar/", {"action": "create"})
    token = CalendarFeedToken.objects.get(person=member)
    response = client.get(f"/calendar/{token.token}.ics")
    assert response.status_code == 200 and session.title.replace("'", "") in response.content.decode().replace(
        "\\", ""
    ).replace("'", "")
    member_client(member).post("/me/sessions/calendar/", {"action": "revoke"})
    assert client.get(f"/calendar/{token.token}.ics").status_code == 404


def test_member_checks_in_with_the_code(org_a, coordinator_a):
    member = make_member(org_a)
    session = make_session(
        org_a,
        coordinator_a,
        starts_at=timezone.now() - timedelta(minutes=5),
        ends_at=timezone.now() + timedelta(hours=2),
        check_in_code="K7QP2M",
    )
    make_invitation(session, member, sent_at=timezone.now())
    client = member_client(member)
    page = client.post("/me/sessions/", {"code": "ZZZZZZ"}).content.decode()
    assert "That code is not right" in page and 'value="ZZZZZZ"' in page
    client.post("/me/sessions/", {"code": "k7qp2m"})
    assert Attendance.objects.get(person=member).self_checked_in
    again = client.post("/me/sessions/", {"code": "K7QP2M"}).content.decode()
    assert "already checked in" in again


def test_session_page_queries_do_not_grow_with_invitations(org_a, coordinator_a, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    session = make_session(org_a, coordinator_a, starts_at=timezone.now() + timedelta(days=20))
    client = staff_client(coordinator_a)
    for _ in range(2):
        make_invitation(session, make_member(org_a))
    client.get(f"/staff/sessions/{session.pk}/")
    with CaptureQueriesContext(connection) as few:
        client.get(f"/staff/sessions/{session.pk}/")
    for _ in range(12):
        make_invitation(session, make_member(org_a))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(f"/staff/sessions/{session.pk}/").status_code == 200


def test_coordinator_prints_the_sessions_letters_once(org_a, coordinator_a):
    from tests.meetings.factories import make_person
    from tests.people.factories import share

    session = make_session(org_a, coordinator_a, starts_at=timezone.now() + timedelta(days=20))
    person = make_person(full_name="Gwyneth Post")
    share(person, org_a)
    invitation = make_invitation(session, person, sent_at=timezone.now())
    client = staff_client(coordinator_a)
    response = client.get(f"/staff/sessions/{session.pk}/letters.pdf")
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF-")
    invitation.refresh_from_db()
    assert invitation.letter_printed_at is not None
    again = client.get(f"/staff/sessions/{session.pk}/letters.pdf")
    assert again.status_code == 302
    assert client.get(f"/staff/sessions/{session.pk}/letters.pdf?reprint=1").status_code == 200


def test_the_session_page_offers_only_people_matching_a_search(org_a, coordinator_a):
    session = make_session(org_a, coordinator_a, starts_at=timezone.now() + timedelta(days=20))
    make_member(org_a, full_name="Ffion Bevan")
    make_member(org_a, full_name="Owain Jenkins")
    client = staff_client(coordinator_a)
    page = client.get(f"/staff/sessions/{session.pk}/").content.decode()
    assert "Ffion Bevan" not in page and "Owain Jenkins" not in page
    page = client.get(f"/staff/sessions/{session.pk}/?invite_q=ffion").content.decode()
    assert "Ffion Bevan" in page and "Owain Jenkins" not in page


@pytest.mark.django_db
def test_a_member_invited_to_nothing_yet_sees_my_sessions_in_both_languages(org_a):
    client = member_client(make_member(org_a))
    for language in ("en", "cy"):
        client.cookies["withus_language"] = language
        response = client.get("/me/sessions/")
        assert response.status_code == 200
