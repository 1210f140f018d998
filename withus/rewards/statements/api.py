"""The rewards API: a member's own payments and statements.

Member tokens only, and only the member's own: the person is the token's user, never
an id from the URL. Amounts are strings with two decimal places ("1234.50"), never
floating-point numbers, so nothing is lost on the way.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Path, Router, Schema
from ninja.pagination import paginate

from withus.api.auth import member_person
from withus.api.errors import AUTHENTICATED_ERRORS, ErrorOut
from withus.api.schemas import ListPagination
from withus.rewards.models import IncomeLine

from . import selectors

router = Router(tags=["statements"])


def _money(value: Any) -> str:
    return f"{value:.2f}"


class StatementLineOut(Schema):
    paid_on: date
    activity_date: date
    organisation: str
    kind: str = Field(description="fee, voucher or expense")
    description: str
    expense_category: str
    hours: str
    amount: str = Field(description="Pounds, two decimal places, e.g. 1234.50")
    paid_by: str
    funded_by: str = Field(
        description="When the organisation paid at arm's length as an independent host: whose work it was for"
    )


class OrganisationTotalOut(Schema):
    organisation: str
    payments: str
    expenses: str


class StatementOut(Schema):
    tax_year: str = Field(description="e.g. 2025/26")
    starts_on: date
    ends_on: date
    payments: list[StatementLineOut] = Field(description="Fees and vouchers paid in the tax year, by date paid")
    expenses: list[StatementLineOut] = Field(description="Expenses paid back in the tax year, by date paid")
    payments_total: str
    expenses_total: str
    by_organisation: list[OrganisationTotalOut]
    trading_allowance: str | None = Field(
        description="The HMRC trading allowance for the year: information, not advice (ask HMRC or an adviser)"
    )
    trading_allowance_used: str = Field(
        description="Fees and vouchers paid in the tax year, by the day paid: the figure the benefits page shows"
    )


class PaymentOut(Schema):
    id: int
    organisation: str
    kind: str = Field(description="fee, voucher, expense or donation")
    description: str = Field(description="What it is for, as it is now, in the language the request asks for")
    activity_date: date
    amount: str
    hours: str
    status: str = Field(description="offered, accepted, submitted (claimed), approved, returned, paid or declined")
    status_label: str
    return_reason: str = Field(description="Why it was returned, when it was")
    paid_at: datetime | None
    funded_by: str = Field(
        description="When the organisation pays at arm's length as an independent host: whose work it is for"
    )

    @staticmethod
    def resolve_organisation(line: IncomeLine) -> str:
        return str(line.organisation)

    @staticmethod
    def resolve_funded_by(line: IncomeLine) -> str:
        return str(line.budget.funded_by) if line.budget and line.budget.funded_by else ""

    @staticmethod
    def resolve_description(line: IncomeLine) -> str:
        return line.shown_description

    @staticmethod
    def resolve_amount(line: IncomeLine) -> str:
        return _money(line.amount)

    @staticmethod
    def resolve_hours(line: IncomeLine) -> str:
        return _money(line.hours)

    @staticmethod
    def resolve_status_label(line: IncomeLine) -> str:
        return str(line.get_status_display())


def _line_out(line: selectors.StatementLine) -> dict[str, Any]:
    return {
        "paid_on": line.paid_on,
        "activity_date": line.activity_date,
        "organisation": line.organisation,
        "kind": line.kind,
        "description": line.description,
        "expense_category": line.category,
        "hours": _money(line.hours),
        "amount": _money(line.amount),
        "paid_by": line.method,
        "funded_by": line.funded_by,
    }


@router.get(
    "/me/statements/{year}",
    response={200: StatementOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Your statement for a tax year",
)
def my_statement(request: HttpRequest, year: Annotated[int, Path(ge=2000, le=2100)]) -> dict[str, Any]:
    """With a member token: what you were paid and paid back in the tax year starting 6 April of ``year``.

    2025 means 6 April 2025 to 5 April 2026. Lines count in the year they were paid. A year with nothing
    paid gives an empty statement.
    """
    _token, person = member_person(request)
    statement = selectors.statement(person, date(year, 4, 6))
    return {
        "tax_year": statement.label,
        "starts_on": statement.start,
        "ends_on": statement.end,
        "payments": [_line_out(line) for line in statement.payments],
        "expenses": [_line_out(line) for line in statement.expenses],
        "payments_total": _money(statement.payments_total),
        "expenses_total": _money(statement.expenses_total),
        "by_organisation": [
            {"organisation": t.organisation, "payments": _money(t.payments), "expenses": _money(t.expenses)}
            for t in statement.by_organisation
        ],
        "trading_allowance": _money(statement.trading_allowance) if statement.trading_allowance is not None else None,
        "trading_allowance_used": _money(statement.trading.used),
    }


@router.get(
    "/me/payments",
    response={200: list[PaymentOut], **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Your offers, claims and payments",
)
@paginate(ListPagination)
def my_payments(request: HttpRequest) -> QuerySet[IncomeLine]:
    """With a member token: every fee, voucher and expense, newest activity first, with its state.

    Like your sessions, these are yours with every organisation, so each says whose it is.
    """
    _token, person = member_person(request)
    return (
        IncomeLine.objects.filter(person=person)
        .select_related("organisation", "budget__funded_by")
        .order_by("-activity_date", "-pk")
    )
