"""factory_boy factories for the people register, and recording that someone shares with an organisation."""

from __future__ import annotations

import factory

from withus.accounts.models import Membership, Organisation, Role
from withus.people.models import ConsentRecord, Person


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
