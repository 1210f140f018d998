"""What the people register holds about a person, for their own download (C11)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from withus.core.privacy import Section, field_labels, record, remove, values_of

from .models import (
    AssistedAction,
    CallAttempt,
    ConsentRecord,
    DbsCheck,
    EqualityMonitoring,
    ExitInterview,
    OutgoingMessage,
    Person,
    SensitiveRead,
    WellbeingPlan,
)
from .services import EQUALITY_FIELDS, PROFILE_FIELDS

PROFILE = sorted(PROFILE_FIELDS) + ["status", "stepped_out_until", "left_at", "created_at", "updated_at"]
WELLBEING = ("what_helps", "who_to_contact", "visible_to", "updated_at")
CONSENT = ("purpose", "organisation", "given_at", "how", "notes", "withdrawn_at")
DBS = ("organisation", "status", "level", "checked_on", "recorded_at")
EXIT = ("offered_at", "completed_at", "reasons", "went_well", "could_be_better", "wants_conversation")
MESSAGE = ("created_at", "channel", "subject", "body", "status")


def export(person: Person) -> list[Section]:
    """Profile, tags, wellbeing plan, equality answers, consents, DBS checks, help given, exit interviews, messages."""
    plan = WellbeingPlan.objects.filter(person=person).first()
    equality = EqualityMonitoring.objects.filter(person=person).first()
    return [
        Section(
            "profile",
            _("Your details"),
            field_labels(
                Person,
                PROFILE,
                left_at=_("left"),
                created_at=_("registered"),
                updated_at=_("last changed"),
            ),
            values_of(person, PROFILE),
        ),
        Section(
            "tags",
            _("Your skills, interests, experience, areas and languages"),
            {"kind": _("Kind"), "slug": _("Code"), "name": _("Name")},
            [record(kind=t.kind, slug=t.slug, name=t.name) for t in person.tags.all()],
        ),
        Section(
            "wellbeing_plan",
            _("What helps when you are unwell"),
            field_labels(WellbeingPlan, WELLBEING, updated_at=_("last changed")),
            values_of(plan, WELLBEING) if plan else None,
        ),
        Section(
            "equality_monitoring",
            _("Your equality monitoring answers"),
            field_labels(EqualityMonitoring, EQUALITY_FIELDS),
            values_of(equality, EQUALITY_FIELDS) if equality else None,
        ),
        Section(
            "consents",
            _("What you have agreed to"),
            field_labels(
                ConsentRecord,
                CONSENT,
                purpose=_("What was agreed"),
                organisation=_("Organisation"),
                given_at=_("Given"),
                withdrawn_at=_("Withdrawn"),
            ),
            [values_of(c, CONSENT) for c in person.consents.select_related("organisation")],
        ),
        Section(
            "dbs_checks",
            _("DBS checks"),
            field_labels(DbsCheck, DBS, organisation=_("Organisation"), recorded_at=_("Recorded")),
            [values_of(d, DBS) for d in person.dbs_checks.select_related("organisation")],
        ),
        Section(
            "done_on_your_behalf",
            _("Things done on your behalf"),
            {"at": _("When"), "description": _("What was done"), "organisation": _("Organisation")},
            [
                record(at=a.at, description=a.description, organisation=str(a.organisation or ""))
                for a in AssistedAction.objects.filter(person=person).select_related("organisation")
            ],
        ),
        Section(
            "exit_interviews",
            _("Exit interviews"),
            field_labels(ExitInterview, EXIT, offered_at=_("Offered"), completed_at=_("Completed")),
            [values_of(e, EXIT) for e in person.exit_interviews.all()],
        ),
        Section(
            "sensitive_reads",
            _("Who has looked at your details"),
            {
                "at": _("When"),
                "reader": _("Who"),
                "organisation": _("Organisation"),
                "what": _("What"),
                "via": _("How"),
            },
            [
                record(
                    at=r.at, reader=str(r.reader or ""), organisation=str(r.organisation or ""), what=r.what, via=r.via
                )
                for r in SensitiveRead.objects.filter(person=person).select_related("reader", "organisation")
            ],
        ),
        Section(
            "messages",
            _("Messages we sent or prepared for you"),
            {
                "created_at": _("When"),
                "channel": _("How"),
                "subject": _("Subject"),
                "body": _("Message"),
                "status": _("Status"),
            },
            [values_of(m, MESSAGE) for m in person.messages.all()],
        ),
        Section(
            "calls",
            _("Our calls to you about those messages, and the notes made"),
            {"at": _("When"), "subject": _("About"), "outcome": _("What happened"), "note": _("Note")},
            [
                record(at=c.at, subject=c.message.subject, outcome=c.get_outcome_display(), note=c.note)
                for c in CallAttempt.objects.filter(message__person=person).select_related("message")
            ],
        ),
    ]


# ---- Erasure (withus.core.privacy) ---------------------------------------------------------


def erase(person: Person) -> None:
    """The register's records about the person go: consents, DBS checks, help given, exit interviews,
    messages, who looked at their details, the wellbeing plan and equality answers, tags.

    The person's own record is left for ``withus.people.erasure`` to delete, or to strip to a
    reference when a payment ledger must stay.
    """
    remove(
        ConsentRecord.objects.filter(person=person),
        DbsCheck.objects.filter(person=person),
        AssistedAction.objects.filter(person=person),
        ExitInterview.objects.filter(person=person),
        OutgoingMessage.objects.filter(person=person),
        SensitiveRead.objects.filter(person=person),
        WellbeingPlan.objects.filter(person=person),
        EqualityMonitoring.objects.filter(person=person),
    )
    person.tags.clear()
