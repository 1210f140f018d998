"""What surveys hold about a person: which surveys they have answered (the mark that stops a second answer,
never the answer when the survey is anonymous), their answers to surveys that were not anonymous, and the
surveys they co-designed."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from withus.core.privacy import Record, Section, record, records, remove
from withus.people.models import Person

from .models import Respondent, Survey, SurveyAnswer

ANSWERED_FIELDS = {"organisation": _("Organisation"), "survey": _("Survey")}
ANSWER_FIELDS = {
    "organisation": _("Organisation"),
    "survey": _("Survey"),
    "answered_on": _("Answered on"),
    "answers": _("Your answers"),
}
CO_DESIGNED_FIELDS = {"organisation": _("Organisation"), "survey": _("Survey")}


def export(person: Person) -> list[Section]:
    def answered(mark: Respondent) -> Record:
        return record(organisation=mark.survey.organisation.name, survey=mark.survey.title)

    def answer(item: SurveyAnswer) -> Record:
        given = []
        for part in item.items.all():
            value = part.text or (part.option.text if part.option else "") or str(part.scale or "")
            given.append(f"{part.question.text}: {value}")
        return record(
            organisation=item.survey.organisation.name,
            survey=item.survey.title,
            answered_on=item.answered_on,
            answers="; ".join(given),
        )

    def designed(survey: Survey) -> Record:
        return record(organisation=survey.organisation.name, survey=survey.title)

    marks = Respondent.objects.filter(person=person).select_related("survey__organisation").order_by("survey_id")
    named = (
        SurveyAnswer.objects.filter(person=person, survey__anonymous=False)
        .select_related("survey__organisation")
        .prefetch_related("items__question", "items__option")
        .order_by("answered_on", "survey_id")
    )
    co_designed = Survey.objects.filter(co_designers=person).select_related("organisation").order_by("pk")
    return [
        Section(
            "surveys_answered",
            _("Surveys you have answered (for anonymous ones, nothing links your answer to you)"),
            ANSWERED_FIELDS,
            records(marks, answered),
        ),
        Section(
            "survey_answers",
            _("Your answers to surveys that were not anonymous"),
            ANSWER_FIELDS,
            records(named, answer),
        ),
        Section(
            "surveys_co_designed", _("Surveys you helped design"), CO_DESIGNED_FIELDS, records(co_designed, designed)
        ),
    ]


def erase(person: Person) -> None:
    """The marks and named answers go; anonymous answers hold nothing of the person and stay in the counts."""
    remove(SurveyAnswer.objects.filter(person=person), Respondent.objects.filter(person=person))
    Survey.co_designers.through.objects.filter(person=person).delete()
