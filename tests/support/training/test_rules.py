from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from withus.support.training import rules


def test_a_course_with_no_length_is_refused():
    problems = rules.course_problems(title="Safeguarding", length_hours=None, refresh_months=None)
    assert problems == {"length_hours": "Say how long the course is, in hours."}


def test_a_course_needs_a_title_a_sensible_length_and_refresh_period():
    assert set(rules.course_problems(title=" ", length_hours=Decimal("0"), refresh_months=0)) == {
        "title",
        "length_hours",
        "refresh_months",
    }
    assert "length_hours" in rules.course_problems(title="A", length_hours=Decimal("1.25"), refresh_months=None)
    assert rules.course_problems(title="A", length_hours=Decimal("1.5"), refresh_months=36) == {}


def test_a_completion_cannot_be_in_the_future():
    today = date(2030, 6, 1)
    assert rules.completion_date_problem(today, today=today) is None
    assert rules.completion_date_problem(today + timedelta(days=1), today=today) is not None


def test_a_completion_expires_after_the_refresh_period():
    assert rules.expires_on(date(2030, 1, 31), 1) == date(2030, 2, 28)
    assert rules.expires_on(date(2030, 6, 12), 24) == date(2032, 6, 12)
    assert rules.expires_on(date(2030, 6, 12), None) is None
    assert rules.is_current(date(2030, 6, 12), 24, today=date(2032, 6, 11))
    assert not rules.is_current(date(2030, 6, 12), 24, today=date(2032, 6, 12))
    assert rules.is_current(date(2000, 1, 1), None, today=date(2030, 1, 1))


def test_expiring_soon_is_the_warning_window_before_the_end():
    ends = date(2030, 6, 30)
    assert rules.expiring_soon(ends, today=ends - timedelta(days=rules.WARN_DAYS_BEFORE_EXPIRY))
    assert not rules.expiring_soon(ends, today=ends - timedelta(days=rules.WARN_DAYS_BEFORE_EXPIRY + 1))
    assert not rules.expiring_soon(ends, today=ends)
    assert not rules.expiring_soon(None, today=ends)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)), st.integers(1, 120))
def test_expiry_is_always_later_and_within_the_months(day, months):
    ends = rules.expires_on(day, months)
    assert ends is not None and ends > day
    assert (ends.year - day.year) * 12 + ends.month - day.month == months


def test_every_suggested_course_is_one_of_the_guidance_topics_once():
    topics = [s.topic for s in rules.SUGGESTED_COURSES]
    assert len(topics) == len(set(topics))
    assert {"co_production", "safeguarding", "nolan_principles", "evaluation_and_research"} <= set(topics)
