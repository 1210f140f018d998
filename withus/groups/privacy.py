"""What the groups app holds about a person: their seats, and the report-backs they gave."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from withus.core.privacy import Record, Section, record, records, remove
from withus.people.models import Person

from . import selectors
from .agreements.models import Agreed
from .models import Appointment, BallotVoter, PartnerMessage, ReportBack, RepresentativeView

APPOINTMENT_FIELDS = {
    "part": _("Your part: holding the seat, or deputy or buddy to the person who does"),
    "group": _("Group"),
    "organisation": _("Organisation"),
    "seat": _("Seat"),
    "term_start": _("Term starts"),
    "planned_end": _("Term planned to end"),
    "review_on": _("Review date"),
    "ended_on": _("Ended on"),
    "holder": _("Who holds the seat"),
    "deputy": _("Deputy"),
    "buddy": _("Buddy or mentor"),
}
REPORT_BACK_FIELDS = {
    "session": _("Session"),
    "reported_to": _("The group reported to"),
    "summary": _("What was reported"),
    "reported_on": _("Date"),
}
VIEW_FIELDS = {
    "representative": _("Representative"),
    "text": _("Your view"),
    "sent_on": _("Sent on"),
    "raised": _("Raised at the meeting"),
    "outcome": _("What came of it"),
}
MESSAGE_FIELDS = {
    "group": _("Group written to"),
    "subject": _("Subject"),
    "body": _("Message"),
    "copy_support": _("The supporting organisation was copied"),
    "sent_at": _("Sent"),
}
AGREED_FIELDS = {
    "what": _("What you agreed to"),
    "version_from": _("The version from"),
    "agreed_at": _("When"),
    "how": _("How"),
}
ROLL_FIELDS = {
    "ballot": _("Ballot"),
    "group": _("Group"),
    "has_voted": _("Voted (never how: the ballot box does not know who you are)"),
}


def _part(appointment: Appointment, person: Person) -> str:
    if appointment.person_id == person.pk:
        return "holder"
    return "deputy" if appointment.deputy_id == person.pk else "buddy"


def _name(someone: Person | None) -> str | None:
    return someone.full_name if someone is not None else None


def export(person: Person) -> list[Section]:
    def appointment(a: Appointment) -> Record:
        return record(
            part=_part(a, person),
            group=a.group.name,
            organisation=a.group.organisation.name,
            seat=a.seat,
            term_start=a.term_start,
            planned_end=a.planned_end,
            review_on=a.review_on,
            ended_on=a.ended_on,
            holder=a.person.full_name,
            deputy=_name(a.deputy),
            buddy=_name(a.buddy),
        )

    def report_back(r: ReportBack) -> Record:
        return record(session=r.session.title, reported_to=r.reported_to, summary=r.summary, reported_on=r.reported_on)

    return [
        Section(
            "appointments",
            _("Seats on groups, with their terms, deputies and buddies"),
            APPOINTMENT_FIELDS,
            records(selectors.appointments_involving(person), appointment),
        ),
        Section(
            "report_backs",
            _("Report-backs you gave to the groups you speak for"),
            REPORT_BACK_FIELDS,
            records(selectors.report_backs_by(person), report_back),
        ),
        Section(
            "ballot_rolls",
            _("Ballots you were on the roll of"),
            ROLL_FIELDS,
            records(
                BallotVoter.objects.filter(person=person).select_related("ballot__group").order_by("pk"),
                lambda v: record(ballot=v.ballot.question, group=v.ballot.group.name, has_voted=v.has_voted),
            ),
        ),
        Section(
            "views_sent",
            _("Views you sent to your representatives"),
            VIEW_FIELDS,
            records(
                RepresentativeView.objects.filter(sent_by=person).select_related("appointment__person").order_by("pk"),
                lambda v: record(
                    representative=v.appointment.person.full_name,
                    text=v.text,
                    sent_on=v.sent_on,
                    raised=v.raised,
                    outcome=v.outcome,
                ),
            ),
        ),
        Section(
            "partner_messages",
            _("Messages you sent as a representative"),
            MESSAGE_FIELDS,
            records(
                PartnerMessage.objects.filter(appointment__person=person)
                .select_related("appointment__group")
                .order_by("pk"),
                lambda m: record(
                    group=m.appointment.group.name,
                    subject=m.subject,
                    body=m.body,
                    copy_support=m.copy_support,
                    sent_at=m.sent_at,
                ),
            ),
        ),
        Section(
            "agreements",
            _("Ground rules and codes of conduct you agreed to"),
            AGREED_FIELDS,
            records(
                Agreed.objects.filter(person=person)
                .select_related("agreement__group", "code__organisation")
                .order_by("at", "pk"),
                lambda a: record(
                    what=(a.agreement.group.name if a.agreement else a.code.organisation.name if a.code else ""),
                    version_from=a.agreement.adopted_on if a.agreement else a.code.published_on if a.code else None,
                    agreed_at=a.at,
                    how=a.how,
                ),
            ),
        ),
    ]


# ---- Erasure (withus.core.privacy) ---------------------------------------------------------


def erase(person: Person) -> None:
    """Seats the person held and report-backs they gave go; where they were a deputy or buddy, nobody is named."""
    held = Appointment.objects.filter(person=person)
    reports = ReportBack.objects.filter(person=person)
    remove(
        PartnerMessage.objects.filter(appointment__person=person),
        RepresentativeView.objects.filter(sent_by=person),
        held,
        reports,
        BallotVoter.objects.filter(person=person),
        Agreed.objects.filter(person=person),
    )
    Appointment.objects.filter(deputy=person).update(deputy=None)
    Appointment.objects.filter(buddy=person).update(buddy=None)
