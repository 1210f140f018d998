"""The fair draw (PRODUCT.md §C2 "Fairness") as pure-function tests."""

import json
import random
from collections import Counter
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from withus.opportunities.draw import (
    STRATA,
    Candidate,
    DrawError,
    _fill,
    check,
    draw,
    new_seed,
    quotas_for,
    stratum_key,
)

SEED = "0123456789abcdef"

candidate_sets = st.lists(
    st.builds(
        Candidate,
        id=st.integers(min_value=1, max_value=10_000),
        perspective=st.sampled_from(["service_user", "carer", "both"]),
        area=st.sampled_from(["", "North", "South", "East"]),
        under_represented=st.booleans(),
        previous_places=st.integers(min_value=0, max_value=6),
    ),
    min_size=1,
    max_size=40,
    unique_by=lambda c: c.id,
)
strata_choices = st.lists(st.sampled_from(STRATA), unique=True).map(tuple)


def people(n: int) -> list[Candidate]:
    return [Candidate(id=i, perspective="service_user") for i in range(1, n + 1)]


def mixed(service_users: int, carers: int, both: int = 0) -> list[Candidate]:
    perspectives = ["service_user"] * service_users + ["carer"] * carers + ["both"] * both
    return [Candidate(id=i, perspective=p) for i, p in enumerate(perspectives, start=1)]


# Reproducible ----------------------------------------------------------------


def test_same_seed_same_result():
    candidates = people(12)
    assert draw(candidates, 4, seed=SEED) == draw(candidates, 4, seed=SEED)


@settings(max_examples=60)
@given(data=st.data(), candidates=candidate_sets, strata_by=strata_choices)
def test_result_does_not_depend_on_input_order(data, candidates, strata_by):
    places = data.draw(st.integers(min_value=1, max_value=len(candidates)))
    shuffled = data.draw(st.permutations(candidates))
    assert draw(shuffled, places, seed=SEED, strata_by=strata_by) == draw(
        candidates, places, seed=SEED, strata_by=strata_by
    )


def test_order_follows_the_documented_efraimidis_spirakis_keys():
    # Worked independently of the module: u from random.Random(seed) in id order,
    # key = u ** (1 / weight) with weight = 1 / (1 + previous places), highest first.
    candidates = [Candidate(id=i, perspective="carer", previous_places=i % 4) for i in (7, 3, 11, 5, 2, 9)]
    rng = random.Random(SEED)
    keys = {c.id: rng.random() ** (1 / (1 / (1 + c.previous_places))) for c in sorted(candidates, key=lambda c: c.id)}
    expected = sorted(keys, key=lambda i: -keys[i])
    result = draw(candidates, 2, seed=SEED)
    assert list(result.selected + result.waiting_list) == expected
    assert result.selected == tuple(expected[:2])


def test_a_recorded_draw_reruns_the_same_way():
    # Pinned so that a change to the method cannot silently reinterpret recorded
    # seeds. If this fails on purpose, change draw.METHOD as well.
    candidates = [Candidate(id=i, perspective="service_user", previous_places=i % 3) for i in range(1, 11)]
    result = draw(candidates, 3, seed="fair-draw")
    assert result.selected == PINNED_SELECTED
    assert result.waiting_list == PINNED_WAITING


PINNED_SELECTED = (10, 7, 4)
PINNED_WAITING = (6, 9, 3, 8, 5, 1, 2)


def test_different_seeds_usually_give_different_results():
    candidates = people(20)
    results = {draw(candidates, 5, seed=seed).selected for seed in ("a", "b", "c", "d", "e", "f")}
    assert len(results) > 1


def test_new_seed_is_sixteen_hex_characters_and_fresh():
    seed = new_seed()
    assert len(seed) == 16
    int(seed, 16)
    assert new_seed() != seed


# The shape of the result ----------------------------------------------------------


@settings(max_examples=80)
@given(data=st.data(), candidates=candidate_sets, strata_by=strata_choices)
def test_selected_and_waiting_list_split_everyone(data, candidates, strata_by):
    places = data.draw(st.integers(min_value=1, max_value=len(candidates)))
    result = draw(candidates, places, seed=data.draw(st.text(max_size=12)), strata_by=strata_by)
    assert len(result.selected) == places
    assert len(set(result.selected)) == places
    assert len(set(result.waiting_list)) == len(result.waiting_list)
    assert not set(result.selected) & set(result.waiting_list)
    assert set(result.selected) | set(result.waiting_list) == {c.id for c in candidates}


def test_as_dict_is_json_safe_and_complete():
    result = draw(mixed(3, 2), 2, seed=SEED, strata_by=["perspective"])
    record = json.loads(json.dumps(result.as_dict()))
    assert record["seed"] == SEED
    assert record["places"] == 2
    assert record["strata_by"] == ["perspective"]
    assert record["quotas"] == result.quotas
    assert record["selected"] == list(result.selected)
    assert record["waiting_list"] == list(result.waiting_list)
    assert record["method"]


def test_strata_are_recorded_in_one_order_whatever_order_they_are_chosen_in():
    candidates = [Candidate(id=i, perspective="carer", area="North" if i % 2 else "South") for i in range(1, 9)]
    one = draw(candidates, 3, seed=SEED, strata_by=["area", "perspective", "area"])
    other = draw(candidates, 3, seed=SEED, strata_by=["perspective", "area"])
    assert one == other
    assert one.strata_by == ("perspective", "area")


# Stratification ----------------------------------------------------------------


def test_stratum_keys():
    c = Candidate(id=1, perspective="both", area="North", under_represented=True)
    assert stratum_key(c, ()) == "all"
    assert stratum_key(c, ["perspective"]) == "perspective=both"
    assert stratum_key(c, ["under_represented", "area"]) == "area=North|under_represented=yes"
    assert stratum_key(Candidate(id=2, perspective="carer"), STRATA) == "perspective=carer|area=|under_represented=no"


@settings(max_examples=100)
@given(data=st.data(), candidates=candidate_sets, strata_by=strata_choices)
def test_a_stratum_never_gets_more_than_its_quota(data, candidates, strata_by):
    places = data.draw(st.integers(min_value=1, max_value=len(candidates)))
    result = draw(candidates, places, seed=SEED, strata_by=strata_by)
    by_id = {c.id: c for c in candidates}
    got = Counter(stratum_key(by_id[i], strata_by) for i in result.selected)
    for key, n in got.items():
        assert n <= result.quotas[key]
    # Proportional quotas never exceed a stratum's size, so each is filled exactly.
    assert {k: q for k, q in result.quotas.items() if q} == dict(got)


@settings(max_examples=60)
@given(data=st.data(), candidates=candidate_sets, strata_by=strata_choices)
def test_each_stratum_takes_its_own_first_people_in_the_weighted_order(data, candidates, strata_by):
    places = data.draw(st.integers(min_value=1, max_value=len(candidates)))
    whole = draw(candidates, len(candidates), seed=SEED)  # everyone, in the weighted order
    result = draw(candidates, places, seed=SEED, strata_by=strata_by)
    by_id = {c.id: c for c in candidates}
    expected = []
    taken: Counter[str] = Counter()
    for i in whole.selected:
        key = stratum_key(by_id[i], strata_by)
        if taken[key] < result.quotas[key]:
            taken[key] += 1
            expected.append(i)
    assert result.selected == tuple(expected)
    assert result.waiting_list == tuple(i for i in whole.selected if i not in set(expected))


def test_leftover_places_go_to_the_next_people_in_the_weighted_order():
    # Cannot happen with proportional quotas, so tested on the filling step
    # itself: carers are given a quota of 2 but only one carer is in the draw.
    order = [
        Candidate(id=4, perspective="service_user"),
        Candidate(id=1, perspective="carer"),
        Candidate(id=2, perspective="service_user"),
        Candidate(id=3, perspective="service_user"),
    ]
    quotas = {"perspective=carer": 2, "perspective=service_user": 1}
    selected = _fill(order, 3, quotas, lambda c: stratum_key(c, ["perspective"]))
    assert [c.id for c in selected] == [4, 1, 2]


# Quotas: largest remainder -------------------------------------------------------------


def test_quotas_when_not_stratified():
    assert quotas_for(people(5), 3, ()) == {"all": 3}


def test_quotas_tie_goes_to_the_stratum_key_that_sorts_first():
    # 3 service users + 1 carer, 2 places: exact shares 2*3/4 = 1.5 and 2*1/4 = 0.5.
    # Whole parts 1 and 0 leave 1 place; both remainders are 0.5, a tie, broken by
    # key: "perspective=carer" sorts before "perspective=service_user", so the
    # carer stratum gets it: 1 and 1.
    assert quotas_for(mixed(3, 1), 2, ["perspective"]) == {"perspective=carer": 1, "perspective=service_user": 1}
    # The tie-break does not depend on the order the candidates arrive in.
    assert quotas_for(list(reversed(mixed(3, 1))), 2, ["perspective"]) == {
        "perspective=carer": 1,
        "perspective=service_user": 1,
    }


def test_quotas_largest_remainder_wins():
    # 5 service users, 3 carers, 2 both; 4 places: exact 2.0, 1.2, 0.8.
    # Whole parts 2, 1, 0 leave 1 place, which goes to the largest remainder (both, 0.8).
    assert quotas_for(mixed(5, 3, 2), 4, ["perspective"]) == {
        "perspective=both": 1,
        "perspective=carer": 1,
        "perspective=service_user": 2,
    }


def test_quotas_by_area_include_blank_area_and_empty_quotas():
    # 7 North, 2 South, 1 with no area; 3 places: exact 2.1, 0.6, 0.3.
    # Whole parts 2, 0, 0 leave 1 place, which goes to South (0.6).
    areas = ["North"] * 7 + ["South"] * 2 + [""]
    candidates = [Candidate(id=i, perspective="carer", area=a) for i, a in enumerate(areas)]
    assert quotas_for(candidates, 3, ["area"]) == {"area=": 0, "area=North": 2, "area=South": 1}


def test_quotas_over_two_strata():
    # perspective x under-represented: 4 service_user/no, 2 service_user/yes,
    # 2 carer/no, 1 carer/yes (9 people); 3 places: exact 4/3, 2/3, 2/3, 1/3.
    # Whole parts 1, 0, 0, 0 leave 2 places, which go to the two 2/3 strata.
    spec = [("service_user", False)] * 4 + [("service_user", True)] * 2 + [("carer", False)] * 2 + [("carer", True)]
    candidates = [Candidate(id=i, perspective=p, under_represented=u) for i, (p, u) in enumerate(spec)]
    assert quotas_for(candidates, 3, ["perspective", "under_represented"]) == {
        "perspective=carer|under_represented=no": 1,
        "perspective=carer|under_represented=yes": 0,
        "perspective=service_user|under_represented=no": 1,
        "perspective=service_user|under_represented=yes": 1,
    }


@settings(max_examples=100)
@given(data=st.data(), candidates=candidate_sets, strata_by=strata_choices)
def test_quotas_sum_to_places_and_round_each_exact_share_down_or_up(data, candidates, strata_by):
    places = data.draw(st.integers(min_value=1, max_value=len(candidates)))
    quotas = quotas_for(candidates, places, strata_by)
    assert sum(quotas.values()) == places
    sizes = Counter(stratum_key(c, strata_by) for c in candidates)
    assert set(quotas) == set(sizes)
    for key, size in sizes.items():
        exact = Fraction(places * size, len(candidates))
        assert exact.numerator // exact.denominator <= quotas[key] <= -(-exact.numerator // exact.denominator)
        assert quotas[key] <= size


# Weighting -------------------------------------------------------------------------


def test_fewer_previous_places_win_more_often():
    # Weights 1 and 1/5: the first wins with probability 1 / (1 + 1/5) = 5/6, about 5:1.
    fresh = Candidate(id=1, perspective="carer", previous_places=0)
    busy = Candidate(id=2, perspective="carer", previous_places=4)
    wins = Counter(draw([fresh, busy], 1, seed=f"seed-{n}").selected[0] for n in range(2000))
    assert wins[1] > 3 * wins[2]
    assert wins[2] > 0  # still a lottery, not a rule that excludes people


def test_equal_weights_are_an_even_lottery():
    a = Candidate(id=1, perspective="carer")
    b = Candidate(id=2, perspective="carer")
    wins = Counter(draw([a, b], 1, seed=f"seed-{n}").selected[0] for n in range(2000))
    assert 800 < wins[1] < 1200


# Errors -------------------------------------------------------------------------------


@pytest.mark.parametrize("places", [0, -1])
def test_places_must_be_at_least_one(places):
    with pytest.raises(DrawError) as error:
        draw(people(3), places, seed=SEED)
    assert error.value.code == "no_places"


def test_more_places_than_people():
    with pytest.raises(DrawError) as error:
        draw(people(3), 4, seed=SEED)
    assert str(error.value) == "There are more places than people in the draw: offer everyone a place instead."
    assert error.value.code == "more_places_than_people"


def test_as_many_places_as_people_is_allowed():
    assert len(draw(people(3), 3, seed=SEED).selected) == 3


def test_duplicate_candidates():
    candidates = [*people(3), Candidate(id=2, perspective="carer")]
    with pytest.raises(DrawError) as error:
        draw(candidates, 2, seed=SEED)
    assert error.value.code == "duplicate_candidates"
    assert "2" in str(error.value)


@pytest.mark.parametrize("strata_by", [["gender"], ["perspective", "age"], ["Area"]])
def test_unknown_strata(strata_by):
    with pytest.raises(DrawError) as error:
        draw(people(3), 2, seed=SEED, strata_by=strata_by)
    assert error.value.code == "unknown_strata"


def test_negative_previous_places():
    candidates = [*people(2), Candidate(id=9, perspective="carer", previous_places=-1)]
    with pytest.raises(DrawError) as error:
        draw(candidates, 1, seed=SEED)
    assert error.value.code == "negative_previous_places"
    assert "9" in str(error.value)


def test_unknown_perspective():
    with pytest.raises(DrawError) as error:
        draw([*people(2), Candidate(id=3, perspective="staff")], 1, seed=SEED)
    assert error.value.code == "unknown_perspective"


def test_draw_error_is_a_value_error():
    assert issubclass(DrawError, ValueError)


def test_a_tie_goes_to_the_under_represented_stratum() -> None:
    # 2 marked of 8, 2 places: exact shares 0.5 and 1.5 tie on their remainders.
    candidates = [Candidate(id=i, perspective="service_user", under_represented=i < 2) for i in range(8)]
    quotas = quotas_for(candidates, 2, ["under_represented"])
    assert quotas == {"under_represented=no": 1, "under_represented=yes": 1}


# Checking a recorded draw -------------------------------------------------------------


def recorded(candidates, places, *, seed=SEED, strata_by=()):
    """A draw as the service records it: the seed, the inputs and the result, through JSON."""
    result = draw(candidates, places, seed=seed, strata_by=strata_by)
    inputs = {"candidates": [c.__dict__ for c in candidates], "strata_by": list(strata_by)}
    return json.loads(json.dumps(inputs)), json.loads(json.dumps(result.as_dict()))


def test_a_recorded_draw_checks_out():
    candidates = [Candidate(id=i, perspective="carer" if i % 3 else "both", previous_places=i % 2) for i in range(1, 9)]
    inputs, result = recorded(candidates, 3, strata_by=["perspective"])
    checked = check(seed=SEED, places=3, inputs=inputs, result=result)
    assert checked.checkable and checked.matches and checked.differences == ()
    assert checked.outcome == "matches"
    assert "The result matches" in checked.summary


def test_the_order_candidates_were_recorded_in_does_not_matter():
    candidates = people(6)
    inputs, result = recorded(candidates, 2)
    inputs["candidates"].reverse()
    assert check(seed=SEED, places=2, inputs=inputs, result=result).matches


def test_a_tampered_result_is_a_mismatch_saying_what_differs():
    inputs, result = recorded(people(6), 2)
    honest = list(result["selected"])
    swapped = [result["waiting_list"][0], *honest[1:]]
    result["selected"], result["waiting_list"][0] = swapped, honest[0]
    checked = check(seed=SEED, places=2, inputs=inputs, result=result)
    assert checked.checkable and not checked.matches
    assert checked.outcome == "differs"
    assert [(d.part, d.recorded, d.recomputed) for d in checked.differences] == [
        ("selected", swapped, honest),
        ("waiting_list", result["waiting_list"], list(checked.rerun.waiting_list)),
    ]
    assert "The people drawn, in draw order" in checked.summary


def test_a_reordered_result_is_a_mismatch_too():
    inputs, result = recorded(people(6), 3)
    result["selected"] = list(reversed(result["selected"]))
    (difference,) = check(seed=SEED, places=3, inputs=inputs, result=result).differences
    assert difference.part == "selected"


def test_tampered_inputs_are_a_mismatch():
    candidates = [Candidate(id=i, perspective="service_user") for i in range(1, 11)]
    inputs, result = recorded(candidates, 3)
    # Someone who was drawn is recorded as having had many places: drawing again leaves them out.
    first = result["selected"][0]
    for c in inputs["candidates"]:
        if c["id"] == first:
            c["previous_places"] = 50
    checked = check(seed=SEED, places=3, inputs=inputs, result=result)
    assert not checked.matches
    assert "selected" in {d.part for d in checked.differences}


def test_a_different_seed_is_a_mismatch():
    inputs, result = recorded(people(8), 3)
    checked = check(seed="another-seed", places=3, inputs=inputs, result=result)
    assert checked.differences[0].part == "seed"
    assert not checked.matches


def test_the_check_runs_the_draw_itself(monkeypatch):
    from withus.opportunities import draw as module

    calls = []
    real = module.draw

    def spy(*args, **kwargs):
        calls.append(kwargs["seed"])
        return real(*args, **kwargs)

    monkeypatch.setattr(module, "draw", spy)
    inputs, result = recorded(people(4), 2)
    assert module.check(seed=SEED, places=2, inputs=inputs, result=result).matches
    assert calls == [SEED]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda inputs, result: inputs.pop("candidates"), "inputs_incomplete"),
        (lambda inputs, result: inputs.pop("strata_by"), "inputs_incomplete"),
        (lambda inputs, result: inputs["candidates"][0].pop("previous_places"), "inputs_incomplete"),
        (lambda inputs, result: inputs["candidates"][0].update(previous_places="2"), "inputs_invalid"),
        (lambda inputs, result: inputs["candidates"][0].update(id=True), "inputs_invalid"),
        (lambda inputs, result: inputs["candidates"].pop(), "inputs_invalid"),  # more places than people now
        (lambda inputs, result: result.update(method="coin-toss/0"), "method_changed"),
        (lambda inputs, result: result.pop("method"), "method_changed"),
    ],
)
def test_a_draw_recorded_without_what_a_re_run_needs_cannot_be_checked(change, code):
    inputs, result = recorded(people(3), 3)
    change(inputs, result)
    checked = check(seed=SEED, places=3, inputs=inputs, result=result)
    assert not checked.checkable and not checked.matches
    assert checked.code == checked.outcome == code
    assert checked.reason and "cannot be checked" in checked.summary
