"""What concerns hold about a person: the concerns they raised under their own name.

Anonymous concerns are linked to no one, so they are in no one's export. A concern
about someone is not in that person's export: it is the account of the person who
raised it, and who raised it is theirs to keep private (Data Protection Act 2018,
Schedule 2 paragraph 16); the organisation weighs a request for it case by case.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from withus.core.privacy import Record, Section, record, records
from withus.people.models import Person

from . import selectors
from .interests.models import Interest
from .models import Concern

FIELDS = {
    "organisation": _("Organisation"),
    "reference": _("Reference"),
    "kind": _("Concern or complaint"),
    "received_on": _("Received"),
    "stage": _("Stage"),
    "text": _("What happened"),
    "wanted": _("What you would like to happen"),
    "told": _("What you were told"),
}

INTEREST_FIELDS = {
    "kind": _("Kind of interest"),
    "body": _("The body or person it concerns"),
    "description": _("Description"),
    "starts_on": _("From"),
    "ends_on": _("Until"),
    "recorded_at": _("Recorded"),
    "superseded_at": _("Replaced by a later version"),
}


def export(person: Person) -> list[Section]:
    def concern(c: Concern) -> Record:
        return record(
            organisation=c.organisation,
            reference=c.reference,
            kind=c.kind,
            received_on=c.received_on,
            stage=c.stage,
            text=c.text,
            wanted=c.wanted,
            told=[f"{s.on.isoformat()}: {s.told}" for s in c.steps.all() if s.told],
        )

    return [
        Section(
            "concerns",
            _("Concerns and complaints you raised"),
            FIELDS,
            records(selectors.concerns_raised_by(person).prefetch_related("steps"), concern),
        ),
        Section(
            "interests",
            _("Interests you declared, with every earlier version"),
            INTEREST_FIELDS,
            records(
                Interest.objects.filter(person=person).order_by("recorded_at", "pk"),
                lambda i: record(
                    kind=i.kind,
                    body=i.body,
                    description=i.description,
                    starts_on=i.starts_on,
                    ends_on=i.ends_on,
                    recorded_at=i.recorded_at,
                    superseded_at=i.superseded_at,
                ),
            ),
        ),
    ]


def erase(person: Person) -> None:
    """A concern is kept for the organisation's complaint records, but no longer names the person."""
    Concern.objects.filter(raised_by=person).update(raised_by=None, raiser_name="", raiser_contact="")
    Concern.objects.filter(about_person=person).update(about_person=None)
    # Declared interests are the person's own account of themselves: they go with them.
    Interest.objects.filter(person=person).delete()
