"""Budgets, claims, approval and payment batches (PRODUCT C5): the writes that move money.

The rules, in one place for pages, API and command line:

- A claim draws on a budget of the line's organisation that is not closed. The member
  claims their own accepted fee or voucher; a coordinator or admin may submit it for
  them and choose the budget (the audit log then records who did it).
- Only the budget's holder approves or returns a claim (PRODUCT C5: "claims go to the
  budget holder of the budget they draw on"), and only while they still hold the
  budget holder role. An admin cannot approve instead: an admin who should decide is
  made the budget's holder, which leaves a trail. Nobody approves their own claim.
- Approved lines are gathered into a batch per payment method. A line's batch is set
  once, by a conditional update that only touches lines with no batch, and the number
  of rows changed is checked, so a line can never sit in two batches even if two
  people create batches at once.
- A batch's first export marks it exported. Any later export is a *copy*: every row
  says COPY, so a copy can never be mistaken for a new payment file. The file is built
  in full before anything is marked: if building it fails, nothing changes. The batch
  is then locked and checked again, so of two exports at once only one is the file.
- Marking paid locks the batch row (``select_for_update``); a batch already paid is
  refused, so twenty people pressing "mark paid" at once pay each line once.

``budget_figures`` does not stop a claim that would take a budget over its allocation:
the work has been done and nobody is left out of pocket (000 §Reward). The holder sees
the remaining figure go below zero and decides.

Budgets, batches and income lines are registered with django-auditlog, so a ``save()``
logs itself. Changes made by a conditional ``update()`` (which sends no signals: a line's
batch, a batch becoming paid) and copies of a payment file are written to the log here
(``_log``). The payment file itself is built in ``documents``; reads are in ``selectors``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import IO, Any

from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from withus.accounts.models import Organisation, User
from withus.accounts.roles import COORDINATING, HOLDING_BUDGETS, MANAGING_BUDGETS, PAYING
from withus.accounts.selectors import has_role
from withus.core import spreadsheets
from withus.core.audit import acting_as
from withus.core.progress import Progress, counted
from withus.groups.models import Group
from withus.people import services as people_services
from withus.people.models import Person, SensitiveRead
from withus.rewards import rules
from withus.rewards.models import Budget, IncomeLine, PaymentBatch, RewardMethod, RewardPreference

from . import documents
from .selectors import CLAIMABLE_KINDS, CLAIMABLE_STATUSES, figures_of_lines, ready_to_batch

MAX_ALLOCATION = Decimal("9999999999.99")  # the field's own limit (12 digits, 2 places)
# Methods that put nothing in anyone's hands never go into a batch.
BATCH_METHODS = tuple(m for m in RewardMethod if m not in (RewardMethod.VOLUNTEER, RewardMethod.EXPENSES_ONLY))
# Expenses are always repaid in money, whatever the person chose for their fees.
MONEY_METHODS = (RewardMethod.BANK_TRANSFER, RewardMethod.CASH, RewardMethod.CHEQUE, RewardMethod.PAYROLL)


def _log(instance: models.Model, actor: User | None, changes: dict[str, list[Any]]) -> None:
    """An audit entry for a change made by ``update()``, which django-auditlog cannot see."""
    LogEntry.objects.log_create(
        instance,
        action=LogEntry.Action.UPDATE,
        changes={name: [str(old), str(new)] for name, (old, new) in changes.items()},
        actor=actor,
        force_log=True,
    )


# ---- Budgets ---------------------------------------------------------------------------------


@transaction.atomic
def create_budget(
    *,
    actor: User,
    organisation: Organisation,
    name: str,
    allocation: Decimal,
    holder: User,
    group: Group | None = None,
    funded_by: Organisation | None = None,
) -> Budget:
    """An admin or coordinator sets up a budget, held by one of the organisation's budget holders.

    With ``funded_by``, the organisation is the independent host paying at arm's length for
    another organisation's activities: the funder sees only the budget's totals.
    """
    if not has_role(actor, organisation, *MANAGING_BUDGETS):
        raise PermissionDenied(_("Only an admin or a coordinator can set up budgets."))
    errors: dict[str, str] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("Give the budget a name.")
    if not isinstance(allocation, Decimal) or not allocation.is_finite():
        errors["allocation"] = _("Give the allocation in pounds and pence, for example 1500.00.")
    elif allocation < 0 or allocation > MAX_ALLOCATION:
        errors["allocation"] = _("Give an allocation from £0 to £%(max)s.") % {"max": MAX_ALLOCATION}
    if not has_role(holder, organisation, *HOLDING_BUDGETS):
        errors["holder"] = _("Choose someone who is a budget holder in your organisation.")
    if group is not None and group.organisation_id != organisation.pk:
        errors["group"] = _("Choose one of your organisation's groups.")
    if funded_by is not None and funded_by.pk == organisation.pk:
        errors["funded_by"] = _(
            "Choose another organisation: a budget your organisation funds itself is not at arm's length."
        )
    if errors:
        raise ValidationError(errors)
    with acting_as(actor):
        budget = Budget(
            organisation=organisation,
            name=name,
            allocation=rules.money(allocation),
            holder=holder,
            group=group,
            funded_by=funded_by,
        )
        budget.full_clean()
        budget.save()
    return budget


@transaction.atomic
def close_budget(*, actor: User, budget: Budget) -> Budget:
    """No new claims draw on a closed budget; claims already on it can still be decided and paid."""
    if not has_role(actor, budget.organisation, *MANAGING_BUDGETS):
        raise PermissionDenied(_("Only an admin or a coordinator can close a budget."))
    budget = Budget.objects.select_for_update().get(pk=budget.pk)
    if budget.closed:
        raise ValidationError(_("This budget is already closed."))
    with acting_as(actor):
        budget.closed = True
        budget.save(update_fields=["closed"])
    return budget


# ---- Claims and approval ----------------------------------------------------------------------


def _is_own(actor: User, line: IncomeLine) -> bool:
    return line.person.user_id is not None and line.person.user_id == actor.pk


def _method_for(line: IncomeLine) -> str:
    """The line's own method if it has one; otherwise the person's default, then bank transfer."""
    method = line.method
    if not method:
        preference = RewardPreference.objects.filter(person_id=line.person_id).first()
        method = preference.method if preference else RewardMethod.BANK_TRANSFER
    if line.kind == IncomeLine.Kind.EXPENSE and method not in MONEY_METHODS:
        method = RewardMethod.BANK_TRANSFER
    return str(method)


@transaction.atomic
def submit_claim(*, actor: User, line: IncomeLine, budget: Budget) -> IncomeLine:
    """Claim an accepted (or returned) fee, voucher or expense against a budget: it goes to the budget's holder.

    The member claims their own line; a coordinator or admin of the line's organisation
    may submit it for them.
    """
    line = IncomeLine.objects.select_for_update(of=("self",)).select_related("person").get(pk=line.pk)
    if not (_is_own(actor, line) or has_role(actor, line.organisation, *COORDINATING)):
        raise PermissionDenied(_("You can only claim your own fees and expenses."))
    if line.kind not in CLAIMABLE_KINDS:
        raise ValidationError(_("Only fees, vouchers and expenses can be claimed."))
    # An expense claimed by the member waits, submitted, until someone chooses the budget it draws on.
    unrouted_expense = line.status == IncomeLine.Status.SUBMITTED and line.budget_id is None
    if line.status not in CLAIMABLE_STATUSES and not unrouted_expense:
        raise ValidationError(_("This cannot be claimed: it is “%(status)s”.") % {"status": line.get_status_display()})
    budget = Budget.objects.select_for_update().get(pk=budget.pk)
    if budget.organisation_id != line.organisation_id:
        raise ValidationError({"budget": _("Choose a budget of the organisation that made the offer.")})
    if budget.closed:
        raise ValidationError({"budget": _("This budget is closed. Choose another.")})
    with acting_as(actor):
        line.budget = budget
        line.method = _method_for(line)
        line.status = IncomeLine.Status.SUBMITTED
        line.submitted_at = timezone.now()
        line.return_reason = ""
        line.decided_by = None
        line.decided_at = None
        line.save(
            update_fields=["budget", "method", "status", "submitted_at", "return_reason", "decided_by", "decided_at"]
        )
    return line


def _decidable(actor: User, line: IncomeLine) -> IncomeLine:
    """The line, locked, if ``actor`` may decide it now; otherwise the reason why not."""
    line = (
        IncomeLine.objects.select_for_update(of=("self",))
        .select_related("person", "budget", "organisation")
        .get(pk=line.pk)
    )
    if _is_own(actor, line):
        raise PermissionDenied(_("You cannot approve or return your own claim. Another budget holder must decide it."))
    if line.paid_at is not None or line.status == IncomeLine.Status.PAID or line.batch_id is not None:
        raise ValidationError(_("This has already been paid, or is in a payment batch: it cannot be decided again."))
    budget = line.budget
    if budget is None or budget.holder_id != actor.pk or not has_role(actor, line.organisation, *HOLDING_BUDGETS):
        raise PermissionDenied(_("Only the holder of the budget this claim draws on can decide it."))
    if line.status != IncomeLine.Status.SUBMITTED:
        raise ValidationError(
            _("Only claims waiting for approval can be decided; this one is “%(status)s”.")
            % {"status": line.get_status_display()}
        )
    return line


@transaction.atomic
def approve(*, actor: User, line: IncomeLine) -> IncomeLine:
    """The budget holder approves a claim, ready for the next payment batch."""
    line = _decidable(actor, line)
    with acting_as(actor):
        line.status = IncomeLine.Status.APPROVED
        line.decided_by = actor
        line.decided_at = timezone.now()
        line.save(update_fields=["status", "decided_by", "decided_at"])
    return line


@transaction.atomic
def return_line(*, actor: User, line: IncomeLine, reason: str) -> IncomeLine:
    """The budget holder returns a claim with a question; the member can answer and claim again."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why you are returning it, so they know what to change.")})
    if len(reason) > 500:
        raise ValidationError({"reason": _("Use 500 characters or fewer.")})
    line = _decidable(actor, line)
    with acting_as(actor):
        line.status = IncomeLine.Status.RETURNED
        line.return_reason = reason
        line.decided_by = actor
        line.decided_at = timezone.now()
        line.save(update_fields=["status", "return_reason", "decided_by", "decided_at"])
    return line


# ---- Payment batches --------------------------------------------------------------------------


def _may_pay(actor: User | None, organisation: Organisation) -> None:
    # None is the command line: its operator runs the server and is trusted like the database.
    if actor is not None and not has_role(actor, organisation, *PAYING):
        raise PermissionDenied(_("Only a budget holder or an admin can handle payment batches."))


@transaction.atomic
def create_batch(*, actor: User | None, organisation: Organisation, method: str) -> PaymentBatch:
    """Gather every approved, unbatched line of one payment method into a new batch."""
    _may_pay(actor, organisation)
    if method not in BATCH_METHODS:
        raise ValidationError({"method": _("Choose a way of paying people.")})
    if not ready_to_batch(organisation, method).exists():
        raise ValidationError(_("There are no approved claims to pay by this method."))
    with acting_as(actor):
        batch = PaymentBatch.objects.create(organisation=organisation, method=method, created_by=actor)
        # One statement, however many lines: only lines still without a batch are touched, so a
        # line gathered by someone else at the same moment is never in two batches.
        moved = ready_to_batch(organisation, method).update(batch=batch)
        if not moved:
            raise ValidationError(_("These claims were put in another batch at the same moment."))
        gathered = IncomeLine.objects.filter(batch=batch)
        batch.line_count, batch.line_total = figures_of_lines(gathered)
        batch.save(update_fields=["line_count", "line_total"])
        ids = list(gathered.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=5000))
        _log(batch, actor, {"lines": ["", " ".join(map(str, ids))]})
        for line in gathered.order_by("pk").iterator(chunk_size=2000):
            _log(line, actor, {"batch": ["None", batch.pk]})
    return batch


def export_refusal(batch: PaymentBatch, *, copy: bool) -> str | None:
    """Why the batch's file cannot be had as asked, or None: the first export is the file, any later one a copy."""
    if copy and batch.status == PaymentBatch.Status.OPEN:
        return _("This batch has not been exported yet: export it first, not a copy.")
    if not copy and batch.status != PaymentBatch.Status.OPEN:
        return _("This batch has already been exported. Download a copy if you need the file again: it is marked COPY.")
    return None


def export_batch(
    *,
    actor: User | None,
    batch: PaymentBatch,
    copy: bool = False,
    file_format: spreadsheets.FileFormat = "csv",
    progress: Progress | None = None,
) -> tuple[str, IO[bytes]]:
    """The payment file for the bank or payroll, as ``(filename, file)``: a file at its start, to be streamed.

    The first export marks the batch exported. After that only a copy can be had
    (``copy=True``): each row says COPY and the batch is not changed, so a copy is
    never taken for a new payment file. However many lines, memory stays small: the
    lines are read a chunk at a time and the file spills to disk; ``progress`` is told
    how many of the batch's claims are written (a file prepared in the background).

    The file is built whole before anything is marked, so a file that fails half way
    changes nothing. A batch's lines never change once it is made, so the file is built
    before the batch is locked; then, locked, the batch is checked again: of two people
    exporting at once, one gets the file and the other is refused and told to take a copy.

    ``file_format`` is ``csv`` or ``xlsx``: the same rows either way, and the same rule. The
    format changes nothing else, so a batch exported as one cannot be exported again as the
    other: the second file, in either format, is a copy.
    """
    batch = PaymentBatch.objects.select_related("organisation").get(pk=batch.pk)
    _may_pay(actor, batch.organisation)
    refusal = export_refusal(batch, copy=copy)
    if refusal:
        raise ValidationError(refusal)
    paid: list[int] = []
    lines = documents.lines_of(batch)
    try:
        told = counted(lines, batch.lines.count(), progress) if progress is not None else lines
        file = documents.payment_file(batch, told, copy=copy, paid=paid, file_format=file_format)
    finally:
        lines.close()  # a file that fails half way closes its database cursor here
    try:
        _mark_exported(actor, batch, copy=copy, paid=paid)
    except BaseException:
        file.close()
        raise
    return documents.export_filename(batch, copy=copy, file_format=file_format), file


@transaction.atomic
def _mark_exported(actor: User | None, batch: PaymentBatch, *, copy: bool, paid: list[int]) -> None:
    batch = PaymentBatch.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=batch.pk)
    _may_pay(actor, batch.organisation)
    refusal = export_refusal(batch, copy=copy)
    if refusal:
        raise ValidationError(refusal)
    if batch.method == RewardMethod.BANK_TRANSFER:
        for start in range(0, len(paid), 2000):
            people_services.record_reads(
                reader=actor,
                organisation=batch.organisation,
                people=Person.objects.filter(pk__in=paid[start : start + 2000]).only("pk", "user_id"),
                what=[SensitiveRead.What.BANK],
                via=SensitiveRead.Via.EXPORT,
            )
    with acting_as(actor):
        if copy:
            _log(batch, actor, {"copy_exported": ["", timezone.now().isoformat()]})
        else:
            batch.status = PaymentBatch.Status.EXPORTED
            batch.exported_at = timezone.now()
            batch.save(update_fields=["status", "exported_at"])


@transaction.atomic
def mark_paid(*, actor: User, batch: PaymentBatch) -> PaymentBatch:
    """Record that the bank or payroll paid an exported batch: each line paid, once and only once."""
    # The row lock makes a second caller wait here, then see the batch already paid.
    batch = PaymentBatch.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=batch.pk)
    _may_pay(actor, batch.organisation)
    if batch.status == PaymentBatch.Status.PAID or batch.paid_at is not None:
        raise ValidationError(_("This batch has already been paid."))
    if batch.status != PaymentBatch.Status.EXPORTED:
        raise ValidationError(_("Export the payment file before marking the batch paid."))
    now = timezone.now()
    with acting_as(actor):
        # Conditional as well as locked: the database itself refuses to pay a batch twice.
        if (
            PaymentBatch.objects.filter(pk=batch.pk, paid_at__isnull=True)
            .exclude(status=PaymentBatch.Status.PAID)
            .update(status=PaymentBatch.Status.PAID, paid_at=now, paid_by=actor)
            != 1
        ):
            raise ValidationError(_("This batch has already been paid."))
        _log(batch, actor, {"status": [batch.status, PaymentBatch.Status.PAID]})
        lines = list(
            IncomeLine.objects.select_for_update().filter(
                batch=batch, status=IncomeLine.Status.APPROVED, paid_at__isnull=True
            )
        )
        for line in lines:
            line.status = IncomeLine.Status.PAID
            line.paid_at = now
            line.save(update_fields=["status", "paid_at"])
    batch.refresh_from_db()
    return batch


def record_benefits_shown(
    *,
    reader: User,
    organisation: Organisation,
    lines: Iterable[IncomeLine],
    checks: Mapping[int, Any],
    via: str = SensitiveRead.Via.WEB,
) -> None:
    """Record that the guard's warnings, which tell of a person's benefits, were shown for these claims."""
    warned = {line.person_id: line.person for line in lines if checks[line.pk].guard_warnings}
    people_services.record_reads(
        reader=reader, organisation=organisation, people=warned.values(), what=[SensitiveRead.What.BENEFITS], via=via
    )
