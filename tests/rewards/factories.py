"""factory_boy factories for reward and recognition.

Each makes a valid row with the fewest choices: pass what a test is about and leave
the rest. They write straight to the database, past the services, so use them to set
the scene and the services for what is being tested.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory

from tests.accounts.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.people.factories import PersonFactory
from withus.accounts.models import Organisation, Role, User
from withus.rewards.models import (
    BenefitDeclaration,
    Budget,
    CashFloat,
    IncomeLine,
    PaymentBatch,
    RateCard,
    RewardMethod,
    RewardPreference,
)

DAY = date(2025, 6, 11)


def budget_holder(organisation: Organisation) -> User:
    """A new user who holds the budget holder role in ``organisation``."""
    return MembershipFactory(organisation=organisation, role=Role.BUDGET_HOLDER).user


class BudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Budget

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Budget {n}")
    allocation = Decimal("1000.00")
    holder = factory.LazyAttribute(lambda budget: budget_holder(budget.organisation))


class IncomeLineFactory(factory.django.DjangoModelFactory):
    """An accepted fee of £60 for a panel, unless told otherwise."""

    class Meta:
        model = IncomeLine

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    kind = IncomeLine.Kind.FEE
    description = "Recruitment panel"
    amount = Decimal("60.00")
    activity_date = DAY
    status = IncomeLine.Status.ACCEPTED


class RateCardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RateCard

    organisation = factory.SubFactory(OrganisationFactory)
    activity_type = "meeting"
    hourly_rate = Decimal("15.00")
    valid_from = date(2025, 4, 1)


class BenefitDeclarationFactory(factory.django.DjangoModelFactory):
    """Carer's Allowance, shared with no organisation unless ``share_with`` is given."""

    class Meta:
        model = BenefitDeclaration
        skip_postgeneration_save = True

    person = factory.SubFactory(PersonFactory)
    benefit = "carers_allowance"

    @factory.post_generation
    def share_with(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create and extracted:
            self.share_with.set(extracted)


class RewardPreferenceFactory(factory.django.DjangoModelFactory):
    """A bank transfer with made-up details."""

    class Meta:
        model = RewardPreference

    person = factory.SubFactory(PersonFactory)
    method = RewardMethod.BANK_TRANSFER
    account_name = factory.SelfAttribute("person.full_name")
    sort_code = "123456"
    account_number = "12345678"


class PaymentBatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PaymentBatch

    organisation = factory.SubFactory(OrganisationFactory)
    method = RewardMethod.BANK_TRANSFER
    created_by = factory.LazyAttribute(lambda batch: budget_holder(batch.organisation))


class CashFloatFactory(factory.django.DjangoModelFactory):
    """£50 drawn from a budget of the same organisation, held by one of its coordinators."""

    class Meta:
        model = CashFloat

    organisation = factory.SubFactory(OrganisationFactory)
    budget = factory.SubFactory(BudgetFactory, organisation=factory.SelfAttribute("..organisation"))
    held_by = factory.SubFactory(UserFactory)
    issued = Decimal("50.00")
