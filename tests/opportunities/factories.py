"""factory_boy factories for opportunities and responses to them.

``make_opportunity`` stays as the short way to an ordinary published opportunity,
open for another month; every field can be overridden with a keyword.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone

from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.people.factories import PersonFactory
from withus.accounts.models import Organisation, User
from withus.opportunities.models import Application, Opportunity, Reference, Referral


class OpportunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opportunity

    organisation = factory.SubFactory(OrganisationFactory)
    contact = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Opportunity {n}")
    purpose = "To improve a service"
    intended_outcomes = "A better service"
    influence = "Can change the leaflet, not the budget"
    level = 4
    application_process = "expression_of_interest"
    time_commitment = "One day"
    places = 2
    where = "operational"
    role_offered = "expert_by_experience"
    status = Opportunity.Status.PUBLISHED
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    short_code = factory.Sequence(lambda n: f"t{n:05d}")


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A response that has been sent."""

    class Meta:
        model = Application

    opportunity = factory.SubFactory(OpportunityFactory)
    person = factory.SubFactory(PersonFactory)
    status = Application.Status.RECEIVED
    why = "I have used the service for years"
    submitted_at = factory.LazyFunction(timezone.now)


class ReferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reference

    application = factory.SubFactory(ApplicationFactory)
    name = factory.Sequence(lambda n: f"Referee {n}")
    relationship = "Support worker"
    email = factory.Sequence(lambda n: f"referee{n}@example.org")


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    organisation = factory.SubFactory(OrganisationFactory)
    person_name = factory.Sequence(lambda n: f"Referred person {n}")
    contact = "01970 000000"
    preferred_channel = "phone"
    referred_by_name = "Dr Gwen Lloyd"
    referred_by_role = "GP"
    consent_given = True
    consent_how = "in_person"


def make_opportunity(organisation: Organisation, contact: User, **fields: Any) -> Opportunity:
    opportunity = OpportunityFactory(organisation=organisation, contact=contact, **fields)
    assert isinstance(opportunity, Opportunity)
    return opportunity
