from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.conftest import make_member, make_staff
from tests.meetings.factories import london, make_session
from tests.support.training.factories import approved_learning, attend, make_course, run_course
from withus.accounts.models import Role
from withus.groups.models import Appointment, Group
from withus.opportunities import services as opportunity_services
from withus.opportunities.selectors import missing_requirements
from withus.people.models import OutgoingMessage
from withus.support.training import selectors, services
from withus.support.training.models import Course, CourseSession, ExpiryWarning, LoggedLearning, RequiredTraining

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def test_a_course_with_no_length_is_refused_and_nothing_written(org_a, coordinator_a):
    with pytest.raises(ValidationError) as error:
        services.save_course(
            actor=coordinator_a, organisation=org_a, fields={"title": "Safeguarding", "length_hours": None}
        )
    assert error.value.message_dict == {"length_hours": ["Say how long the course is, in hours."]}
    assert not Course.objects.exists()
    course = services.save_course(
        actor=coordinator_a,
        organisation=org_a,
        fields={"title": "Safeguarding", "length_hours": Decimal("3"), "co_designed": True, "refresh_months": 36},
    )
    assert course.co_designed and not course.accredited
    with pytest.raises(ValidationError, match="already has a course"):
        services.save_course(
            actor=coordinator_a, organisation=org_a, fields={"title": "safeguarding", "length_hours": Decimal("2")}
        )


def test_only_coordinators_change_the_catalogue(org_a, org_b, coordinator_b):
    with pytest.raises(PermissionDenied):
        services.save_course(actor=coordinator_b, organisation=org_a, fields={"title": "X", "length_hours": 1})
    member = make_member(org_a)
    with pytest.raises(PermissionDenied):
        services.add_suggested_course(actor=member.user, organisation=org_a, topic="safeguarding")


def test_a_suggested_course_comes_with_its_welsh_title(org_a, coordinator_a):
    course = services.add_suggested_course(actor=coordinator_a, organisation=org_a, topic="nolan_principles")
    assert course.title == "The Nolan principles and citizen centred governance"
    assert course.title_cy == "Egwyddorion Nolan a llywodraethu sy'n canolbwyntio ar y dinesydd"
    assert course.length_hours > 0
    with pytest.raises(ValidationError):
        services.add_suggested_course(actor=coordinator_a, organisation=org_a, topic="juggling")


def test_attending_a_session_that_runs_a_course_completes_it(org_a, coordinator_a):
    course = make_course(org_a)
    session = make_session(org_a, coordinator_a, starts_at=london(2025, 3, 4))
    services.run_as_session(actor=coordinator_a, course=course, session=session)
    member, absent = make_member(org_a), make_member(org_a)
    attend(session, member)
    done = selectors.completions([member.pk, absent.pk], [course.pk])
    assert done == {(member.pk, course.pk): london(2025, 3, 4).date()}
    [line] = selectors.record_of(member)
    assert line.course == course and line.attendance_id is not None


def test_a_session_runs_one_course_of_its_own_organisation(org_a, org_b, coordinator_a, coordinator_b):
    course, other = make_course(org_a), make_course(org_a)
    session = make_session(org_a, coordinator_a)
    services.run_as_session(actor=coordinator_a, course=course, session=session)
    with pytest.raises(ValidationError, match="already runs"):
        services.run_as_session(actor=coordinator_a, course=other, session=session)
    with pytest.raises(ValidationError, match="your organisation"):
        services.run_as_session(actor=coordinator_a, course=course, session=make_session(org_b, coordinator_b))
    assert CourseSession.objects.count() == 1


def test_learning_a_member_logs_counts_once_approved(org_a, coordinator_a):
    course = make_course(org_a)
    member = make_member(org_a)
    record = services.log_learning(
        actor=member.user, person=member, course=course, completed_on=TODAY - timedelta(days=5), provider="Mind Cymru"
    )
    assert record.status == LoggedLearning.Status.WAITING
    assert selectors.completions([member.pk], [course.pk]) == {}
    assert list(selectors.waiting_for_approval(coordinator_a, org_a)) == [record]
    services.decide_learning(actor=coordinator_a, record=record, approve=True)
    assert selectors.completions([member.pk], [course.pk]) == {(member.pk, course.pk): TODAY - timedelta(days=5)}
    with pytest.raises(ValidationError, match="already been decided"):
        services.decide_learning(actor=coordinator_a, record=record, approve=False, reason="No")


def test_a_completion_dated_in_the_future_is_refused_and_nothing_written(org_a):
    course = make_course(org_a)
    member = make_member(org_a)
    with pytest.raises(ValidationError) as error:
        services.log_learning(
            actor=member.user, person=member, course=course, completed_on=TODAY + timedelta(days=1), provider=""
        )
    assert set(error.value.message_dict) == {"completed_on", "provider"}
    assert not LoggedLearning.objects.exists()


def test_declining_needs_a_reason_and_a_member_logs_only_where_they_share(org_a, org_b, coordinator_a):
    member = make_member(org_b)
    with pytest.raises(PermissionDenied):
        services.log_learning(
            actor=member.user, person=member, course=make_course(org_a), completed_on=TODAY, provider="X"
        )
    sharer = make_member(org_a)
    record = services.log_learning(
        actor=sharer.user, person=sharer, course=make_course(org_a), completed_on=TODAY, provider="X"
    )
    with pytest.raises(ValidationError) as error:
        services.decide_learning(actor=coordinator_a, record=record, approve=False, reason=" ")
    assert "reason" in error.value.message_dict
    record.refresh_from_db()
    assert record.status == LoggedLearning.Status.WAITING


def test_a_coordinator_logging_learning_approves_it_as_they_log_it(org_a, coordinator_a):
    member = make_member(org_a)
    record = services.log_learning(
        actor=coordinator_a, person=member, course=make_course(org_a), completed_on=TODAY, provider="NHS Wales"
    )
    assert record.status == LoggedLearning.Status.APPROVED and record.decided_by == coordinator_a


# ---- Training a role needs ----------------------------------------------------------------------


def _selected(org, coordinator, group, **fields):
    from tests.opportunities.factories import make_opportunity

    opportunity = make_opportunity(org, coordinator, application_process="none", group=group, **fields)
    member = make_member(org)
    application = opportunity_services.respond(actor=member.user, person=member, opportunity=opportunity)
    opportunity_services.move_application(actor=coordinator, application=application, status="selected")
    return opportunity, member


def _appoint(coordinator, group, member, opportunity=None):
    return opportunity_services.appoint(
        actor=coordinator,
        group=group,
        person=member,
        opportunity=opportunity,
        term_start=TODAY,
        planned_end=TODAY + timedelta(days=365),
    )


def test_a_seat_is_refused_until_the_training_it_needs_is_done(org_a, coordinator_a):
    panel = Group.objects.create(organisation=org_a, name="Interview panel", kind=Group.Kind.PANEL)
    opportunity, member = _selected(org_a, coordinator_a, panel)
    course = make_course(org_a, title="Recruitment panel training")
    services.require_training(actor=coordinator_a, course=course, opportunity=opportunity)
    next_course = run_course(course, coordinator_a, london(2031, 2, 3))
    with pytest.raises(ValidationError) as error:
        _appoint(coordinator_a, panel, member, opportunity)
    message = " ".join(error.value.message_dict["person"])
    assert "Recruitment panel training" in message and "not done" in message
    assert "The next course is on 3 February 2031." in message
    assert not Appointment.objects.exists()
    attend(run_course(course, coordinator_a, london(2025, 1, 10)), member)
    assert _appoint(coordinator_a, panel, member, opportunity).person == member
    assert next_course.course_run.course == course


def test_a_group_seat_needs_its_training_without_an_opportunity(org_a, coordinator_a):
    panel = Group.objects.create(organisation=org_a, name="Interview panel", kind=Group.Kind.PANEL)
    course = make_course(org_a, refresh_months=12)
    services.require_training(actor=coordinator_a, course=course, group=panel)
    member = make_member(org_a)
    approved_learning(member, course, TODAY - timedelta(days=400))
    [message] = missing_requirements(member, None, group=panel, today=TODAY)
    assert "expired on" in message and "No course is planned yet." in message
    with pytest.raises(ValidationError):
        _appoint(coordinator_a, panel, member)
    approved_learning(member, course, TODAY - timedelta(days=3))
    assert missing_requirements(member, None, group=panel, today=TODAY) == []
    assert _appoint(coordinator_a, panel, member).group == panel


def test_a_requirement_names_one_role_of_the_course_organisation(org_a, org_b, coordinator_a):
    course = make_course(org_a)
    other_group = Group.objects.create(organisation=org_b, name="Board B")
    with pytest.raises(ValidationError):
        services.require_training(actor=coordinator_a, course=course)
    with pytest.raises(ValidationError, match="your organisation"):
        services.require_training(actor=coordinator_a, course=course, group=other_group)
    group = Group.objects.create(organisation=org_a, name="Board A")
    services.require_training(actor=coordinator_a, course=course, group=group)
    with pytest.raises(ValidationError, match="already needs"):
        services.require_training(actor=coordinator_a, course=course, group=group)
    assert RequiredTraining.objects.count() == 1


# ---- Expiry -------------------------------------------------------------------------------------


def test_training_that_expires_warns_the_member_and_coordinator_once(org_a, coordinator_a):
    course = make_course(org_a, refresh_months=12, title="Safeguarding")
    member = make_member(org_a, full_name="Alaw Jones")
    post = make_member(org_a, preferred_channel="post", address="1 Stryd", postcode="SY23 1AA")
    fresh = make_member(org_a)
    today = TODAY
    approved_learning(member, course, today - timedelta(days=340))
    approved_learning(post, course, today - timedelta(days=350))
    approved_learning(fresh, course, today - timedelta(days=30))
    mail.outbox.clear()
    assert services.warn_expiring(today=today) == 2
    assert OutgoingMessage.objects.filter(person=member).count() == 1
    assert OutgoingMessage.objects.filter(person=post, channel="post").count() == 1
    assert not OutgoingMessage.objects.filter(person=fresh).exists()
    staff_mail = [m for m in mail.outbox if coordinator_a.email in m.to]
    assert len(staff_mail) == 1 and "Alaw Jones" in staff_mail[0].body
    assert services.warn_expiring(today=today) == 0
    assert ExpiryWarning.objects.count() == 2


def test_a_refresher_stops_the_warning(org_a):
    course = make_course(org_a, refresh_months=12)
    member = make_member(org_a)
    approved_learning(member, course, TODAY - timedelta(days=340))
    approved_learning(member, course, TODAY - timedelta(days=2))
    assert selectors.expiring(today=TODAY) == []


def test_a_seat_whose_training_lapses_is_at_risk(org_a, coordinator_a):
    panel = Group.objects.create(organisation=org_a, name="Panel", kind=Group.Kind.PANEL)
    course = make_course(org_a, refresh_months=12)
    services.require_training(actor=coordinator_a, course=course, group=panel)
    soon, fine = make_member(org_a), make_member(org_a)
    approved_learning(soon, course, TODAY - timedelta(days=350))
    approved_learning(fine, course, TODAY - timedelta(days=10))
    held = Appointment.objects.create(person=soon, group=panel, term_start=TODAY, planned_end=TODAY + timedelta(days=9))
    Appointment.objects.create(person=fine, group=panel, term_start=TODAY, planned_end=TODAY + timedelta(days=9))
    at_risk = selectors.seats_at_risk(org_a)
    assert list(at_risk) == [held.pk]
    assert at_risk[held.pk][0].course == course


def test_a_supervisor_reads_the_catalogue_but_cannot_change_it(org_a):
    supervisor = make_staff(org_a, Role.SUPERVISOR)
    make_course(org_a)
    assert selectors.courses_for_staff(supervisor, org_a).count() == 1
    with pytest.raises(PermissionDenied):
        services.save_course(actor=supervisor, organisation=org_a, fields={"title": "X", "length_hours": 1})
