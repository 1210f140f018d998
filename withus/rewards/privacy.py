"""What reward and recognition holds about a person, for their own download (C11; ``withus.core.privacy``).

Bank details are never given whole, not even to the person: only their last two
digits, as the reward choice page shows them, so a download that goes astray
cannot be used to take money.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from withus.core.audit import forget
from withus.core.privacy import Kept, Owed, Record, Section, record, remove
from withus.people.models import Person

from . import rules
from .finance.selectors import figures_of_lines
from .models import BenefitDeclaration, GuardChoice, IncomeLine, PaymentBatch, RewardPreference, Thanks
from .statements.selectors import (
    masked,
    masked_sort_code,
    paid_on,
    paid_on_or_before,
    statement_years,
    tax_year_bounds,
    tax_year_label,
)

FEE_KINDS = (IncomeLine.Kind.FEE, IncomeLine.Kind.VOUCHER, IncomeLine.Kind.DONATION)

DECLARATION_FIELDS = {
    "benefit": _("Benefit"),
    "assessment_day": _("Day the assessment period starts"),
    "uc_housing_support": _("Universal Credit includes help with housing"),
    "uc_work_allowance": _("Has a work allowance"),
    "disregard": _("Earnings disregard"),
    "shared_with": _("Organisations that may see it"),
    "notes": _("Anything else"),
    "declared_at": _("Told us on"),
    "ended_at": _("Stopped on"),
}
REWARD_FIELDS = {
    "method": _("How you want to be rewarded"),
    "charity_name": _("The charity to donate to"),
    "group_name": _("The group to pay instead"),
    "updated_at": _("Last changed"),
}
BANK_FIELDS = {
    "account_name": _("Name on the account"),
    "sort_code": _("Sort code (only the last 2 digits)"),
    "account_number": _("Account number (only the last 2 digits)"),
}
OFFER_FIELDS = {
    "organisation": _("Organisation"),
    "kind": _("Kind"),
    "description": _("For"),
    "amount": _("Amount"),
    "hours": _("Hours"),
    "activity_date": _("Date of the activity"),
    "status": _("Status"),
    "method": _("Paid by"),
    "choices": _("What you chose after the benefits check"),
    "offered_at": _("Offered on"),
}
EXPENSE_FIELDS = {
    "organisation": _("Organisation"),
    "category": _("Expense"),
    "description": _("For"),
    "amount": _("Amount"),
    "miles": _("Miles"),
    "passengers": _("Passengers"),
    "activity_date": _("Date of the activity"),
    "agreed_beforehand": _("Agreed beforehand"),
    "has_receipt": _("Receipt attached"),
    "receipt_name": _("The receipt's file name when you sent it"),
    "status": _("Status"),
    "submitted_at": _("Claimed on"),
    "return_reason": _("Why it was returned"),
}
PAYMENT_FIELDS = {
    "organisation": _("Organisation"),
    "kind": _("Kind"),
    "description": _("For"),
    "amount": _("Amount"),
    "method": _("Paid by"),
    "paid_at": _("Paid on"),
    "batch": _("Payment batch"),
    "cash_float": _("Repaid in cash from float"),
}
STATEMENT_FIELDS = {
    "tax_year": _("Tax year"),
    "starts_on": _("From"),
    "ends_on": _("To"),
}
THANKS_FIELDS = {
    "organisation": _("Organisation"),
    "contribution": _("For"),
    "message": _("Message"),
    "given_at": _("Given on"),
}


def export(person: Person) -> list[Section]:
    """Every kind of thing reward and recognition holds about ``person``, with readable labels."""
    lines = list(
        IncomeLine.objects.filter(person=person)
        .select_related("organisation")
        .prefetch_related("guard_choices")
        .order_by("activity_date", "pk")
    )
    preference = RewardPreference.objects.filter(person=person).first()
    return [
        Section("benefit_declarations", _("Benefits you told us about"), DECLARATION_FIELDS, _declarations(person)),
        Section("reward_choice", _("How you want to be rewarded"), REWARD_FIELDS, _reward(preference)),
        Section("bank_details", _("Bank details (shown in part)"), BANK_FIELDS, _bank(preference)),
        Section(
            "offers_and_fees",
            _("Fees and vouchers offered to you"),
            OFFER_FIELDS,
            [_offer(line) for line in lines if line.kind in FEE_KINDS],
        ),
        Section(
            "expense_claims",
            _("Expenses you claimed"),
            EXPENSE_FIELDS,
            [_expense(line) for line in lines if line.kind == IncomeLine.Kind.EXPENSE],
        ),
        Section(
            "payments",
            _("Payments made to you"),
            PAYMENT_FIELDS,
            [_payment(line) for line in lines if line.status == IncomeLine.Status.PAID],
        ),
        Section("statements", _("Statements by tax year"), STATEMENT_FIELDS, _statements(person)),
        Section("thanks", _("Thanks you received"), THANKS_FIELDS, _thanks(person)),
    ]


def _declarations(person: Person) -> list[Record]:
    declarations = BenefitDeclaration.objects.filter(person=person).prefetch_related("share_with").order_by("pk")
    return [
        record(
            benefit=d.get_benefit_display(),
            assessment_day=d.assessment_day,
            uc_housing_support=d.uc_housing_support,
            uc_work_allowance=d.uc_work_allowance,
            disregard=d.get_disregard_display() if d.disregard else "",
            shared_with=[o.name for o in d.share_with.all()],
            notes=d.notes or "",
            declared_at=d.declared_at,
            ended_at=d.ended_at,
        )
        for d in declarations
    ]


def _reward(preference: RewardPreference | None) -> Record | None:
    if preference is None:
        return None
    return record(
        method=preference.get_method_display(),
        charity_name=preference.charity_name,
        group_name=preference.group_name,
        updated_at=preference.updated_at,
    )


def _bank(preference: RewardPreference | None) -> Record | None:
    if preference is None or not preference.account_number:
        return None
    return record(
        account_name=preference.account_name or "",
        sort_code=masked_sort_code(preference.sort_code),
        account_number=masked(preference.account_number),
    )


def _offer(line: IncomeLine) -> Record:
    choices: list[GuardChoice] = list(line.guard_choices.all())
    return record(
        organisation=line.organisation.name,
        kind=line.get_kind_display(),
        description=line.shown_description,
        amount=line.amount,
        hours=line.hours,
        activity_date=line.activity_date,
        status=line.get_status_display(),
        method=line.get_method_display() if line.method else "",
        choices=[{"choice": c.get_choice_display(), "chosen_at": c.chosen_at} for c in choices],
        offered_at=line.created_at,
    )


def _expense(line: IncomeLine) -> Record:
    return record(
        organisation=line.organisation.name,
        category=line.get_expense_category_display() if line.expense_category else "",
        description=line.shown_description,
        amount=line.amount,
        miles=line.miles,
        passengers=line.passengers,
        activity_date=line.activity_date,
        agreed_beforehand=line.agreed_beforehand,
        has_receipt=bool(line.receipt),
        receipt_name=line.receipt_name,
        status=line.get_status_display(),
        submitted_at=line.submitted_at,
        return_reason=line.return_reason,
    )


def _payment(line: IncomeLine) -> Record:
    return record(
        organisation=line.organisation.name,
        kind=line.get_kind_display(),
        description=line.shown_description,
        amount=line.amount,
        method=line.get_method_display() if line.method else "",
        paid_at=line.paid_at,
        batch=line.batch_id,
        cash_float=line.cash_float_id,
    )


def _statements(person: Person) -> list[Record]:
    records = []
    for year in statement_years(person, timezone.localdate()):
        start, end = tax_year_bounds(year)
        records.append(record(tax_year=tax_year_label(year), starts_on=start, ends_on=end))
    return records


def _thanks(person: Person) -> list[Record]:
    given = Thanks.objects.filter(person=person).select_related("organisation").order_by("given_at", "pk")
    return [
        record(organisation=t.organisation.name, contribution=t.contribution, message=t.message, given_at=t.given_at)
        for t in given
    ]


# ---- Erasure (withus.core.privacy) ---------------------------------------------------------


def _approved_unpaid(person: Person) -> list[IncomeLine]:
    return list(IncomeLine.objects.filter(person=person, status=IncomeLine.Status.APPROVED).select_related("batch"))


def _on_its_way(line: IncomeLine) -> bool:
    """In a payment file already sent to the bank: it will be paid, and cannot be called back here."""
    return line.batch is not None and line.batch.status != PaymentBatch.Status.OPEN


def owed(person: Person) -> list[Owed]:
    """Approved fees and expenses not yet paid: paid before the person's details go, unless they give them up."""
    lines = _approved_unpaid(person)
    waivable = [ln for ln in lines if not _on_its_way(ln)]
    sent = [ln for ln in lines if _on_its_way(ln)]
    return [
        Owed(
            _("Approved fees and expenses not yet paid"),
            len(waivable),
            sum((ln.amount for ln in waivable), Decimal("0.00")),
        ),
        Owed(
            _("Payments already sent to the bank"),
            len(sent),
            sum((ln.amount for ln in sent), Decimal("0.00")),
            can_waive=False,
        ),
    ]


def kept(person: Person) -> list[Kept]:
    """Payments made stay as a ledger under a reference, for 6 years after their tax year."""
    days = [paid_on(ln) for ln in IncomeLine.objects.filter(person=person, status=IncomeLine.Status.PAID)]
    if not days:
        return []
    return [
        Kept(
            _(
                "A record of each payment made to you: the amount, the date, the tax year, the budget and "
                "the payment batch, under a reference instead of your name"
            ),
            len(days),
            max(rules.ledger_kept_until(day) for day in days),
            _("The law on tax records asks organisations to keep payment records for 6 years after the tax year."),
        )
    ]


def erase(person: Person) -> None:
    """Remove everything except payments made, which stay as a ledger with nothing that says who was paid.

    Offers, claims not yet paid (or given up), benefit declarations, bank details,
    the reward choice, thanks, receipts and the guard's warnings all go.
    """
    lines = IncomeLine.objects.filter(person=person)
    for line in lines.exclude(receipt=""):
        line.receipt.delete(save=False)
    open_batches = set(
        lines.filter(batch__status=PaymentBatch.Status.OPEN)
        .exclude(status=IncomeLine.Status.PAID)
        .values_list("batch", flat=True)
    )
    choices = GuardChoice.objects.filter(income_line__person=person)
    remove(
        choices,
        lines.exclude(status=IncomeLine.Status.PAID),
        BenefitDeclaration.objects.filter(person=person),
        RewardPreference.objects.filter(person=person),
        Thanks.objects.filter(person=person),
    )
    for batch in PaymentBatch.objects.filter(pk__in=open_batches):
        # A line given up leaves an open batch: its figures follow.
        batch.line_count, batch.line_total = figures_of_lines(IncomeLine.objects.filter(batch=batch))
        batch.save(update_fields=["line_count", "line_total"])
    paid = lines.filter(status=IncomeLine.Status.PAID)
    forget(paid)
    paid.update(receipt="", receipt_name="", return_reason="", attendance=None)


def purge(today: date) -> int:
    """Remove ledger lines of erased people whose 6 years are up; how many went."""
    due = IncomeLine.objects.filter(person__erased_at__isnull=False).filter(
        paid_on_or_before(rules.last_payment_day_past_keeping(today))
    )
    removed = 0
    # A chunk at a time, each chunk's ids read by the database, never an unbounded list passed back to it.
    while chunk := list(due.order_by("pk").values_list("pk", flat=True)[:500]):
        lines = IncomeLine.objects.filter(pk__in=chunk)
        forget(lines)
        removed += lines.delete()[0]
    return removed
