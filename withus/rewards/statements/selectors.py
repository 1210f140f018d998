"""Reads for reward choice, statements and recognition (C5), shared by the pages, the API and the files.

- The member's default reward choice, with bank details shown only masked.
- Statements by tax year (6 April to 5 April): fees and vouchers paid, and expenses
  repaid, kept apart, with totals per organisation and overall. The HMRC trading
  allowance is shown as information, never advice.
- Thanks received, and the record of roles, sessions and thanks for a CV.

Money is Decimal throughout; totals are the sum of the lines, rounded once, half up.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone, translation

from withus.accounts.models import Organisation
from withus.groups.models import Appointment
from withus.meetings.models import Attendance
from withus.people.models import Person
from withus.rewards import reference, rules
from withus.rewards.guard import selectors as guard_selectors
from withus.rewards.models import BenefitLimit, IncomeLine, RewardPreference, Thanks

WELSH, ENGLISH = "cy", "en"
PAID_KINDS = (IncomeLine.Kind.FEE, IncomeLine.Kind.VOUCHER)
ZERO = Decimal("0.00")

# ---- Reward choice ------------------------------------------------------------------------------


def masked(value: str | None) -> str:
    """All but the last two digits hidden: enough to recognise the account, not to use it."""
    if not value:
        return ""
    return "•" * max(len(value) - 2, 0) + value[-2:]


def masked_sort_code(value: str | None) -> str:
    if not value:
        return ""
    return f"••-••-{value[-2:]}"


def preference_for(person: Person) -> RewardPreference | None:
    return RewardPreference.objects.filter(person=person).first()


# ---- Statements ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatementLine:
    """One fee, voucher or expense, as paid."""

    paid_on: date
    activity_date: date
    organisation_id: int
    organisation: str
    kind: str  # fee, voucher or expense
    kind_label: str
    description: str
    category: str  # the expense's category, in words; "" for fees and vouchers
    hours: Decimal
    amount: Decimal
    method: str  # how it was paid, in words; "" when not recorded
    # Paid at arm's length (002 §3): the organisation whose work it was for, which funded the budget the
    # paying organisation (``organisation``, an independent host) paid it from; "" otherwise.
    funded_by: str = ""


@dataclass(frozen=True)
class OrganisationTotal:
    organisation_id: int
    organisation: str
    payments: Decimal
    expenses: Decimal


class StatementTotals:
    """A statement's totals, added up a line at a time: payments and expenses apart, per organisation and overall.

    The one way a statement's totals are worked out, for the page, the PDF, the API and
    the CSV (which adds its lines up as it streams them, never holding them all).
    """

    def __init__(self) -> None:
        self._names: dict[int, str] = {}
        self._payments: dict[int, Decimal] = defaultdict(lambda: ZERO)
        self._expenses: dict[int, Decimal] = defaultdict(lambda: ZERO)

    def add(self, line: StatementLine) -> None:
        self._names[line.organisation_id] = line.organisation
        if line.kind == IncomeLine.Kind.EXPENSE:
            self._expenses[line.organisation_id] += line.amount
        else:
            self._payments[line.organisation_id] += line.amount

    @property
    def payments_total(self) -> Decimal:
        return rules.money(sum(self._payments.values(), ZERO))

    @property
    def expenses_total(self) -> Decimal:
        return rules.money(sum(self._expenses.values(), ZERO))

    @property
    def by_organisation(self) -> list[OrganisationTotal]:
        names = self._names
        return [
            OrganisationTotal(pk, names[pk], rules.money(self._payments[pk]), rules.money(self._expenses[pk]))
            for pk in sorted(names, key=lambda pk: (names[pk].lower(), pk))
        ]


@dataclass(frozen=True)
class TradingAllowance:
    """Fees and vouchers paid in one tax year, beside HMRC's trading allowance for it (information, not advice)."""

    start: date
    end: date
    used: Decimal
    allowance: Decimal | None


@dataclass
class Statement:
    """What a person was paid (fees and vouchers) and repaid (expenses) in one tax year."""

    person: Person
    start: date
    end: date
    trading: TradingAllowance
    payments: list[StatementLine] = field(default_factory=list)
    expenses: list[StatementLine] = field(default_factory=list)

    @property
    def trading_allowance(self) -> Decimal | None:
        """The HMRC trading allowance for the year (information, not advice)."""
        return self.trading.allowance

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def label(self) -> str:
        """The tax year as people write it: 2025/26."""
        return tax_year_label(self.start.year)

    @property
    def payments_total(self) -> Decimal:
        return self._totals().payments_total

    @property
    def expenses_total(self) -> Decimal:
        return self._totals().expenses_total

    @property
    def by_organisation(self) -> list[OrganisationTotal]:
        return self._totals().by_organisation

    def _totals(self) -> StatementTotals:
        totals = StatementTotals()
        for line in (*self.payments, *self.expenses):
            totals.add(line)
        return totals

    @property
    def is_empty(self) -> bool:
        return not self.payments and not self.expenses

    @property
    def language(self) -> str:
        return WELSH if self.person.prefers_welsh else ENGLISH


def tax_year_label(start_year: int) -> str:
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def tax_year_bounds(start_year: int) -> tuple[date, date]:
    return rules.tax_year(date(start_year, 4, 6))


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def _paid_between(start: date, end: date) -> Q:
    """Paid, in Wales, between ``start`` and ``end`` inclusive; by the day of the activity if no payment time."""
    after, before = _local_midnight(start), _local_midnight(end + timedelta(days=1))
    return Q(paid_at__gte=after, paid_at__lt=before) | Q(
        paid_at__isnull=True, activity_date__gte=start, activity_date__lte=end
    )


def paid_on_or_before(day: date) -> Q:
    """Paid, in Wales, on or before ``day`` (``paid_on``, in the database); by the activity if no payment time."""
    return Q(paid_at__lt=_local_midnight(day + timedelta(days=1))) | Q(paid_at__isnull=True, activity_date__lte=day)


def paid_in(person: Person, start: date, end: date) -> QuerySet[IncomeLine]:
    """Paid lines whose payment fell, in Wales, between ``start`` and ``end`` inclusive.

    A paid line with no payment time (which should not happen) counts by the date of the
    activity, so that it is never left out.
    """
    return (
        IncomeLine.objects.filter(person=person, status=IncomeLine.Status.PAID)
        .filter(_paid_between(start, end))
        .select_related("organisation", "budget__funded_by")
        .order_by("paid_at", "activity_date", "pk")
    )


def trading_allowance_on(day: date) -> Decimal | None:
    """The HMRC trading allowance in force on ``day``: the admin's table, else the shipped default."""
    row = rules.limit_on(guard_selectors.all_limits(), BenefitLimit.Rule.TRADING_ALLOWANCE, day)
    if row is not None:
        return row.amount
    for rule, _period, amount, _hours, _taper, valid_from, valid_to, *_rest in reference.LIMITS:
        if rule == BenefitLimit.Rule.TRADING_ALLOWANCE and valid_from <= day and (valid_to is None or day <= valid_to):
            return amount
    return None


def paid_on(line: IncomeLine) -> date:
    """The day a paid line was paid, in Wales; the day of the activity if no payment time was recorded."""
    return timezone.localdate(line.paid_at) if line.paid_at else line.activity_date


def _trading(paid: Iterable[IncomeLine], start: date, end: date) -> TradingAllowance:
    lines = [rules.Line(kind=ln.kind, amount=ln.amount, day=paid_on(ln), status=ln.status) for ln in paid]
    _start, _end, used = rules.trading_allowance_used(lines, start)
    return TradingAllowance(start=start, end=end, used=used, allowance=trading_allowance_on(start))


def trading_allowance(person: Person, day: date) -> TradingAllowance:
    """Fees and vouchers paid to ``person`` in the tax year containing ``day``, and the allowance for that year.

    The one definition of the figure, for the benefits page, the payments page, the
    statement (PDF and CSV) and the API. A line counts in the tax year of the day it
    was *paid*, in Wales, not the day of the activity: HMRC's trading allowance is
    about income received in a tax year, and the statements, which PRODUCT C5 gives
    members "to help with their own tax and benefits declarations", are by the date
    paid. So a panel on 1 April paid on 10 April is income of the new tax year. (The
    benefits guard, which judges an offer before anything is paid, goes by the day of
    the activity; that is a different question.) Expenses are repayments, never income;
    donations and anything not yet paid were not paid to the person.
    """
    start, end = rules.tax_year(day)
    return _trading(paid_in(person, start, end), start, end)


def _line(line: IncomeLine, language: str) -> StatementLine:
    return StatementLine(
        paid_on=paid_on(line),
        activity_date=line.activity_date,
        organisation_id=line.organisation.pk,
        organisation=line.organisation.display_name(language),
        kind=line.kind,
        kind_label=str(line.get_kind_display()),
        description=line.shown_description,
        category=str(line.get_expense_category_display()) if line.expense_category else "",
        hours=line.hours,
        amount=line.amount,
        method=str(line.get_method_display()) if line.method else "",
        funded_by=line.budget.funded_by.display_name(language) if line.budget and line.budget.funded_by else "",
    )


def statement(person: Person, tax_year_start: date) -> Statement:
    """Fees and vouchers paid, and expenses repaid, in the tax year starting on ``tax_year_start`` (6 April).

    Lines fall in the year of the day they were paid in Wales (not the day of the
    activity). Donations to charity and lines not yet paid are left out: they were not
    paid to the person. A year with nothing gives an empty statement.
    """
    if (tax_year_start.month, tax_year_start.day) != (4, 6):
        raise ValueError("a tax year starts on 6 April")
    start, end = rules.tax_year(tax_year_start)
    language = WELSH if person.prefers_welsh else ENGLISH
    paid = list(paid_in(person, start, end))
    result = Statement(person=person, start=start, end=end, trading=_trading(paid, start, end))
    with translation.override(language):
        for line in paid:
            if line.kind in PAID_KINDS:
                result.payments.append(_line(line, language))
            elif line.kind == IncomeLine.Kind.EXPENSE:
                result.expenses.append(_line(line, language))
    return result


STREAM_CHUNK = 2000


def statement_lines(person: Person, tax_year_start: date) -> Iterator[StatementLine]:
    """The statement's lines as ``statement`` has them, payments then expenses, read a chunk at a time.

    For the CSV, which streams: however many lines, only a chunk is held at once. Each
    line is in the person's language; the language in force is left as it was between lines.
    """
    if (tax_year_start.month, tax_year_start.day) != (4, 6):
        raise ValueError("a tax year starts on 6 April")
    start, end = rules.tax_year(tax_year_start)
    language = WELSH if person.prefers_welsh else ENGLISH
    paid = paid_in(person, start, end)
    for lines in (paid.filter(kind__in=PAID_KINDS), paid.filter(kind=IncomeLine.Kind.EXPENSE)):
        for line in lines.iterator(chunk_size=STREAM_CHUNK):
            with translation.override(language):
                shown = _line(line, language)
            yield shown


@dataclass(frozen=True)
class TaxYearFees:
    """Fees and vouchers an organisation paid in one tax year: how many, and how much."""

    start_year: int
    lines: int
    amount: Decimal

    @property
    def label(self) -> str:
        return tax_year_label(self.start_year)


def fees_paid_by_tax_year(organisation: Organisation, first_year: int, last_year: int) -> list[TaxYearFees]:
    """Fees and vouchers ``organisation`` paid in each tax year from ``first_year`` to ``last_year`` (their
    starting years), oldest first, a year with nothing included.

    A line falls in the tax year of the day it was paid in Wales, as on the member's
    statement (``paid_in``): the same figure, added up over everyone. One query: each
    year is a range of payment times worked out here, so the database compares times
    on its index and never converts each row's time zone.
    """
    years = range(first_year, last_year + 1)
    aggregates: dict[str, Any] = {}
    for year in years:
        paid = _paid_between(*tax_year_bounds(year))
        aggregates[f"lines_{year}"] = Count("pk", filter=paid)
        aggregates[f"amount_{year}"] = Sum("amount", filter=paid)
    found = (
        IncomeLine.objects.filter(organisation=organisation, status=IncomeLine.Status.PAID, kind__in=PAID_KINDS)
        .filter(_paid_between(tax_year_bounds(first_year)[0], tax_year_bounds(last_year)[1]))
        .aggregate(**aggregates)
    )
    return [TaxYearFees(year, found[f"lines_{year}"], rules.money(found[f"amount_{year}"] or ZERO)) for year in years]


def statement_years(person: Person, today: date) -> list[int]:
    """Tax years (by their starting year) with anything paid, and the current one; newest first."""
    years = {rules.tax_year(today)[0].year}
    paid = IncomeLine.objects.filter(person=person, status=IncomeLine.Status.PAID).only("paid_at", "activity_date")
    for line in paid:
        years.add(rules.tax_year(paid_on(line))[0].year)
    return sorted(years, reverse=True)


# ---- Recognition --------------------------------------------------------------------------------


def thanks_for(person: Person) -> QuerySet[Thanks]:
    return Thanks.objects.filter(person=person).select_related("organisation", "given_by")


@dataclass(frozen=True)
class YearOfSessions:
    year: int
    sessions: int
    hours: Decimal


@dataclass
class Record:
    """Roles held, sessions attended and thanks received: for a CV or a reference."""

    person: Person
    roles: list[Appointment]
    sessions: list[YearOfSessions]
    thanks: list[Thanks]

    @property
    def language(self) -> str:
        return WELSH if self.person.prefers_welsh else ENGLISH


def sessions_by_year(person: Person) -> list[YearOfSessions]:
    """Sessions attended, and their hours (time present if recorded, else the session's length), by calendar year."""
    counts: dict[int, int] = defaultdict(int)
    minutes: dict[int, int] = defaultdict(int)
    attended = Attendance.objects.filter(person=person, status=Attendance.Status.ATTENDED).values_list(
        "session__starts_at", "session__ends_at", "minutes_present"
    )
    for starts_at, ends_at, present in attended:
        year = timezone.localtime(starts_at).year
        counts[year] += 1
        minutes[year] += present if present is not None else int((ends_at - starts_at).total_seconds() // 60)
    return [
        YearOfSessions(year, counts[year], rules.money(Decimal(minutes[year]) / Decimal(60)))
        for year in sorted(counts, reverse=True)
    ]


def record(person: Person) -> Record:
    roles = list(
        Appointment.objects.filter(person=person).select_related("group__organisation").order_by("-term_start", "pk")
    )
    return Record(person=person, roles=roles, sessions=sessions_by_year(person), thanks=list(thanks_for(person)))
