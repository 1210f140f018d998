"""Writes of the benefits guard: declaring benefits, the member's informed choice about an offer, the limits table."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from withus.accounts.models import Organisation, User
from withus.accounts.roles import ADMINISTERING
from withus.core.audit import acting_as
from withus.people.models import Person
from withus.rewards.fees import services as fee_services
from withus.rewards.models import Benefit, BenefitDeclaration, BenefitLimit, GuardChoice, IncomeLine, RewardMethod

from . import selectors

# Ways a fee can be paid for one activity; volunteering, expenses only and donating are
# answers to the offer itself, so one activity is never split into paid and voluntary parts.
PAYING_METHODS = frozenset(
    {
        RewardMethod.BANK_TRANSFER,
        RewardMethod.CASH,
        RewardMethod.CHEQUE,
        RewardMethod.PAYROLL,
        RewardMethod.VOUCHER,
        RewardMethod.TIME_CREDITS,
        RewardMethod.PAY_GROUP,
    }
)


def _own(actor: User, person: Person) -> None:
    if person.user_id != actor.pk:
        raise PermissionDenied


@transaction.atomic
def declare_benefit(
    *,
    actor: User,
    person: Person,
    benefit: str,
    share_with: Iterable[Organisation] = (),
    assessment_day: int | None = None,
    uc_housing_support: bool = False,
    uc_work_allowance: bool = False,
    disregard: str = "",
) -> BenefitDeclaration:
    """The member tells us a benefit they receive, and which organisations may take it into account."""
    _own(actor, person)
    errors: dict[str, str] = {}
    if benefit not in Benefit.values:
        errors["benefit"] = _("Choose a benefit from the list.")
    if benefit == Benefit.UNIVERSAL_CREDIT and not assessment_day:
        errors["assessment_day"] = _("Give the day your assessment period starts: it is on your statement.")
    if benefit == Benefit.LEGACY_DISREGARD and not disregard:
        errors["disregard"] = _("Choose which earnings disregard you have.")
    # The benefit is encrypted, so the database cannot compare it: the current declarations are read and looked at.
    current = BenefitDeclaration.objects.filter(person=person, ended_at__isnull=True)
    if any(d.benefit == benefit for d in current):
        errors["benefit"] = _("You have already told us about this benefit.")
    if errors:
        raise ValidationError(errors)
    if benefit != Benefit.UNIVERSAL_CREDIT:
        assessment_day, uc_housing_support, uc_work_allowance = None, False, False
    if benefit != Benefit.LEGACY_DISREGARD:
        disregard = ""
    organisations = list(share_with)
    allowed = set(
        Organisation.objects.filter(
            consents__person=person, consents__purpose="share_with_organisation", consents__withdrawn_at__isnull=True
        ).values_list("pk", flat=True)
    )
    if any(o.pk not in allowed for o in organisations):
        raise ValidationError({"share_with": _("Choose only organisations you share your details with.")})
    with acting_as(actor):
        declaration = BenefitDeclaration(
            person=person,
            benefit=benefit,
            assessment_day=assessment_day,
            uc_housing_support=uc_housing_support,
            uc_work_allowance=uc_work_allowance,
            disregard=disregard,
        )
        declaration.full_clean()
        declaration.save()
        declaration.share_with.set(organisations)
    return declaration


@transaction.atomic
def end_declaration(*, actor: User, declaration: BenefitDeclaration) -> None:
    _own(actor, declaration.person)
    with acting_as(actor):
        declaration.ended_at = timezone.now()
        declaration.save(update_fields=["ended_at"])


@transaction.atomic
def choose(
    *,
    actor: User,
    line: IncomeLine,
    choice: str,
    hours: Decimal | None = None,
    amount: Decimal | None = None,
    method: str | None = None,
) -> GuardChoice:
    """The member's informed choice about an offer. The guard never decides: every choice is allowed.

    What the guard said at that moment is kept with the choice. Fewer hours and a lower
    fee keep the activity whole (``fees.services.change_offer``): taking part for fewer
    hours, or a lower fee that still pays every hour at least the hourly minimum.
    """
    _own(actor, line.person)
    line = IncomeLine.objects.select_for_update().get(pk=line.pk)
    if line.status != IncomeLine.Status.OFFERED:
        raise ValidationError(_("You have already answered this offer."))
    if choice not in GuardChoice.Choice.values:
        raise ValidationError({"choice": _("Choose what you want to do.")})
    if method is not None and method not in PAYING_METHODS:
        raise ValidationError({"method": _("Choose a way of being paid from the list.")})
    warning = selectors.describe(selectors.guard(line.person, offer=line))
    if choice in (GuardChoice.Choice.FEWER_HOURS, GuardChoice.Choice.LOWER_FEE):
        fee_services.change_offer(actor=actor, line=line, choice=choice, hours=hours, amount=amount)
        line.status = IncomeLine.Status.ACCEPTED
    elif choice == GuardChoice.Choice.DONATE:
        line.kind = IncomeLine.Kind.DONATION
        line.status = IncomeLine.Status.ACCEPTED
    elif choice in (GuardChoice.Choice.EXPENSES_ONLY, GuardChoice.Choice.DECLINE):
        line.status = IncomeLine.Status.DECLINED
    else:
        line.status = IncomeLine.Status.ACCEPTED
    if method is not None and line.status == IncomeLine.Status.ACCEPTED:
        line.method = method  # this activity's own choice; otherwise the member's usual one applies
    with acting_as(actor):
        line.save()
        record = GuardChoice.objects.create(income_line=line, choice=choice, warning=warning, chosen_by=actor)
    return record


@transaction.atomic
def add_limit(*, actor: User, fields: dict[str, object]) -> BenefitLimit:
    """An admin adds a new year's figure. Every row needs its source."""
    if not (actor.is_superuser or actor.memberships.filter(role__in=ADMINISTERING).exists()):
        raise PermissionDenied
    row = BenefitLimit(**fields)
    if not str(row.source).strip():
        raise ValidationError({"source": _("Say where the figure comes from.")})
    if row.valid_to is not None and row.valid_to < row.valid_from:
        raise ValidationError({"valid_to": _("The end date must be on or after the start date.")})
    row.full_clean()
    others = BenefitLimit.objects.select_for_update().filter(rule=row.rule)
    # A new year's figure closes an open-ended row that started earlier.
    open_row = others.filter(valid_to__isnull=True, valid_from__lt=row.valid_from).first()
    overlapping = others.filter(valid_from__lte=row.valid_to or date.max).exclude(valid_to__lt=row.valid_from)
    if open_row is not None:
        overlapping = overlapping.exclude(pk=open_row.pk)
    if overlapping.exists():
        raise ValidationError({"valid_from": _("These dates overlap another row for the same rule.")})
    with acting_as(actor):
        if open_row is not None:
            open_row.valid_to = row.valid_from - timedelta(days=1)
            open_row.save(update_fields=["valid_to"])
        row.save()
    return row
