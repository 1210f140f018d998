"""The seat's term rules, as pure functions."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from withus.groups import rules

START = date(2027, 4, 1)


def problems(**changes):
    values = {"person_id": 1, "term_start": START, "planned_end": START + timedelta(days=1095), "review_on": None}
    values["deputy_id"] = None
    values.update(changes)
    return rules.appointment_problems(**values)


def test_a_sensible_term_has_no_problems():
    assert problems() == {}
    assert problems(review_on=START + timedelta(days=365), deputy_id=2) == {}


def test_the_term_must_end_after_it_starts_and_be_reviewed_within_it():
    assert set(problems(planned_end=START)) == {"planned_end"}
    assert set(problems(review_on=START - timedelta(days=1))) == {"review_on"}
    assert set(problems(review_on=START + timedelta(days=2000))) == {"review_on"}


def test_nobody_deputises_for_themselves():
    assert set(problems(deputy_id=1)) == {"deputy"}


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), st.integers(-3000, 3000))
def test_an_end_is_refused_exactly_when_it_is_before_the_start(term_start, days):
    ended_on = term_start + timedelta(days=days)
    assert (rules.end_problem(term_start=term_start, ended_on=ended_on) is not None) == (ended_on < term_start)
