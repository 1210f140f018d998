"""factory_boy factories for groups, their seats and report-backs."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from tests.accounts.factories import OrganisationFactory
from tests.meetings.factories import SessionFactory
from tests.people.factories import PersonFactory
from withus.groups.models import Appointment, Group, ReportBack


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Partnership board {n}")
    kind = Group.Kind.BOARD
    makes_decisions = True


class AppointmentFactory(factory.django.DjangoModelFactory):
    """A seat held now: a three-year term that started a month ago."""

    class Meta:
        model = Appointment

    group = factory.SubFactory(GroupFactory)
    person = factory.SubFactory(PersonFactory)
    seat = Appointment.Seat.MEMBER
    term_start = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    planned_end = factory.LazyAttribute(lambda appointment: appointment.term_start + timedelta(days=3 * 365))


class ReportBackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportBack

    session = factory.SubFactory(SessionFactory)
    person = factory.SubFactory(PersonFactory)
    reported_to = "Hafan peer support group"
    summary = "The board agreed to rewrite the crisis leaflet with us."
