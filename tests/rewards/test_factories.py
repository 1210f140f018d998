"""The rewards factories make rows the models accept, tied together consistently."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.rewards.factories import (
    BenefitDeclarationFactory,
    BudgetFactory,
    CashFloatFactory,
    IncomeLineFactory,
    PaymentBatchFactory,
    RateCardFactory,
    RewardPreferenceFactory,
)
from withus.accounts.models import Role
from withus.accounts.selectors import has_role
from withus.rewards.cash import selectors as cash_selectors
from withus.rewards.finance import selectors as finance_selectors

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "factory",
    [
        BudgetFactory,
        IncomeLineFactory,
        RateCardFactory,
        BenefitDeclarationFactory,
        RewardPreferenceFactory,
        PaymentBatchFactory,
        CashFloatFactory,
    ],
)
def test_every_factory_makes_a_valid_row(factory):
    row = factory()
    row.full_clean()


def test_a_budget_is_held_by_a_budget_holder_of_its_organisation_and_a_float_draws_on_one_of_its_own():
    budget = BudgetFactory()
    assert has_role(budget.holder, budget.organisation, Role.BUDGET_HOLDER)
    cash_float = CashFloatFactory()
    assert cash_float.budget.organisation_id == cash_float.organisation_id
    assert cash_selectors.balance(cash_float) == cash_float.issued


def test_a_batch_of_factory_lines_adds_up():
    batch = PaymentBatchFactory()
    for amount in ("1.10", "2.20"):
        IncomeLineFactory(organisation=batch.organisation, status="approved", batch=batch, amount=amount)
    assert finance_selectors.figures_of_lines(batch.lines.all()) == (2, Decimal("3.30"))
