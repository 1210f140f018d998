"""What the opportunities app holds about a person: their responses, referrals of them, and alerts sent."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from withus.core.privacy import Record, Section, record, records, remove
from withus.people.models import Person

from .models import Application, MatchNotice, PanelScore, Reference, Referral

APPLICATION_FIELDS = {
    "opportunity": _("Opportunity"),
    "organisation": _("Organisation"),
    "status": _("Where your response has got to"),
    "status_reason": _("Reason"),
    "why": _("Why you are interested"),
    "experience": _("What you would bring"),
    "support_needed": _("Support you would need"),
    "answers": _("Other answers"),
    "submitted_at": _("Sent"),
    "decided_at": _("Decided"),
    "waiting_position": _("Place on the waiting list"),
    "feedback_requested_at": _("Feedback asked for"),
    "feedback": _("Feedback"),
    "feedback_sent_at": _("Feedback sent"),
    "references": _("Referees you gave: name, how they know you, e-mail and phone"),
    "scores": _("Panel scores: criterion, panel member, score and note"),
}
REFERRAL_FIELDS = {
    "organisation": _("Organisation referred to"),
    "person_name": _("Name given"),
    "contact": _("How to contact you"),
    "preferred_channel": _("How you would like to be contacted"),
    "interests": _("What you might like to do"),
    "referred_by_name": _("Referred by"),
    "referred_by_role": _("Their team or role"),
    "consent_how": _("How you agreed to the referral"),
    "notes": _("Notes for the team"),
    "status": _("Status"),
    "created_at": _("Referred on"),
}
ALERT_FIELDS = {
    "opportunity": _("Opportunity"),
    "sent_at": _("Told you on"),
    "channel": _("How"),
}


def _reference(reference: Reference) -> Record:
    return record(
        name=reference.name, relationship=reference.relationship, email=reference.email, phone=reference.phone
    )


def _score(score: PanelScore) -> Record:
    return record(criterion=score.criterion.text, panel_member=score.panel_member, score=score.score, note=score.note)


def _application(application: Application) -> Record:
    return record(
        opportunity=application.opportunity.title,
        organisation=application.opportunity.organisation.name,
        status=application.status,
        status_reason=application.status_reason,
        why=application.why,
        experience=application.experience,
        support_needed=application.support_needed,
        answers=application.answers,
        submitted_at=application.submitted_at,
        decided_at=application.decided_at,
        waiting_position=application.waiting_position,
        feedback_requested_at=application.feedback_requested_at,
        feedback=application.feedback,
        feedback_sent_at=application.feedback_sent_at,
        references=records(application.references.all(), _reference),
        scores=records(application.scores.all(), _score),
    )


def _referral(referral: Referral) -> Record:
    return record(
        organisation=referral.organisation.name,
        person_name=referral.person_name,
        contact=referral.contact,
        preferred_channel=referral.preferred_channel,
        interests=referral.interests,
        referred_by_name=referral.referred_by_name,
        referred_by_role=referral.referred_by_role,
        consent_how=referral.consent_how,
        notes=referral.notes,
        status=referral.status,
        created_at=referral.created_at,
    )


def _alert(notice: MatchNotice) -> Record:
    return record(opportunity=notice.opportunity.title, sent_at=notice.sent_at, channel=notice.channel)


def export(person: Person) -> list[Section]:
    applications = (
        Application.objects.filter(person=person)
        .select_related("opportunity__organisation")
        .prefetch_related("references", Prefetch("scores", queryset=PanelScore.objects.select_related("criterion")))
        .order_by("created_at", "pk")
    )
    referrals = Referral.objects.filter(person=person).select_related("organisation").order_by("created_at", "pk")
    alerts = MatchNotice.objects.filter(person=person).select_related("opportunity").order_by("sent_at", "pk")
    return [
        Section(
            "applications",
            _("Your responses to opportunities, with their outcomes and the referees you gave"),
            APPLICATION_FIELDS,
            records(applications, _application),
        ),
        Section(
            "referrals", _("Referrals of you to an involvement team"), REFERRAL_FIELDS, records(referrals, _referral)
        ),
        Section(
            "opportunity_alerts",
            _("Opportunities we told you about"),
            ALERT_FIELDS,
            records(alerts, _alert),
        ),
    ]


# ---- Erasure (withus.core.privacy) ---------------------------------------------------------


def erase(person: Person) -> None:
    """Responses (with their referees and panel scores), referrals of the person and alerts sent go.

    A finished draw keeps its recorded inputs, which name applications by number only,
    so that it can still be checked.
    """
    applications = Application.objects.filter(person=person)
    remove(
        Reference.objects.filter(application__in=applications),
        PanelScore.objects.filter(application__in=applications),
        applications,
        Referral.objects.filter(person=person),
        MatchNotice.objects.filter(person=person),
    )
