"""factory_boy factories for support."""

from __future__ import annotations

import factory
from django.utils import timezone

from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.people.factories import PersonFactory
from withus.support.models import CallRequest, Contact, SupportAssignment, SupportPart


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
