"""Reads for cash floats: balances, who may issue or close a float, the floats with their figures."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import DecimalField, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from withus.accounts.models import Organisation, User
from withus.accounts.roles import ADMINISTERING, HOLDING_BUDGETS, HOLDING_FLOATS
from withus.accounts.selectors import has_role
from withus.rewards import rules
from withus.rewards.models import Budget, CashFloat, IncomeLine

ZERO = Decimal("0.00")


def repaid(cash_float: CashFloat) -> Decimal:
    total = IncomeLine.objects.filter(cash_float=cash_float).aggregate(total=Sum("amount"))["total"]
    return rules.money(total or ZERO)


def balance(cash_float: CashFloat) -> Decimal:
    """What should be left in the float: issued less every repayment made from it."""
    return rules.money(cash_float.issued) - repaid(cash_float)


def may_issue(actor: User, organisation: Organisation, budget: Budget | None = None) -> bool:
    """An admin of the organisation, or the holder of ``budget`` (of any budget, when none is given)."""
    if has_role(actor, organisation, *ADMINISTERING):
        return True
    if not has_role(actor, organisation, *HOLDING_BUDGETS):
        return False
    if budget is None:
        return Budget.objects.filter(organisation=organisation, holder=actor, closed=False).exists()
    return budget.holder_id == actor.pk


def may_close(actor: User, cash_float: CashFloat) -> bool:
    """The float's holder, the holder of its budget, or an admin of its organisation."""
    organisation = cash_float.organisation
    if cash_float.held_by_id == actor.pk and has_role(actor, organisation, *HOLDING_FLOATS):
        return True
    return may_issue(actor, organisation, cash_float.budget)


def may_repay(actor: User, cash_float: CashFloat) -> bool:
    """Only the float's holder, while it is open and they are still a coordinator or admin there."""
    return (
        cash_float.closed_at is None
        and cash_float.held_by_id == actor.pk
        and has_role(actor, cash_float.organisation, *HOLDING_FLOATS)
    )


def issuable_budgets(actor: User, organisation: Organisation) -> QuerySet[Budget]:
    """Open budgets ``actor`` may issue a float from: every one for an admin, otherwise those they hold."""
    budgets = Budget.objects.filter(organisation=organisation, closed=False).order_by("name")
    if has_role(actor, organisation, *ADMINISTERING):
        return budgets
    return budgets.filter(holder=actor)


def floats_with_figures(organisation: Organisation) -> list[tuple[CashFloat, Decimal, Decimal]]:
    """Each of the organisation's floats with what has been repaid from it and its balance, in one query."""
    zero = Value(ZERO, output_field=DecimalField(max_digits=12, decimal_places=2))
    floats = (
        CashFloat.objects.filter(organisation=organisation)
        .select_related("budget", "held_by")
        .annotate(repaid_sum=Coalesce(Sum("repayments__amount"), zero))
    )
    return [(f, f.repaid_sum, f.issued - f.repaid_sum) for f in floats]
