"""Groups, seats and report-backs: the writes, their permissions and their audit trail."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.conftest import make_member, make_staff
from tests.groups.factories import AppointmentFactory, GroupFactory
from tests.meetings.factories import make_session
from withus.accounts.models import Role
from withus.groups import services
from withus.groups.models import Appointment, Group, ReportBack

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
TERM = {"term_start": TODAY, "planned_end": TODAY + timedelta(days=3 * 365)}


def test_a_coordinator_adds_a_group_and_the_log_says_who(org_a, coordinator_a):
    group = services.create_group(
        actor=coordinator_a, organisation=org_a, name="Crisis care panel", kind="panel", makes_decisions=True
    )

    assert (group.organisation, group.kind, group.makes_decisions) == (org_a, "panel", True)
    entry = LogEntry.objects.get_for_object(group).get()
    assert entry.actor == coordinator_a


def test_only_coordinators_and_admins_add_groups(org_a):
    supervisor = make_staff(org_a, Role.SUPERVISOR)
    with pytest.raises(PermissionDenied):
        services.create_group(actor=supervisor, organisation=org_a, name="Panel", kind="panel", makes_decisions=False)
    assert not Group.objects.exists()


def test_appointing_records_the_seat_its_deputy_and_buddy(org_a, coordinator_a):
    group = GroupFactory(organisation=org_a)
    person, deputy, buddy = make_member(org_a), make_member(org_a), make_member(org_a)

    appointment = services.appoint(
        actor=coordinator_a, group=group, person=person, seat="chair", deputy=deputy, buddy=buddy, **TERM
    )

    assert (appointment.seat, appointment.deputy, appointment.buddy) == ("chair", deputy, buddy)
    assert appointment.appointed_by == coordinator_a
    assert LogEntry.objects.get_for_object(appointment).get().actor == coordinator_a


def test_a_bad_term_or_deputy_is_refused_with_every_reason(org_a, coordinator_a):
    group = GroupFactory(organisation=org_a)
    person = make_member(org_a)
    with pytest.raises(ValidationError) as error:
        services.appoint(
            actor=coordinator_a,
            group=group,
            person=person,
            deputy=person,
            term_start=TODAY,
            planned_end=TODAY,
            review_on=TODAY + timedelta(days=400),
        )
    assert set(error.value.message_dict) == {"planned_end", "review_on", "deputy"}
    assert not Appointment.objects.exists()


def test_another_organisations_coordinator_cannot_appoint_or_end_a_term(org_a, coordinator_b):
    group = GroupFactory(organisation=org_a)
    with pytest.raises(PermissionDenied):
        services.appoint(actor=coordinator_b, group=group, person=make_member(org_a), **TERM)
    appointment = AppointmentFactory(group=group)
    with pytest.raises(PermissionDenied):
        services.end_appointment(actor=coordinator_b, appointment=appointment, ended_on=TODAY)
    appointment.refresh_from_db()
    assert appointment.ended_on is None


def test_a_term_ends_no_earlier_than_it_started(org_a, coordinator_a):
    appointment = AppointmentFactory(group=GroupFactory(organisation=org_a))
    with pytest.raises(ValidationError) as error:
        services.end_appointment(
            actor=coordinator_a, appointment=appointment, ended_on=appointment.term_start - timedelta(days=1)
        )
    assert "ended_on" in error.value.message_dict

    services.end_appointment(actor=coordinator_a, appointment=appointment, ended_on=TODAY)
    appointment.refresh_from_db()
    assert appointment.ended_on == TODAY


def test_a_representative_reports_back_themselves_or_through_a_coordinator(org_a, org_b, coordinator_a):
    session = make_session(org_a)
    member = make_member(org_a)

    own = services.record_report_back(
        actor=member.user, session=session, person=member, reported_to="Hafan group", summary="We were heard."
    )
    assert (own.reported_on, own.session) == (TODAY, session)
    services.record_report_back(
        actor=coordinator_a, session=session, person=member, reported_to="Carers' forum", summary="Said it again."
    )
    assert ReportBack.objects.filter(person=member).count() == 2

    stranger = make_member(org_b)
    with pytest.raises(PermissionDenied):
        services.record_report_back(
            actor=stranger.user, session=session, person=member, reported_to="Anyone", summary="Not mine to give."
        )
    assert ReportBack.objects.count() == 2
