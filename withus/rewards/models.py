"""Reward and recognition: the benefits guard's reference table, declarations and income (C5).

Amounts are Decimal with two places, never float.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField

from withus.accounts.models import Organisation
from withus.core.fields import EncryptedBoolean, EncryptedChoice, EncryptedNumber
from withus.core.uploads import FILE_TYPES
from withus.people.models import Person
from withus.rewards.descriptions import describe, hours_taking_part


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
    source_cy = models.CharField(_("source in Welsh"), max_length=500, blank=True)
    notes = models.CharField(_("notes"), max_length=500, blank=True)
    notes_cy = models.CharField(_("notes in Welsh"), max_length=500, blank=True)

    class Meta:
        ordering = ["rule", "-valid_from"]
        constraints = [models.CheckConstraint(condition=~models.Q(source=""), name="benefit_limit_has_a_source")]

    def __str__(self) -> str:
        return f"{self.get_rule_display()} £{self.amount} from {self.valid_from}"

    def text(self, field: str) -> str:
        """The row's source or notes in the reader's language, falling back to English."""
        if get_language() == "cy":
            welsh = getattr(self, f"{field}_cy", "")
            if welsh:
                return str(welsh)
        return str(getattr(self, field))

    @property
    def source_shown(self) -> str:
        return self.text("source")

    @property
    def notes_shown(self) -> str:
        return self.text("notes")

    @property
    def meaning(self) -> str:
        """What the limit means for the person, whatever the year's figure: it travels with every warning."""
        return str(RULE_MEANINGS.get(self.rule, ""))


# What each rule means, in plain words, so that a warning never names a figure without it (000 §Impact on
# Benefits, 001 §Welfare Benefits). The notes of a row say what is particular to that year's figure.
RULE_MEANINGS: dict[str, str | Promise] = {
    BenefitLimit.Rule.ESA_PERMITTED_WORK: _(
        "Permitted work: earnings must stay at or under this figure a week, paid work must stay under 16 hours a "
        "week, and DWP must be told before the work starts (form PW1). Going over either can stop ESA."
    ),
    BenefitLimit.Rule.CARERS_ALLOWANCE: _(
        "A cliff edge: earnings even £1 over this figure in a week lose the whole of that week's Carer's "
        "Allowance, not just the pound over."
    ),
    BenefitLimit.Rule.UC_WORK_ALLOWANCE_HOUSING: _(
        "Only people with a child or limited capability for work have a work allowance. Above it, Universal "
        "Credit goes down by the taper: a share of every pound earned over it."
    ),
    BenefitLimit.Rule.UC_WORK_ALLOWANCE_NO_HOUSING: _(
        "Only people with a child or limited capability for work have a work allowance. Above it, Universal "
        "Credit goes down by the taper: a share of every pound earned over it."
    ),
    BenefitLimit.Rule.DISREGARD_SINGLE: _(
        "This much of a week's earnings is ignored. Above it, the benefit usually goes down by £1 for every £1 earned."
    ),
    BenefitLimit.Rule.DISREGARD_COUPLE: _(
        "This much of a week's earnings is ignored. Above it, the benefit usually goes down by £1 for every £1 earned."
    ),
    BenefitLimit.Rule.DISREGARD_HIGHER: _(
        "This much of a week's earnings is ignored. Above it, the benefit usually goes down by £1 for every £1 earned."
    ),
    BenefitLimit.Rule.TRADING_ALLOWANCE: _(
        "For information only: income of this kind up to this figure in a tax year usually need not be told to "
        "HMRC. This is not tax advice."
    ),
}


class BenefitDeclaration(models.Model):
    """A benefit the member chooses to tell us they receive. Encrypted; shown only to whom they allow.

    The benefit and every detail of it are encrypted at rest: whether Universal Credit
    helps with housing or has a work allowance (which says there is a child or limited
    capability for work), the earnings disregard (lone parent, disabled or carer), the
    assessment day (which says the benefit is Universal Credit). The details are
    encrypted even when empty or false, so a column never gives the answer away. So
    nothing can filter on them in the database: read the declarations, then look.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="benefit_declarations")
    benefit = EncryptedCharField(_("benefit"), max_length=40, choices=Benefit.choices)
    # Universal Credit: the day of the month the assessment period starts, as on the statement.
    assessment_day = EncryptedNumber(
        _("the day your assessment period starts"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    uc_housing_support = EncryptedBoolean(_("my Universal Credit includes help with housing"), default=False)
    uc_work_allowance = EncryptedBoolean(
        _("I have a work allowance (I have a child, or limited capability for work)"), default=False
    )
    disregard = EncryptedChoice(
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


class RewardMethod(models.TextChoices):
    """How a person chooses to be rewarded (002 §5, 000 §Reward and Recognition)."""

    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    CASH = "cash", _("Cash")
    CHEQUE = "cheque", _("Cheque")
    PAYROLL = "payroll", _("The organisation's payroll")
    VOUCHER = "voucher", _("Vouchers")
    TIME_CREDITS = "time_credits", _("Time credits")
    DONATION = "donation", _("A donation to a charity I name")
    VOLUNTEER = "volunteer", _("No payment: I volunteer")
    EXPENSES_ONLY = "expenses_only", _("Expenses only")
    PAY_GROUP = "pay_group", _("Pay my group instead")


# The types of receipt accepted, found from the file's content (``fees.services.receipt_kind``), never its name.
RECEIPT_TYPES = {kind: FILE_TYPES[kind] for kind in ("jpeg", "png", "heic", "pdf")}
RECEIPT_EXTENSIONS = frozenset(t.extension for t in RECEIPT_TYPES.values())


def receipt_path(instance: models.Model, filename: str) -> str:
    """Where a receipt is stored: a generated name, never the uploader's, which can say more than it should.

    Only the extension is kept, and only one of ours (the services name the file after
    the type its content was checked to be), so whatever is assigned, nothing is stored
    as ``.html``. The name the file had is kept apart, for display (``receipt_name``).
    """
    extension = PurePath(filename).suffix.lower()
    return f"receipts/{timezone.now():%Y}/{uuid.uuid4().hex}{extension if extension in RECEIPT_EXTENSIONS else ''}"


class ExpenseCategory(models.TextChoices):
    """Expenses that are repaid (000 §Payment of Expenses)."""

    MILEAGE = "mileage", _("Mileage from home")
    PUBLIC_TRANSPORT = "public_transport", _("Public transport")
    TAXI = "taxi", _("Taxi (where agreed)")
    SUBSISTENCE = "subsistence", _("Food and drink")
    CHILDCARE = "childcare", _("Childcare")
    REPLACEMENT_CARE = "replacement_care", _("Replacement care or a personal assistant")
    PARKING = "parking", _("Parking")
    POSTAGE = "postage", _("Postage")
    PHONE = "phone", _("Phone and internet")
    STATIONERY = "stationery", _("Stationery")
    PRINTING = "printing", _("Printing")
    ACCOMMODATION = "accommodation", _("Accommodation")


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
        SUBMITTED = "submitted", _("Claimed, waiting for approval")
        RETURNED = "returned", _("Returned with a question")
        PAID = "paid", _("Paid")
        DECLINED = "declined", _("Declined")

    # A person with payments can never be deleted outright: erasure keeps the ledger (withus.people.erasure).
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="income_lines")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="income_lines")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    description = models.CharField(_("for"), max_length=300)
    # What was offered, as data, so that it is described in the reader's language when it is read
    # (``descriptions.describe``): a fee for an attendance keeps what its lines are worked out from,
    # and a fee the member changed keeps what was first offered and what they chose.
    terms = models.JSONField(_("what was offered"), default=dict, blank=True)
    amount = models.DecimalField(
        _("amount"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0.00"))]
    )
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2, default=Decimal("0.00"))
    activity_date = models.DateField(_("date of the activity"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OFFERED)
    created_at = models.DateTimeField(default=timezone.now)
    # Claiming, approval and payment.
    method = models.CharField(_("paid by"), max_length=20, choices=RewardMethod.choices, blank=True)
    budget = models.ForeignKey(
        "Budget", on_delete=models.PROTECT, null=True, blank=True, related_name="lines", verbose_name=_("budget")
    )
    attendance = models.ForeignKey(
        "meetings.Attendance", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    expense_category = models.CharField(_("expense"), max_length=20, choices=ExpenseCategory.choices, blank=True)
    miles = models.DecimalField(_("miles"), max_digits=6, decimal_places=1, null=True, blank=True)
    passengers = models.PositiveSmallIntegerField(_("passengers"), default=0)
    receipt = models.FileField(_("receipt"), upload_to=receipt_path, blank=True)
    receipt_name = models.CharField(_("the receipt's file name when it was sent"), max_length=255, blank=True)
    agreed_beforehand = models.BooleanField(_("agreed beforehand"), default=False)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.CharField(_("why it was returned"), max_length=500, blank=True)
    batch = models.ForeignKey("PaymentBatch", on_delete=models.PROTECT, null=True, blank=True, related_name="lines")
    paid_at = models.DateTimeField(null=True, blank=True)
    cash_float = models.ForeignKey(
        "CashFloat",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="repayments",
        verbose_name=_("repaid from the cash float"),
    )

    class Meta:
        ordering = ["activity_date", "pk"]
        indexes = [
            # Claims waiting (approvals), ready to batch, and every status count of an organisation.
            # The budget is in it too, so a budget holder's claims waiting are counted on the index
            # alone, without reading each claim.
            models.Index(fields=["organisation", "status", "submitted_at", "budget"], name="line_org_status_budget"),
            # What an organisation paid, by when (fees paid by tax year, for the annual report).
            models.Index(fields=["organisation", "status", "paid_at"], name="line_org_status_paid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} £{self.amount} ({self.activity_date})"

    @property
    def shown_description(self) -> str:
        """What this is for, as it is now (after any change), in the reader's language, with UK dates."""
        return describe(self)

    @property
    def hours_taking_part(self) -> Decimal:
        """The hours of taking part the offer is for (the attendance's, for a fee worked out from one)."""
        return hours_taking_part(self)


class GuardChoice(models.Model):
    """The member's informed choice after seeing a warning: the guard never decides for them."""

    class Choice(models.TextChoices):
        ACCEPT = "accept", _("Accept the fee as offered")
        FEWER_HOURS = "fewer_hours", _("Take part for fewer hours")
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


class RewardPreference(models.Model):
    """The member's default reward choice; each activity can differ. Bank details are encrypted."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="reward_preference")
    method = models.CharField(
        _("how you want to be rewarded"),
        max_length=20,
        choices=RewardMethod.choices,
        default=RewardMethod.BANK_TRANSFER,
    )
    charity_name = models.CharField(_("the charity to donate to"), max_length=200, blank=True)
    group_name = models.CharField(_("the group to pay instead"), max_length=200, blank=True)
    account_name = EncryptedCharField(_("name on the account"), max_length=100, blank=True, null=True)
    sort_code = EncryptedCharField(_("sort code"), max_length=8, blank=True, null=True)
    account_number = EncryptedCharField(_("account number"), max_length=8, blank=True, null=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Reward preference of {self.person_id}"


class ActivityType(models.TextChoices):
    MEETING = "meeting", _("Meetings, panels and workshops")
    CHAIRING = "chairing", _("Chairing or facilitating")
    TRAINING_DELIVERY = "training_delivery", _("Delivering training")
    CONSULTANCY = "consultancy", _("Consultancy")
    RESEARCH = "research", _("Research")
    INFORMATION = "information", _("Receiving information (no fee)")
    OPEN_CONSULTATION = "open_consultation", _("Open consultations (no fee)")


class RateCard(models.Model):
    """An organisation's fee rates for one kind of activity, with the dates they apply."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="rate_cards")
    activity_type = models.CharField(_("activity"), max_length=20, choices=ActivityType.choices)
    level = models.PositiveSmallIntegerField(_("pathway level (blank for all)"), null=True, blank=True)
    hourly_rate = models.DecimalField(
        _("rate per hour"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0.00"))]
    )
    preparation_ratio = models.DecimalField(
        _("paid preparation hours per meeting hour (representative roles)"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.00"),
    )
    travel_time_over_minutes = models.PositiveSmallIntegerField(
        _("pay travel time for journeys over (minutes)"), default=30
    )
    chair_uplift_percent = models.DecimalField(
        _("uplift for chairing (%)"), max_digits=5, decimal_places=2, default=Decimal("25.00")
    )
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        ordering = ["activity_type", "-valid_from"]

    def __str__(self) -> str:
        return f"{self.get_activity_type_display()} £{self.hourly_rate}/h from {self.valid_from}"


class MileageRate(models.Model):
    """HMRC approved mileage rates, dated and sourced (PRODUCT §5)."""

    first_10000_pence = models.DecimalField(_("pence a mile, first 10,000 miles"), max_digits=5, decimal_places=2)
    after_pence = models.DecimalField(_("pence a mile after that"), max_digits=5, decimal_places=2)
    passenger_pence = models.DecimalField(_("pence a mile for each passenger"), max_digits=5, decimal_places=2)
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("to"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return f"{self.first_10000_pence}p from {self.valid_from}"


class Budget(models.Model):
    """Money for a project or group; members of the group can see it (001: budgets are transparent)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="budgets")
    name = models.CharField(_("name"), max_length=200)
    group = models.ForeignKey(
        "groups.Group",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="budgets",
        verbose_name=_("group"),
    )
    allocation = models.DecimalField(
        _("allocation"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.00"))]
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("budget holder")
    )
    closed = models.BooleanField(_("closed"), default=False)
    # Payment at arm's length (002 §3): the organisation being scrutinised funds the budget, and this
    # budget's organisation, an independent host, approves and pays from it. The funder sees its totals
    # only (finance.selectors.funded_budgets): never who was paid, for what or how much each.
    funded_by = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funded_budgets",
        verbose_name=_("funded by"),
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PaymentBatch(models.Model):
    """Approved lines gathered for one payment method, exported once and paid once."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        EXPORTED = "exported", _("Exported")
        PAID = "paid", _("Paid")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="payment_batches")
    method = models.CharField(_("payment method"), max_length=20, choices=RewardMethod.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    exported_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Its figures, written when the lines are gathered (finance.services.create_batch), so that a
    # list of batches never adds up every line of every batch again.
    line_count = models.PositiveIntegerField(_("lines"), default=0)
    line_total = models.DecimalField(_("total"), max_digits=12, decimal_places=2, default=Decimal("0.00"))

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "-created_at"], name="batch_newest_first")]

    def __str__(self) -> str:
        return f"Batch {self.pk} ({self.get_method_display()})"


class CashFloat(models.Model):
    """Cash a coordinator holds to repay small expenses on the day (PRODUCT C5).

    Its balance is what was issued less the repayments made from it (``cash.selectors.balance``);
    closing records the cash counted and any difference from that balance.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="cash_floats")
    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="cash_floats", verbose_name=_("budget"))
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("held by")
    )
    issued = models.DecimalField(
        _("cash issued"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0.00"))]
    )
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    counted = models.DecimalField(_("cash counted at closing"), max_digits=10, decimal_places=2, null=True, blank=True)
    # counted less the balance: negative when cash is missing, positive when there is more than expected.
    difference = models.DecimalField(_("difference"), max_digits=10, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        constraints = [models.CheckConstraint(condition=models.Q(issued__gte=0), name="cash_float_issued_not_negative")]

    def __str__(self) -> str:
        return f"Cash float {self.pk} (£{self.issued})"


class Thanks(models.Model):
    """Recognition without money: thanks recorded against a contribution."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="thanks")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    contribution = models.CharField(_("for"), max_length=300)
    message = models.TextField(_("message"), max_length=2000)
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    given_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-given_at"]

    def __str__(self) -> str:
        return self.contribution
