"""The meeting standards as pure functions, with the edge cases: clock changes, midnight, mealtimes."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from withus.meetings import rules

LONDON = ZoneInfo("Europe/London")
T = rules.Thresholds()


def at(y, m, d, h=10, mi=30):
    return datetime(y, m, d, h, mi, tzinfo=LONDON)


def facts(**kw):
    base = {"starts_at": at(2027, 6, 16), "ends_at": at(2027, 6, 16, 12, 0)}
    base.update(kw)
    return rules.SessionFacts(**base)


def test_invitations_exactly_14_days_ahead_meet_the_standard():
    f = facts(invitations_sent_at=at(2027, 6, 2, 9, 0))
    assert rules.check_invitations(f, T, at(2027, 6, 2)).state == rules.MET
    f = facts(invitations_sent_at=at(2027, 6, 3, 9, 0))
    assert rules.check_invitations(f, T, at(2027, 6, 3)).state == rules.NOT_MET


def test_events_need_28_days():
    f = facts(is_event=True, invitations_sent_at=at(2027, 5, 26, 9, 0))
    assert rules.check_invitations(f, T, at(2027, 5, 26)).state == rules.NOT_MET
    f = facts(is_event=True, invitations_sent_at=at(2027, 5, 19, 9, 0))
    assert rules.check_invitations(f, T, at(2027, 5, 19)).state == rules.MET


def test_notice_is_counted_in_local_dates_across_the_clock_change():
    # Clocks go back on Sunday 31 October 2027: 14 local days still count as 14.
    start = at(2027, 11, 7, 10, 30)
    sent = at(2027, 10, 24, 23, 30)  # 22:30 UTC, still the 24th locally
    f = rules.SessionFacts(starts_at=start, ends_at=start + timedelta(hours=2), invitations_sent_at=sent)
    assert rules.check_invitations(f, T, sent).state == rules.MET
    # Clocks go forward on Sunday 28 March 2027.
    start = at(2027, 4, 4, 10, 30)
    sent = at(2027, 3, 21, 0, 30)
    f = rules.SessionFacts(starts_at=start, ends_at=start + timedelta(hours=2), invitations_sent_at=sent)
    assert rules.check_invitations(f, T, sent).state == rules.MET


def test_just_after_midnight_counts_as_the_new_day():
    start = at(2027, 6, 16)
    sent = datetime(2027, 6, 1, 23, 30, tzinfo=ZoneInfo("UTC"))  # 00:30 on 2 June in London
    f = facts(invitations_sent_at=sent)
    assert rules.check_invitations(f, T, sent).state == rules.MET
    assert rules.days_between(sent, start) == 14


def test_pending_until_the_deadline_passes():
    f = facts()
    pending = rules.check_invitations(f, T, at(2027, 6, 1))
    assert pending.state == rules.PENDING and pending.due.isoformat() == "2027-06-02"
    assert rules.check_invitations(f, T, at(2027, 6, 3)).state == rules.NOT_MET


def test_papers_seven_days():
    assert rules.check_papers(facts(papers_sent_at=at(2027, 6, 9, 8, 0)), T, at(2027, 6, 9)).state == rules.MET
    assert rules.check_papers(facts(papers_sent_at=at(2027, 6, 10, 8, 0)), T, at(2027, 6, 10)).state == rules.NOT_MET


@pytest.mark.parametrize(
    ("hour", "minute", "state"),
    [(10, 30, rules.MET), (10, 29, rules.NOT_MET), (9, 0, rules.NOT_MET), (18, 0, rules.MET)],
)
def test_no_start_before_half_past_ten(hour, minute, state):
    assert rules.check_start(facts(starts_at=at(2027, 6, 16, hour, minute)), T).state == state


def test_start_time_is_local_time_in_summer():
    # 09:45 UTC in June is 10:45 in Wales.
    start = datetime(2027, 6, 16, 9, 45, tzinfo=ZoneInfo("UTC"))
    assert rules.check_start(facts(starts_at=start), T).state == rules.MET


def test_numbers_at_decision_making_groups():
    assert rules.check_numbers(facts(), T) is None
    ok = facts(decision_making=True, expected_perspectives=("service_user", "service_user", "carer", "carer"))
    assert rules.check_numbers(ok, T).state == rules.MET
    both = facts(decision_making=True, expected_perspectives=("both", "both"))
    assert rules.check_numbers(both, T).state == rules.MET
    alone = rules.check_numbers(
        facts(decision_making=True, expected_perspectives=("service_user", "carer", "carer")), T
    )
    assert alone.state == rules.NOT_MET and "only one" in alone.reason


def test_reserve_at_high_level_meetings():
    assert rules.check_reserve(facts(), T) is None
    assert rules.check_reserve(facts(high_level=True), T).state == rules.NOT_MET
    assert rules.check_reserve(facts(high_level=True, reserves=1), T).state == rules.MET
    relaxed = rules.Thresholds(reserve_at_high_level=False)
    assert rules.check_reserve(facts(high_level=True), relaxed) is None


def test_agenda_item_on_involvement():
    assert rules.check_agenda(facts()).state == rules.NOT_MET
    assert rules.check_agenda(facts(involvement_item=True)).state == rules.MET


def test_meal_over_a_mealtime():
    morning = facts(starts_at=at(2027, 6, 16, 10, 30), ends_at=at(2027, 6, 16, 12, 30))
    assert not rules.covers_mealtime(morning.starts_at, morning.ends_at)
    assert rules.check_refreshments(morning).state == rules.MET
    over_lunch = facts(starts_at=at(2027, 6, 16, 10, 30), ends_at=at(2027, 6, 16, 13, 30))
    assert rules.check_refreshments(over_lunch).state == rules.NOT_MET
    assert (
        rules.check_refreshments(
            facts(starts_at=over_lunch.starts_at, ends_at=over_lunch.ends_at, refreshments="meal")
        ).state
        == rules.MET
    )
    assert rules.check_refreshments(facts(refreshments="none")).state == rules.NOT_MET
    evening = facts(starts_at=at(2027, 6, 16, 17, 0), ends_at=at(2027, 6, 16, 19, 0))
    assert rules.covers_mealtime(evening.starts_at, evening.ends_at)


def test_venue_accessibility():
    assert rules.check_venue(facts(online=True)).state == rules.MET
    assert rules.check_venue(facts()).state == rules.NOT_MET
    assert rules.check_venue(facts(venue_step_free="yes", venue_public_transport="yes")).state == rules.MET
    assert rules.check_venue(facts(venue_step_free="no", venue_public_transport="yes")).state == rules.NOT_MET


@given(st.integers(min_value=0, max_value=60), st.integers(min_value=0, max_value=23))
def test_notice_matches_the_count_of_local_days(days, hour):
    start = at(2027, 11, 20, 11, 0)
    sent = (start - timedelta(days=days)).replace(hour=hour, minute=0)
    f = rules.SessionFacts(starts_at=start, ends_at=start + timedelta(hours=1), invitations_sent_at=sent)
    state = rules.check_invitations(f, T, sent).state
    assert (state == rules.MET) == (days >= 14)


def test_check_all_lists_every_standard():
    report = rules.check_all(facts(decision_making=True, high_level=True), T, at(2027, 5, 1))
    assert [r.code for r in report.results] == [
        "invitations",
        "papers",
        "start_time",
        "numbers",
        "reserve",
        "agenda",
        "refreshments",
        "venue",
    ]
    assert {r.code for r in report.unmet} == {"numbers", "reserve", "agenda", "venue"}
    assert rules.dates_problem(at(2027, 1, 1, 12), at(2027, 1, 1, 11))
    assert rules.Thresholds().earliest_start == time(10, 30)


def test_numbers_say_one_carer_not_one_carers_in_both_languages():
    from django.utils import translation

    one_each = rules.check_numbers(facts(decision_making=True, expected_perspectives=["service_user", "carer"]), T)
    assert one_each.reason.startswith("1 service user and 1 carer expected;")
    two_each = rules.check_numbers(facts(decision_making=True, expected_perspectives=["both", "both"]), T)
    assert two_each.reason == "2 service users and 2 carers expected."
    with translation.override("cy"):
        welsh = rules.check_numbers(facts(decision_making=True, expected_perspectives=["service_user", "carer"]), T)
    assert "1 defnyddiwr gwasanaeth" in welsh.reason and "1 gofalwr" in welsh.reason


def test_a_session_falls_between_2000_and_2099_in_wales():
    assert rules.when_problem(None) is None
    assert rules.when_problem(datetime(2000, 1, 1, 0, 0, tzinfo=LONDON)) is None
    assert rules.when_problem(datetime(2099, 12, 31, 23, 59, tzinfo=LONDON)) is None
    assert rules.when_problem(datetime(1999, 12, 31, 23, 59, tzinfo=LONDON))
    assert rules.when_problem(datetime(2100, 1, 1, 0, 0, tzinfo=LONDON))
    # The very edges of the calendar, in any offset, are refused rather than overflowing.
    assert rules.when_problem(datetime.min.replace(tzinfo=ZoneInfo("Pacific/Kiritimati")))
    assert rules.when_problem(datetime.max.replace(tzinfo=ZoneInfo("Pacific/Pago_Pago")))
