from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.html import escape

from tests.conftest import make_member, member_client, staff_client
from tests.meetings.factories import london, make_session
from tests.support.training.factories import approved_learning, attend, make_course, run_course
from withus.groups.models import Appointment, Group
from withus.support.training import services
from withus.support.training.models import Course, CourseSession, LoggedLearning, RequiredTraining

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _course_data(**fields):
    data = {"topic": "safeguarding", "title": "Safeguarding", "length_hours": "", "refresh_months": "36"}
    data.update(fields)
    return data


def test_a_coordinator_adds_a_course_and_a_missing_length_keeps_what_was_typed(org_a, coordinator_a):
    client = staff_client(coordinator_a)
    page = client.post("/staff/training/new/", _course_data(co_designed="on")).content.decode()
    assert "There is a problem" in page and "Say how long the course is, in hours." in page
    assert 'value="Safeguarding"' in page
    assert not Course.objects.exists()
    response = client.post("/staff/training/new/", _course_data(length_hours="2.5", co_designed="on"))
    course = Course.objects.get()
    assert response["Location"] == f"/staff/training/{course.pk}/"
    assert course.co_designed and course.length_hours == 2.5
    page = client.get("/staff/training/").content.decode()
    assert "Safeguarding" in page and "co-designed" in page


def test_a_suggested_course_is_added_from_the_catalogue(org_a, coordinator_a):
    client = staff_client(coordinator_a)
    page = client.get("/staff/training/").content.decode()
    assert "Managing conflicts of interest" in page
    response = client.post("/staff/training/suggested/", {"topic": "conflicts_of_interest"})
    course = Course.objects.get()
    assert response["Location"] == f"/staff/training/{course.pk}/edit/"
    assert course.refresh_months == 24


def test_a_course_runs_as_a_session_from_its_page(org_a, coordinator_a):
    course = make_course(org_a)
    session = make_session(org_a, coordinator_a, title="Panel training, March")
    client = staff_client(coordinator_a)
    page = client.get(f"/staff/training/{course.pk}/").content.decode()
    assert "Panel training, March" in page
    assert "There is a problem" in client.post(f"/staff/training/{course.pk}/sessions/", {}).content.decode()
    client.post(f"/staff/training/{course.pk}/sessions/", {"session": session.pk})
    assert CourseSession.objects.get().session == session


def test_a_role_needs_a_course_and_it_shows_on_the_appointment_page(org_a, coordinator_a):
    panel = Group.objects.create(organisation=org_a, name="Interview panel", kind=Group.Kind.PANEL)
    course = make_course(org_a, title="Recruitment panel training")
    client = staff_client(coordinator_a)
    page = client.post(f"/staff/training/{course.pk}/requirements/", {}).content.decode()
    assert "Choose an opportunity or a group, one of them." in page
    client.post(f"/staff/training/{course.pk}/requirements/", {"group": panel.pk})
    need = RequiredTraining.objects.get()
    assert need.group == panel
    client.post(f"/staff/training/{course.pk}/requirements/{need.pk}/remove/")
    assert not RequiredTraining.objects.exists()


def test_staff_of_another_organisation_get_404(org_a, org_b, coordinator_a, coordinator_b):
    course = make_course(org_a)
    member = make_member(org_a)
    record = services.log_learning(
        actor=member.user, person=member, course=course, completed_on=TODAY, provider="Somewhere"
    )
    other = staff_client(coordinator_b)
    for url in [
        f"/staff/training/{course.pk}/",
        f"/staff/training/{course.pk}/edit/",
        f"/staff/training/learning/{record.pk}/",
        f"/staff/people/{member.pk}/training/",
    ]:
        assert other.get(url).status_code == 404, url
    assert other.post(f"/staff/training/{course.pk}/sessions/", {}).status_code == 404
    assert member_client(member).get(f"/staff/training/{course.pk}/").status_code == 403


def test_a_member_logs_learning_and_a_coordinator_approves_it(org_a, coordinator_a):
    course = make_course(org_a, title="Safeguarding adults")
    member = make_member(org_a)
    client = member_client(member)
    future = TODAY + timedelta(days=3)
    page = client.post(
        "/me/training/log/",
        {
            "course": course.pk,
            "completed_on_day": future.day,
            "completed_on_month": future.month,
            "completed_on_year": future.year,
            "provider": "Mind Cymru",
        },
    ).content.decode()
    assert "The date completed cannot be in the future." in page and 'value="Mind Cymru"' in page
    assert not LoggedLearning.objects.exists()
    past = TODAY - timedelta(days=3)
    client.post(
        "/me/training/log/",
        {
            "course": course.pk,
            "completed_on_day": past.day,
            "completed_on_month": past.month,
            "completed_on_year": past.year,
            "provider": "Mind Cymru",
        },
    )
    record = LoggedLearning.objects.get()
    mine = client.get("/me/training/").content.decode()
    assert "Waiting for approval" in mine and "No training completed yet." in mine
    staff = staff_client(coordinator_a)
    assert "Mind Cymru" in staff.get("/staff/training/learning/").content.decode()
    page = staff.post(f"/staff/training/learning/{record.pk}/", {"approve": "no"}).content.decode()
    assert "Say why it is not approved" in page
    staff.post(f"/staff/training/learning/{record.pk}/", {"approve": "yes"})
    mine = client.get("/me/training/").content.decode()
    assert "Safeguarding adults" in mine and "No training completed yet." not in mine


def test_a_member_sees_their_training_with_its_certificate(org_a, coordinator_a):
    course = make_course(org_a, title="Co-production basics")
    member = make_member(org_a)
    attendance = attend(run_course(course, coordinator_a, london(2025, 5, 6)), member)
    page = member_client(member).get("/me/training/").content.decode()
    assert "Co-production basics" in page
    assert f"/me/attendance/{attendance.pk}/certificate.pdf" in page


def test_the_group_page_marks_a_seat_at_risk(org_a, coordinator_a):
    panel = Group.objects.create(organisation=org_a, name="Interview panel", kind=Group.Kind.PANEL)
    course = make_course(org_a, refresh_months=12, title="Panel training")
    services.require_training(actor=coordinator_a, course=course, group=panel)
    member = make_member(org_a, full_name="Sioned Lewis")
    approved_learning(member, course, TODAY - timedelta(days=350))
    Appointment.objects.create(person=member, group=panel, term_start=TODAY, planned_end=TODAY + timedelta(days=9))
    page = staff_client(coordinator_a).get("/staff/opportunities/groups/").content.decode()
    assert "Seat at risk" in page and escape("“Panel training” needs refreshing by") in page


def _many(org, coordinator, n):
    for i in range(n):
        course = make_course(org)
        run_course(course, coordinator, london(2031, 1, 1 + i))
        member = make_member(org)
        services.log_learning(actor=member.user, person=member, course=course, completed_on=TODAY, provider="X")


@pytest.mark.parametrize("url", ["/staff/training/", "/staff/training/learning/"])
def test_staff_lists_take_the_same_queries_however_long(org_a, coordinator_a, url, django_assert_num_queries):
    client = staff_client(coordinator_a)
    _many(org_a, coordinator_a, 2)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _many(org_a, coordinator_a, 6)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)


def test_the_member_record_takes_the_same_queries_however_long(org_a, coordinator_a, django_assert_num_queries):
    member = make_member(org_a)
    client = member_client(member)
    for i in range(2):
        attend(run_course(make_course(org_a), coordinator_a, london(2025, 1, 1 + i)), member)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/me/training/")
    with CaptureQueriesContext(connection) as few:
        client.get("/me/training/")
    for i in range(5):
        attend(run_course(make_course(org_a), coordinator_a, london(2025, 2, 1 + i)), member)
        approved_learning(member, make_course(org_a), TODAY)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/me/training/")


def test_the_appointment_page_says_what_training_is_missing_and_when_it_next_runs(org_a, coordinator_a):
    from tests.opportunities.factories import make_opportunity
    from withus.opportunities import services as opportunity_services

    panel = Group.objects.create(organisation=org_a, name="Interview panel", kind=Group.Kind.PANEL)
    opportunity = make_opportunity(org_a, coordinator_a, application_process="none", group=panel)
    course = make_course(org_a, title="Recruitment panel training")
    services.require_training(actor=coordinator_a, course=course, opportunity=opportunity)
    run_course(course, coordinator_a, london(2031, 2, 3))
    member = make_member(org_a)
    application = opportunity_services.respond(actor=member.user, person=member, opportunity=opportunity)
    opportunity_services.move_application(actor=coordinator_a, application=application, status="selected")
    client = staff_client(coordinator_a)
    page = client.get(f"/staff/applications/{application.pk}/appoint/").content.decode()
    assert escape("“Recruitment panel training”") in page and "3 February 2031" in page
    today = timezone.localdate()
    response = client.post(
        f"/staff/applications/{application.pk}/appoint/",
        {
            "group": panel.pk,
            "seat": "member",
            "term_start_day": today.day,
            "term_start_month": today.month,
            "term_start_year": today.year,
            "planned_end_day": today.day,
            "planned_end_month": today.month,
            "planned_end_year": today.year + 1,
        },
    )
    assert response.status_code == 200 and "There is a problem" in response.content.decode()
    assert not Appointment.objects.exists()


def test_the_training_pages_are_in_welsh(org_a, coordinator_a):
    make_course(org_a, title="Panel training", title_cy="Hyfforddiant panel")
    client = staff_client(coordinator_a)
    client.cookies["withus_language"] = "cy"
    page = client.get("/staff/training/").content.decode()
    assert "Hyfforddiant panel" in page and "Cyrsiau a awgrymir" in page and "Panel training" not in page
    member = make_member(org_a)
    mine = member_client(member)
    mine.cookies["withus_language"] = "cy"
    assert "Fy hyfforddiant" in mine.get("/me/training/").content.decode()


def test_a_persons_page_leads_to_their_training(org_a, coordinator_a):
    member = make_member(org_a)
    page = staff_client(coordinator_a).get(f"/staff/people/{member.pk}/").content.decode()
    assert f'href="/staff/people/{member.pk}/training/"' in page


@pytest.mark.django_db
def test_an_opportunitys_public_page_lists_the_courses_it_needs_and_when_each_next_runs(org_a, coordinator_a):
    from django.test import Client

    from tests.opportunities.factories import OpportunityFactory

    opportunity = OpportunityFactory(organisation=org_a, contact=coordinator_a)
    url = f"/opportunities/{opportunity.short_code}/"
    visitor = Client()
    assert "Training the role needs" not in visitor.get(url).content.decode()
    course = make_course(org_a, title="Recruitment panel training", title_cy="Hyfforddiant paneli recriwtio")
    # Needed by the role: the cached copy of the public page changes at once.
    services.require_training(actor=coordinator_a, course=course, opportunity=opportunity)
    page = visitor.get(url).content.decode()
    assert "Training the role needs, which we run:" in page and "Recruitment panel training" in page
    assert "next on" not in page
    starts = timezone.now() + timedelta(days=20)
    run_course(course, coordinator_a, starts)
    page = visitor.get(url).content.decode()
    assert f"next on {starts.astimezone(timezone.get_current_timezone()):%-d %B %Y}" in page
    visitor.cookies["withus_language"] = "cy"
    assert "Hyfforddiant paneli recriwtio" in visitor.get(url).content.decode()
