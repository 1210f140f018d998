"""The ballot count and the receipts' rules, as pure functions."""

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from withus.groups import rules

options = st.lists(st.integers(min_value=1, max_value=10_000), min_size=1, max_size=8, unique=True)


@given(options.flatmap(lambda opts: st.tuples(st.just(opts), st.lists(st.sampled_from(opts), max_size=200))))
def test_every_ballot_is_counted_once_for_its_choice_and_every_option_is_listed(case):
    opts, choices = case
    tally = rules.count_votes(choices, opts)
    assert list(tally) == opts
    assert sum(tally.values()) == len(choices)
    assert tally == {o: Counter(choices)[o] for o in opts}


@given(
    options.flatmap(lambda opts: st.tuples(st.just(opts), st.lists(st.sampled_from(opts), max_size=50))), st.randoms()
)
def test_the_order_of_the_published_list_does_not_change_the_count(case, random):
    opts, choices = case
    shuffled = list(choices)
    random.shuffle(shuffled)
    assert rules.count_votes(shuffled, opts) == rules.count_votes(choices, opts)


def test_a_vote_for_something_not_on_the_ballot_is_an_error_not_dropped():
    with pytest.raises(ValueError):
        rules.count_votes([1, 2, 3], [1, 2])


@given(st.text(alphabet=rules.RECEIPT_ALPHABET, min_size=16, max_size=16))
def test_a_receipt_typed_loosely_has_the_same_hash_as_printed(raw):
    printed = rules.format_receipt(raw)
    typed = f"  {printed.lower().replace('-', ' ').replace('0', 'o').replace('1', 'l')} "
    assert rules.receipt_hash(ballot_id=7, receipt=typed) == rules.receipt_hash(ballot_id=7, receipt=printed)
    assert rules.receipt_hash(ballot_id=8, receipt=printed) != rules.receipt_hash(ballot_id=7, receipt=printed)


@pytest.mark.parametrize(("eligible", "warns"), [(0, True), (4, True), (5, False), (40, False)])
def test_a_ballot_warns_below_the_secrecy_threshold(eligible, warns):
    assert (rules.secrecy_warning(eligible=eligible) is not None) is warns


def test_a_ballot_needs_a_question_two_different_choices_and_two_observers_from_the_group():
    problems = rules.ballot_problems(
        question=" ", options=["Yes", "Yes"], first_observer_id=1, second_observer_id=1, roll_ids=[1, 2]
    )
    assert set(problems) == {"question", "options", "second_observer"}
    problems = rules.ballot_problems(
        question="Q", options=["Yes"], first_observer_id=3, second_observer_id=None, roll_ids=[1, 2]
    )
    assert set(problems) == {"options", "first_observer", "second_observer"}
    assert not rules.ballot_problems(
        question="Q", options=["Yes", "No"], first_observer_id=1, second_observer_id=2, roll_ids=[1, 2]
    )
