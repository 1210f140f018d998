"""factory_boy factories for leaving well."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from tests.accounts.factories import OrganisationFactory
from tests.people.factories import PersonFactory
from withus.support.leaving.models import LeavingOffer


class LeavingOfferFactory(factory.django.DjangoModelFactory):
    """A thank-you, with no step-down role, for a role served until yesterday."""

    class Meta:
        model = LeavingOffer

    organisation = factory.SubFactory(OrganisationFactory)
    person = factory.SubFactory(PersonFactory)
    served_as = "Member, Partnership Board"
    served_from = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=3 * 365))
    served_until = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=1))
