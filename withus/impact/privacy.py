"""What impact holds about a person: what they said or asked, the answers, what they wrote on its timeline,
its stories, and (from surveys/) their survey answers that carry their name.

On erasure, the person's words go: they are taken off every contribution they made, with
the replies and questions they wrote and the notices sent to them. A contribution made by
others too stays for them (and on the public page only as far as each of them agreed); one
that was theirs alone, not spoken for a group, goes with its answers and timeline, since
it is their words. Actions named in answers stay with their session (withus.meetings). Their
stories go with the log of their uses; a fee paid for a use stays in rewards' ledger.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from withus.core.privacy import Section, record, records, remove
from withus.people.models import Person

from .contributions.models import Contribution, Contributor, Notice, Step
from .stories.models import Story, StoryUse
from .surveys import privacy as surveys

CONTRIBUTION_FIELDS = {
    "organisation": _("Organisation"),
    "text": _("What you said or asked"),
    "where": _("Where"),
    "view": _("Whose view"),
    "perspective": _("Perspective"),
    "minority_view": _("A minority view"),
    "recorded_at": _("Recorded"),
    "agrees_to_publish": _("May be published"),
    "agrees_to_be_named": _("May be named"),
    "answers": _("Answers"),
}
STORY_FIELDS = {
    "organisation": _("Organisation"),
    "kind": _("What it is"),
    "title": _("Title"),
    "places": _("Where it may be used"),
    "campaign": _("The campaign"),
    "until": _("Until"),
    "named": _("Named"),
    "withdrawn_at": _("Withdrawn"),
    "file": _("The file (download it from Your stories)"),
    "uses": _("Uses"),
}
WRITTEN_FIELDS = {"contribution": _("About"), "kind": _("Kind"), "text": _("What you wrote"), "at": _("When")}


def export(person: Person) -> list[Section]:
    contributors = (
        Contributor.objects.filter(person=person)
        .select_related("contribution__organisation", "contribution__session", "contribution__project")
        .prefetch_related("contribution__answers")
        .order_by("contribution__recorded_at")
    )

    def contribution(c: Contributor) -> dict[str, object]:
        made = c.contribution
        return record(
            organisation=made.organisation.name,
            text=made.text,
            where=str(made.session or made.project or ""),
            view=made.view,
            perspective=made.perspective,
            minority_view=made.minority_view,
            recorded_at=made.recorded_at,
            agrees_to_publish=c.agrees_to_publish,
            agrees_to_be_named=c.agrees_to_be_named,
            answers=[f"{a.get_decision_display()}: {a.reason}" for a in made.answers.all()],
        )

    written = Step.objects.filter(by_person=person).select_related("contribution").order_by("at")
    stories = Story.objects.filter(person=person).select_related("organisation").prefetch_related("uses")
    sections = [
        Section(
            key="contributions",
            title=_("What you said: contributions and their answers"),
            fields=CONTRIBUTION_FIELDS,
            records=records(contributors, contribution),
        ),
        Section(
            key="contribution_replies",
            title=_("What you wrote on the timelines of contributions"),
            fields=WRITTEN_FIELDS,
            records=records(
                written,
                lambda s: record(contribution=s.contribution.text[:80], kind=s.kind, text=s.text, at=s.at),
            ),
        ),
        Section(
            key="stories",
            title=_("Your stories and materials, and where they were used"),
            fields=STORY_FIELDS,
            records=records(
                stories,
                lambda s: record(
                    organisation=s.organisation.name,
                    kind=s.kind,
                    title=s.title,
                    places=s.places,
                    campaign=s.campaign,
                    until=s.until,
                    named=s.named,
                    withdrawn_at=s.withdrawn_at,
                    file=s.file_name if s.file else "",
                    uses=[f"{u.used_on.isoformat()} {u.place} {u.campaign}".strip() for u in s.uses.all()],
                ),
            ),
        ),
    ]
    return sections + surveys.export(person)


def erase(person: Person) -> None:
    """Take the person's words off every contribution (one that was theirs alone goes); their stories and files go."""
    theirs = Contribution.objects.filter(contributors__person=person).values_list("pk", flat=True)
    alone = list(
        Contribution.objects.filter(pk__in=list(theirs), on_behalf_of__isnull=True)
        .annotate(others=Count("contributors", filter=~Q(contributors__person=person)))
        .filter(others=0)
        .values_list("pk", flat=True)
    )
    for story in Story.objects.filter(person=person).exclude(file=""):
        story.file.delete(save=False)  # the recording or document itself, not only its row
    remove(
        Notice.objects.filter(person=person),
        Step.objects.filter(by_person=person),
        Contributor.objects.filter(person=person),
        Contribution.objects.filter(pk__in=alone),
        StoryUse.objects.filter(story__person=person),
        Story.objects.filter(person=person),
    )
    surveys.erase(person)
