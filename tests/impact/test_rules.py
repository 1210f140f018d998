from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from withus.impact.contributions import rules


def test_an_answer_is_due_the_set_days_after() -> None:
    assert rules.answer_due(date(2030, 1, 1), 28) == date(2030, 1, 29)


def test_late_only_once_the_due_day_has_passed_without_a_decision() -> None:
    due = date(2030, 1, 29)
    assert not rules.is_overdue(answered=False, due_on=due, today=due)
    assert rules.is_overdue(answered=False, due_on=due, today=date(2030, 1, 30))
    assert not rules.is_overdue(answered=True, due_on=due, today=date(2030, 3, 1))


def test_months_later_keeps_the_day_or_takes_the_last_of_a_short_month() -> None:
    assert rules.follow_up_due(date(2030, 1, 15), 3) == date(2030, 4, 15)
    assert rules.follow_up_due(date(2029, 11, 30), 3) == date(2030, 2, 28)
    assert rules.follow_up_due(date(2030, 8, 31), 6) == date(2031, 2, 28)


@pytest.mark.parametrize("months", [0, 2, 7, 12])
def test_a_follow_up_comes_three_to_six_months_after(months: int) -> None:
    with pytest.raises(ValueError):
        rules.follow_up_due(date(2030, 1, 1), months)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), st.sampled_from([3, 4, 5, 6]))
def test_a_follow_up_is_always_after_the_answer_and_within_six_months_and_a_few_days(day: date, months: int) -> None:
    due = rules.follow_up_due(day, months)
    assert day < due
    assert (due - day).days <= 184


def test_only_what_was_adopted_has_a_change_to_check() -> None:
    assert rules.needs_follow_up(rules.Decision.ADOPTED)
    assert rules.needs_follow_up(rules.Decision.PARTLY)
    assert not rules.needs_follow_up(rules.Decision.NOT_ADOPTED)
    assert not rules.needs_follow_up(rules.Decision.PENDING)


def test_an_answer_needs_a_reason_in_words_and_who_decided() -> None:
    problems = rules.answer_problems(decision="adopted", reason="   ", decided_by="")
    assert set(problems) == {"reason", "decided_by"}
    assert rules.answer_problems(decision="maybe", reason="Because", decided_by="Board") == {
        "decision": "Choose the decision."
    }
    assert rules.answer_problems(decision="partly", reason="Because", decided_by="Board") == {}


def test_claiming_a_change_means_saying_what_it_was() -> None:
    assert "what_changed" in rules.follow_up_problems(changed=True, what_changed=" ")
    assert rules.follow_up_problems(changed=False, what_changed="") == {}
    assert rules.follow_up_problems(changed=True, what_changed="New leaflet") == {}
    assert "changed" in rules.follow_up_problems(changed=None, what_changed="")
