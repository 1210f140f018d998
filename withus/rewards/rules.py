"""The benefits guard, as pure functions (000 §Impact on Benefits, 001 §Welfare Benefits, PRODUCT §5).

The guard adds up what a person would be paid in each benefit's own period, counting
fees and vouchers but never expenses, and says whether a limit would be passed, by how
much, and what the person could do. It never decides for them and never gives advice.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

PENNY = Decimal("0.01")
COUNTED_KINDS = frozenset({"fee", "voucher"})
COUNTED_STATUSES = frozenset({"offered", "accepted", "approved", "paid"})


def money(value: Decimal | int | str) -> Decimal:
    """Round once, at the end, half up, to pence."""
    return Decimal(value).quantize(PENNY, rounding=ROUND_HALF_UP)


# ---- Periods ----------------------------------------------------------------------------------


def benefit_week(day: date) -> tuple[date, date]:
    """The benefit week, Monday to Sunday, containing ``day``."""
    start = day - timedelta(days=day.weekday())
    return start, start + timedelta(days=6)


def _clamped(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def assessment_period(day: date, assessment_day: int) -> tuple[date, date]:
    """The Universal Credit assessment period containing ``day``.

    It starts on ``assessment_day`` of a month (the last day of a shorter month) and ends
    the day before the next start.
    """
    if not 1 <= assessment_day <= 31:
        raise ValueError("assessment_day must be 1 to 31")
    this_month = _clamped(day.year, day.month, assessment_day)
    if day >= this_month:
        start = this_month
    else:
        year, month = (day.year - 1, 12) if day.month == 1 else (day.year, day.month - 1)
        start = _clamped(year, month, assessment_day)
    year, month = (start.year + 1, 1) if start.month == 12 else (start.year, start.month + 1)
    return start, _clamped(year, month, assessment_day) - timedelta(days=1)


def tax_year(day: date) -> tuple[date, date]:
    """The UK tax year, 6 April to 5 April, containing ``day``."""
    start_year = day.year if day >= date(day.year, 4, 6) else day.year - 1
    return date(start_year, 4, 6), date(start_year + 1, 4, 5)


# ---- Inputs and outputs -----------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """An amount offered or paid (from any organisation the person lets share it)."""

    kind: str  # fee, voucher or expense
    amount: Decimal
    day: date
    hours: Decimal = Decimal("0")
    status: str = "offered"


@dataclass(frozen=True)
class Limit:
    rule: str
    period: str
    amount: Decimal
    valid_from: date
    valid_to: date | None
    source: str
    hours_limit: Decimal | None = None
    taper_percent: Decimal | None = None
    label: str = ""


@dataclass(frozen=True)
class Declared:
    benefit: str
    assessment_day: int | None = None
    uc_housing_support: bool = False
    uc_work_allowance: bool = False
    disregard: str = ""


@dataclass
class Verdict:
    benefit: str
    period_start: date
    period_end: date
    counted_before: Decimal
    counted_with_offer: Decimal
    hours_with_offer: Decimal
    limit: Limit | None
    over_by: Decimal = Decimal("0.00")
    hours_over: bool = False
    estimated_reduction: Decimal | None = None
    problem: str = ""  # "", "over_limit", "hours", "no_limit_on_record", "no_work_allowance"
    options: list[str] = field(default_factory=list)
    stale: bool = False  # no row covers the period: the latest earlier figure was used

    @property
    def warns(self) -> bool:
        return bool(self.problem)


OPTIONS = ["fewer_hours", "lower_fee", "donate", "expenses_only", "decline"]


def rule_for(declared: Declared) -> str | None:
    """Which reference-table rule applies to a declared benefit."""
    if declared.benefit == "esa_permitted_work":
        return "esa_permitted_work"
    if declared.benefit == "carers_allowance":
        return "carers_allowance"
    if declared.benefit == "universal_credit":
        return "uc_work_allowance_housing" if declared.uc_housing_support else "uc_work_allowance_no_housing"
    if declared.benefit == "legacy_disregard":
        return {"couple": "disregard_couple", "higher": "disregard_higher"}.get(declared.disregard, "disregard_single")
    return None


def limit_on(limits: Iterable[Limit], rule: str, day: date) -> Limit | None:
    """The row for ``rule`` in force on ``day`` (the latest that started on or before it)."""
    rows = [r for r in limits if r.rule == rule and r.valid_from <= day and (r.valid_to is None or day <= r.valid_to)]
    return max(rows, key=lambda r: r.valid_from, default=None)


def latest_before(limits: Iterable[Limit], rule: str, day: date) -> Limit | None:
    """The most recent row for ``rule`` that started on or before ``day``, even if it has ended."""
    rows = [r for r in limits if r.rule == rule and r.valid_from <= day]
    return max(rows, key=lambda r: r.valid_from, default=None)


def period_of(declared: Declared, day: date) -> tuple[date, date]:
    if declared.benefit == "universal_credit":
        return assessment_period(day, declared.assessment_day or 1)
    return benefit_week(day)


def counted(lines: Iterable[Line], start: date, end: date) -> tuple[Decimal, Decimal]:
    """Income (fees and vouchers, never expenses) and paid hours inside [start, end]."""
    income = Decimal("0")
    hours = Decimal("0")
    for line in lines:
        if start <= line.day <= end and line.status in COUNTED_STATUSES and line.kind in COUNTED_KINDS:
            income += line.amount
            hours += line.hours
    return money(income), hours


def check(
    declared: Declared, lines: Sequence[Line], offer: Line | None, limits: Sequence[Limit], *, on: date | None = None
) -> Verdict:
    """The guard's view of one declared benefit, for the period containing the offer (or ``on``)."""
    day = offer.day if offer is not None else (on or date.today())
    start, end = period_of(declared, day)
    before, _hours_before = counted(lines, start, end)
    with_offer, hours_with = counted([*lines, *([offer] if offer else [])], start, end)
    rule = rule_for(declared)
    limit = limit_on(limits, rule, start) if rule else None
    stale = False
    if limit is None and rule:
        # Nobody has entered this year's figure yet: judge by the last one, and say so.
        limit = latest_before(limits, rule, start)
        stale = limit is not None
    verdict = Verdict(declared.benefit, start, end, before, with_offer, hours_with, limit, stale=stale)
    if limit is None:
        verdict.problem = "no_limit_on_record"
        verdict.options = list(OPTIONS)
        return verdict
    if declared.benefit == "universal_credit" and not declared.uc_work_allowance:
        # Without a work allowance every pound of earnings tapers Universal Credit.
        if with_offer > 0:
            verdict.problem = "no_work_allowance"
            verdict.over_by = with_offer
            verdict.estimated_reduction = _taper(with_offer, limit.taper_percent)
            verdict.options = list(OPTIONS)
        return verdict
    if with_offer > limit.amount:
        verdict.problem = "over_limit"
        verdict.over_by = money(with_offer - limit.amount)
        if limit.taper_percent is not None:
            verdict.estimated_reduction = _taper(verdict.over_by, limit.taper_percent)
    if limit.hours_limit is not None and hours_with >= limit.hours_limit:
        verdict.hours_over = True
        verdict.problem = verdict.problem or "hours"
    if verdict.problem:
        verdict.options = list(OPTIONS)
    return verdict


def _taper(amount: Decimal, percent: Decimal | None) -> Decimal | None:
    if percent is None:
        return None
    return money(amount * percent / Decimal("100"))


def check_all(
    declarations: Sequence[Declared],
    lines: Sequence[Line],
    offer: Line | None,
    limits: Sequence[Limit],
    *,
    on: date | None = None,
) -> list[Verdict]:
    return [check(d, lines, offer, limits, on=on) for d in declarations]


def trading_allowance_used(lines: Iterable[Line], day: date) -> tuple[date, date, Decimal]:
    """Fees and vouchers paid in the tax year containing ``day`` (information only, not advice)."""
    start, end = tax_year(day)
    total, _hours = counted((ln for ln in lines if ln.status == "paid"), start, end)
    return start, end, total
