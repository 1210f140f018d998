"""The rewards API: claims, approvals and payment batches.

Thin on purpose: every change is a ``services`` call, which holds the rules (only
the budget's holder decides a claim, nobody decides their own, a batch is exported
once and paid once). The organisation is always the token's: another organisation's
claim or batch is a 404, as if it did not exist. Bank details never leave through
the API except inside a batch's payment file.

A member claims an expense with their own token (``POST /me/claims/expenses``): the
same ``fees.services.claim_expense`` the claim page calls, so the same rules refuse the
same claims.

Claims waiting for approval, and the answer to approving one, carry the benefits
guard's warnings (``selectors.guard_before_approval``): the same check the
approvals page shows, so a budget holder working through the API sees what a
budget holder on the page sees.

A batch in a list or on its own says how many claims it pays (``line_count``); its claims
themselves are ``GET /staff/batches/{id}/lines``, a page at a time, so that no answer grows
with the size of a batch.

``GET /staff/batches/{id}/export`` changes the batch the first time (it becomes
"exported"). A repeated request, a retry or a prefetch, is then refused unless it asks
for ``copy=true``, and a copy says COPY on every row: it can never pass for a new file.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest
from django.http.response import HttpResponseBase
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import ConfigDict, StringConstraints

from withus.accounts.models import ApiToken
from withus.accounts.roles import HOLDING_BUDGETS, PAYING, SEEING_PAYMENTS, STAFF
from withus.api.auth import member_person, require_role, token_of
from withus.api.errors import AUTHENTICATED_ERRORS, ErrorOut, field_messages_from_django
from withus.api.schemas import ListPagination
from withus.core import spreadsheets
from withus.people.models import SensitiveRead
from withus.rewards import rules
from withus.rewards.fees import services as fees_services
from withus.rewards.models import Benefit, ExpenseCategory, IncomeLine, PaymentBatch, RewardMethod

from . import documents, selectors, services

router = Router(tags=["rewards"])

ERRORS: dict[int, type[ErrorOut]] = {**AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut}

BatchMethod = RewardMethod  # the service refuses volunteer and expenses_only with a field error


# ---- Schemas --------------------------------------------------------------------------------


class ClaimPersonOut(Schema):
    id: int
    full_name: str


class MyClaimOut(Schema):
    """A fee, voucher or expense and where its claim has got to."""

    id: int
    kind: str
    description: str = Field(description="What it is for, as it is now, in the language the request asks for")
    amount: Decimal
    activity_date: date
    status: str
    method: str
    budget_id: int | None
    budget_name: str | None = Field(None, description="The budget it draws on.")
    submitted_at: datetime | None
    decided_at: datetime | None
    return_reason: str
    paid_at: datetime | None

    @staticmethod
    def resolve_budget_name(obj: IncomeLine) -> str | None:
        return obj.budget.name if obj.budget else None

    @staticmethod
    def resolve_description(obj: IncomeLine) -> str:
        return obj.shown_description


class ClaimOut(MyClaimOut):
    """A claim as staff see it, with whose it is and the batch it is in."""

    person: ClaimPersonOut
    batch_id: int | None
    decided_by_id: int | None


class GuardWarningOut(Schema):
    """What the benefits guard warns about a fee or voucher before approval: the same check the approvals page shows.

    Only for the benefits the member shares with the token's organisation. It informs;
    the member has already chosen, and nobody should give benefits advice.
    """

    benefit: str = Field(description="The declared benefit, e.g. carers_allowance")
    benefit_label: str
    problem: str = Field(description="over_limit, hours, no_work_allowance or no_limit_on_record")
    period_start: date
    period_end: date
    counted_with_offer: Decimal = Field(description="Fees and vouchers counted in the period, with this claim")
    hours_with_offer: Decimal
    over_by: Decimal
    hours_over: bool
    estimated_reduction: Decimal | None = Field(description="A rough estimate, for tapered benefits")
    limit: Decimal | None = Field(description="The figure used; null when none is on record")
    limit_label: str | None
    limit_source: str | None = Field(description="Where the figure comes from, in the request's language")
    limit_meaning: str | None = Field(
        description="What the limit means (the cliff edge, the hours condition, the taper), in the request's language"
    )
    limit_notes: str | None = Field(description="The reference table's notes on the figure, in the request's language")
    limit_valid_from: date | None
    stale: bool = Field(description="No figure covers the period, so the latest earlier one was used")

    @staticmethod
    def resolve_benefit_label(obj: rules.Verdict) -> str:
        return str(Benefit(obj.benefit).label)

    @staticmethod
    def resolve_limit(obj: rules.Verdict) -> Decimal | None:
        return obj.limit.amount if obj.limit else None

    @staticmethod
    def resolve_limit_label(obj: rules.Verdict) -> str | None:
        return obj.limit.label if obj.limit else None

    @staticmethod
    def resolve_limit_source(obj: rules.Verdict) -> str | None:
        return obj.limit.source if obj.limit else None

    @staticmethod
    def resolve_limit_meaning(obj: rules.Verdict) -> str | None:
        return obj.limit.meaning if obj.limit else None

    @staticmethod
    def resolve_limit_notes(obj: rules.Verdict) -> str | None:
        return obj.limit.notes if obj.limit else None

    @staticmethod
    def resolve_limit_valid_from(obj: rules.Verdict) -> date | None:
        return obj.limit.valid_from if obj.limit else None


class ClaimForApprovalOut(ClaimOut):
    """A claim as its budget holder decides it: the benefits guard's warnings (empty when there are none),
    and whether it looks like another expense claim of the member's, as the approvals page shows."""

    guard_warnings: list[GuardWarningOut]
    possible_duplicate: bool = Field(
        description="It looks like another of the member's expense claims to this organisation: check before approving"
    )
    duplicate_of: list[int] = Field(
        description=(
            "The claims it looks like: the same day and miles for mileage, the same day, expense and amount otherwise "
            "(declined claims aside)"
        )
    )


class ExpenseClaimIn(Schema):
    """An expense the member paid for taking part, claimed from the token's organisation."""

    model_config = ConfigDict(extra="forbid")

    category: ExpenseCategory = Field(description="What the expense is for.")
    activity_date: date = Field(
        description="The day of the activity: not in the future, and not before 6 April of the last tax year."
    )
    amount: Decimal | None = Field(
        None, max_digits=10, decimal_places=2, description="What you paid, in pounds and pence. Not for mileage."
    )
    miles: Decimal | None = Field(
        None,
        max_digits=6,
        decimal_places=1,
        description="Mileage only: the miles there and back. The amount is worked out at the HMRC rates.",
    )
    passengers: int = Field(0, ge=0, le=8, description="Mileage only: passengers you took.")
    agreed_beforehand: bool = Field(
        False, description="The expense was agreed with the organisation beforehand (a taxi or accommodation must be)."
    )
    confirm_duplicate: bool = Field(
        False,
        description=(
            "Send a claim that looks like one already made (the same day and amount, or the same day and miles). "
            "Without it such a claim is answered 409 with the code possible_duplicate and the ids of the claims it "
            "looks like in duplicate_of; ask the member, and send it again with true if it is another journey or cost."
        ),
    )


class PossibleDuplicateOut(ErrorOut):
    """The claim was not sent: it looks like a claim already made. Send it again with ``confirm_duplicate: true``."""

    duplicate_of: list[int] = Field(description="Your claims it looks like.")


class ClaimsQuery(Schema):
    mine_to_decide: bool = Field(False, description="Only claims on budgets you hold.")


class ReturnIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)] = Field(
        description="Why it is returned: the member sees this."
    )


class BatchIn(Schema):
    model_config = ConfigDict(extra="forbid")

    method: BatchMethod = Field(description="Every approved claim of this method not yet in a batch is gathered.")


class BatchOut(Schema):
    id: int
    method: str
    status: str
    created_at: datetime
    exported_at: datetime | None
    paid_at: datetime | None
    paid_by_id: int | None
    line_count: int = Field(description="How many claims the batch pays: GET /staff/batches/{id}/lines lists them")
    total: Decimal

    @staticmethod
    def resolve_line_count(obj: PaymentBatch) -> int:
        return selectors.figures(obj).lines

    @staticmethod
    def resolve_total(obj: PaymentBatch) -> Decimal:
        return selectors.figures(obj).total


class ExportQuery(Schema):
    copy_: bool = Field(
        False,
        alias="copy",
        description="A copy of a file already exported. Every row says COPY; the batch does not change.",
    )
    format: Literal["csv", "xlsx"] = Field(
        "csv",
        description="csv, or xlsx for a workbook with typed cells. The same rows, and the same rule: "
        "a batch is exported once, in either format; after that only a copy.",
    )


class BudgetsFileQuery(Schema):
    format: Literal["csv", "xlsx"] = Field("csv", description="csv, or xlsx for a workbook with typed cells")


# ---- Helpers --------------------------------------------------------------------------------


@dataclass
class _Checked:
    """A claim with what its budget holder is told before deciding it; every other attribute is the claim's own."""

    line: IncomeLine
    checks: selectors.BeforeApproval

    @property
    def guard_warnings(self) -> list[rules.Verdict]:
        return self.checks.guard_warnings

    @property
    def possible_duplicate(self) -> bool:
        return self.checks.possible_duplicate

    @property
    def duplicate_of(self) -> list[int]:
        return self.checks.duplicate_of

    def __getattr__(self, name: str) -> Any:
        return getattr(self.line, name)


def _checked(lines: Iterable[IncomeLine], token: ApiToken) -> list[_Checked]:
    lines = list(lines)
    checks = selectors.before_approval(lines, token.organisation)
    services.record_benefits_shown(
        reader=token.user, organisation=token.organisation, lines=lines, checks=checks, via=SensitiveRead.Via.API
    )
    return [_Checked(line, checks[line.pk]) for line in lines]


class _CheckedPages(ListPagination):
    """The same paging as every list, and then the checks before approval for the whole page, read in one go."""

    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any) -> Any:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page[self.items_attribute] = _checked(page[self.items_attribute], token_of(request))
        return page


def _claims(token: ApiToken) -> QuerySet[IncomeLine]:
    return IncomeLine.objects.filter(organisation=token.organisation).select_related("person", "budget")


def _claim(token: ApiToken, pk: int) -> IncomeLine:
    line = _claims(token).filter(pk=pk).first()
    if line is None:
        raise Http404
    return line


def _batches(token: ApiToken) -> QuerySet[PaymentBatch]:
    return selectors.with_figures(PaymentBatch.objects.filter(organisation=token.organisation))


def _batch(token: ApiToken, pk: int) -> PaymentBatch:
    batch = _batches(token).filter(pk=pk).first()
    if batch is None:
        raise Http404
    return batch


# ---- Claims ---------------------------------------------------------------------------------


@router.get("/staff/claims", response={200: list[ClaimForApprovalOut], **ERRORS}, summary="Claims waiting for approval")
@paginate(_CheckedPages)
def staff_claims(request: HttpRequest, filters: Query[ClaimsQuery]) -> Any:
    """The token organisation's claims waiting for approval, oldest first, with the benefits guard's warnings
    and whether each looks like another expense claim of the member's."""
    token = require_role(request, *SEEING_PAYMENTS)
    claims = _claims(token).filter(status=IncomeLine.Status.SUBMITTED)
    if filters.mine_to_decide:
        claims = claims.filter(budget__holder=token.user)
    return claims.order_by("submitted_at", "pk")


@router.post("/claims/{claim_id}/approve", response={200: ClaimForApprovalOut, **ERRORS}, summary="Approve a claim")
def approve_claim(request: HttpRequest, claim_id: int) -> Any:
    """With a budget holder token: approve a claim on a budget you hold. Never your own.

    The answer carries the benefits guard's warnings about it, and whether it looks like another claim,
    as the approvals page shows them.
    """
    token = require_role(request, *HOLDING_BUDGETS)
    line = services.approve(actor=token.user, line=_claim(token, claim_id))
    [checked] = _checked([_claim(token, line.pk)], token)
    return checked


@router.post("/claims/{claim_id}/return", response={200: ClaimOut, **ERRORS}, summary="Return a claim")
def return_claim(request: HttpRequest, claim_id: int, payload: ReturnIn) -> IncomeLine:
    """With a budget holder token: return a claim on a budget you hold, with the reason the member sees."""
    token = require_role(request, *HOLDING_BUDGETS)
    line = services.return_line(actor=token.user, line=_claim(token, claim_id), reason=payload.reason)
    return _claim(token, line.pk)


@router.get("/me/claims", response={200: list[MyClaimOut], **ERRORS}, summary="Your claims")
@paginate(ListPagination)
def my_claims(request: HttpRequest) -> Any:
    """With a member token: your fees, vouchers and expenses with this organisation, from acceptance to payment."""
    token, person = member_person(request)
    return (
        IncomeLine.objects.filter(person=person, organisation=token.organisation)
        .exclude(status__in=[IncomeLine.Status.OFFERED, IncomeLine.Status.DECLINED])
        .select_related("budget")
        .order_by("-activity_date", "-pk")
    )


@router.post(
    "/me/claims/expenses",
    response={201: MyClaimOut, 409: PossibleDuplicateOut, **ERRORS},
    summary="Claim an expense",
)
def claim_expense(request: HttpRequest, payload: ExpenseClaimIn) -> Status[Any]:
    """With a member token: claim an expense from this organisation. It waits for a budget and its holder's approval.

    A claim that looks like one already made is not sent: the answer is 409 ``possible_duplicate``
    with the claims it looks like. Send it again with ``confirm_duplicate: true`` if it is another
    journey or cost. Receipts are added on the claim page; mileage needs none.
    """
    token, person = member_person(request)
    try:
        line = fees_services.claim_expense(
            actor=token.user,
            person=person,
            organisation=token.organisation,
            category=payload.category,
            activity_date=payload.activity_date,
            amount=payload.amount,
            miles=payload.miles,
            passengers=payload.passengers,
            agreed_beforehand=payload.agreed_beforehand,
            confirm_duplicate=payload.confirm_duplicate,
        )
    except fees_services.PossibleDuplicate as warning:
        _general, fields = field_messages_from_django(warning)
        return Status(
            409,
            {
                "code": "possible_duplicate",
                "message": " ".join(fields["confirm_duplicate"]),
                "fields": fields,
                "duplicate_of": warning.duplicate_of,
            },
        )
    return Status(201, line)


# ---- Batches --------------------------------------------------------------------------------


@router.get("/staff/batches", response={200: list[BatchOut], **ERRORS}, summary="Payment batches")
@paginate(ListPagination)
def list_batches(request: HttpRequest) -> Any:
    token = require_role(request, *PAYING)
    return _batches(token).order_by("-created_at", "-pk")


@router.get("/staff/batches/{batch_id}/lines", response={200: list[ClaimOut], **ERRORS}, summary="A batch's claims")
@paginate(ListPagination)
def batch_lines(request: HttpRequest, batch_id: int) -> Any:
    """The claims a batch pays, a page at a time, in the order they were made (a batch may hold many thousands)."""
    token = require_role(request, *PAYING)
    return _claims(token).filter(batch=_batch(token, batch_id)).order_by("pk")


@router.post("/staff/batches", response={201: BatchOut, **ERRORS}, summary="Make a payment batch")
def create_batch(request: HttpRequest, payload: BatchIn) -> Status[PaymentBatch]:
    """Gather every approved claim of one payment method, not yet in a batch, into a new batch."""
    token = require_role(request, *PAYING)
    batch = services.create_batch(actor=token.user, organisation=token.organisation, method=payload.method)
    return Status(201, _batch(token, batch.pk))


@router.get(
    "/staff/batches/{batch_id}/export",
    response={200: None, **ERRORS},
    summary="The payment file (CSV or XLSX)",
    # Keyed 200, as in response=, so that ninja merges it into that answer rather than adding a second "200".
    openapi_extra={
        "responses": {
            200: {"description": "The CSV file, or an XLSX workbook", "content": spreadsheets.openapi_file_content()}
        }
    },
)
def export_batch(request: HttpRequest, batch_id: int, query: Query[ExportQuery]) -> HttpResponseBase:
    """The batch's payment file; the first export marks the batch exported. Columns: docs/services.md."""
    token = require_role(request, *PAYING)
    filename, file = services.export_batch(
        actor=token.user, batch=_batch(token, batch_id), copy=query.copy_, file_format=query.format
    )
    response = FileResponse(
        file, as_attachment=True, filename=filename, content_type=spreadsheets.CONTENT_TYPES[query.format]
    )
    response["Cache-Control"] = "no-store"
    return response


@router.post("/staff/batches/{batch_id}/paid", response={200: BatchOut, **ERRORS}, summary="Mark a batch paid")
def mark_paid(request: HttpRequest, batch_id: int) -> PaymentBatch:
    """Record that an exported batch has been paid. A batch is paid once: again is a 422."""
    token = require_role(request, *PAYING)
    services.mark_paid(actor=token.user, batch=_batch(token, batch_id))
    return _batch(token, batch_id)


@router.get(
    "/staff/budgets/file",
    response={200: None, **ERRORS},
    summary="The organisation's budgets (CSV or XLSX)",
    openapi_extra={
        "responses": {
            200: {
                "description": "The budgets page's table: holder, allocation, committed, spent, remaining",
                "content": spreadsheets.openapi_file_content(),
            }
        }
    },
)
def budgets_file(request: HttpRequest, query: Query[BudgetsFileQuery]) -> HttpResponseBase:
    """With a staff token: the token's organisation's budgets, as the budgets page shows them, as a file."""
    token = require_role(request, *STAFF)
    filename, file = documents.budgets_file(token.organisation, query.format)
    return FileResponse(
        file, as_attachment=True, filename=filename, content_type=spreadsheets.CONTENT_TYPES[query.format]
    )


class FundedBudgetOut(Schema):
    host: str = Field(description="The independent organisation that approves and pays from the budget")
    name: str
    closed: bool
    allocation: Decimal
    committed: Decimal = Field(description="Accepted, claimed or approved, not yet paid")
    spent: Decimal = Field(description="Paid")
    remaining: Decimal


@router.get(
    "/staff/funded-budgets",
    response={200: list[FundedBudgetOut], **ERRORS},
    summary="Budgets paid at arm's length",
)
def funded_budgets(request: HttpRequest) -> Any:
    """Budgets the token's organisation funds and an independent host pays members from: totals only,
    never who was paid, for what or how much each (002 §3)."""
    token = require_role(request, *SEEING_PAYMENTS)
    return [
        {
            "host": row.host,
            "name": row.name,
            "closed": row.closed,
            "allocation": row.figures.allocation,
            "committed": row.figures.committed,
            "spent": row.figures.spent,
            "remaining": row.figures.remaining,
        }
        for row in selectors.funded_budgets(token.user, token.organisation)
    ]
