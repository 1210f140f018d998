from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from withus.concerns import rules
from withus.core import working_days

WALES = working_days.bank_holidays("wales", range(2024, 2030))
ENGLAND = working_days.bank_holidays("england", range(2024, 2030))
days = st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31))


def test_putting_things_right_acknowledges_in_two_working_days_across_easter() -> None:
    # Received Thursday 17 April 2025: Good Friday and Easter Monday are bank holidays.
    due = rules.clock(
        received=date(2025, 4, 17), rule_set=rules.RULE_SETS["nhs_wales"], bank_holidays=WALES, today=date(2025, 4, 17)
    )
    assert due.acknowledge_by == date(2025, 4, 23)
    assert due.respond_by == working_days.add_working_days(date(2025, 4, 17), 30, WALES)


def test_england_acknowledges_in_three_working_days_and_the_response_period_is_agreed() -> None:
    due = rules.clock(
        received=date(2025, 12, 24),
        rule_set=rules.RULE_SETS["nhs_england"],
        bank_holidays=ENGLAND,
        today=date(2025, 12, 24),
    )
    assert due.acknowledge_by == date(2025, 12, 31)  # Christmas and Boxing Day, then the weekend
    assert due.respond_by is None
    agreed = rules.clock(
        received=date(2025, 12, 24),
        rule_set=rules.RULE_SETS["nhs_england"],
        bank_holidays=ENGLAND,
        agreed_response_date=date(2026, 3, 1),
        today=date(2025, 12, 24),
    )
    assert agreed.respond_by == date(2026, 3, 1)


def test_every_shipped_rule_set_is_dated_and_sourced() -> None:
    for rule_set in rules.RULE_SETS.values():
        assert rule_set.source and rule_set.dated.year > 2000
        assert rule_set.nation in rules.OMBUDSMEN


@given(start=days, count=st.integers(min_value=0, max_value=60))
def test_adding_working_days_lands_on_a_working_day_after_exactly_that_many(start: date, count: int) -> None:
    due = working_days.add_working_days(start, count, WALES)
    assert working_days.working_days_between(start, due, WALES) == count
    if count:
        assert working_days.is_working_day(due, WALES)


@given(received=days, pause_start=st.integers(min_value=0, max_value=20), length=st.integers(min_value=1, max_value=15))
def test_a_pause_moves_the_response_date_by_the_working_days_it_covered(
    received: date, pause_start: int, length: int
) -> None:
    start = received + timedelta(days=pause_start)
    end = start + timedelta(days=length)
    rule_set = rules.RULE_SETS["nhs_wales"]
    plain = rules.clock(received=received, rule_set=rule_set, bank_holidays=WALES, today=received)
    paused = rules.clock(
        received=received, rule_set=rule_set, bank_holidays=WALES, pauses=[(start, end)], today=received
    )
    assert plain.respond_by is not None and paused.respond_by is not None
    lost = sum(
        1
        for i in range(length)
        if working_days.is_working_day(start + timedelta(days=i), WALES) and received < start + timedelta(days=i)
    )
    assert working_days.working_days_between(received, paused.respond_by, WALES) == 30 + lost
    assert paused.respond_by >= plain.respond_by


def test_an_unended_pause_leaves_the_response_date_unknown_and_nothing_overdue() -> None:
    due = rules.clock(
        received=date(2025, 1, 6),
        rule_set=rules.RULE_SETS["nhs_wales"],
        bank_holidays=WALES,
        pauses=[(date(2025, 1, 8), None)],
        today=date(2025, 6, 1),
    )
    assert due.paused and due.respond_by is None
    assert rules.overdue(stage=rules.Stage.LOOKING_INTO, due=due, today=date(2025, 6, 1)) is None


def test_overdue_says_what_is_late() -> None:
    due = rules.Clock(acknowledge_by=date(2025, 1, 8), respond_by=date(2025, 2, 17), paused=False)
    assert rules.overdue(stage=rules.Stage.RECEIVED, due=due, today=date(2025, 1, 8)) is None
    assert rules.overdue(stage=rules.Stage.RECEIVED, due=due, today=date(2025, 1, 9)) == "acknowledgement"
    assert rules.overdue(stage=rules.Stage.LOOKING_INTO, due=due, today=date(2025, 2, 18)) == "response"
    assert rules.overdue(stage=rules.Stage.CLOSED, due=due, today=date(2025, 9, 1)) is None


def test_an_extension_needs_the_date_it_was_agreed_and_a_later_date() -> None:
    today = date(2025, 3, 3)
    assert rules.extension_problem(agreed_on=None, new_date=date(2025, 4, 1), today=today, current=None)
    assert rules.extension_problem(agreed_on=date(2025, 3, 4), new_date=date(2025, 4, 1), today=today, current=None)
    assert rules.extension_problem(agreed_on=today, new_date=date(2025, 3, 10), today=today, current=date(2025, 3, 20))
    assert (
        rules.extension_problem(agreed_on=today, new_date=date(2025, 4, 1), today=today, current=date(2025, 3, 20))
        is None
    )


def test_stages_follow_their_order() -> None:
    assert rules.stage_change_problem(rules.Stage.RECEIVED, rules.Stage.RESPONSE)
    assert rules.stage_change_problem(rules.Stage.RECEIVED, rules.Stage.ACKNOWLEDGED) is None
    assert rules.stage_change_problem(rules.Stage.RESPONSE, rules.Stage.APPEAL) is None


def test_an_appeal_reviewer_must_not_have_been_involved() -> None:
    assert rules.reviewer_problem(reviewer_id=3, involved={1, 3})
    assert rules.reviewer_problem(reviewer_id=4, involved={1, 3}) is None


def test_small_numbers_are_suppressed() -> None:
    assert [rules.suppressed(n) for n in (0, 1, 4, 5, 9)] == [0, None, None, 5, 9]
