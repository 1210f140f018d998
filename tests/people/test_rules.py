from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from withus.people import rules

TODAY = date(2026, 11, 21)


def test_certificate_dated_today_or_before_is_fine():
    assert rules.certificate_date_problem(TODAY, today=TODAY) is None
    assert rules.certificate_date_problem(TODAY - timedelta(days=400), today=TODAY) is None
    assert rules.certificate_date_problem(None, today=TODAY) is None


@given(st.integers(min_value=1, max_value=5000))
def test_certificate_in_the_future_is_refused(days):
    assert rules.certificate_date_problem(TODAY + timedelta(days=days), today=TODAY)


def test_dbs_needs_renewing_after_three_years():
    assert not rules.dbs_needs_renewing(TODAY - timedelta(days=365 * 3), today=TODAY)
    assert rules.dbs_needs_renewing(TODAY - timedelta(days=365 * 3 + 1), today=TODAY)


def test_step_out_return_date_must_be_after_today():
    assert rules.step_out_date_problem(TODAY, today=TODAY)
    assert rules.step_out_date_problem(TODAY - timedelta(days=1), today=TODAY)
    assert rules.step_out_date_problem(TODAY + timedelta(days=1), today=TODAY) is None
    assert rules.step_out_date_problem(None, today=TODAY) is None


def test_wellbeing_plan_visibility():
    assert rules.can_see_wellbeing_plan(
        visible_to="only_me", viewer_is_person=True, viewer_coordinates_shared_organisation=False
    )
    assert not rules.can_see_wellbeing_plan(
        visible_to="only_me", viewer_is_person=False, viewer_coordinates_shared_organisation=True
    )
    assert rules.can_see_wellbeing_plan(
        visible_to="coordinators", viewer_is_person=False, viewer_coordinates_shared_organisation=True
    )
    assert not rules.can_see_wellbeing_plan(
        visible_to="coordinators", viewer_is_person=False, viewer_coordinates_shared_organisation=False
    )
