"""Surveys for tests: a coordinator's survey with one question of each kind."""

from __future__ import annotations

from typing import Any

from withus.accounts.models import User
from withus.impact.surveys import services
from withus.impact.surveys.models import Question, Survey


def make_survey(actor: User, *, open_it: bool = True, **fields: Any) -> Survey:
    survey = services.save_survey(
        actor=actor,
        organisation=actor.memberships.get().organisation,
        fields={"title": "Our crisis service", "title_cy": "Ein gwasanaeth argyfwng", **fields},
    )
    services.add_question(
        actor=actor,
        survey=survey,
        kind="single",
        text="Did you get help in time?",
        options=["Yes", "No"],
        required=True,
    )
    services.add_question(
        actor=actor,
        survey=survey,
        kind="several",
        text="What helped?",
        options=["A phone call", "A visit", "A leaflet"],
    )
    services.add_question(actor=actor, survey=survey, kind="scale", text="How safe did you feel?", scale_max=5)
    services.add_question(actor=actor, survey=survey, kind="text", text="What should change?")
    if open_it:
        services.open_survey(actor=actor, survey=survey)
    return survey


def question(survey: Survey, kind: str) -> Question:
    return survey.questions.get(kind=kind)


def values(
    survey: Survey, *, single: int = 0, several: tuple[int, ...] = (0,), scale: int = 3, text: str = ""
) -> dict[int, object]:
    """Answers by the options' places (0 is the first option)."""
    one = question(survey, "single")
    many = question(survey, "several")
    options_one = list(one.options.all())
    options_many = list(many.options.all())
    return {
        one.pk: str(options_one[single].pk),
        many.pk: [str(options_many[i].pk) for i in several],
        question(survey, "scale").pk: str(scale),
        question(survey, "text").pk: text,
    }
