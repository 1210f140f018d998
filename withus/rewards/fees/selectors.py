"""Reads for fees and expenses: rate cards, HMRC mileage rates, the miles already claimed, likely duplicate
claims, and who may see a receipt."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet, Sum

from withus.accounts.models import Organisation, User
from withus.accounts.roles import HOLDING_BUDGETS
from withus.accounts.selectors import has_role
from withus.people import selectors as people_selectors
from withus.people.models import Person
from withus.rewards import rules
from withus.rewards.cash import selectors as cash_selectors
from withus.rewards.models import ExpenseCategory, IncomeLine, MileageRate, RateCard


def rate_cards(organisation: Organisation) -> QuerySet[RateCard]:
    """The organisation's rate cards, by activity and level, the newest first."""
    return RateCard.objects.filter(organisation=organisation).order_by("activity_type", "level", "-valid_from")


def miles_claimed_in_tax_year(person: Person, organisation: Organisation, day: date) -> Decimal:
    """Miles the person has claimed from the organisation in the tax year containing ``day``.

    HMRC's 10,000-mile threshold is per tax year and per body that repays the miles,
    so each organisation counts its own. Declined claims do not count.
    """
    start, end = rules.tax_year(day)
    total = (
        IncomeLine.objects.filter(
            person=person,
            organisation=organisation,
            kind=IncomeLine.Kind.EXPENSE,
            expense_category=ExpenseCategory.MILEAGE,
            activity_date__range=(start, end),
        )
        .exclude(status=IncomeLine.Status.DECLINED)
        .aggregate(miles=Sum("miles"))["miles"]
    )
    return total or Decimal("0")


def mileage_rate_on(day: date) -> MileageRate | None:
    """The HMRC mileage rate in force on ``day``, if the table has one."""
    return MileageRate.objects.filter(valid_from__lte=day).exclude(valid_to__lt=day).order_by("-valid_from").first()


def own_expense_claims(person: Person, ids: Sequence[int]) -> list[IncomeLine]:
    """The person's own expense claims among ``ids``, oldest first: what a claim about to be made looks like."""
    return list(
        IncomeLine.objects.filter(person=person, kind=IncomeLine.Kind.EXPENSE, pk__in=ids)
        .select_related("organisation")
        .order_by("activity_date", "pk")
    )


def likely_duplicates(lines: Sequence[IncomeLine]) -> list[list[int]]:
    """For each line, the ids of the person's other expense claims to its organisation that look the same.

    The one answer to "is this claim likely a duplicate?": for the member about to
    claim (the line is not saved yet), and for the budget holder deciding claims. Two
    claims look the same by ``rules.claim_signature``; a declined claim does not count,
    as it will never be paid, and nor does another organisation's, which repays its own
    (and whose claims this one's staff may not see). In the order of ``lines``; a line
    that is not an expense has none. One query however many lines.
    """
    expenses = [line for line in lines if line.kind == IncomeLine.Kind.EXPENSE]
    if not expenses:
        return [[] for _line in lines]
    # Found by person and day only: asked for the organisation too, SQLite (which keeps no
    # statistics) walks every claim of the organisation, a million at national scale, rather
    # than the few of these people. The organisation is part of each claim's key below, so
    # another organisation's claims never match, and nothing of them leaves this function.
    candidates = (
        IncomeLine.objects.filter(
            kind=IncomeLine.Kind.EXPENSE,
            person_id__in={line.person_id for line in expenses},
            activity_date__in={line.activity_date for line in expenses},
        )
        .exclude(status=IncomeLine.Status.DECLINED)
        .order_by("pk")
        .values_list("pk", "person_id", "organisation_id", "expense_category", "activity_date", "amount", "miles")
    )
    alike: dict[tuple[object, ...], list[int]] = defaultdict(list)
    for pk, person_id, organisation_id, category, day, amount, miles in candidates:
        alike[_alike(person_id, organisation_id, category, day, amount, miles)].append(pk)
    found: list[list[int]] = []
    for line in lines:
        if line.kind != IncomeLine.Kind.EXPENSE:
            found.append([])
            continue
        key = _alike(
            line.person_id, line.organisation_id, line.expense_category, line.activity_date, line.amount, line.miles
        )
        found.append([pk for pk in alike.get(key, []) if pk != line.pk])
    return found


def _alike(
    person_id: int, organisation_id: int, category: str, day: date, amount: Decimal, miles: Decimal | None
) -> tuple[object, ...]:
    """Claims with the same key look the same: one person, one organisation, one ``rules.claim_signature``."""
    return (person_id, organisation_id, rules.claim_signature(category=category, day=day, amount=amount, miles=miles))


# ---- Receipts -------------------------------------------------------------------------------------


def may_see_receipt(viewer: User, line: IncomeLine) -> bool:
    """Who may open an expense's receipt: those who check what it repays.

    Cash repaid from a float: whoever may close the float (its holder, the holder of its
    budget, an admin), who account for the cash. A claim: the holder of the budget it
    draws on, who decides it.
    """
    if line.cash_float is not None:
        return cash_selectors.may_close(viewer, line.cash_float)
    budget = line.budget
    holds_it = budget is not None and budget.holder_id == viewer.pk
    return holds_it and has_role(viewer, line.organisation, *HOLDING_BUDGETS)


def receipt_for(viewer: User, organisation: Organisation, pk: int) -> IncomeLine | None:
    """The organisation's line ``pk`` with a receipt, if ``viewer`` may see it; None otherwise.

    None too when the person no longer shares their details with the organisation: their
    receipts go with the rest. Never a public address: the file is only ever sent by a
    view that asks here.
    """
    line = (
        IncomeLine.objects.filter(organisation=organisation, pk=pk)
        .exclude(receipt="")
        .select_related("organisation", "budget", "cash_float__organisation", "cash_float__budget")
        .first()
    )
    if line is None or not may_see_receipt(viewer, line):
        return None
    try:
        people_selectors.person_sharing_with(organisation, line.person_id)
    except people_selectors.NotShared:
        return None
    return line
