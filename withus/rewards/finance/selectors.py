"""Reads for finance: claims waiting for a budget or for approval, budgets and their figures, payment batches.

Shared by the pages, the API and the command line, so that each figure is worked out once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from withus.accounts.models import Organisation, User
from withus.accounts.roles import SEEING_PAYMENTS
from withus.accounts.selectors import has_role
from withus.people.models import Person
from withus.rewards import rules
from withus.rewards.fees import selectors as fees_selectors
from withus.rewards.guard import selectors as guard_selectors
from withus.rewards.models import Budget, IncomeLine, PaymentBatch, RewardMethod

ZERO = Decimal("0.00")
CLAIMABLE_KINDS = (IncomeLine.Kind.FEE, IncomeLine.Kind.VOUCHER, IncomeLine.Kind.EXPENSE)
CLAIMABLE_STATUSES = (IncomeLine.Status.ACCEPTED, IncomeLine.Status.RETURNED)
COMMITTED = (IncomeLine.Status.ACCEPTED, IncomeLine.Status.SUBMITTED, IncomeLine.Status.APPROVED)


def unrouted_claims(organisation: Organisation) -> list[IncomeLine]:
    """Accepted fees and vouchers, and expense claims, that no budget has been chosen for yet."""
    return list(
        IncomeLine.objects.filter(organisation=organisation, budget__isnull=True, kind__in=CLAIMABLE_KINDS)
        .filter(Q(status__in=CLAIMABLE_STATUSES) | Q(status=IncomeLine.Status.SUBMITTED))
        .select_related("person")
        .order_by("activity_date", "pk")
    )


# ---- Budgets ---------------------------------------------------------------------------------


class BudgetFigures(NamedTuple):
    """A tuple, so it unpacks and compares as ``(allocation, committed, spent, remaining)``."""

    allocation: Decimal
    committed: Decimal
    spent: Decimal
    remaining: Decimal


def _figures(allocation: Decimal, committed: Decimal | None, spent: Decimal | None) -> BudgetFigures:
    c = rules.money(committed or ZERO)
    s = rules.money(spent or ZERO)
    a = rules.money(allocation)
    return BudgetFigures(a, c, s, a - c - s)


def budget_figures(budget: Budget) -> BudgetFigures:
    """Allocation, committed (accepted, claimed or approved, not yet paid), spent (paid) and what remains.

    Unpacks as ``allocation, committed, spent, remaining``; every figure is Decimal to the penny.
    """
    [(_budget, figures)] = budgets_with_figures(Budget.objects.filter(pk=budget.pk))
    return figures


def budgets_with_figures(budgets: models.QuerySet[Budget]) -> list[tuple[Budget, BudgetFigures]]:
    """Each budget with its figures, in one query however many budgets there are."""
    rows = budgets.annotate(
        committed_sum=Sum("lines__amount", filter=Q(lines__status__in=COMMITTED, lines__paid_at__isnull=True)),
        spent_sum=Sum("lines__amount", filter=Q(lines__status=IncomeLine.Status.PAID)),
    )
    return [(b, _figures(b.allocation, b.committed_sum, b.spent_sum)) for b in rows]


@dataclass(frozen=True)
class FundedBudget:
    """What the funder of a budget paid at arm's length sees: the host, the budget and its totals, nothing more."""

    host: str
    name: str
    closed: bool
    figures: BudgetFigures


def funded_budgets(user: Any, funder: Organisation) -> list[FundedBudget]:
    """The budgets ``funder`` pays for through an independent host, each with its totals only, for the
    funder's staff who see its payments; one query however many budgets."""
    if not has_role(user, funder, *SEEING_PAYMENTS):
        raise PermissionDenied
    rows = budgets_with_figures(
        Budget.objects.filter(funded_by=funder).select_related("organisation").order_by("organisation__name", "name")
    )
    return [FundedBudget(b.organisation.name, b.name, b.closed, f) for b, f in rows]


# ---- Payment batches --------------------------------------------------------------------------


def ready_for_a_batch(organisation: Organisation) -> models.QuerySet[IncomeLine]:
    """Approved lines, not paid and not yet in a batch, of every payment method."""
    return IncomeLine.objects.filter(
        organisation=organisation, status=IncomeLine.Status.APPROVED, batch__isnull=True, paid_at__isnull=True
    )


def ready_to_batch(organisation: Organisation, method: str) -> models.QuerySet[IncomeLine]:
    return ready_for_a_batch(organisation).filter(method=method)


class BatchFigures(NamedTuple):
    lines: int
    total: Decimal


def figures_of_lines(lines: models.QuerySet[IncomeLine]) -> BatchFigures:
    """How many lines, and their total to the penny: the one way a batch's figures are worked out."""
    zero = Value(ZERO, output_field=DecimalField(max_digits=12, decimal_places=2))
    found = lines.aggregate(lines=Count("pk"), total=Coalesce(Sum("amount"), zero))
    return BatchFigures(found["lines"], rules.money(found["total"]))


def with_figures(batches: models.QuerySet[PaymentBatch]) -> models.QuerySet[PaymentBatch]:
    """``batches`` as they are: each carries its figures (``line_count``, ``line_total``)."""
    return batches


def figures(batch: PaymentBatch) -> BatchFigures:
    """How many lines a batch has, and its total: the sum of its lines' amounts, to the penny.

    The one definition of a batch's total, for the batches page, the confirm page, the
    API and ``withus payments``: written on the batch when its lines were gathered.
    """
    return BatchFigures(batch.line_count, rules.money(batch.line_total))


def batch_total(batch: PaymentBatch) -> Decimal:
    return figures(batch).total


def batch_of(organisation: Organisation, pk: int) -> PaymentBatch | None:
    """One of the organisation's batches, with its figures; None for any other organisation's."""
    return with_figures(PaymentBatch.objects.filter(organisation=organisation, pk=pk)).first()


def budgets_seen_by_member(person: Person) -> models.QuerySet[Budget]:
    """Budgets of the groups the person sits on now: their totals are open to the group (001)."""
    return (
        Budget.objects.filter(group__appointments__person=person, group__appointments__ended_on__isnull=True)
        .distinct()
        .select_related("organisation", "group")
    )


# ---- Approval ---------------------------------------------------------------------------------


def waiting_for_approval(organisation: Organisation, *, holder: User | None = None) -> QuerySet[IncomeLine]:
    """Claims waiting for approval, oldest first; with ``holder``, only those on budgets they hold.

    A query, for a page of it to be taken: at national scale thousands wait at once.
    """
    claims = IncomeLine.objects.filter(organisation=organisation, status=IncomeLine.Status.SUBMITTED)
    if holder is not None:
        claims = claims.filter(budget__holder=holder)
    return claims.select_related("person", "budget").order_by("submitted_at", "pk")


def guard_before_approval(lines: Sequence[IncomeLine], organisation: Organisation) -> dict[int, list[rules.Verdict]]:
    """The benefits guard's warnings about each claim, before its budget holder approves it.

    Only fees and vouchers count as income, so only they are checked; only the
    declarations the member shares with ``organisation`` are seen. Keyed by line id;
    a line with nothing to warn about has an empty list. Read in one go for all the
    lines, so a page or an API list costs the same few queries however long it is.
    """
    counted = [line for line in lines if line.kind in rules.COUNTED_KINDS]
    views = guard_selectors.guard_offers(counted, viewer_organisation=organisation)
    return {line.pk: [v for _d, v in views.get(line.pk, []) if v.warns] for line in lines}


@dataclass(frozen=True)
class BeforeApproval:
    """What a budget holder is told about a claim before deciding it, on the approvals page and in the API."""

    guard_warnings: list[rules.Verdict]
    duplicate_of: list[int]  # the member's other expense claims it looks like (fees.selectors.likely_duplicates)

    @property
    def possible_duplicate(self) -> bool:
        return bool(self.duplicate_of)


def before_approval(lines: Sequence[IncomeLine], organisation: Organisation) -> dict[int, BeforeApproval]:
    """The guard's warnings and the likely duplicates of each claim, keyed by line id, in the same few queries."""
    warnings = guard_before_approval(lines, organisation)
    duplicates = fees_selectors.likely_duplicates(lines)
    return {
        line.pk: BeforeApproval(warnings[line.pk], duplicate_of)
        for line, duplicate_of in zip(lines, duplicates, strict=True)
    }


# ---- Payment batches (what is ready) ----------------------------------------------------------


def ready_counts(organisation: Organisation) -> list[dict[str, Any]]:
    """Approved lines not yet in a batch, counted and added up per payment method (in words)."""
    rows = (
        ready_for_a_batch(organisation)
        .values("method")
        .annotate(lines=Count("pk"), total=Sum("amount"))
        .order_by("method")
    )
    labels = dict(RewardMethod.choices)
    return [{"method": labels.get(r["method"], r["method"]), "lines": r["lines"], "total": r["total"]} for r in rows]


def recent_batches(organisation: Organisation) -> models.QuerySet[PaymentBatch]:
    """The organisation's batches, newest first, with their figures: for a page of them to be taken."""
    batches = PaymentBatch.objects.filter(organisation=organisation).select_related("paid_by", "created_by")
    return batches.order_by("-created_at", "-pk")
