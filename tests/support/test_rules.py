"""The rules of support as pure functions: independence, cover, calls, check-ins and the digest."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from withus.support import rules
from withus.support.rules import PersonFacts, Reason

TODAY = date(2030, 6, 12)


def test_a_supervisor_cannot_be_the_support_contact_nor_the_other_way_round() -> None:
    assert rules.independence_refusal(part=rules.SUPPORT_CONTACT, staff_id=5, other_part_staff_id=5)
    assert rules.independence_refusal(part=rules.SUPERVISOR, staff_id=5, other_part_staff_id=5)
    assert "supervisor" in str(
        rules.independence_refusal(part=rules.SUPPORT_CONTACT, staff_id=5, other_part_staff_id=5)
    )
    assert rules.independence_refusal(part=rules.SUPPORT_CONTACT, staff_id=5, other_part_staff_id=6) is None
    assert rules.independence_refusal(part=rules.SUPERVISOR, staff_id=5, other_part_staff_id=None) is None


@given(st.integers(1, 1000), st.integers(1, 1000))
def test_independence_refuses_exactly_when_the_same_person_holds_the_other_part(a: int, b: int) -> None:
    refused = rules.independence_refusal(part=rules.SUPERVISOR, staff_id=a, other_part_staff_id=b)
    assert (refused is not None) == (a == b)


def test_cover_must_end_after_today_or_not_at_all() -> None:
    assert rules.cover_refusal(today=TODAY, until=TODAY)
    assert rules.cover_refusal(today=TODAY, until=TODAY - timedelta(days=1))
    assert rules.cover_refusal(today=TODAY, until=TODAY + timedelta(days=1)) is None
    assert rules.cover_refusal(today=TODAY, until=None) is None


def test_a_call_is_due_the_organisations_hours_after_it_was_asked_for() -> None:
    asked = datetime(2030, 6, 12, 9, 0, tzinfo=UTC)
    assert rules.call_due_at(asked, within_hours=48) == datetime(2030, 6, 14, 9, 0, tzinfo=UTC)


def test_a_check_in_is_due_at_the_members_interval_or_at_once_after_feeling_low() -> None:
    assert not rules.check_in_due(today=TODAY, every_days=None, chosen_on=None, last_check_in_on=None)
    assert rules.check_in_due(today=TODAY, every_days=None, chosen_on=None, last_check_in_on=None, felt_low_since=True)
    chosen = TODAY - timedelta(days=13)
    assert not rules.check_in_due(today=TODAY, every_days=14, chosen_on=chosen, last_check_in_on=None)
    assert rules.check_in_due(today=TODAY, every_days=14, chosen_on=chosen - timedelta(days=1), last_check_in_on=None)
    assert not rules.check_in_due(
        today=TODAY, every_days=14, chosen_on=chosen - timedelta(days=30), last_check_in_on=TODAY - timedelta(days=2)
    )


def facts(person_id: int, **values: object) -> PersonFacts:
    values.setdefault("supported_since", TODAY - timedelta(days=100))
    values.setdefault("last_contact_on", TODAY - timedelta(days=1))
    return PersonFacts(person_id=person_id, **values)  # type: ignore[arg-type]


def test_the_digest_lists_only_people_who_need_something_and_says_why() -> None:
    entries = rules.digest_entries(
        [
            facts(1),  # contacted yesterday: nothing to do
            facts(2, last_contact_on=TODAY - timedelta(days=31)),
            facts(3, last_contact_on=TODAY - timedelta(days=30)),  # exactly the limit: not yet
            facts(4, calls_waiting=1),
            facts(5, debrief_calls=1),
            facts(6, check_in_every_days=7, check_in_chosen_on=TODAY - timedelta(days=20)),
            facts(7, supervision_due_on=TODAY - timedelta(days=1)),
            facts(8, last_contact_on=None, supported_since=TODAY - timedelta(days=40)),
            facts(9, last_contact_on=None, supported_since=TODAY - timedelta(days=3)),  # new: not yet
        ],
        today=TODAY,
        contact_every_days=30,
    )
    reasons = {e.person_id: e.reasons for e in entries}
    assert reasons == {
        2: (Reason.NO_CONTACT,),
        4: (Reason.CALL_ASKED,),
        5: (Reason.DEBRIEF_CALL,),
        6: (Reason.CHECK_IN_DUE,),
        7: (Reason.SUPERVISION_OVERDUE,),
        8: (Reason.NO_CONTACT,),
    }


def test_the_digest_puts_calls_first_then_check_ins_then_the_longest_without_contact() -> None:
    entries = rules.digest_entries(
        [
            facts(1, last_contact_on=TODAY - timedelta(days=40)),
            facts(2, last_contact_on=TODAY - timedelta(days=90)),
            facts(3, last_contact_on=None, supported_since=TODAY - timedelta(days=50)),
            facts(4, calls_waiting=2),
            facts(5, check_in_every_days=7, check_in_chosen_on=TODAY - timedelta(days=9)),
        ],
        today=TODAY,
        contact_every_days=30,
    )
    assert [e.person_id for e in entries] == [4, 5, 3, 2, 1]


def test_the_organisations_number_of_days_decides_who_has_gone_without_contact() -> None:
    people = [facts(1, last_contact_on=TODAY - timedelta(days=10))]
    assert rules.digest_entries(people, today=TODAY, contact_every_days=30) == []
    assert [e.person_id for e in rules.digest_entries(people, today=TODAY, contact_every_days=7)] == [1]
