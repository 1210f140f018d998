from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from withus.assessments import rules


def test_any_member_staff_difference_of_a_step_is_a_disagreement() -> None:
    assert rules.disagree([2, 2], [2, 1])
    assert rules.disagree([0], [2])
    assert not rules.disagree([2, 2], [2, 2])


def test_one_side_alone_is_no_disagreement() -> None:
    assert not rules.disagree([0, 2], [])


@given(st.lists(st.integers(0, 2), min_size=1), st.lists(st.integers(0, 2), min_size=1))
def test_disagreement_is_never_hidden_by_averaging(members: list[int], staff: list[int]) -> None:
    assert rules.disagree(members, staff) == (set(members) | set(staff) != {members[0]})


def test_a_gap_is_below_the_top_of_the_scale() -> None:
    assert rules.is_gap(1, 2)
    assert not rules.is_gap(2, 2)
    assert not rules.is_gap(None, 2)


def test_direction() -> None:
    assert rules.direction(0, 2) == "improved"
    assert rules.direction(2, 1) == "slipped"
    assert rules.direction(1, 1) == "same"
    assert rules.direction(None, 1) == "unknown"


def test_a_strategy_is_reviewed_at_least_yearly() -> None:
    assert rules.review_overdue(None)
    assert rules.review_overdue(366)
    assert not rules.review_overdue(365)
