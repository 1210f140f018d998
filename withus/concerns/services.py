"""Every write to a concern: raising it, moving it through its stages, pausing and extending its clock,
mediation, appeals, closing with what was learned, and the daily overdue round.

Web, API and CLI all call these; each refuses bad input with a ``ValidationError`` and writes nothing.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from withus.accounts.models import Organisation, Role, User
from withus.accounts.roles import COORDINATING, HANDLING_CONCERNS, REVIEWING_APPEALS
from withus.accounts.selectors import has_role, require
from withus.groups.agreements import selectors as agreement_selectors
from withus.people import selectors as people_selectors
from withus.people.models import Person
from withus.people.notify import notify
from withus.support.localhelp.models import HelpEntry

from . import rules, selectors
from .models import (
    Concern,
    ConcernPolicy,
    Extension,
    LearningAction,
    Message,
    OverdueFlag,
    Pause,
    ProtectedDecision,
    Step,
)

# References are read out on the phone: no letters or digits that look alike.
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
PIN_DIGITS = 8


@dataclass(frozen=True)
class Raised:
    """A concern just raised, with its PIN in clear (shown once, never stored) when it has one."""

    concern: Concern
    pin: str | None


def _reference() -> str:
    while True:
        reference = "C" + "".join(secrets.choice(REFERENCE_ALPHABET) for _i in range(7))
        if not Concern.objects.filter(reference=reference).exists():
            return reference


def _pin() -> str:
    return "".join(secrets.choice("0123456789") for _i in range(PIN_DIGITS))


@transaction.atomic
def raise_concern(
    *,
    organisation: Organisation,
    fields: dict[str, Any],
    raised_by: Person | None = None,
    recorded_by: User | None = None,
    today: date | None = None,
) -> Raised:
    """Receive a concern or complaint.

    ``fields``: ``text`` (required), ``kind``, ``about``, ``about_detail``, ``wanted``,
    ``anonymous``, ``agreement`` (the id of the group ground rules it is about), and for someone
    without a member record who is not anonymous,
    ``raiser_name`` and ``raiser_contact``. ``raised_by`` is the member raising it
    under their own name; ``recorded_by`` the member of staff writing down one
    raised by phone, letter or in person (``channel``).

    An anonymous concern, and any raised by someone without a member record, gets a
    PIN to follow it up with; only its hash is kept. An anonymous one keeps no person,
    name or contact, even when a signed-in member raised it.
    """
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    text = str(fields.get("text") or "")
    problem = rules.text_problem(text)
    if problem:
        errors["text"] = problem
    about = fields.get("about") or ""
    if about not in Concern.About.values:
        errors["about"] = _("Choose who or what the concern is about.")
    kind = fields.get("kind") or Concern.Kind.CONCERN
    if kind not in Concern.Kind.values:
        errors["kind"] = _("Choose a concern or a complaint.")
    channel = fields.get("channel") or Concern.Channel.WEB
    if channel not in Concern.Channel.values:
        errors["channel"] = _("Choose how the concern came.")
    if recorded_by is not None:
        require(recorded_by, organisation, HANDLING_CONCERNS)
    elif channel != Concern.Channel.WEB:
        raise PermissionDenied
    anonymous = bool(fields.get("anonymous"))
    name = str(fields.get("raiser_name") or "").strip()
    contact = str(fields.get("raiser_contact") or "").strip()
    if anonymous:
        raised_by, name, contact = None, "", ""
    elif raised_by is None:
        if not name:
            errors["raiser_name"] = _("Give your name, or choose to stay anonymous.")
        if not contact:
            errors["raiser_contact"] = _("Say how we can reach you, or choose to stay anonymous.")
    agreement = None
    agreement_id = fields.get("agreement") or fields.get("agreement_id")  # the web's field, the API's
    if agreement_id:
        agreement = agreement_selectors.agreements_of(organisation).filter(pk=agreement_id).first()
        if agreement is None:
            field = "agreement" if fields.get("agreement") else "agreement_id"
            errors[field] = _("Choose the ground rules of one of this organisation's groups, or none.")
    if errors:
        raise ValidationError(errors)
    policy = selectors.policy_of(organisation)
    rule_set = policy.handling_rules
    pin = _pin() if raised_by is None else None
    concern = Concern.objects.create(
        organisation=organisation,
        reference=_reference(),
        kind=kind,
        about=about,
        about_detail=str(fields.get("about_detail") or "").strip(),
        agreement=agreement,
        text=text.strip(),
        wanted=str(fields.get("wanted") or "").strip(),
        channel=channel,
        anonymous=anonymous,
        raised_by=raised_by,
        raiser_name=name,
        raiser_contact=contact,
        pin_hash=make_password(pin) if pin else "",
        recorded_by=recorded_by,
        received_on=today,
        rule_set=rule_set.key,
        nation=rule_set.nation,
        acknowledge_days=rule_set.acknowledge_days,
        respond_days=rule_set.respond_days,
    )
    Step.objects.create(
        concern=concern,
        stage=rules.Stage.RECEIVED,
        on=today,
        by=recorded_by,
        due_on=selectors.clock_of(concern, today=today).acknowledge_by,
    )
    return Raised(concern=concern, pin=pin)


def _handler(actor: User, concern: Concern) -> None:
    """Refuse anyone but a concern handler of its organisation (never the staff member it is about), or
    the reviewer of its appeal."""
    if concern.appeal_reviewer_id is not None and concern.appeal_reviewer_id == actor.pk:
        return
    require(actor, concern.organisation, HANDLING_CONCERNS)
    if concern.about_staff_id == actor.pk:
        raise PermissionDenied


@transaction.atomic
def move(
    *,
    actor: User,
    concern: Concern,
    stage: str,
    told: str,
    note: str = "",
    holder: User | None = None,
    today: date | None = None,
) -> Step:
    """Move the concern to its next stage, saying what the person was told (required) and who holds it now.

    A response to an appeal is given by the appeal's reviewer; the response names the ombudsman
    for the nation in what the person reads (``rules.OMBUDSMEN``).
    """
    today = today or timezone.localdate()
    # One change at a time: lock the row, then read what it holds now into the caller's object.
    Concern.objects.select_for_update().filter(pk=concern.pk).first()
    concern.refresh_from_db()
    if concern.stage == rules.Stage.APPEAL and stage == rules.Stage.RESPONSE:
        if concern.appeal_reviewer_id != actor.pk:
            raise ValidationError(_("Only the person reviewing the appeal can respond to it."))
    else:
        _handler(actor, concern)
    errors: dict[str, str] = {}
    problem = rules.stage_change_problem(concern.stage, stage)
    if problem:
        raise ValidationError(problem)
    if not told.strip():
        errors["told"] = _("Say what the person who raised it is told.")
    holder = holder or concern.holder or actor
    if not has_role(holder, concern.organisation, *HANDLING_CONCERNS, *REVIEWING_APPEALS) or (
        holder.pk == concern.about_staff_id
    ):
        errors["holder"] = _("Choose someone who handles concerns, and not the person it is about.")
    if stage == rules.Stage.CLOSED and not concern.outcome:
        errors["stage"] = _("Record whether the concern was well founded before closing it.")
    if errors:
        raise ValidationError(errors)
    concern.stage = stage
    concern.holder = holder
    if stage == rules.Stage.CLOSED:
        concern.closed_on = today
    concern.save(update_fields=["stage", "holder", "closed_on"])
    clock = selectors.clock_of(concern, today=today)
    due = clock.acknowledge_by if stage == rules.Stage.RECEIVED else clock.respond_by
    return Step.objects.create(
        concern=concern,
        stage=stage,
        on=today,
        holder=holder,
        by=actor,
        due_on=due if stage in rules.AWAITING_RESPONSE else None,
        told=told.strip(),
        note=note.strip(),
    )


@transaction.atomic
def ask_raiser(*, actor: User, concern: Concern, asked: str, today: date | None = None) -> Pause:
    """Ask the person who raised it something; the clock stops until they answer."""
    _handler(actor, concern)
    today = today or timezone.localdate()
    if not asked.strip():
        raise ValidationError({"asked": _("Say what you are asking.")})
    if concern.pauses.filter(ended_on__isnull=True).exists():
        raise ValidationError(_("The clock is already paused, waiting for an answer."))
    if concern.stage not in rules.AWAITING_RESPONSE:
        raise ValidationError(_("The clock can be paused only while a response is owed."))
    return Pause.objects.create(concern=concern, started_on=today, asked=asked.strip())


@transaction.atomic
def answer(*, concern: Concern, text: str, today: date | None = None) -> Message:
    """The person who raised it writes (by PIN or signed in); a clock waiting for them starts again."""
    today = today or timezone.localdate()
    if not text.strip():
        raise ValidationError({"text": _("Write your message.")})
    Pause.objects.filter(concern=concern, ended_on__isnull=True).update(ended_on=today)
    return Message.objects.create(concern=concern, text=text.strip(), on=today)


@transaction.atomic
def extend(
    *,
    actor: User,
    concern: Concern,
    agreed_on: date | None,
    respond_by: date | None,
    reason: str,
    today: date | None = None,
) -> Extension:
    """Record a later response date agreed with the person on ``agreed_on`` (required), and why."""
    _handler(actor, concern)
    today = today or timezone.localdate()
    current = selectors.clock_of(concern, today=today).respond_by
    problem = rules.extension_problem(agreed_on=agreed_on, new_date=respond_by, today=today, current=current)
    errors: dict[str, str] = {}
    if problem:
        errors["agreed_on" if agreed_on is None or agreed_on > today else "respond_by"] = problem
    if not reason.strip():
        errors["reason"] = _("Say why more time is needed.")
    if errors:
        raise ValidationError(errors)
    assert agreed_on is not None and respond_by is not None
    concern.agreed_response_date = respond_by
    concern.save(update_fields=["agreed_response_date"])
    return Extension.objects.create(
        concern=concern, agreed_on=agreed_on, respond_by=respond_by, reason=reason.strip(), by=actor
    )


@transaction.atomic
def name_subject(
    *, actor: User, concern: Concern, about_staff: User | None = None, about_person: Person | None = None
) -> Concern:
    """Link the concern to the staff member or the member it is about (then hidden from that staff member)."""
    _handler(actor, concern)
    if about_staff is not None:
        if not has_role(about_staff, concern.organisation, *[r for r in Role.values if r != Role.MEMBER]):
            raise ValidationError({"about_staff": _("Choose a member of this organisation's staff.")})
        if about_staff.pk == actor.pk:
            raise ValidationError({"about_staff": _("A concern about you is handled by someone else.")})
    if about_person is not None:
        people_selectors.person_sharing_with(concern.organisation, about_person)
    concern.about_staff = about_staff
    concern.about_person = about_person
    if concern.holder_id is not None and concern.holder_id == getattr(about_staff, "pk", None):
        concern.holder = actor
    concern.save(update_fields=["about_staff", "about_person", "holder"])
    return concern


@transaction.atomic
def refer_to_mediation(
    *, actor: User, concern: Concern, service: HelpEntry, told: str, today: date | None = None
) -> Step:
    """Refer the concern to an independent mediation service from the directory of local help."""
    _handler(actor, concern)
    if not selectors.mediation_services(concern.organisation).filter(pk=service.pk).exists():
        raise ValidationError({"service": _("Choose a mediation service from your directory of local help.")})
    today = today or timezone.localdate()
    step = move(actor=actor, concern=concern, stage=rules.Stage.RESOLUTION, told=told, today=today)
    Concern.objects.filter(pk=concern.pk).update(mediator=service, mediation_referred_on=today)
    concern.refresh_from_db()
    return step


@transaction.atomic
def record_mediation_outcome(*, actor: User, concern: Concern, outcome: str) -> Concern:
    _handler(actor, concern)
    if concern.mediator_id is None:
        raise ValidationError(_("This concern has not been referred to mediation."))
    if not outcome.strip():
        raise ValidationError({"outcome": _("Say what came of mediation.")})
    concern.mediation_outcome = outcome.strip()
    concern.save(update_fields=["mediation_outcome"])
    return concern


@transaction.atomic
def appeal(*, concern: Concern, grounds: str, today: date | None = None) -> Message:
    """The person who raised it appeals against the response (by PIN or signed in)."""
    today = today or timezone.localdate()
    if concern.stage not in (rules.Stage.RESPONSE, rules.Stage.CLOSED):
        raise ValidationError(_("You can appeal once you have had a response."))
    if not grounds.strip():
        raise ValidationError({"grounds": _("Say why you think the response is wrong.")})
    Concern.objects.filter(pk=concern.pk).update(stage=rules.Stage.APPEAL, appeal_reviewer=None, closed_on=None)
    Step.objects.create(concern=concern, stage=rules.Stage.APPEAL, on=today, holder=concern.holder)
    concern.refresh_from_db()
    return Message.objects.create(concern=concern, text=grounds.strip(), on=today)


@transaction.atomic
def assign_appeal_reviewer(*, actor: User, concern: Concern, reviewer: User) -> Concern:
    """Name who reviews the appeal: someone with a reviewing role who has not been involved before."""
    _handler(actor, concern)
    if concern.stage != rules.Stage.APPEAL:
        raise ValidationError(_("This concern has not been appealed."))
    if not has_role(reviewer, concern.organisation, *REVIEWING_APPEALS):
        raise ValidationError({"reviewer": _("Choose someone who can review appeals in this organisation.")})
    concern = selectors.with_timeline(Concern.objects.filter(pk=concern.pk)).get()
    involved = selectors.involved_in(concern) | {actor.pk}
    problem = rules.reviewer_problem(reviewer_id=reviewer.pk, involved=involved)
    if problem:
        raise ValidationError({"reviewer": problem})
    concern.appeal_reviewer = reviewer
    concern.holder = reviewer
    concern.save(update_fields=["appeal_reviewer", "holder"])
    return concern


@transaction.atomic
def record_outcome(*, actor: User, concern: Concern, outcome: str, learning: str) -> Concern:
    """Whether the concern was well founded, and what is being done differently (needed to close it)."""
    _handler(actor, concern)
    errors: dict[str, str] = {}
    if outcome not in Concern.Outcome.values:
        errors["outcome"] = _("Say whether the concern was well founded.")
    if outcome in (Concern.Outcome.WELL_FOUNDED, Concern.Outcome.PARTLY) and not learning.strip():
        errors["learning"] = _("Say what is being done differently.")
    if errors:
        raise ValidationError(errors)
    concern.outcome = outcome
    concern.learning = learning.strip()
    concern.save(update_fields=["outcome", "learning"])
    return concern


@transaction.atomic
def add_action(*, actor: User, concern: Concern, text: str, owner: User | None, due_on: date | None) -> LearningAction:
    _handler(actor, concern)
    errors: dict[str, str] = {}
    if not text.strip():
        errors["text"] = _("Say what will be done.")
    if owner is None or not has_role(owner, concern.organisation, *HANDLING_CONCERNS, *REVIEWING_APPEALS):
        errors["owner"] = _("Choose who owns the action.")
    if due_on is None:
        errors["due_on"] = _("Give the date it is due.")
    if errors:
        raise ValidationError(errors)
    assert owner is not None and due_on is not None
    return LearningAction.objects.create(concern=concern, text=text.strip(), owner=owner, due_on=due_on)


@transaction.atomic
def save_policy(*, actor: User, organisation: Organisation, fields: dict[str, Any]) -> ConcernPolicy:
    require(actor, organisation, HANDLING_CONCERNS)
    policy = selectors.policy_of(organisation)
    for name in ("rule_set", "nation", "acknowledge_days", "respond_days", "protection_months"):
        if name in fields:
            setattr(policy, name, fields[name])
    policy.full_clean()
    policy.save()
    return policy


def flag_overdue(*, today: date | None = None) -> list[OverdueFlag]:
    """Tell the handler and the coordinators of each concern that is late today (once per due date).

    Daily and idempotent: a flag already raised for the same lateness and due date is not raised again.
    """
    today = today or timezone.localdate()
    flags = []
    for concern in selectors.awaiting():
        clock = selectors.clock_of(concern, today=today)
        late = rules.overdue(stage=concern.stage, due=clock, today=today)
        if late is None:
            continue
        due_on = clock.acknowledge_by if late == "acknowledgement" else clock.respond_by
        assert due_on is not None
        try:
            with transaction.atomic():
                flag = OverdueFlag.objects.create(concern=concern, late=late, due_on=due_on)
        except IntegrityError:
            continue
        flags.append(flag)
        _tell_overdue(concern, late, due_on)
    return flags


def _tell_overdue(concern: Concern, late: str, due_on: date) -> None:
    recipients = {
        m.user.email
        for m in concern.organisation.memberships.filter(role=Role.COORDINATOR).select_related("user")
        if m.user_id != concern.about_staff_id
    }
    if concern.holder is not None and concern.holder_id != concern.about_staff_id:
        recipients.add(concern.holder.email)
    what = _("acknowledgement") if late == "acknowledgement" else _("response")
    subject = _("Concern %(reference)s: its %(what)s is overdue") % {"reference": concern.reference, "what": what}
    body = _("The %(what)s of concern %(reference)s was due on %(due)s. Please deal with it today.") % {
        "what": what,
        "reference": concern.reference,
        "due": due_on.strftime("%d/%m/%Y"),
    }
    if recipients:
        send_mail(subject, body, None, sorted(recipients))


# ---- Protection from retaliation -----------------------------------------------------------------

PROTECTED_SUBJECT = gettext_lazy("A decision about your involvement, and how to appeal")


@transaction.atomic
def record_decision(
    *, actor: User, organisation: Organisation, person: Person, kind: str, subject_id: int, subject: str, reason: str
) -> ProtectedDecision:
    """Record the reason for a decision about a protected member, to be reviewed by someone independent."""
    require(actor, organisation, COORDINATING)
    people_selectors.person_sharing_with(organisation, person)
    errors: dict[str, str] = {}
    if kind not in ProtectedDecision.Kind.values:
        errors["kind"] = _("Choose the decision.")
    if not reason.strip():
        errors["reason"] = _("Give the reason for the decision.")
    if errors:
        raise ValidationError(errors)
    return ProtectedDecision.objects.create(
        organisation=organisation,
        person=person,
        kind=kind,
        subject_id=subject_id,
        subject=subject[:200],
        reason=reason.strip(),
        decided_by=actor,
    )


@transaction.atomic
def review_decision(
    *, actor: User, decision: ProtectedDecision, upheld: bool, note: str, today: date | None = None
) -> ProtectedDecision:
    """Someone independent of the decision upholds it or not. Upheld, the member is told the reason and how to appeal.

    Independent: not the person who decided, and not a member of staff any of the member's
    concerns were about.
    """
    require(actor, decision.organisation, REVIEWING_APPEALS)
    if decision.reviewed_on is not None:
        raise ValidationError(_("This decision has been reviewed already."))
    about = set(
        Concern.objects.filter(raised_by=decision.person, about_staff__isnull=False).values_list(
            "about_staff", flat=True
        )
    )
    if actor.pk == decision.decided_by_id or actor.pk in about:
        raise ValidationError(
            _(
                "Someone independent of the decision must review it: not who made it, "
                "nor anyone the member's concerns were about."
            )
        )
    if not note.strip():
        raise ValidationError({"note": _("Say what you found.")})
    decision.reviewer = actor
    decision.reviewed_on = today or timezone.localdate()
    decision.upheld = upheld
    decision.review_note = note.strip()
    decision.save()
    if upheld:
        notify(
            person=decision.person,
            subject=PROTECTED_SUBJECT,
            template="concerns/messages/protected_decision.txt",
            context={"decision": decision, "organisation": decision.organisation},
            organisation=decision.organisation,
        )
    return decision


def _carry_out(actor: User, organisation: Organisation, person: Person, kind: str, subject_id: int) -> None:
    """Refuse the change unless the member is not protected or an upheld, reviewed decision allows it (once)."""
    if not selectors.protected(person, organisation):
        return
    decision = (
        ProtectedDecision.objects.select_for_update()
        .filter(
            organisation=organisation,
            person=person,
            kind=kind,
            subject_id=subject_id,
            upheld=True,
            carried_out_on__isnull=True,
        )
        .first()
    )
    if decision is None:
        raise ValidationError(
            _(
                "%(person)s raised a concern in the last %(months)s months. Record the reason for this decision "
                "and have someone independent of it review it first (Concerns, decisions about protected members)."
            )
            % {"person": person, "months": selectors.policy_of(organisation).protection_months}
        )
    decision.carried_out_on = timezone.localdate()
    decision.save(update_fields=["carried_out_on"])


def check_seat_ending(actor: User, appointment: Any, ended_on: date) -> None:
    """``withus.groups.services.ENDING_CHECKS``: a protected member's seat ends early only after review."""
    if ended_on >= appointment.planned_end:
        return
    _carry_out(actor, appointment.group.organisation, appointment.person, ProtectedDecision.Kind.SEAT, appointment.pk)


def check_refusal(actor: User, application: Any, reason: str) -> None:
    """``withus.opportunities.services.REFUSAL_CHECKS``: a protected member is refused a place only after review."""
    _carry_out(
        actor, application.opportunity.organisation, application.person, ProtectedDecision.Kind.PLACE, application.pk
    )


def check_step_out(actor: User, person: Person, organisation: Organisation | None) -> None:
    """``withus.people.services.STEP_OUT_CHECKS``: staff step out a protected member only after review."""
    organisations = [organisation] if organisation is not None else people_selectors.organisations_shared_with(person)
    for shared in organisations:
        _carry_out(actor, shared, person, ProtectedDecision.Kind.STEP_OUT, person.pk)
