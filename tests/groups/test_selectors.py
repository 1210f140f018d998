"""Who holds which seat: for the dashboard, for invitations and for a member's own page."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tests.conftest import make_member, make_staff
from tests.groups.factories import AppointmentFactory, GroupFactory
from tests.people.factories import PersonFactory
from withus.accounts.models import Role
from withus.groups import selectors
from withus.groups.models import Appointment, Group

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_succession_and_fairness_dashboard_data(org_a, coordinator_a):
    group = Group.objects.create(organisation=org_a, name="Board", makes_decisions=True)
    a, b = make_member(org_a, perspective="carer"), make_member(org_a)
    for person, end in ((a, TODAY + timedelta(days=60)), (b, TODAY + timedelta(days=120))):
        Appointment.objects.create(person=person, group=group, term_start=date(2024, 1, 1), planned_end=end)
    warnings = selectors.succession_warnings(org_a, today=TODAY)
    assert {w.kind for w in warnings} == {"term_ending", "whole_team"}
    single = selectors.single_voice_groups(org_a)
    assert single and single[0][0] == group


def test_serving_on_a_group_means_a_term_running_today(org_a):
    group = GroupFactory(organisation=org_a)
    serving = AppointmentFactory(group=group, deputy=PersonFactory())
    AppointmentFactory(group=group, term_start=TODAY + timedelta(days=1))  # not started
    AppointmentFactory(group=group, ended_on=TODAY - timedelta(days=1))  # ended early
    AppointmentFactory(group=group, term_start=TODAY - timedelta(days=400), planned_end=TODAY - timedelta(days=1))
    AppointmentFactory(group=GroupFactory(organisation=org_a))  # another group

    assert selectors.serving_on(group, today=TODAY) == [serving]


def test_current_appointments_are_for_staff_who_see_the_work(org_a, org_b):
    mine = AppointmentFactory(group=GroupFactory(organisation=org_a))
    AppointmentFactory(group=GroupFactory(organisation=org_b))
    AppointmentFactory(group=mine.group, ended_on=TODAY)
    decision_maker = make_staff(org_a, Role.DECISION_MAKER)

    assert list(selectors.current_appointments(decision_maker, org_a)) == [mine]
    with pytest.raises(PermissionDenied):
        selectors.current_appointments(make_staff(org_a, Role.BUDGET_HOLDER), org_a)


def test_a_person_sees_the_seats_they_hold_now(org_a, org_b):
    person = PersonFactory()
    held = [AppointmentFactory(person=person, group=GroupFactory(organisation=o)) for o in (org_a, org_b)]
    AppointmentFactory(person=person, ended_on=TODAY)

    assert set(selectors.seats_held_by(person)) == set(held)


def test_the_groups_page_reads_in_a_fixed_number_of_queries(org_a, django_assert_num_queries):
    def add(n):
        for _ in range(n):
            group = GroupFactory(organisation=org_a)
            AppointmentFactory.create_batch(2, group=group)
            AppointmentFactory(group=group, ended_on=TODAY)

    add(1)
    with django_assert_num_queries(2):
        groups = list(selectors.groups_of(org_a))
        assert [len(g.current_appointments) for g in groups] == [2]
        assert all(a.person.full_name for g in groups for a in g.current_appointments)
    add(5)
    with django_assert_num_queries(2):
        groups = list(selectors.groups_of(org_a))
        assert [len(g.current_appointments) for g in groups] == [2] * 6
        assert all(a.person.full_name for g in groups for a in g.current_appointments)
