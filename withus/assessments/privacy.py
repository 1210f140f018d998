"""What assessments hold about a person: the assessments they were invited to score, and their scores with
their evidence and reasons. An agreed score is the organisation's, and names nobody, so it stays."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from withus.core.privacy import Record, Section, record, records, remove
from withus.people.models import Person

from .models import Score, Scorer

SCORE_FIELDS = {
    "organisation": _("Organisation"),
    "assessment": _("Assessment"),
    "side": _("Scored as"),
    "item": _("Item"),
    "value": _("Score"),
    "evidence": _("Evidence and reasons"),
    "scored_at": _("When"),
}


def export(person: Person) -> list[Section]:
    def score(s: Score) -> Record:
        return record(
            organisation=s.scorer.assessment.organisation.name,
            assessment=s.scorer.assessment.title,
            side=s.scorer.side,
            item=s.item.code,
            value=s.value,
            evidence=s.evidence,
            scored_at=s.scored_at,
        )

    scores = (
        Score.objects.filter(scorer__user_id=person.user_id).select_related("scorer__assessment__organisation", "item")
        if person.user_id
        else Score.objects.none()
    )
    return [
        Section("assessment_scores", _("Your scores in assessments of standards"), SCORE_FIELDS, records(scores, score))
    ]


def erase(person: Person) -> None:
    """The person's scores and invitations to score go; the scores agreed with everyone stay, naming nobody."""
    if person.user_id:
        remove(Score.objects.filter(scorer__user_id=person.user_id), Scorer.objects.filter(user_id=person.user_id))
