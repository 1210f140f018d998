"""The benefits guard as pure functions, with the three worked examples."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from withus.rewards import rules
from withus.rewards.reference import LIMITS

D = Decimal
TABLE = [
    rules.Limit(rule=r, period=p, amount=a, valid_from=f, valid_to=t, source=s, hours_limit=h, taper_percent=tp)
    for r, p, a, h, tp, f, t, s, _n in LIMITS
]

money_st = st.decimals(min_value=D("0"), max_value=D("500"), places=2, allow_nan=False, allow_infinity=False)


def fee(amount, day, hours="0", kind="fee", status="accepted"):
    return rules.Line(kind=kind, amount=D(amount), day=day, hours=D(hours), status=status)


# ---- Periods ------------------------------------------------------------------------------


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)))
def test_benefit_week_is_monday_to_sunday_and_contains_the_day(day):
    start, end = rules.benefit_week(day)
    assert start.weekday() == 0 and end.weekday() == 6
    assert start <= day <= end and (end - start).days == 6


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), st.integers(min_value=1, max_value=31))
def test_assessment_periods_tile_the_calendar(day, assessment_day):
    start, end = rules.assessment_period(day, assessment_day)
    assert start <= day <= end
    next_start, _next_end = rules.assessment_period(end + timedelta(days=1), assessment_day)
    assert next_start == end + timedelta(days=1)
    assert 27 <= (end - start).days <= 30


def test_assessment_period_in_short_months():
    assert rules.assessment_period(date(2027, 2, 28), 31) == (date(2027, 2, 28), date(2027, 3, 30))
    assert rules.assessment_period(date(2027, 3, 15), 31) == (date(2027, 2, 28), date(2027, 3, 30))
    assert rules.assessment_period(date(2027, 3, 31), 31) == (date(2027, 3, 31), date(2027, 4, 29))
    assert rules.assessment_period(date(2027, 1, 3), 17) == (date(2026, 12, 17), date(2027, 1, 16))


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)))
def test_tax_year_runs_6_april_to_5_april(day):
    start, end = rules.tax_year(day)
    assert start.month == 4 and start.day == 6 and end == date(start.year + 1, 4, 5)
    assert start <= day <= end


# ---- Counting ------------------------------------------------------------------------------------


@given(st.lists(st.tuples(money_st, st.sampled_from(["fee", "voucher", "expense", "donation"])), max_size=20))
def test_counted_is_the_sum_of_fees_and_vouchers_never_expenses(items):
    day = date(2025, 6, 11)
    lines = [fee(str(a), day, kind=k) for a, k in items]
    total, _hours = rules.counted(lines, *rules.benefit_week(day))
    assert total == sum((a for a, k in items if k in ("fee", "voucher")), D("0"))
    assert isinstance(total, Decimal)


def test_declined_lines_and_other_weeks_do_not_count():
    day = date(2025, 6, 11)
    lines = [fee("50", day, status="declined"), fee("40", day - timedelta(days=7)), fee("30", day)]
    assert rules.counted(lines, *rules.benefit_week(day))[0] == D("30.00")


@given(money_st, money_st)
def test_carers_allowance_warning_changes_exactly_at_the_limit(already, offer):
    day = date(2025, 6, 11)
    verdict = rules.check(rules.Declared("carers_allowance"), [fee(str(already), day)], fee(str(offer), day), TABLE)
    assert verdict.limit is not None and verdict.limit.amount == D("196.00")
    assert verdict.warns == (already + offer > D("196.00"))
    if verdict.warns:
        assert verdict.over_by == already + offer - D("196.00")
        assert verdict.options == rules.OPTIONS


# ---- Worked example 1: a carer near the Carer's Allowance limit --------------------------------


def test_worked_example_a_carer_near_the_carers_allowance_limit():
    # Wednesday 11 June 2025: 2025/26 limit £196 a week. Already £150 that week (two meetings);
    # offered £50 more on Friday: £200 is £4 over, and the cliff edge loses the whole week.
    wednesday, friday = date(2025, 6, 11), date(2025, 6, 13)
    verdict = rules.check(
        rules.Declared("carers_allowance"),
        [fee("100", wednesday), fee("50", date(2025, 6, 9))],
        fee("50", friday),
        TABLE,
    )
    assert (verdict.period_start, verdict.period_end) == (date(2025, 6, 9), date(2025, 6, 15))
    assert verdict.counted_before == D("150.00") and verdict.counted_with_offer == D("200.00")
    assert verdict.problem == "over_limit" and verdict.over_by == D("4.00")
    assert verdict.limit.source.startswith("DWP")
    # £46 or less keeps her at or under the limit; the next Monday starts a new week.
    assert not rules.check(rules.Declared("carers_allowance"), [fee("150", wednesday)], fee("46", friday), TABLE).warns
    assert not rules.check(
        rules.Declared("carers_allowance"), [fee("150", wednesday)], fee("50", date(2025, 6, 16)), TABLE
    ).warns
    # Expenses never count.
    assert not rules.check(
        rules.Declared("carers_allowance"),
        [fee("150", wednesday), fee("80", wednesday, kind="expense")],
        fee("40", friday),
        TABLE,
    ).warns


# ---- Worked example 2: ESA permitted work, paid by two organisations in one week -----------------


def test_worked_example_esa_permitted_work_two_organisations_one_week():
    # Limit £195.50 and under 16 hours (2025/26). The health board pays £120 for 8 hours on Tuesday;
    # the charity (which the member lets share it) offers £90 for 6 hours on Thursday: £210, £14.50 over.
    tuesday, thursday = date(2025, 10, 14), date(2025, 10, 16)
    board = fee("120", tuesday, hours="8")
    verdict = rules.check(rules.Declared("esa_permitted_work"), [board], fee("90", thursday, hours="6"), TABLE)
    assert verdict.problem == "over_limit" and verdict.over_by == D("14.50")
    assert verdict.hours_with_offer == D("14") and not verdict.hours_over
    # A lower fee of £75 fits the money limit...
    assert not rules.check(rules.Declared("esa_permitted_work"), [board], fee("75", thursday, hours="6"), TABLE).warns
    # ...but 8 more hours would reach 16: the hours condition is broken even under the money limit.
    hours = rules.check(rules.Declared("esa_permitted_work"), [board], fee("60", thursday, hours="8"), TABLE)
    assert hours.problem == "hours" and hours.hours_over


# ---- Worked example 3: a Universal Credit claimant's month -----------------------------------


def test_worked_example_universal_credit_month():
    # Assessment periods start on the 17th. With housing support and limited capability for work,
    # the 2025/26 work allowance is £411 a month; above it, 55p of each £1 is taken off.
    declared = rules.Declared("universal_credit", assessment_day=17, uc_housing_support=True, uc_work_allowance=True)
    earlier = [fee("200", date(2025, 9, 20)), fee("150", date(2025, 10, 2))]
    verdict = rules.check(declared, earlier, fee("100", date(2025, 10, 15)), TABLE)
    assert (verdict.period_start, verdict.period_end) == (date(2025, 9, 17), date(2025, 10, 16))
    assert verdict.counted_with_offer == D("450.00")
    assert verdict.problem == "over_limit" and verdict.over_by == D("39.00")
    assert verdict.estimated_reduction == D("21.45")
    # The same fee on the 17th falls into the next assessment period, which is empty so far.
    assert not rules.check(declared, earlier, fee("100", date(2025, 10, 17)), TABLE).warns
    # Without a work allowance, every pound of earnings tapers.
    none = rules.check(rules.Declared("universal_credit", assessment_day=17), [], fee("100", date(2025, 10, 17)), TABLE)
    assert none.problem == "no_work_allowance" and none.estimated_reduction == D("55.00")


def test_vouchers_count_as_income():
    day = date(2025, 6, 11)
    verdict = rules.check(
        rules.Declared("carers_allowance"), [fee("150", day, kind="voucher")], fee("50", day, kind="voucher"), TABLE
    )
    assert verdict.warns


def test_a_missing_years_figure_is_said_and_the_last_one_used():
    # No 2026/27 row yet: the 2025/26 figure is used and marked stale.
    verdict = rules.check(rules.Declared("carers_allowance"), [], fee("250", date(2026, 11, 18)), TABLE)
    assert verdict.stale and verdict.limit.amount == D("196.00") and verdict.warns
    nothing = rules.check(rules.Declared("carers_allowance"), [], fee("10", date(2019, 1, 1)), TABLE)
    assert nothing.problem == "no_limit_on_record" and nothing.limit is None


@pytest.mark.parametrize(("value", "expected"), [("1.005", "1.01"), ("1.004", "1.00"), ("2.675", "2.68")])
def test_money_rounds_half_up_once(value, expected):
    assert rules.money(D(value)) == D(expected)


def test_claimed_and_returned_fees_still_count():
    day = date(2025, 6, 11)
    lines = [fee("100", day, status="submitted"), fee("50", day, status="returned"), fee("30", day, status="declined")]
    assert rules.counted(lines, *rules.benefit_week(day))[0] == D("150.00")


# ---- The next period -----------------------------------------------------------------------------


def test_the_next_benefit_week_is_the_monday_to_sunday_after():
    carer = rules.Declared(benefit="carers_allowance")
    assert rules.next_period(carer, date(2025, 6, 11)) == (date(2025, 6, 16), date(2025, 6, 22))
    assert rules.next_period(carer, date(2025, 6, 15)) == (date(2025, 6, 16), date(2025, 6, 22))  # a Sunday


def test_the_next_universal_credit_period_starts_on_the_persons_own_day_even_in_a_short_month():
    uc = rules.Declared(benefit="universal_credit", assessment_day=31)
    # 31 January to 27 February, then 28 February (no 31st) to 30 March.
    assert rules.next_period(uc, date(2025, 2, 10)) == (date(2025, 2, 28), date(2025, 3, 30))
    assert rules.next_period(uc, date(2025, 12, 31)) == (date(2026, 1, 31), date(2026, 2, 27))


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 1, 1)), st.integers(min_value=1, max_value=31))
def test_the_next_period_always_follows_the_current_one_without_a_gap(day, assessment_day):
    for declared in (
        rules.Declared(benefit="esa_permitted_work"),
        rules.Declared(benefit="universal_credit", assessment_day=assessment_day),
    ):
        _start, end = rules.period_of(declared, day)
        start, following_end = rules.next_period(declared, day)
        assert start == end + timedelta(days=1) and following_end >= start
        assert rules.period_of(declared, start) == (start, following_end)


# ---- Likely duplicate expense claims -----------------------------------------------------------


def test_mileage_looks_the_same_by_day_and_miles_anything_else_by_day_category_and_amount():
    day = date(2025, 6, 11)
    mileage = rules.claim_signature(category="mileage", day=day, amount=Decimal("5.40"), miles=Decimal("12"))
    # The amount of a journey can differ (passengers, the 10,000-mile threshold): the miles are what repeat.
    assert mileage == rules.claim_signature(category="mileage", day=day, amount=Decimal("5.90"), miles=Decimal("12.0"))
    assert mileage != rules.claim_signature(category="mileage", day=day, amount=Decimal("5.40"), miles=Decimal("13"))
    bus = rules.claim_signature(category="public_transport", day=day, amount=Decimal("4.5"), miles=None)
    assert bus == rules.claim_signature(category="public_transport", day=day, amount=Decimal("4.50"), miles=None)
    assert bus != rules.claim_signature(category="parking", day=day, amount=Decimal("4.50"), miles=None)
    assert bus != rules.claim_signature(category="public_transport", day=day, amount=Decimal("4.60"), miles=None)
    other_day = day + timedelta(days=1)
    assert bus != rules.claim_signature(category="public_transport", day=other_day, amount=Decimal("4.50"), miles=None)


@given(
    paid_on=st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31)),
    today=st.dates(min_value=date(2000, 1, 1), max_value=date(2070, 12, 31)),
)
def test_one_day_says_which_payments_are_past_keeping(paid_on: date, today: date) -> None:
    past_keeping = rules.ledger_kept_until(paid_on) < today
    assert past_keeping == (paid_on <= rules.last_payment_day_past_keeping(today))


def test_the_last_payment_day_past_keeping_moves_on_each_6_april() -> None:
    assert rules.last_payment_day_past_keeping(date(2026, 4, 5)) == date(2019, 4, 5)
    assert rules.last_payment_day_past_keeping(date(2026, 4, 6)) == date(2020, 4, 5)
