from __future__ import annotations

from datetime import timedelta

import pytest

from tests.meetings.factories import london
from withus.support.preparation import rules
from withus.support.preparation.rules import BRIEFING, MEET_AND_GREET, Needs

STARTS = london(2030, 6, 12, 10, 30)
ENDS = STARTS + timedelta(hours=2)


def test_a_first_session_makes_someone_new_however_long_ago_they_joined() -> None:
    assert rules.is_new_member(
        sessions_attended_before=0, joined_at=STARTS - timedelta(days=900), session_starts_at=STARTS
    )


def test_someone_who_joined_recently_is_new_even_after_a_session() -> None:
    assert rules.is_new_member(
        sessions_attended_before=3, joined_at=STARTS - timedelta(days=89), session_starts_at=STARTS
    )
    assert not rules.is_new_member(
        sessions_attended_before=3, joined_at=STARTS - timedelta(days=90), session_starts_at=STARTS
    )
    assert not rules.is_new_member(sessions_attended_before=1, joined_at=None, session_starts_at=STARTS)


@pytest.mark.parametrize(
    ("needs", "briefing", "meet_and_greet"),
    [
        (Needs(), False, False),
        (Needs(easy_read=True), True, False),
        (Needs(audio=True), True, False),
        (Needs(step_free=True), False, True),
        (Needs(hearing_loop=True), False, True),
        (Needs(companion=True), False, True),
    ],
)
def test_recorded_needs_ask_for_the_preparation_that_helps(needs: Needs, briefing: bool, meet_and_greet: bool) -> None:
    assert rules.is_offered(BRIEFING, new_member=False, needs=needs) is briefing
    assert rules.is_offered(MEET_AND_GREET, new_member=False, needs=needs) is meet_and_greet


def test_new_members_are_offered_both() -> None:
    assert all(rules.is_offered(kind, new_member=True, needs=Needs()) for kind in rules.KINDS)


def test_a_briefing_is_before_the_session_starts() -> None:
    assert rules.timing_problem(BRIEFING, at=STARTS - timedelta(days=1), starts_at=STARTS, ends_at=ENDS) is None
    assert rules.timing_problem(BRIEFING, at=STARTS, starts_at=STARTS, ends_at=ENDS) == (
        "A briefing must be before the session starts."
    )


def test_a_meet_and_greet_is_on_arrival() -> None:
    assert (
        rules.timing_problem(MEET_AND_GREET, at=STARTS - timedelta(minutes=20), starts_at=STARTS, ends_at=ENDS) is None
    )
    assert rules.timing_problem(MEET_AND_GREET, at=STARTS, starts_at=STARTS, ends_at=ENDS) is None
    assert rules.timing_problem(MEET_AND_GREET, at=STARTS + timedelta(minutes=1), starts_at=STARTS, ends_at=ENDS)
    assert rules.timing_problem(MEET_AND_GREET, at=STARTS - timedelta(hours=3), starts_at=STARTS, ends_at=ENDS)


def test_an_unknown_kind_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        rules.needs_ask_for("picnic", Needs())
