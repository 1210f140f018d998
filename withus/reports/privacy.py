"""What the reports hold about a person: their comments on draft reports, and invitations to comment.

Published reports hold only counts, held back when small, and the stories members agreed to
be used there. On erasure the person's comments go (a reply to them goes with them), they
are taken off every invitation, and their stories are taken out of every published version.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from withus.core.privacy import Section, record, records, remove
from withus.people.models import Person

from .models import AnnualReport, Comment, Version

COMMENT_FIELDS = {
    "organisation": _("Organisation"),
    "year": _("Year"),
    "section": _("Section"),
    "text": _("What you wrote"),
    "at": _("When"),
}
INVITED_FIELDS = {"organisation": _("Organisation"), "year": _("Year")}


def export(person: Person) -> list[Section]:
    comments = Comment.objects.filter(person=person).select_related("report__organisation")
    invited = AnnualReport.objects.filter(invited=person).select_related("organisation")
    return [
        Section(
            key="annual_report_comments",
            title=_("Your comments on draft annual reports"),
            fields=COMMENT_FIELDS,
            records=records(
                comments,
                lambda c: record(
                    organisation=c.report.organisation.name,
                    year=c.report.year,
                    section=c.section,
                    text=c.text,
                    at=c.created_at,
                ),
            ),
        ),
        Section(
            key="annual_report_invitations",
            title=_("Annual reports you were asked to comment on"),
            fields=INVITED_FIELDS,
            records=records(invited, lambda r: record(organisation=r.organisation.name, year=r.year)),
        ),
    ]


def erase(person: Person) -> None:
    remove(Comment.objects.filter(person=person))
    for report in AnnualReport.objects.filter(invited=person):
        report.invited.remove(person)
    for version in Version.objects.all():
        changed = False
        for language in version.snapshot.get("languages", {}).values():
            for section in language["sections"]:
                stories = section["data"].get("stories")
                if stories and any(s.get("person_id") == person.pk for s in stories):
                    section["data"]["stories"] = [s for s in stories if s.get("person_id") != person.pk]
                    changed = True
        if changed:
            version.save(update_fields=["snapshot"])
