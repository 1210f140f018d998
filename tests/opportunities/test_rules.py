from datetime import date

import pytest

from withus.opportunities import rules
from withus.opportunities.models import ApplicationProcess, Level

TODAY = date(2026, 11, 21)


def test_pathway_defaults_follow_the_guidance():
    assert rules.built_in_default(Level.INFORMED).application_process == ApplicationProcess.NONE
    assert rules.built_in_default(Level.ENGAGED).application_process == ApplicationProcess.NONE
    assert rules.built_in_default(Level.INFLUENCING).application_process == ApplicationProcess.EXPRESSION_OF_INTEREST
    assert rules.built_in_default(Level.LEADING).application_process == ApplicationProcess.APPLICATION_FORM
    assert "No fee" in rules.built_in_default(Level.CONSULTED).reward
    assert "fee" in rules.built_in_default(Level.CO_PRODUCING).reward


def test_organisation_default_overrides_built_in():
    own = {3: rules.PathwayDefault(3, "Half a day", ApplicationProcess.EXPRESSION_OF_INTEREST, "£20 voucher")}
    assert rules.pathway_default(3, own).time_commitment == "Half a day"
    assert rules.pathway_default(4, own).application_process == ApplicationProcess.EXPRESSION_OF_INTEREST


def test_pathway_defaults_are_in_welsh_when_the_page_is():
    from django.utils import translation

    with translation.override("cy"):
        welsh = rules.built_in_default(Level.LEADING).time_commitment
    assert welsh != rules.built_in_default(Level.LEADING).time_commitment


@pytest.mark.parametrize(
    ("kwargs", "allowed"),
    [
        ({}, True),
        ({"status": "draft"}, False),
        ({"closes_on": date(2026, 11, 20)}, False),
        ({"closes_on": TODAY}, True),
        ({"already_responded": True}, False),
        ({"person_status": "left"}, False),
        ({"person_status": "stepped_out"}, True),
    ],
)
def test_can_respond(kwargs, allowed):
    args = {
        "status": "published",
        "closes_on": None,
        "today": TODAY,
        "already_responded": False,
        "person_status": "active",
        **kwargs,
    }
    result = rules.can_respond(**args)
    assert result.allowed is allowed
    assert bool(result.reason) is not allowed


def test_closing_date_and_places():
    assert rules.closing_date_problem(date(2026, 11, 20), today=TODAY)
    assert rules.closing_date_problem(TODAY, today=TODAY) is None
    assert rules.places_problem(0)
    assert rules.places_problem(None)
    assert rules.places_problem(1) is None
    assert rules.dates_problem(date(2027, 1, 2), date(2027, 1, 1))


def test_reference_needs_a_way_to_reach_the_referee():
    assert rules.reference_problem(name="Ann", email="", phone="")
    assert rules.reference_problem(name="Ann", email="a@example.org", phone="") is None
    assert rules.reference_problem(name="Ann", email="", phone="01632 960000") is None


def test_transitions_need_reasons_where_people_can_ask():
    assert rules.transition_problem("received", "not_selected", reason="")
    assert rules.transition_problem("received", "not_selected", reason="Fewer places") is None
    assert rules.transition_problem("withdrawn", "selected", reason="x")
    assert rules.transition_problem("received", "selected", reason="") is None


def test_level_change_after_responses_needs_reason():
    assert rules.level_change_problem(old_level=4, new_level=6, responses=2, reason="")
    assert rules.level_change_problem(old_level=4, new_level=6, responses=2, reason="Board seat") is None
    assert rules.level_change_problem(old_level=4, new_level=6, responses=0, reason="") is None


def profile(**kw):
    base = {
        "interest_tag_ids": frozenset({1}),
        "local_authority": "cardiff",
        "speaks_english": True,
        "available_weekdays": True,
        "available_evenings": False,
        "available_weekends": False,
    }
    return rules.ProfileForMatching(**{**base, **kw})


def opp(**kw):
    base = {
        "tag_ids": frozenset({1, 2}),
        "local_authority": "cardiff",
        "online": False,
        "has_welsh_text": False,
        "starts_on": date(2026, 12, 2),
    }  # a Wednesday
    return rules.OpportunityForMatching(**{**base, **kw})


def test_matching():
    assert rules.fits(profile(), opp())
    assert not rules.fits(profile(), opp(tag_ids=frozenset({3})))
    assert rules.fits(profile(), opp(tag_ids=frozenset()))
    assert not rules.fits(profile(), opp(local_authority="powys"))
    assert rules.fits(profile(), opp(local_authority="powys", online=True))
    assert not rules.fits(profile(speaks_english=False), opp())
    assert rules.fits(profile(speaks_english=False), opp(has_welsh_text=True))
    assert not rules.fits(profile(), opp(starts_on=date(2026, 12, 5)))  # a Saturday
    assert rules.fits(profile(available_weekends=True), opp(starts_on=date(2026, 12, 5)))


def test_alert_frequency():
    assert rules.due_for_alert(frequency="weekly", last_sent=None, today=TODAY)
    assert not rules.due_for_alert(frequency="weekly", last_sent=date(2026, 11, 16), today=TODAY)
    assert rules.due_for_alert(frequency="weekly", last_sent=date(2026, 11, 14), today=TODAY)
    assert rules.due_for_alert(frequency="each", last_sent=TODAY, today=TODAY)
    assert not rules.due_for_alert(frequency="never", last_sent=None, today=TODAY)
