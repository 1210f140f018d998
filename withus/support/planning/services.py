"""Every write of planned supervision: plan, move, cancel, a member's answer, the day-before
reminder, and recording it as held (which makes the existing supervision record, with its note).

Each member is told by their own channel in their language: an e-mail with the calendar file, a
letter to print for those who prefer post, a call to make for those who prefer the phone (and a
text for those who prefer texts), each kept as an ``OutgoingMessage`` for the coordinator's lists.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from withus.accounts.models import Organisation, User
from withus.accounts.roles import ASSIGNING_SUPPORT, SUPPORTING
from withus.accounts.selectors import has_role, require
from withus.meetings.calendar import LONDON
from withus.people import selectors as people_selectors
from withus.people.models import OutgoingMessage, Person

from .. import services as support_services
from ..models import Supervision, SupervisionGroup
from . import calendar, rules
from .models import PlannedSupervision, SupervisionInvitation

SUBJECTS = {
    "invitation": gettext_lazy("Supervision planned: %(when)s"),
    "change": gettext_lazy("Supervision moved or changed: %(when)s"),
    "cancellation": gettext_lazy("Supervision cancelled: %(when)s"),
    "reminder": gettext_lazy("Reminder: supervision %(when)s"),
}
CANNOT_COME_SUBJECT = gettext_lazy("%(name)s cannot come to supervision on %(when)s")
WAITING = {
    "phone": OutgoingMessage.Status.TO_CALL,
    "text": OutgoingMessage.Status.TO_TEXT,
}


def _when(plan: PlannedSupervision) -> str:
    return timezone.localtime(plan.starts_at, LONDON).strftime("%d/%m/%Y %H:%M")


def deliver(invitation: SupervisionInvitation, kind: str) -> OutgoingMessage:
    """Tell one member of their planned supervision by their channel: e-mail with the .ics, or a letter or call."""
    plan, person = invitation.plan, invitation.person
    language = "cy" if person.prefers_welsh else "en"
    with translation.override(language):
        subject = str(SUBJECTS[kind]) % {"when": _when(plan)}
        body = render_to_string(
            "support/planning/messages/supervision.txt",
            {
                "person": person,
                "plan": plan,
                "kind": kind,
                "title": calendar.title(plan),
                "starts": timezone.localtime(plan.starts_at, LONDON),
                "ends": timezone.localtime(plan.ends_at, LONDON),
                "site_url": settings.SITE_URL,
            },
        ).strip()
        ics = calendar.invitation_ics(plan, person)
    channel = person.preferred_channel
    if channel == "email" and person.email:
        method = "CANCEL" if plan.status == PlannedSupervision.Status.CANCELLED else "REQUEST"
        message = EmailMessage(subject, body, None, [person.email])
        message.attach("supervision.ics", ics, f"text/calendar; method={method}; charset=utf-8")
        message.send()
        status = OutgoingMessage.Status.SENT
    elif kind == "reminder" and channel == "post":
        # A posted reminder would arrive too late: the coordinator phones instead.
        status = OutgoingMessage.Status.TO_CALL
    else:
        status = WAITING.get(channel, OutgoingMessage.Status.TO_PRINT)
    invitation.channel = channel
    return OutgoingMessage.objects.create(
        person=person, organisation=plan.organisation, channel=channel, subject=subject, body=body, status=status
    )


def _may_change(actor: User, plan: PlannedSupervision) -> None:
    """The plan's supervisor, or a coordinator, changes it; others who support people there may only read it."""
    require(actor, plan.organisation, SUPPORTING)
    if actor.pk != plan.supervisor_id and not has_role(actor, plan.organisation, *ASSIGNING_SUPPORT):
        raise PermissionDenied


def _checked(*, starts_at: datetime | None, minutes: int | None, how: str, where: str, now: datetime) -> dict[str, str]:
    problems = {
        f: str(p) for f, p in rules.plan_problems(starts_at=starts_at, minutes=minutes, where=where, now=now).items()
    }
    if how not in PlannedSupervision.How.values:
        problems["how"] = _("Choose in person, by phone or by video.")
    return problems


@transaction.atomic
def plan(
    *,
    actor: User,
    organisation: Organisation,
    starts_at: datetime | None,
    minutes: int | None,
    how: str,
    where: str,
    person: Person | None = None,
    group: SupervisionGroup | None = None,
    now: datetime | None = None,
) -> PlannedSupervision:
    """Plan a supervision ahead, with ``actor`` as the supervisor, and invite each member by their own channel.

    One-to-one with a member who shares their details with the organisation (never by their
    support contact: ``support.services.check_independent_supervisor``, the rule a supervision
    recorded once held keeps too), or with a peer supervision group of the organisation (each of
    its members is invited). Refused with nothing written: a time that has passed, a length out
    of bounds, no place or way to join.
    """
    require(actor, organisation, SUPPORTING)
    now = now or timezone.now()
    if (person is None) == (group is None):
        raise ValidationError(_("Plan a supervision with one member, or with one peer supervision group."))
    if problems := _checked(starts_at=starts_at, minutes=minutes, how=how, where=where, now=now):
        raise ValidationError(problems)
    assert starts_at is not None and minutes is not None
    if person is not None:
        person = people_selectors.person_sharing_with(organisation, person)
        support_services.check_independent_supervisor(person=person, organisation=organisation, supervisor=actor)
        members = [person]
    else:
        assert group is not None
        if group.organisation_id != organisation.pk:
            raise PermissionDenied
        members = list(group.members.all())
        if not members:
            raise ValidationError(_("This group has no members to invite."))
    made = PlannedSupervision.objects.create(
        organisation=organisation,
        kind=PlannedSupervision.Kind.ONE_TO_ONE if person else PlannedSupervision.Kind.PEER_GROUP,
        person=person,
        group=group,
        supervisor=actor,
        starts_at=starts_at,
        minutes=minutes,
        how=how,
        where=where.strip(),
        planned_by=actor,
        planned_at=now,
    )
    for member in members:
        invitation = SupervisionInvitation(plan=made, person=member, told_at=now)
        deliver(invitation, "invitation")
        invitation.save()
    return made


def _tell_all(plan: PlannedSupervision, kind: str, now: datetime) -> None:
    for invitation in plan.invitations.select_related("person"):
        invitation.plan = plan
        deliver(invitation, kind)
        invitation.told_at = now
        if kind == "change":  # a new time may suit someone who could not come, or not suit someone who could
            invitation.answer, invitation.answered_at, invitation.reminded_at = (
                SupervisionInvitation.Answer.WAITING,
                None,
                None,
            )
        invitation.save(update_fields=["channel", "told_at", "answer", "answered_at", "reminded_at"])


@transaction.atomic
def move(
    *,
    actor: User,
    plan: PlannedSupervision,
    starts_at: datetime | None,
    minutes: int | None,
    how: str,
    where: str,
    now: datetime | None = None,
) -> PlannedSupervision:
    """Move a planned supervision or change how or where it is: everyone invited is told, and asked again
    whether they can come; the day-before reminder goes for the new day."""
    _may_change(actor, plan)
    now = now or timezone.now()
    if refused := rules.change_refusal(status=plan.status):
        raise ValidationError(str(refused))
    if problems := _checked(starts_at=starts_at, minutes=minutes, how=how, where=where, now=now):
        raise ValidationError(problems)
    assert starts_at is not None and minutes is not None
    plan.starts_at, plan.minutes, plan.how, plan.where = starts_at, minutes, how, where.strip()
    plan.sequence += 1
    plan.save(update_fields=["starts_at", "minutes", "how", "where", "sequence"])
    _tell_all(plan, "change", now)
    return plan


@transaction.atomic
def cancel(*, actor: User, plan: PlannedSupervision, reason: str, now: datetime | None = None) -> PlannedSupervision:
    """Call a planned supervision off, with the reason: everyone invited is told (the calendar file cancels it)."""
    _may_change(actor, plan)
    now = now or timezone.now()
    if refused := rules.change_refusal(status=plan.status):
        raise ValidationError(str(refused))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why, so that the members know.")})
    plan.status, plan.cancelled_reason = PlannedSupervision.Status.CANCELLED, reason.strip()
    plan.sequence += 1
    plan.save(update_fields=["status", "cancelled_reason", "sequence"])
    _tell_all(plan, "cancellation", now)
    return plan


@transaction.atomic
def answer(
    *, actor: User, invitation: SupervisionInvitation, coming: bool, now: datetime | None = None
) -> SupervisionInvitation:
    """The member says whether they can come, until it starts; the supervisor is told when they cannot."""
    person = people_selectors.own_person(actor)
    if person is None or person.pk != invitation.person_id:
        raise PermissionDenied
    return _record_answer(invitation, coming=coming, now=now, tell_supervisor=True)


@transaction.atomic
def answer_for(
    *, actor: User, invitation: SupervisionInvitation, coming: bool, now: datetime | None = None
) -> SupervisionInvitation:
    """Record the answer a member gave by phone or letter, for them: by the supervisor or a coordinator.

    The same rule as the member's own answer (until it starts). The supervisor is told when the member
    cannot come, unless they recorded it themselves.
    """
    _may_change(actor, invitation.plan)
    return _record_answer(invitation, coming=coming, now=now, tell_supervisor=actor.pk != invitation.plan.supervisor_id)


def _record_answer(
    invitation: SupervisionInvitation, *, coming: bool, now: datetime | None, tell_supervisor: bool
) -> SupervisionInvitation:
    now = now or timezone.now()
    plan = invitation.plan
    if refused := rules.answer_refusal(status=plan.status, starts_at=plan.starts_at, now=now):
        raise ValidationError(str(refused))
    before = invitation.answer
    invitation.answer = SupervisionInvitation.Answer.COMING if coming else SupervisionInvitation.Answer.NOT_COMING
    invitation.answered_at = now
    invitation.save(update_fields=["answer", "answered_at"])
    if tell_supervisor and not coming and before != SupervisionInvitation.Answer.NOT_COMING:
        person = invitation.person
        support_services.mail_staff(
            plan.supervisor,
            CANNOT_COME_SUBJECT,
            "support/planning/messages/cannot_come.txt",
            {"plan": plan, "person": person, "starts": timezone.localtime(plan.starts_at, LONDON)},
            {"name": person.display_name, "when": _when(plan)},
        )
    return invitation


@transaction.atomic
def record_held(*, actor: User, plan: PlannedSupervision, note: str = "", now: datetime | None = None) -> Supervision:
    """The supervisor records the planned supervision as held: it becomes the supervision record, with the note.

    The record is made by ``support.services.record_supervision`` (so the independence of the
    supervisor and the date are checked as for any supervision); the plan only points to it.
    """
    now = now or timezone.now()
    locked = PlannedSupervision.objects.select_for_update().get(pk=plan.pk)
    if actor.pk != locked.supervisor_id:
        require(actor, plan.organisation, SUPPORTING)
        raise ValidationError(_("Only the supervisor records their supervision as held."))
    if refused := rules.held_refusal(status=locked.status, starts_at=locked.starts_at, now=now):
        raise ValidationError(str(refused))
    held = support_services.record_supervision(
        actor=actor,
        organisation=plan.organisation,
        on=timezone.localtime(plan.starts_at, LONDON).date(),
        person=plan.person,
        group=plan.group,
        note=note,
    )
    plan.status, plan.supervision = PlannedSupervision.Status.HELD, held
    plan.save(update_fields=["status", "supervision"])
    return held


def send_reminders(*, now: datetime | None = None) -> int:
    """The day-before reminder to each member still invited to a planned supervision, once each (in the daily round).

    Each is claimed by setting ``reminded_at`` where it is still empty before sending, in its
    own transaction: a second worker finds it claimed, and a failed send rolls the claim back.
    """
    from . import selectors

    now = now or timezone.now()
    sent = 0
    for invitation in selectors.reminders_due(now=now):
        with transaction.atomic():
            if not SupervisionInvitation.objects.filter(pk=invitation.pk, reminded_at__isnull=True).update(
                reminded_at=now
            ):
                continue
            deliver(invitation, "reminder")
            sent += 1
    return sent
