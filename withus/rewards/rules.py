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
from decimal import ROUND_HALF_UP, ROUND_UP, Decimal, localcontext
from fractions import Fraction
from typing import Protocol, TypeVar

PENNY = Decimal("0.01")
COUNTED_KINDS = frozenset({"fee", "voucher"})
# Everything that may still be paid counts: a claimed fee, or one returned with a question, has not gone away.
COUNTED_STATUSES = frozenset({"offered", "accepted", "submitted", "returned", "approved", "paid"})


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


LEDGER_YEARS = 6


def ledger_kept_until(paid_on: date) -> date:
    """The last day a payment's record is kept once the person is erased.

    HMRC expects payment records to be kept for 6 years after the end of the tax year
    the payment was made in (PRODUCT C11): kept to the 5 April six years on, removed after.
    """
    end = tax_year(paid_on)[1]
    return date(end.year + LEDGER_YEARS, end.month, end.day)


def last_payment_day_past_keeping(today: date) -> date:
    """The last day a payment could have been made whose record is no longer kept on ``today``.

    ``ledger_kept_until(paid_on) < today`` exactly when ``paid_on`` is on or before this
    day, so the database can pick out what is due with one date, never reading each line.
    """
    year_ends = date(today.year - LEDGER_YEARS, 4, 5)  # the tax year whose keeping ends on 5 April this year
    if today <= date(today.year, 4, 5):
        year_ends = date(year_ends.year - 1, 4, 5)  # this year's 5 April has not passed yet
    return year_ends


def earliest_activity_date(today: date) -> date:
    """The earliest activity a fee, a voucher, an expense claim or a cash repayment may be for.

    It is 6 April of the last tax year: anything in this tax year or the one before.
    The guidance sets no deadline for claiming; it asks for expenses to be repaid on the
    day and fees to be paid promptly (000 §Payment of Expenses, §Systems of payment),
    so the bound is there to catch a mistyped date (1900, 0001), not to turn away a late
    claim. The tax year is what everything else counts in: the member's statements, the
    HMRC 10,000-mile threshold and the trading allowance. Allowing the whole of the last
    tax year means a journey in March can still be claimed after 5 April and a member
    who forgot can claim up to a year late; going further back would reopen a tax year
    whose statement the member may already have given to HMRC or a benefits office.
    """
    this_year_starts, _end = tax_year(today)
    return tax_year(this_year_starts - timedelta(days=1))[0]


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
    # Both in the reader's language, and shown with every warning about the limit:
    meaning: str = ""  # what the rule means whatever the year (the cliff edge, the hours condition, the taper)
    notes: str = ""  # what the reference table says about this year's figure


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


def next_period(declared: Declared, day: date) -> tuple[date, date]:
    """The benefit's own period after the one containing ``day``: it starts the day after that one ends.

    Each benefit has its own period (a Monday-to-Sunday week, or a Universal Credit
    assessment period starting on the person's own day of the month), so the next
    period differs per declaration.
    """
    _start, end = period_of(declared, day)
    return period_of(declared, end + timedelta(days=1))


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
    """Fees and vouchers paid in the tax year containing ``day`` (information only, not advice).

    Each line's ``day`` is the day it was paid: ``statements.selectors.trading_allowance``
    says why, and is the one caller that gives the lines their dates.
    """
    start, end = tax_year(day)
    total, _hours = counted((ln for ln in lines if ln.status == "paid"), start, end)
    return start, end, total


# ---- Fees (001 §How is payment amount decided, PRODUCT C5) ------------------------------------

NO_FEE_ACTIVITIES = frozenset({"information", "open_consultation"})
# Reward choices that take no fee and no voucher (RewardMethod values).
NO_FEE_CHOICES = frozenset({"volunteer", "expenses_only"})
HUNDRED = Decimal("100")


def fee_may_be_offered(reward_choice: str | None) -> bool:
    """Whether a fee or voucher may be offered to someone whose usual reward choice is ``reward_choice``.

    Not to someone who chose to volunteer or to have expenses only: the person chooses
    how they are rewarded, and one activity is never split into a paid and a voluntary
    part (002 §5, PRODUCT C5). No choice recorded yet is no objection.
    """
    return reward_choice not in NO_FEE_CHOICES


# What a member may choose instead when a change to a fee is refused: each keeps the activity whole.
WHOLE_ACTIVITY_CHOICES = ("fewer_hours", "donate", "expenses_only", "decline")


def lowest_fee(hours: Decimal, hourly_minimum: Decimal) -> Decimal:
    """The least a fee for ``hours`` of paid time may be: the hourly minimum for every one of those hours.

    Rounded up to the penny, so that a fee of exactly this amount is never under the
    minimum (1.5 hours at £13.45 is £20.175: £20.18 is the least, £20.17 is too little).
    """
    if hours < 0 or hourly_minimum < 0:
        raise ValueError("hours and the hourly minimum cannot be negative")
    return (hours * hourly_minimum).quantize(PENNY, rounding=ROUND_UP)


def lower_fee_refusal(*, offered: Decimal, asked: Decimal, hours: Decimal, hourly_minimum: Decimal) -> str | None:
    """Why a lower fee of ``asked`` for an offer of ``offered`` is refused, if it is (002 §5).

    A fee lower than offered is the member's choice, but it still pays every hour at
    least the hourly minimum: less would pay part of the activity and leave the rest
    as volunteering, and one activity is never split into a paid and a voluntary part.
    ``"not_lower"``: the amount is not below the offer (or is negative);
    ``"below_minimum"``: it is under ``lowest_fee(hours, hourly_minimum)``.
    """
    if asked < 0 or asked >= offered:
        return "not_lower"
    if asked < lowest_fee(hours, hourly_minimum):
        return "below_minimum"
    return None


def fewer_hours_refusal(*, taking_part: Decimal, asked: Decimal) -> str | None:
    """Why taking part for ``asked`` hours instead of ``taking_part`` is refused, if it is.

    Fewer hours means taking part for fewer hours, and being paid for all of them: more
    than none and fewer than before. ``"not_fewer"`` otherwise.
    """
    if not Decimal("0") < asked < taking_part:
        return "not_fewer"
    return None


def minutes_in(hours: Decimal) -> int:
    """Hours as whole minutes, to the nearest minute (attendance is kept in minutes)."""
    return int((hours * 60).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def pro_rata(amount: Decimal, *, hours: Decimal, of_hours: Decimal) -> Decimal:
    """``amount`` for ``of_hours`` scaled to ``hours``, worked out exactly and rounded once, half up."""
    if of_hours <= 0:
        raise ValueError("of_hours must be more than 0")
    return money_exact(Fraction(amount) * Fraction(hours) / Fraction(of_hours))


class CardLike(Protocol):
    """What the fee rules read from a rate card: the ``RateCard`` model, or a plain record in tests."""

    @property
    def activity_type(self) -> str: ...
    @property
    def level(self) -> int | None: ...
    @property
    def hourly_rate(self) -> Decimal: ...
    @property
    def preparation_ratio(self) -> Decimal: ...
    @property
    def travel_time_over_minutes(self) -> int: ...
    @property
    def chair_uplift_percent(self) -> Decimal: ...
    @property
    def valid_from(self) -> date: ...
    @property
    def valid_to(self) -> date | None: ...


CardT = TypeVar("CardT", bound=CardLike)


@dataclass(frozen=True)
class Card:
    """A rate card as plain values (the model satisfies ``CardLike`` too)."""

    activity_type: str
    hourly_rate: Decimal
    valid_from: date
    valid_to: date | None = None
    level: int | None = None
    preparation_ratio: Decimal = Decimal("1.00")
    travel_time_over_minutes: int = 30
    chair_uplift_percent: Decimal = Decimal("25.00")


def _covers(card: CardLike, day: date) -> bool:
    return card.valid_from <= day and (card.valid_to is None or day <= card.valid_to)


def rate_in_force(cards: Iterable[CardT], activity_type: str, level: int | None, day: date) -> CardT | None:
    """The card that applies to an activity on ``day``.

    A card for the activity's own pathway level beats a card for every level (level
    blank); among equals the one that started latest wins.
    """
    fitting = [
        c
        for c in cards
        if c.activity_type == activity_type and _covers(c, day) and (c.level is None or c.level == level)
    ]
    if not fitting:
        return None
    return max(fitting, key=lambda c: (c.level is not None, c.valid_from))


def rate_cards_overlap(existing: Iterable[CardLike], new: CardLike) -> bool:
    """Whether ``new`` shares a day with a card for the same activity and the same level (or both blank).

    A level-specific card may sit inside the dates of a card for every level: it is the
    more specific one and wins (``rate_in_force``), so that is not an overlap.
    """
    new_end = new.valid_to or date.max
    return any(
        c.activity_type == new.activity_type
        and c.level == new.level
        and c.valid_from <= new_end
        and new.valid_from <= (c.valid_to or date.max)
        for c in existing
    )


def _pounds(whole_pence: Fraction) -> Decimal:
    return (Decimal(whole_pence.numerator) / whole_pence.denominator).quantize(PENNY)


def money_exact(value: Fraction) -> Decimal:
    """An exact amount in pounds rounded once, half up (away from zero), to pence: ``money`` for a fraction."""
    pence = abs(value) * 100
    whole = int(pence)
    if pence - whole >= Fraction(1, 2):
        whole += 1
    return (Decimal(whole if value >= 0 else -whole) / 100).quantize(PENNY)


@dataclass(frozen=True)
class FeeLine:
    """One line of a fee. ``exact`` is the exact amount (never rounded): only the total is rounded."""

    key: str  # meeting, preparation, travel, chairing
    hours: Decimal
    exact: Fraction

    @property
    def amount(self) -> Decimal:
        """The exact amount as a Decimal (to 50 significant digits), for reading; sums use ``exact``."""
        return _decimal(self.exact)


@dataclass(frozen=True)
class FeeBreakdown:
    """A fee's lines. The total, the pence shown per line and the exact sum agree by construction.

    The total is not stored beside the lines, where it could disagree with them: it is the
    exact sum of the lines rounded once, half up, and ``shown`` shares exactly that total
    out between the lines.
    """

    lines: tuple[FeeLine, ...]

    @property
    def exact_total(self) -> Fraction:
        return sum((line.exact for line in self.lines), Fraction(0))

    @property
    def total(self) -> Decimal:
        return money_exact(self.exact_total)

    @property
    def paid_hours(self) -> Decimal:
        """Hours of time paid for (the chairing uplift pays no extra hours)."""
        return sum((line.hours for line in self.lines if line.key != "chairing"), Decimal("0"))

    def shown(self) -> list[tuple[FeeLine, Decimal]]:
        """Each line in pence, shared out so that the pence shown add up to the total exactly.

        Every line is rounded down and the pennies left over go to the lines with the
        largest remainders (the total itself was rounded once, half up). Remainders are
        compared exactly, so a line is never a penny out because of how it was written down.
        """
        floors = [Fraction(int(line.exact * 100), 100) for line in self.lines]
        spare = int((Fraction(self.total) - sum(floors, Fraction(0))) * 100)
        order = sorted(range(len(self.lines)), key=lambda i: self.lines[i].exact - floors[i], reverse=True)
        for i in order[: max(spare, 0)]:
            floors[i] += Fraction(1, 100)
        return [(line, _pounds(pence)) for line, pence in zip(self.lines, floors, strict=True)]


def travel_minutes_paid(round_trip_minutes: int, over_minutes: int) -> int:
    """The travel time that is paid, from the whole round trip's time.

    Our reading of "travel time paid for journeys over 30 minutes": a journey is one
    way; the first ``over_minutes`` of each way is the ordinary getting-there anyone
    would do, and only the time beyond it is paid, both ways. So a 45-minute journey
    each way (90 minutes round trip) pays 30 minutes, and a 29- or 31-minute journey
    differs by minutes, not by a cliff edge of a whole hour.
    """
    if round_trip_minutes < 0 or over_minutes < 0:
        raise ValueError("minutes cannot be negative")
    return max(0, round_trip_minutes - 2 * over_minutes)


def fee_for(
    minutes_present: int,
    *,
    rate: Decimal,
    role: str,
    representative: bool,
    travel_minutes: int,
    card: CardLike,
) -> FeeBreakdown:
    """The fee for one attendance, line by line, the total rounded once, half up.

    - meeting time: the hours present at ``rate``;
    - preparation (representative roles only): ``card.preparation_ratio`` hours per meeting hour;
    - travel time: see ``travel_minutes_paid``;
    - chairing uplift (the chair only): ``card.chair_uplift_percent`` of the meeting time;
    - nothing at all for receiving information or open consultations (001).
    """
    if minutes_present < 0:
        raise ValueError("minutes_present cannot be negative")
    if rate < 0:
        raise ValueError("rate cannot be negative")
    if card.activity_type in NO_FEE_ACTIVITIES:
        return FeeBreakdown(lines=())
    # Worked out exactly, as fractions: minutes to hours is the only inexact step, and a total
    # that is exactly on a half penny (9983.105) must round up, not be nudged below it by
    # the lines' own rounding. Lines are shown as Decimal, far beyond pence.
    parts: list[tuple[str, Fraction, Fraction]] = []
    hourly = Fraction(rate)
    meeting_hours = Fraction(minutes_present, 60)
    parts.append(("meeting", meeting_hours, hourly * meeting_hours))
    if representative and card.preparation_ratio > 0:
        hours = meeting_hours * Fraction(card.preparation_ratio)
        parts.append(("preparation", hours, hourly * hours))
    paid_travel = travel_minutes_paid(travel_minutes, card.travel_time_over_minutes)
    if paid_travel:
        hours = Fraction(paid_travel, 60)
        parts.append(("travel", hours, hourly * hours))
    if role == "chair" and card.chair_uplift_percent > 0:
        uplift = hourly * meeting_hours * Fraction(card.chair_uplift_percent) / 100
        parts.append(("chairing", Fraction(0), uplift))
    return FeeBreakdown(lines=tuple(FeeLine(key, _decimal(hours), amount) for key, hours, amount in parts))


def _decimal(value: Fraction) -> Decimal:
    """An exact fraction as a Decimal to 50 significant digits: exact whenever it has a finite decimal form."""
    with localcontext() as context:
        context.prec = 50
        return Decimal(value.numerator) / Decimal(value.denominator)


# ---- Mileage (HMRC approved mileage allowance payments, PRODUCT §5) ----------------------------

MILEAGE_THRESHOLD = Decimal("10000")
MAX_MILES_PER_CLAIM = Decimal("500")
MAX_PASSENGERS = 8


@dataclass(frozen=True)
class MileageRates:
    first_10000_pence: Decimal
    after_pence: Decimal
    passenger_pence: Decimal


@dataclass(frozen=True)
class Mileage:
    miles_at_first_rate: Decimal
    miles_at_after_rate: Decimal
    passenger_miles: Decimal
    amount: Decimal


def mileage_amount(
    miles: Decimal, passengers: int, *, rate: MileageRates, miles_already_this_tax_year: Decimal
) -> Mileage:
    """What a journey's mileage repays, split across the 10,000-mile threshold of the tax year.

    Miles up to the threshold (counting the miles already claimed this tax year) are at
    the first rate, the rest at the lower rate; each passenger adds the passenger rate
    for every mile. Pence are turned into pounds and rounded once, at the end.
    """
    if not Decimal("0") < miles <= MAX_MILES_PER_CLAIM:
        raise ValueError("miles must be more than 0 and at most 500")
    if not 0 <= passengers <= MAX_PASSENGERS:
        raise ValueError("passengers must be 0 to 8")
    if miles_already_this_tax_year < 0:
        raise ValueError("miles already claimed cannot be negative")
    left_at_first = max(Decimal("0"), MILEAGE_THRESHOLD - miles_already_this_tax_year)
    first = min(miles, left_at_first)
    after = miles - first
    passenger_miles = miles * passengers
    pence = first * rate.first_10000_pence + after * rate.after_pence + passenger_miles * rate.passenger_pence
    return Mileage(first, after, passenger_miles, money(pence / HUNDRED))


# ---- Likely duplicate expense claims (PRODUCT C5) ---------------------------------------------


def claim_signature(*, category: str, day: date, amount: Decimal | None, miles: Decimal | None) -> tuple[object, ...]:
    """What two expense claims of one person to one organisation share when one is likely the other made again.

    Mileage: the same day and the same miles. Its amount can differ for the same journey
    (passengers, or the 10,000-mile threshold crossed in between), and no route is
    recorded, so the miles are what repeat. Anything else: the same day, the same kind
    of expense and the same amount. Decimals compare by value, so 4.5 and 4.50 match.
    A match is only likely: a second journey on one day is real, so it is never refused.
    """
    if category == "mileage":
        return (category, day, miles)
    return (category, day, amount)
