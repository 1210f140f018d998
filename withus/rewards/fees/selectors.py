"""Reads for fees and expenses: rate cards, HMRC mileage rates and the miles already claimed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import QuerySet, Sum

from withus.accounts.models import Organisation
from withus.people.models import Person
from withus.rewards import rules
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
