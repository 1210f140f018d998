"""Cash floats: repaying small expenses in cash on the day (PRODUCT C5, "expenses are repaid on the day").

The rules, in one place for pages, API and command line:

- A budget's holder, or an admin, issues a float drawn from an open budget of the
  organisation to a coordinator or admin of that organisation, who holds the cash.
- Only the float's holder repays from it, and only while they are still a coordinator
  or admin there. A repayment is an expense line, paid in cash, paid now, drawn on the
  float's budget: so it counts as spent on the budget straight away and the member sees
  it as paid.
- Repayments are small: more than £0 and at most £100 each (``MAX_REPAYMENT``).
- The balance is what was issued less the repayments. The float's row is locked
  (``select_for_update``; on SQLite every write transaction starts IMMEDIATE, which
  serialises them), and the balance is summed again under that lock, so two repayments
  at once can never take it below zero.
- Closing records the cash counted and the difference from the balance. A closed float,
  or a float whose budget is closed, repays nothing.

Cash floats and income lines are registered with django-auditlog: every ``save()`` here
logs itself, with the actor set by ``acting_as``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from withus.accounts.models import Organisation, User
from withus.accounts.roles import HOLDING_FLOATS
from withus.accounts.selectors import has_role
from withus.core.audit import acting_as
from withus.meetings.models import Attendance, Session
from withus.people import selectors as people_selectors
from withus.people.models import Person
from withus.rewards import rules
from withus.rewards.fees.services import activity_date_problem, attach_receipt, receipt_problem
from withus.rewards.models import Budget, CashFloat, ExpenseCategory, IncomeLine, RewardMethod

from .selectors import balance, may_close, may_issue

MAX_REPAYMENT = Decimal("100.00")
MAX_FLOAT = Decimal("5000.00")


def _money_amount(amount: Decimal | None, field: str, message: str) -> Decimal:
    if amount is None or not isinstance(amount, Decimal) or not amount.is_finite():
        raise ValidationError({field: message})
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({field: _("Give pounds and pence: no more than 2 decimal places.")})
    return amount


@transaction.atomic
def issue_float(
    *, actor: User, organisation: Organisation, budget: Budget, held_by: User, amount: Decimal
) -> CashFloat:
    """Record cash handed to a coordinator, drawn from one of the organisation's open budgets."""
    budget = Budget.objects.select_for_update().get(pk=budget.pk)
    if budget.organisation_id != organisation.pk:
        raise PermissionDenied(_("Choose a budget of your organisation."))
    if not may_issue(actor, organisation, budget):
        raise PermissionDenied(_("Only the holder of this budget, or an admin, can issue a cash float from it."))
    errors: dict[str, str] = {}
    if budget.closed:
        errors["budget"] = _("This budget is closed. Choose another.")
    if not has_role(held_by, organisation, *HOLDING_FLOATS):
        errors["held_by"] = _("Choose a coordinator or an admin of your organisation to hold the cash.")
    amount = _money_amount(amount, "amount", _("Give the amount in pounds and pence, for example 50.00."))
    if amount <= 0 or amount > MAX_FLOAT:
        errors["amount"] = _("Give an amount of more than £0 and at most £%(max)s.") % {"max": MAX_FLOAT}
    if errors:
        raise ValidationError(errors)
    with acting_as(actor):
        return CashFloat.objects.create(
            organisation=organisation, budget=budget, held_by=held_by, issued=rules.money(amount)
        )


@transaction.atomic
def repay_in_cash(
    *,
    actor: User,
    cash_float: CashFloat,
    person: Person,
    category: str,
    amount: Decimal,
    activity_date: date,
    session: Session | None = None,
    receipt: UploadedFile | None = None,
) -> IncomeLine:
    """Repay a member's expense in cash from the float: a paid expense line drawn on the float's budget."""
    # The lock comes first: everything below, the balance above all, is read while no one else can repay.
    cash_float = (
        CashFloat.objects.select_for_update(of=("self",)).select_related("organisation", "budget").get(pk=cash_float.pk)
    )
    organisation = cash_float.organisation
    if cash_float.held_by_id != actor.pk or not has_role(actor, organisation, *HOLDING_FLOATS):
        raise PermissionDenied(_("Only the person holding this float can repay from it."))
    if cash_float.closed_at is not None:
        raise ValidationError(_("This float is closed: nothing more can be repaid from it."))
    if Budget.objects.filter(pk=cash_float.budget_id, closed=True).exists():
        raise ValidationError(_("The budget this float is drawn from is closed: nothing more can be repaid from it."))
    people_selectors.person_sharing_with(organisation, person)
    errors: dict[str, str] = {}
    if category not in ExpenseCategory.values:
        errors["category"] = _("Choose what the expense is for.")
    amount = _money_amount(amount, "amount", _("Give the amount in pounds and pence, for example 4.50."))
    if amount <= 0:
        errors["amount"] = _("Give an amount of more than £0.")
    elif amount > MAX_REPAYMENT:
        errors["amount"] = _(
            "A cash repayment can be at most £%(max)s. Claim larger expenses so they are paid by the budget holder."
        ) % {"max": MAX_REPAYMENT}
    if problem := activity_date_problem(activity_date, kind=IncomeLine.Kind.EXPENSE):
        errors["activity_date"] = problem
    if session is not None and session.organisation_id != organisation.pk:
        errors["session"] = _("Choose one of your organisation's sessions.")
    if receipt is not None and (problem := receipt_problem(receipt)):
        errors["receipt"] = problem
    if errors:
        raise ValidationError(errors)
    left = balance(cash_float)
    if amount > left:
        raise ValidationError({"amount": _("There is only £%(left)s left in this float.") % {"left": left}})
    attendance = None
    description = str(ExpenseCategory(category).label)
    if session is not None:
        attendance = Attendance.objects.filter(session=session, person=person).first()
        description = session.title
    now = timezone.now()
    with acting_as(actor):
        line = IncomeLine(
            person=person,
            organisation=organisation,
            kind=IncomeLine.Kind.EXPENSE,
            expense_category=category,
            description=description,
            amount=rules.money(amount),
            activity_date=activity_date,
            status=IncomeLine.Status.PAID,
            method=RewardMethod.CASH,
            budget_id=cash_float.budget_id,
            cash_float=cash_float,
            attendance=attendance,
            submitted_at=now,
            decided_by=actor,
            decided_at=now,
            paid_at=now,
        )
        if receipt is not None:
            attach_receipt(line, receipt)
        line.save()
    return line


@transaction.atomic
def close_float(*, actor: User, cash_float: CashFloat, counted_cash: Decimal) -> CashFloat:
    """Close the float with the cash counted; the difference from the balance is recorded, never hidden."""
    cash_float = (
        CashFloat.objects.select_for_update(of=("self",)).select_related("organisation", "budget").get(pk=cash_float.pk)
    )
    if not may_close(actor, cash_float):
        raise PermissionDenied(_("Only the float's holder, its budget's holder or an admin can close it."))
    if cash_float.closed_at is not None:
        raise ValidationError(_("This float is already closed."))
    counted = _money_amount(
        counted_cash, "counted_cash", _("Give the cash counted in pounds and pence, for example 12.50.")
    )
    if counted < 0 or counted > Decimal("99999999.99"):
        raise ValidationError({"counted_cash": _("Give the cash counted in pounds and pence, for example 12.50.")})
    counted = rules.money(counted)
    with acting_as(actor):
        cash_float.counted = counted
        cash_float.difference = counted - balance(cash_float)
        cash_float.closed_at = timezone.now()
        cash_float.save(update_fields=["counted", "difference", "closed_at"])
    return cash_float
