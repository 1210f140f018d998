from datetime import timedelta

import pytest
from django.utils import timezone

from tests.api.helpers import api_as, assert_error, member_api
from tests.conftest import make_member
from tests.meetings.factories import london, make_session
from tests.support.training.factories import attend, make_course, run_course
from withus.groups.models import Group
from withus.support.training.models import Course, CourseSession, LoggedLearning, RequiredTraining

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def test_a_coordinator_adds_a_course_and_one_without_a_length_is_refused(coordinator_api_a, org_a):
    response = coordinator_api_a.post("/api/staff/training/courses", {"title": "Scrutiny"})
    body = assert_error(response, 422, "invalid")
    assert body["fields"]["length_hours"] == ["Say how long the course is, in hours."]
    assert not Course.objects.exists()
    response = coordinator_api_a.post(
        "/api/staff/training/courses",
        {"title": "Scrutiny", "topic": "scrutiny", "length_hours": "2.5", "co_delivered": True, "refresh_months": 24},
    )
    assert response.status_code == 201, response.content
    course = response.json()
    assert course["length_hours"] == "2.5" and course["co_delivered"] and course["refresh_months"] == 24
    response = coordinator_api_a.patch(f"/api/staff/training/courses/{course['id']}", {"accredited": True})
    assert response.json()["accredited"] and response.json()["title"] == "Scrutiny"
    listed = coordinator_api_a.get("/api/staff/training/courses").json()
    assert [c["title"] for c in listed["items"]] == ["Scrutiny"]


def test_staff_of_another_organisation_get_404(org_a, org_b, coordinator_b, coordinator_a):
    course = make_course(org_a)
    other = api_as(coordinator_b, org_b)
    assert_error(other.get(f"/api/staff/training/courses/{course.pk}"), 404, "not_found")
    assert_error(other.patch(f"/api/staff/training/courses/{course.pk}", {"title": "X"}), 404, "not_found")
    assert_error(other.post(f"/api/staff/training/courses/{course.pk}/sessions", {"session": 1}), 404, "not_found")
    member = make_member(org_a)
    assert_error(
        other.post(
            f"/api/staff/training/people/{member.pk}/learning",
            {"course": course.pk, "completed_on": str(TODAY), "provider": "X"},
        ),
        404,
        "not_found",
    )


def test_a_course_runs_as_a_session_and_a_role_needs_it(coordinator_api_a, org_a, coordinator_a):
    course = make_course(org_a)
    session = make_session(org_a, coordinator_a)
    response = coordinator_api_a.post(f"/api/staff/training/courses/{course.pk}/sessions", {"session": session.pk})
    assert response.status_code == 201 and CourseSession.objects.get().session == session
    got = coordinator_api_a.get(f"/api/staff/training/courses/{course.pk}").json()
    assert got["next_session"] == session.pk
    panel = Group.objects.create(organisation=org_a, name="Panel")
    assert_error(coordinator_api_a.post(f"/api/staff/training/courses/{course.pk}/requirements", {}), 422, "invalid")
    response = coordinator_api_a.post(f"/api/staff/training/courses/{course.pk}/requirements", {"group": panel.pk})
    assert response.status_code == 201 and RequiredTraining.objects.get().group == panel


def test_a_member_logs_learning_and_a_coordinator_approves_it(org_a, coordinator_api_a):
    course = make_course(org_a)
    member = make_member(org_a)
    api = member_api(member, org_a)
    future = {"course": course.pk, "completed_on": str(TODAY + timedelta(days=1)), "provider": "Mind"}
    body = assert_error(api.post("/api/me/training/learning", future), 422, "invalid")
    assert "completed_on" in body["fields"]
    assert not LoggedLearning.objects.exists()
    response = api.post("/api/me/training/learning", {**future, "completed_on": str(TODAY)})
    assert response.status_code == 201 and response.json()["status"] == "waiting"
    assert api.get("/api/me/training").json() == []
    waiting = coordinator_api_a.get("/api/staff/training/learning").json()["items"]
    assert [w["person"] for w in waiting] == [member.pk]
    record = waiting[0]["id"]
    assert_error(
        coordinator_api_a.post(f"/api/staff/training/learning/{record}/decision", {"approve": False}), 422, "invalid"
    )
    response = coordinator_api_a.post(f"/api/staff/training/learning/{record}/decision", {"approve": True})
    assert response.json()["status"] == "approved"
    [line] = api.get("/api/me/training").json()
    assert line["course"] == course.pk and line["completed_on"] == str(TODAY)


def test_a_member_logs_only_against_courses_where_they_share(org_a, org_b):
    member = make_member(org_b)
    course = make_course(org_a)
    body = {"course": course.pk, "completed_on": str(TODAY), "provider": "X"}
    assert_error(member_api(member, org_b).post("/api/me/training/learning", body), 422, "invalid")


def test_a_coordinator_reads_someones_record_with_certificates(org_a, coordinator_a, coordinator_api_a):
    member = make_member(org_a)
    attendance = attend(run_course(make_course(org_a), coordinator_a, london(2025, 4, 1)), member)
    [line] = coordinator_api_a.get(f"/api/staff/training/people/{member.pk}/record").json()
    assert line["attendance"] == attendance.pk and line["how"]


def test_appointing_through_the_api_says_what_training_is_missing(org_a, coordinator_a, coordinator_api_a):
    panel = Group.objects.create(organisation=org_a, name="Interview panel", kind=Group.Kind.PANEL)
    course = make_course(org_a, title="Recruitment panel training")
    RequiredTraining.objects.create(course=course, group=panel)
    run_course(course, coordinator_a, london(2031, 2, 3))
    member = make_member(org_a)
    payload = {
        "group": panel.pk,
        "person": member.pk,
        "term_start": str(TODAY),
        "planned_end": str(TODAY + timedelta(days=365)),
    }
    body = assert_error(coordinator_api_a.post("/api/staff/appointments", payload), 422, "invalid")
    assert "Recruitment panel training" in " ".join(body["fields"]["person"])
    assert "3 February 2031" in " ".join(body["fields"]["person"])
