"""factory_boy factories shared by every test."""

from __future__ import annotations

from typing import Any

import factory
from allauth.account.models import EmailAddress

from withus.accounts.models import Membership, Organisation, Role, User
from withus.people.models import ConsentRecord, Person


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    password = factory.django.Password("a-good-long-password")

    @factory.post_generation
    def verified(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.COORDINATOR


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Person {n}")
    perspective = "service_user"


def share(person: Person, organisation: Organisation, *, act_on_behalf: bool = False) -> None:
    """Record that the person shares their details with the organisation."""
    ConsentRecord.objects.create(
        person=person, purpose=ConsentRecord.Purpose.SHARE_WITH_ORGANISATION, organisation=organisation
    )
    if act_on_behalf:
        ConsentRecord.objects.create(
            person=person,
            purpose=ConsentRecord.Purpose.ACT_ON_BEHALF,
            organisation=organisation,
            how=ConsentRecord.How.IN_PERSON,
        )
    if person.user_id:
        Membership.objects.get_or_create(user_id=person.user_id, organisation=organisation, role=Role.MEMBER)
