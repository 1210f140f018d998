"""Every write of support: assigning support contacts and supervisors, handing people to cover,
recording contacts, check-ins and calls, escalating calls not returned, and the weekly digest.

Each service checks who may do it (``accounts.selectors.require``), that the member shares
their details with the organisation (``people.selectors.person_sharing_with``) and the
rules (``rules.py``), and refuses bad input with a ``ValidationError`` before writing
anything. The web pages, the API and the ``withus support`` command all call these.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from withus.accounts.models import Organisation, User
from withus.accounts.roles import ADMINISTERING, ASSIGNING_SUPPORT, SUPPORTING
from withus.accounts.selectors import has_role, require
from withus.core.audit import because
from withus.groups.models import Appointment
from withus.meetings.models import Debrief
from withus.meetings.reminders import staff_language
from withus.people import selectors as people_selectors
from withus.people.models import Person
from withus.people.notify import notify

from . import rules, selectors
from .models import (
    CallRequest,
    CheckInPlan,
    Contact,
    DevelopmentGoal,
    Mentoring,
    MentoringCheckIn,
    Supervision,
    SupervisionGroup,
    SupervisionNote,
    SupportAssignment,
    SupportPart,
    SupportSettings,
)

ASSIGNED_SUBJECT = gettext_lazy("Your support contact at %(organisation)s")
SUPERVISOR_SUBJECT = gettext_lazy("Your supervisor at %(organisation)s")
CALL_SUBJECT = gettext_lazy("%(name)s would like a call")
ESCALATED_SUBJECT = gettext_lazy("A call asked for by %(name)s has not been returned")
DIGEST_SUBJECT = gettext_lazy("Your weekly support digest: %(count)s people")
HANDED_SUBJECT = gettext_lazy("People handed to you at %(organisation)s")
MENTORING_ENDED_SUBJECT = gettext_lazy("A mentoring pairing at %(organisation)s has ended")


def _check_supporter(organisation: Organisation, staff: User, field: str) -> None:
    if not has_role(staff, organisation, *SUPPORTING):
        raise ValidationError(
            {field: _("Choose someone who works for %(organisation)s.") % {"organisation": organisation}}
        )


def _tell_person(*, assignment: SupportAssignment) -> None:
    """The member hears by their own channel who supports them now, and how to reach them."""
    organisation = assignment.organisation
    subject = ASSIGNED_SUBJECT if assignment.part == SupportPart.SUPPORT_CONTACT else SUPERVISOR_SUBJECT
    language = "cy" if assignment.person.prefers_welsh else "en"
    with translation.override(language):
        subject_text = str(subject) % {"organisation": organisation.display_name(language)}
    notify(
        person=assignment.person,
        subject=subject_text,
        template="support/messages/assigned.txt",
        context={"assignment": assignment, "organisation": organisation, "site_url": settings.SITE_URL},
        organisation=organisation,
    )


def _start(
    *,
    person: Person,
    organisation: Organisation,
    part: str,
    staff: User,
    reason: str,
    actor: User | None,
    covering_for: User | None = None,
    cover_until: date | None = None,
) -> SupportAssignment:
    now = timezone.now()
    with because(reason):
        SupportAssignment.objects.filter(
            person=person, organisation=organisation, part=part, ended_at__isnull=True
        ).update(ended_at=now, end_reason=reason)
        assignment = SupportAssignment.objects.create(
            person=person,
            organisation=organisation,
            part=part,
            staff=staff,
            reason=reason,
            starts_at=now,
            assigned_by=actor,
            covering_for=covering_for,
            cover_until=cover_until,
        )
    _tell_person(assignment=assignment)
    return assignment


@transaction.atomic
def assign(
    *, actor: User, person: Person, organisation: Organisation, part: str, staff: User, reason: str
) -> SupportAssignment:
    """Name ``staff`` as the member's support contact or supervisor at ``organisation``, with the reason.

    The one before (if any) ends with the same reason, so the history says why it changed.
    Refused: someone who does not work for the organisation, the member's supervisor as
    their support contact (and the other way round), the same person again, no reason.
    """
    require(actor, organisation, ASSIGNING_SUPPORT)
    person = people_selectors.person_sharing_with(organisation, person)
    reason = reason.strip()
    if part not in SupportPart.values:
        raise ValidationError({"part": _("Choose a support contact or a supervisor.")})
    if not reason:
        raise ValidationError({"reason": _("Say why, so that the member's history explains the change.")})
    _check_supporter(organisation, staff, "staff")
    current = selectors.current_assignments(person, organisation)
    if part in current and current[part].staff_id == staff.pk:
        raise ValidationError({"staff": _("%(name)s already has this part for this member.") % {"name": staff}})
    other = current.get(SupportPart.SUPERVISOR if part == SupportPart.SUPPORT_CONTACT else SupportPart.SUPPORT_CONTACT)
    refusal = rules.independence_refusal(
        part=part, staff_id=staff.pk, other_part_staff_id=other.staff_id if other else None
    )
    if refusal:
        raise ValidationError({"staff": str(refusal)})
    return _start(person=person, organisation=organisation, part=part, staff=staff, reason=reason, actor=actor)


@dataclass(frozen=True)
class Handover:
    handed: list[SupportAssignment]


@transaction.atomic
def hand_over(
    *,
    actor: User,
    organisation: Organisation,
    from_staff: User,
    to_staff: User,
    reason: str,
    until: date | None = None,
    today: date | None = None,
) -> Handover:
    """Hand everyone ``from_staff`` supports or supervises at ``organisation`` to ``to_staff``, in one step.

    With ``until`` it is cover while they are away: on the day after, the daily round
    (``end_cover``) hands each person back. Without it the handover is for good (someone
    who has left). Each person is told by their own channel. Nothing is written if any
    person could not be handed over (the cover is already their supervisor, say).
    """
    require(actor, organisation, ASSIGNING_SUPPORT)
    today = today or timezone.localdate()
    reason = reason.strip()
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = _("Say why: for example, away on leave, or has left.")
    refusal = rules.cover_refusal(today=today, until=until)
    if refusal:
        errors["until"] = str(refusal)
    if from_staff.pk == to_staff.pk:
        errors["to_staff"] = _("Choose someone else to cover.")
    elif not has_role(to_staff, organisation, *SUPPORTING):
        errors["to_staff"] = _("Choose someone who works for %(organisation)s.") % {"organisation": organisation}
    if errors:
        raise ValidationError(errors)
    handing = list(
        SupportAssignment.objects.filter(organisation=organisation, staff=from_staff, ended_at__isnull=True)
        .select_related("person")
        .order_by("person__full_name", "pk")
    )
    if not handing:
        raise ValidationError({"from_staff": _("%(name)s supports nobody here now.") % {"name": from_staff}})
    held_by_cover = set(
        SupportAssignment.objects.filter(
            organisation=organisation, staff=to_staff, ended_at__isnull=True, person__in=[a.person for a in handing]
        ).values_list("person_id", "part")
    )
    clashes = sorted(
        {a.person.full_name for a in handing if any(p == a.person_id and part != a.part for p, part in held_by_cover)}
    )
    if clashes:
        raise ValidationError(
            {
                "to_staff": _(
                    "%(name)s already has the other part for %(people)s: a supervisor cannot also be the support "
                    "contact. Choose someone else, or change those first."
                )
                % {"name": to_staff, "people": ", ".join(clashes)}
            }
        )
    covering = from_staff if until else None
    handed = [
        _start(
            person=a.person,
            organisation=organisation,
            part=a.part,
            staff=to_staff,
            reason=reason,
            actor=actor,
            covering_for=covering,
            cover_until=until,
        )
        for a in handing
        if (a.person_id, a.part) not in held_by_cover
    ]
    mail_staff(
        to_staff,
        HANDED_SUBJECT,
        "support/messages/handed_to_you.txt",
        {"handed": handed, "organisation": organisation, "from_staff": from_staff, "until": until, "reason": reason},
        {"organisation": organisation},
    )
    return Handover(handed=handed)


@transaction.atomic
def end_cover(*, today: date | None = None) -> int:
    """The day after cover ends, each person goes back to whom the cover stood in for, and is told.

    If that person no longer works for the organisation, the cover simply stays (its
    end date cleared) and a coordinator can hand them on.
    """
    today = today or timezone.localdate()
    back = 0
    ended = SupportAssignment.objects.filter(
        ended_at__isnull=True, cover_until__lt=today, covering_for__isnull=False
    ).select_related("person", "organisation", "covering_for")
    for cover in ended:
        original = cover.covering_for
        assert original is not None
        if not has_role(original, cover.organisation, *SUPPORTING):
            SupportAssignment.objects.filter(pk=cover.pk).update(cover_until=None, covering_for=None)
            continue
        _start(
            person=cover.person,
            organisation=cover.organisation,
            part=cover.part,
            staff=original,
            reason=str(_("Back after cover")),
            actor=None,
        )
        back += 1
    return back


@transaction.atomic
def record_contact(
    *,
    actor: User,
    person: Person,
    organisation: Organisation,
    kind: str,
    on: date,
    note: str = "",
    safeguarding: bool = False,
) -> Contact:
    """Write down a contact with a member, in a few seconds: how, when and a short note.

    A safeguarding note is seen only by the safeguarding lead; the date cannot be in the future.
    """
    require(actor, organisation, SUPPORTING)
    person = people_selectors.person_sharing_with(organisation, person)
    if kind not in Contact.Kind.values:
        raise ValidationError({"kind": _("Choose how you were in touch.")})
    if on > timezone.localdate():
        raise ValidationError({"on": _("The date of a contact cannot be in the future.")})
    note = note.strip()
    if safeguarding and not note:
        raise ValidationError({"note": _("Write the safeguarding note.")})
    contact = Contact(
        person=person,
        organisation=organisation,
        kind=kind,
        on=on,
        note=note,
        safeguarding=safeguarding,
        recorded_by=actor,
    )
    contact.full_clean()
    contact.save()
    return contact


# ---- Wellbeing check-ins and calls ------------------------------------------------------------


def _own_or_supported(actor: User, person: Person, organisation: Organisation) -> bool:
    """True when the member acts for themself; staff must support people at the organisation."""
    if person.user_id is not None and person.user_id == actor.pk:
        people_selectors.person_sharing_with(organisation, person)
        return True
    require(actor, organisation, SUPPORTING)
    people_selectors.person_sharing_with(organisation, person)
    return False


@transaction.atomic
def choose_check_ins(
    *, actor: User, person: Person, organisation: Organisation, every_days: int | None
) -> CheckInPlan | None:
    """The member chooses how often they would like a wellbeing check-in (or none)."""
    _own_or_supported(actor, person, organisation)
    if every_days is None:
        CheckInPlan.objects.filter(person=person, organisation=organisation).delete()
        return None
    if not 7 <= every_days <= 365:
        raise ValidationError({"every_days": _("Choose between once a week and once a year.")})
    plan, _created = CheckInPlan.objects.update_or_create(
        person=person, organisation=organisation, defaults={"every_days": every_days, "chosen_at": timezone.now()}
    )
    return plan


def mail_staff(
    user: User, subject: Promise, template: str, context: dict[str, Any], subject_values: dict[str, Any]
) -> None:
    """E-mail a member of staff in their language."""
    if not user.email:
        return
    with translation.override(staff_language(user.email)):
        body = render_to_string(template, {"recipient": user, "site_url": settings.SITE_URL, **context}).strip()
        subject_text = str(subject) % subject_values
    send_mail(subject_text, body, None, [user.email])


@transaction.atomic
def ask_for_call(
    *, actor: User, person: Person, organisation: Organisation, how: str = CallRequest.How.ONLINE, note: str = ""
) -> CallRequest:
    """A member asks for a call, on their pages or by letter or phone (recorded by staff for them).

    It reaches their support contact by e-mail with the time it is due by (the
    organisation's setting), or the coordinators when nobody is named yet.
    """
    own = _own_or_supported(actor, person, organisation)
    if own:
        how = CallRequest.How.ONLINE
    elif how not in CallRequest.How.values or how == CallRequest.How.ONLINE:
        raise ValidationError({"how": _("Say how the member asked: by letter, by phone or in person.")})
    now = timezone.now()
    call = CallRequest(
        person=person,
        organisation=organisation,
        how=how,
        note=note.strip(),
        asked_at=now,
        due_at=rules.call_due_at(now, within_hours=selectors.support_settings(organisation).call_within_hours),
        recorded_by=None if own else actor,
    )
    call.full_clean()
    call.save()
    _tell_about_call(call)
    return call


def _tell_about_call(call: CallRequest) -> None:
    """The member's support contact hears of the call and when it is due; the coordinators if nobody is named."""
    person, organisation = call.person, call.organisation
    current = selectors.current_assignments(person, organisation).get(SupportPart.SUPPORT_CONTACT)
    recipients = [current.staff] if current else selectors.coordinators_of(organisation)
    for recipient in recipients:
        mail_staff(
            recipient,
            CALL_SUBJECT,
            "support/messages/call_asked.txt",
            {"call": call, "person": person},
            {"name": person.display_name},
        )


@transaction.atomic
def call_from_debrief(debrief: Debrief) -> CallRequest | None:
    """A debrief that asks for a call becomes a call request, once: due from when the member answered.

    Called when the member answers (``meetings.services.DEBRIEF_CALL_ASKED``) and by the daily
    round for any not yet turned (answered before this, say). Nothing is made for a debrief
    whose follow-up a coordinator has already done, or that no longer asks for a call.
    """
    debrief = Debrief.objects.select_for_update().select_related("session__organisation", "person").get(pk=debrief.pk)
    if not debrief.wants_call or debrief.answered_at is None or debrief.follow_up_done_at is not None:
        return None
    if CallRequest.objects.filter(debrief=debrief).exists():
        return None
    organisation = debrief.session.organisation
    call = CallRequest.objects.create(
        person=debrief.person,
        organisation=organisation,
        how=CallRequest.How.DEBRIEF,
        note=debrief.comments[:1000],
        asked_at=debrief.answered_at,
        due_at=rules.call_due_at(
            debrief.answered_at, within_hours=selectors.support_settings(organisation).call_within_hours
        ),
        debrief=debrief,
    )
    _tell_about_call(call)
    return call


def calls_from_debriefs() -> int:
    """The daily round: every answered debrief asking for a call that is not a call request yet becomes one."""
    waiting = Debrief.objects.filter(
        wants_call=True, answered_at__isnull=False, follow_up_done_at__isnull=True, call_request__isnull=True
    ).order_by("pk")
    return sum(1 for debrief in waiting if call_from_debrief(debrief) is not None)


@transaction.atomic
def answer_call(*, actor: User, call: CallRequest, note: str = "") -> Contact:
    """Record that the call was returned: the request is closed and the call is a contact."""
    require(actor, call.organisation, SUPPORTING)
    if call.answered_at is not None:
        raise ValidationError(_("This call has already been returned."))
    call.answered_at = timezone.now()
    call.answered_by = actor
    call.save(update_fields=["answered_at", "answered_by"])
    if call.debrief_id is not None:  # the debrief's follow-up is done too
        Debrief.objects.filter(pk=call.debrief_id, follow_up_done_at__isnull=True).update(
            follow_up_done_at=call.answered_at, follow_up_by=actor
        )
    return record_contact(
        actor=actor,
        person=call.person,
        organisation=call.organisation,
        kind=Contact.Kind.CALL,
        on=timezone.localdate(),
        note=note,
    )


def escalate_overdue_calls(*, now: datetime | None = None) -> int:
    """Calls not returned by their due time go to the organisation's coordinators, once each."""
    now = now or timezone.now()
    escalated = 0
    overdue = CallRequest.objects.filter(
        answered_at__isnull=True, escalated_at__isnull=True, due_at__lt=now
    ).select_related("person", "organisation")
    for call in overdue:
        with transaction.atomic():
            if not CallRequest.objects.filter(pk=call.pk, escalated_at__isnull=True).update(escalated_at=now):
                continue  # another worker took it
            for coordinator in selectors.coordinators_of(call.organisation):
                mail_staff(
                    coordinator,
                    ESCALATED_SUBJECT,
                    "support/messages/call_escalated.txt",
                    {"call": call, "person": call.person},
                    {"name": call.person.display_name},
                )
            escalated += 1
    return escalated


def send_digests(*, today: date | None = None, organisation: Organisation | None = None) -> int:
    """The weekly digest by e-mail to everyone who supports or supervises someone; how many were sent.

    Someone with nobody to act on this week gets nothing.
    """
    today = today or timezone.localdate()
    organisations = [organisation] if organisation else list(Organisation.objects.all())
    sent = 0
    for org in organisations:
        for staff in selectors.digest_recipients(org):
            lines = selectors.digest_for(staff, org, today=today)
            if not lines:
                continue
            mail_staff(
                staff,
                DIGEST_SUBJECT,
                "support/messages/digest.txt",
                {"lines": lines, "organisation": org},
                {"count": len(lines)},
            )
            sent += 1
    return sent


# ---- Supervision and development plans --------------------------------------------------------


@transaction.atomic
def record_supervision(
    *,
    actor: User,
    organisation: Organisation,
    on: date,
    person: Person | None = None,
    group: SupervisionGroup | None = None,
    note: str = "",
) -> Supervision:
    """Record a supervision held by ``actor``: one-to-one with a member, or a peer supervision group's meeting.

    A member's support contact never supervises them (``rules.independence_refusal``);
    a supervision is recorded once held, so its date is not in the future.
    """
    require(actor, organisation, SUPPORTING)
    if (person is None) == (group is None):
        raise ValidationError(_("Record a supervision with one member, or with one peer supervision group."))
    refusal = rules.supervision_refusal(on=on, today=timezone.localdate())
    if refusal:
        raise ValidationError({"on": str(refusal)})
    if person is not None:
        person = people_selectors.person_sharing_with(organisation, person)
        check_independent_supervisor(person=person, organisation=organisation, supervisor=actor)
        kind = Supervision.Kind.ONE_TO_ONE
    else:
        assert group is not None
        if group.organisation_id != organisation.pk:
            raise PermissionDenied
        kind = Supervision.Kind.PEER_GROUP
    supervision = Supervision.objects.create(
        organisation=organisation, kind=kind, person=person, group=group, supervisor=actor, on=on
    )
    if note.strip():
        SupervisionNote.objects.create(supervision=supervision, by_staff=actor, text=note.strip())
    return supervision


def check_independent_supervisor(*, person: Person, organisation: Organisation, supervisor: User) -> None:
    """Refuse (``ValidationError``) a supervisor who is the member's support contact (``rules.independence_refusal``):
    whether the supervision is planned ahead or recorded once held, the same rule."""
    contact = selectors.current_assignments(person, organisation).get(SupportPart.SUPPORT_CONTACT)
    independence = rules.independence_refusal(
        part=SupportPart.SUPERVISOR, staff_id=supervisor.pk, other_part_staff_id=contact.staff_id if contact else None
    )
    if independence:
        raise ValidationError(str(independence))


def _member_there(actor: User, supervision: Supervision) -> Person | None:
    """The member ``actor`` is, if they were at this supervision."""
    person = people_selectors.own_person(actor)
    if person is None:
        return None
    if supervision.person_id == person.pk:
        return person
    group = supervision.group
    if group is not None and group.members.filter(pk=person.pk).exists():
        return person
    return None


@transaction.atomic
def add_supervision_note(*, actor: User, supervision: Supervision, text: str) -> SupervisionNote:
    """A member who was there, or staff who support people at the organisation, add to a supervision's notes."""
    person = _member_there(actor, supervision)
    if person is None:
        require(actor, supervision.organisation, SUPPORTING)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write your note.")})
    return SupervisionNote.objects.create(
        supervision=supervision, by_person=person, by_staff=None if person else actor, text=text
    )


@transaction.atomic
def create_supervision_group(
    *, actor: User, organisation: Organisation, name: str, supervisor: User, members: list[Person]
) -> SupervisionGroup:
    """A peer supervision group of members who share their details with the organisation, with its supervisor."""
    require(actor, organisation, ASSIGNING_SUPPORT)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the group a name.")})
    _check_supporter(organisation, supervisor, "supervisor")
    if not members:
        raise ValidationError({"members": _("Choose the members of the group.")})
    chosen = [people_selectors.person_sharing_with(organisation, person) for person in members]
    group = SupervisionGroup.objects.create(organisation=organisation, name=name, supervisor=supervisor)
    group.members.set(chosen)
    return group


@transaction.atomic
def save_goal(
    *,
    actor: User,
    person: Person,
    organisation: Organisation,
    goal: str,
    review_on: date | None,
    steps: str = "",
    who_helps: str = "",
    progress: str = DevelopmentGoal.Progress.NOT_STARTED,
    existing: DevelopmentGoal | None = None,
) -> DevelopmentGoal:
    """The member writes or changes a goal of their personal development plan: theirs alone to edit.

    A review date in the past is refused, and so is a goal with no words.
    """
    if person.user_id is None or person.user_id != actor.pk:
        raise PermissionDenied
    if existing is not None and existing.person_id != person.pk:
        raise PermissionDenied
    people_selectors.person_sharing_with(organisation, person)
    errors: dict[str, str] = {}
    if not goal.strip():
        errors["goal"] = _("Write your goal, in your own words.")
    refusal = rules.review_date_refusal(review_on=review_on, today=timezone.localdate())
    if refusal:
        errors["review_on"] = str(refusal)
    if progress not in DevelopmentGoal.Progress.values:
        errors["progress"] = _("Choose how it is going.")
    if errors:
        raise ValidationError(errors)
    item = existing or DevelopmentGoal(person=person, organisation=organisation)
    item.goal, item.steps, item.who_helps = goal.strip(), steps.strip(), who_helps.strip()
    item.review_on, item.progress = review_on, progress  # type: ignore[assignment]
    item.full_clean()
    item.save()
    return item


# ---- Mentors and buddies ---------------------------------------------------------------------


@transaction.atomic
def start_mentoring(
    *,
    actor: User,
    organisation: Organisation,
    new_member: Person | None,
    mentor: Person | None,
    starts_on: date | None,
    review_on: date | None,
    agreed: str = "",
    appointment: Appointment | None = None,
) -> Mentoring:
    """Pair a new member with a mentor or buddy: start and review dates, and what they agreed to do.

    For a seat on a group, the pair links the appointment, and the appointment's buddy is
    the mentor (set here if it named nobody, or someone else): one buddy, not two records
    that could disagree. Refused: dates in the wrong order or a review in the past, a
    member as their own mentor, someone who does not share with the organisation, a new
    member who already has a current mentor here.
    """
    require(actor, organisation, ASSIGNING_SUPPORT)
    if appointment is not None:
        if appointment.group.organisation_id != organisation.pk:
            raise PermissionDenied
        new_member = appointment.person
        mentor = mentor or appointment.buddy
    errors: dict[str, str] = {
        field: str(problem)
        for field, problem in rules.mentoring_dates_refusal(
            starts_on=starts_on, review_on=review_on, today=timezone.localdate()
        ).items()
    }
    if new_member is None:
        errors["new_member"] = _("Choose the new member.")
    if mentor is None:
        errors["mentor"] = _("Choose the mentor or buddy.")
    elif new_member is not None and mentor.pk == new_member.pk:
        errors["mentor"] = _("Choose someone else as the mentor: nobody mentors themself.")
    if (
        new_member is not None
        and Mentoring.objects.filter(organisation=organisation, new_member=new_member, ended_on__isnull=True).exists()
    ):
        errors["new_member"] = _("This member already has a mentor here. End that pairing first.")
    if errors:
        raise ValidationError(errors)
    assert new_member is not None and mentor is not None and starts_on is not None and review_on is not None
    new_member = people_selectors.person_sharing_with(organisation, new_member)
    mentor = people_selectors.person_sharing_with(organisation, mentor)
    if appointment is not None and appointment.buddy_id != mentor.pk:
        with because(str(_("Mentor for this seat"))):
            appointment.buddy = mentor
            appointment.save(update_fields=["buddy"])
    return Mentoring.objects.create(
        organisation=organisation,
        new_member=new_member,
        mentor=mentor,
        appointment=appointment,
        starts_on=starts_on,
        review_on=review_on,
        agreed=agreed.strip(),
        started_by=actor,
    )


@transaction.atomic
def end_mentoring(*, actor: User, mentoring: Mentoring, reason: str, on: date | None = None) -> Mentoring:
    """Staff who pair people, or either of the pair, end a pairing with a reason; the other is told.

    When staff end it, both of the pair are told. Refused, with nothing written: a pairing that
    has ended already, an end before it started or in the future, and no reason.
    """
    person = people_selectors.own_person(actor)
    in_pair = person is not None and person.pk in (mentoring.mentor_id, mentoring.new_member_id)
    if not in_pair:
        require(actor, mentoring.organisation, ASSIGNING_SUPPORT)
    today = timezone.localdate()
    on = on or today
    errors: dict[str, str] = {}
    if mentoring.ended_on is not None:
        errors["__all__"] = _("This pairing has ended already.")
    if on < mentoring.starts_on:
        errors["on"] = _("A pairing cannot end before it started.")
    elif on > today:
        errors["on"] = _("A pairing cannot end in the future.")
    if not reason.strip():
        errors["reason"] = _("Say why the pairing is ending.")
    if errors:
        raise ValidationError(errors)
    mentoring.ended_on, mentoring.end_reason, mentoring.ended_by = on, reason.strip(), actor
    mentoring.save(update_fields=["ended_on", "end_reason", "ended_by"])
    others = [mentoring.mentor, mentoring.new_member]
    if in_pair:
        others = [p for p in others if person is not None and p.pk != person.pk]
    for other in others:
        language = "cy" if other.prefers_welsh else "en"
        with translation.override(language):
            subject = str(MENTORING_ENDED_SUBJECT) % {"organisation": mentoring.organisation.display_name(language)}
        notify(
            person=other,
            subject=subject,
            template="support/messages/mentoring_ended.txt",
            context={"pair": mentoring, "by_pair": in_pair, "site_url": settings.SITE_URL},
            organisation=mentoring.organisation,
        )
    return mentoring


@transaction.atomic
def mentoring_check_in(*, actor: User, mentoring: Mentoring, on: date, note: str) -> MentoringCheckIn:
    """Either of the pair, or staff who support people at the organisation, write how it is going."""
    person = people_selectors.own_person(actor)
    in_pair = person is not None and person.pk in (mentoring.mentor_id, mentoring.new_member_id)
    if not in_pair:
        require(actor, mentoring.organisation, SUPPORTING)
    errors: dict[str, str] = {}
    if on > timezone.localdate():
        errors["on"] = _("The date of a check-in cannot be in the future.")
    elif on < mentoring.starts_on:
        errors["on"] = _("The date of a check-in cannot be before the pairing started.")
    if not note.strip():
        errors["note"] = _("Write how it is going.")
    if errors:
        raise ValidationError(errors)
    return MentoringCheckIn.objects.create(
        mentoring=mentoring,
        on=on,
        note=note.strip(),
        by_person=person if in_pair else None,
        by_staff=None if in_pair else actor,
    )


@transaction.atomic
def save_settings(
    *,
    actor: User,
    organisation: Organisation,
    contact_every_days: int,
    supervision_every_weeks: int,
    call_within_hours: int,
) -> SupportSettings:
    """The organisation's admin chooses how often members are contacted and supervised, and how soon calls
    are returned: the digest and the escalation of calls read these."""
    require(actor, organisation, ADMINISTERING)
    values = {
        "contact_every_days": contact_every_days,
        "supervision_every_weeks": supervision_every_weeks,
        "call_within_hours": call_within_hours,
    }
    if problems := rules.settings_problems(values):
        raise ValidationError(problems)
    found = SupportSettings.objects.filter(organisation=organisation).first() or SupportSettings(
        organisation=organisation
    )
    found.contact_every_days = contact_every_days
    found.supervision_every_weeks = supervision_every_weeks
    found.call_within_hours = call_within_hours
    found.full_clean()
    found.save()
    return found
