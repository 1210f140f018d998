"""factory_boy factories for support."""

from __future__ import annotations

import factory
from django.utils import timezone

from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.people.factories import PersonFactory
from withus.support.models import (
    CallRequest,
    Contact,
    DevelopmentGoal,
    Mentoring,
    Supervision,
    SupervisionGroup,
    SupportAssignment,
    SupportPart,
)


class SupportAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportAssignment

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    part = SupportPart.SUPPORT_CONTACT
    staff = factory.SubFactory(UserFactory)
    reason = "New member"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    kind = Contact.Kind.CALL
    on = factory.LazyFunction(timezone.localdate)
    note = "Talked about the next meeting"


class CallRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CallRequest

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    due_at = factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(hours=48))


class SupervisionGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupervisionGroup

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Peer group {n}")
    supervisor = factory.SubFactory(UserFactory)


class SupervisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supervision

    organisation = factory.SubFactory(OrganisationFactory)
    kind = Supervision.Kind.ONE_TO_ONE
    person = factory.SubFactory(PersonFactory)
    supervisor = factory.SubFactory(UserFactory)
    on = factory.LazyFunction(timezone.localdate)


class DevelopmentGoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DevelopmentGoal

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    goal = "Chair a meeting"
    review_on = factory.LazyFunction(lambda: timezone.localdate() + timezone.timedelta(days=90))


class MentoringFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mentoring

    organisation = factory.SubFactory(OrganisationFactory)
    new_member = factory.SubFactory(PersonFactory)
    mentor = factory.SubFactory(PersonFactory)
    starts_on = factory.LazyFunction(timezone.localdate)
    review_on = factory.LazyFunction(lambda: timezone.localdate() + timezone.timedelta(days=90))
