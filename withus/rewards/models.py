"""Reward and recognition: the benefits guard's reference table, declarations and income (C5).

Amounts are Decimal with two places, never float.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField

from withus.accounts.models import Organisation
from withus.people.models import Person


class Benefit(models.TextChoices):
    """Benefits the guard knows the earnings rules of (PRODUCT §5)."""

    ESA_PERMITTED_WORK = "esa_permitted_work", _("Employment and Support Allowance (permitted work)")
    CARERS_ALLOWANCE = "carers_allowance", _("Carer's Allowance")
    UNIVERSAL_CREDIT = "universal_credit", _("Universal Credit")
    LEGACY_DISREGARD = "legacy_disregard", _("Income Support, income-based JSA or income-related ESA")


class Period(models.TextChoices):
    WEEK = "week", _("a week (Monday to Sunday)")
    MONTH = "month", _("a Universal Credit assessment period (a month)")
    TAX_YEAR = "tax_year", _("a tax year (6 April to 5 April)")


class BenefitLimit(models.Model):
    """One dated, sourced row of the reference table that an admin updates each April."""

    class Rule(models.TextChoices):
        ESA_PERMITTED_WORK = "esa_permitted_work", _("ESA permitted work, higher limit")
        CARERS_ALLOWANCE = "carers_allowance", _("Carer's Allowance earnings limit")
        UC_WORK_ALLOWANCE_HOUSING = "uc_work_allowance_housing", _("UC work allowance, with housing support")
        UC_WORK_ALLOWANCE_NO_HOUSING = "uc_work_allowance_no_housing", _("UC work allowance, no housing support")
        DISREGARD_SINGLE = "disregard_single", _("Earnings disregard, single")
        DISREGARD_COUPLE = "disregard_couple", _("Earnings disregard, couple")
        DISREGARD_HIGHER = "disregard_higher", _("Earnings disregard, higher (lone parent, disabled or carer)")
        TRADING_ALLOWANCE = "trading_allowance", _("HMRC trading allowance (information only)")

    rule = models.CharField(_("rule"), max_length=40, choices=Rule.choices)
    period = models.CharField(_("period"), max_length=10, choices=Period.choices)
    amount = models.DecimalField(
        _("amount"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0.00"))]
    )
    hours_limit = models.DecimalField(_("hours must stay under"), max_digits=5, decimal_places=2, null=True, blank=True)
    taper_percent = models.DecimalField(
        _("taper above the limit (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("to"), null=True, blank=True)
    source = models.CharField(
        _("source"),
        max_length=500,
        help_text=_("Where the figure comes from, e.g. the DWP's benefit rates for the year."),
    )
    notes = models.CharField(_("notes"), max_length=500, blank=True)

    class Meta:
        ordering = ["rule", "-valid_from"]
        constraints = [models.CheckConstraint(condition=~models.Q(source=""), name="benefit_limit_has_a_source")]

    def __str__(self) -> str:
        return f"{self.get_rule_display()} £{self.amount} from {self.valid_from}"


class BenefitDeclaration(models.Model):
    """A benefit the member chooses to tell us they receive. Encrypted; shown only to whom they allow."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="benefit_declarations")
    benefit = EncryptedCharField(_("benefit"), max_length=40, choices=Benefit.choices)
    # Universal Credit: the day of the month the assessment period starts, as on the statement.
    assessment_day = models.PositiveSmallIntegerField(
        _("the day your assessment period starts"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    uc_housing_support = models.BooleanField(_("my Universal Credit includes help with housing"), default=False)
    uc_work_allowance = models.BooleanField(
        _("I have a work allowance (I have a child, or limited capability for work)"), default=False
    )
    disregard = models.CharField(
        _("your earnings disregard"),
        max_length=10,
        blank=True,
        choices=[
            ("single", _("single")),
            ("couple", _("couple")),
            ("higher", _("higher: lone parent, disabled or a carer")),
        ],
    )
    share_with = models.ManyToManyField(
        Organisation, blank=True, related_name="+", verbose_name=_("organisations that may see this")
    )
    notes = EncryptedCharField(_("anything else"), max_length=500, blank=True, null=True)
    declared_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Benefit declaration {self.pk}"


class IncomeLine(models.Model):
    """Something a person is offered or paid for involvement: what the guard adds up.

    Fees and vouchers count as income (vouchers are income, PRODUCT §5); expenses are
    recorded but never counted.
    """

    class Kind(models.TextChoices):
        FEE = "fee", _("Fee")
        VOUCHER = "voucher", _("Voucher")
        EXPENSE = "expense", _("Expense")
        DONATION = "donation", _("Donated to a charity")

    class Status(models.TextChoices):
        OFFERED = "offered", _("Offered")
        ACCEPTED = "accepted", _("Accepted")
        APPROVED = "approved", _("Approved")
        PAID = "paid", _("Paid")
        DECLINED = "declined", _("Declined")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="income_lines")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="income_lines")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    description = models.CharField(_("for"), max_length=300)
    amount = models.DecimalField(
        _("amount"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0.00"))]
    )
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2, default=Decimal("0.00"))
    activity_date = models.DateField(_("date of the activity"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OFFERED)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["activity_date", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} £{self.amount} ({self.activity_date})"


class GuardChoice(models.Model):
    """The member's informed choice after seeing a warning: the guard never decides for them."""

    class Choice(models.TextChoices):
        ACCEPT = "accept", _("Accept the fee as offered")
        FEWER_HOURS = "fewer_hours", _("Fewer paid hours")
        LOWER_FEE = "lower_fee", _("A lower fee")
        DONATE = "donate", _("Donate the fee to a charity")
        EXPENSES_ONLY = "expenses_only", _("Expenses only")
        DECLINE = "decline", _("Decline")

    income_line = models.ForeignKey(IncomeLine, on_delete=models.CASCADE, related_name="guard_choices")
    choice = models.CharField(_("choice"), max_length=20, choices=Choice.choices)
    warning = models.JSONField(_("what the warning said"))
    chosen_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    chosen_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.get_choice_display()} ({self.income_line_id})"
