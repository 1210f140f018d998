"""Every write of "you said, we did": recording, answering, replying, checking again, and the daily round.

Each write that is a step on a contribution's timeline tells every contributor through
their own channel (``withus.people.notify``: e-mail now, in their language; a letter to
print in their format; or a call for the coordinator to make).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from withus.accounts.models import Organisation, Role, User
from withus.accounts.roles import ANSWERING_CONTRIBUTIONS, RECORDING_CONTRIBUTIONS
from withus.accounts.selectors import has_role, require
from withus.core import public_cache
from withus.core.audit import acting_as
from withus.groups import selectors as group_selectors
from withus.groups.models import Group
from withus.meetings import services as meeting_services
from withus.meetings.models import Attendance, Session
from withus.meetings.reminders import staff_language
from withus.opportunities.models import Opportunity
from withus.people import selectors as people_selectors
from withus.people.models import OutgoingMessage, Person
from withus.people.notify import notify

from . import rules, selectors
from .models import Answer, Contribution, ContributorPerspective, FollowUp, Notice, Step

SUBJECTS: dict[str, Promise] = {
    Step.Kind.SAID: gettext_lazy("What you said has been recorded"),
    Step.Kind.ANSWERED: gettext_lazy("An answer to what you said"),
    Step.Kind.ACTION_DONE: gettext_lazy("An action from what you said is done"),
    Step.Kind.CHECKED_AGAIN: gettext_lazy("What changed after what you said"),
    Step.Kind.REPLY: gettext_lazy("A reply about what you said"),
    Step.Kind.QUESTION: gettext_lazy("A question about what you said"),
}


@dataclass(frozen=True)
class ContributorChoice:
    """A person who made the contribution, and what they agreed to about publishing it."""

    person: Person
    agrees_to_publish: bool = False
    agrees_to_be_named: bool = False


@dataclass
class Round:
    """What one daily round did."""

    flagged: int = 0
    follow_ups_asked: int = 0
    actions_told: int = 0
    contributions: list[int] = field(default_factory=list)


# ---- Telling people ------------------------------------------------------------------------


def _tell_contributors(step: Step, *, except_person: Person | None = None) -> int:
    """Tell each contributor about ``step`` by their channel; return how many were told."""
    contribution = step.contribution
    told = 0
    for contributor in contribution.contributors.select_related("person"):
        person = contributor.person
        if except_person is not None and person.pk == except_person.pk:
            continue
        message = notify(
            person=person,
            subject=SUBJECTS[step.kind],
            template="impact/messages/step.txt",
            context={
                "step": step,
                "contribution": contribution,
                "answer": step.answer,
                "site_url": settings.SITE_URL,
            },
            organisation=contribution.organisation,
        )
        Notice.objects.create(step=step, person=person, message=message)
        told += 1
    return told


def _mail_staff(users: Sequence[User], subject: Promise, template: str, context: dict[str, Any]) -> None:
    """E-mail each member of staff once, in their language."""
    for email in sorted({u.email for u in users if u.email}):
        with translation.override(staff_language(email)):
            body = render_to_string(template, {**context, "site_url": settings.SITE_URL}).strip()
            send_mail(str(subject), body, None, [email])


def _coordinators(organisation: Organisation) -> list[User]:
    return list(User.objects.filter(memberships__organisation=organisation, memberships__role=Role.COORDINATOR))


# ---- Recording -----------------------------------------------------------------------------


def _may_record(actor: User, organisation: Organisation, session: Session | None) -> None:
    """Coordinators record; so does the session's contact, who takes its notes."""
    if session is not None and session.contact_id == actor.pk and session.organisation_id == organisation.pk:
        return
    require(actor, organisation, RECORDING_CONTRIBUTIONS)


def _check_about(
    organisation: Organisation, session: Session | None, opportunity: Opportunity | None, project: Group | None
) -> dict[str, str]:
    problems: dict[str, str] = {}
    if session is None and opportunity is None and project is None:
        problems["session"] = _("Say which session, opportunity or project it was said at.")
    for name, thing in (("session", session), ("opportunity", opportunity), ("project", project)):
        if thing is not None and thing.organisation_id != organisation.pk:
            problems[name] = _("Choose one of this organisation's.")
    return problems


def _save(
    *,
    actor: User,
    organisation: Organisation,
    text: str,
    kind: str,
    perspective: str,
    view: str,
    minority_view: bool,
    contributors: Sequence[ContributorChoice],
    session: Session | None,
    opportunity: Opportunity | None,
    project: Group | None,
    on_behalf_of: Group | None,
    service: str,
    decision_maker: User | None,
    source: str,
    problems: dict[str, str],
    by_person: Person | None = None,
) -> Contribution:
    if not text.strip():
        problems["text"] = _("Write what was said or asked.")
    if kind not in Contribution.Kind.values:
        problems["kind"] = _("Choose whether it was something said or a question.")
    if view not in Contribution.View.values:
        problems["view"] = _("Choose whether it was a personal or a representative view.")
    if perspective not in ContributorPerspective.values:
        problems["perspective"] = _("Choose the contributors' perspective.")
    if view == Contribution.View.REPRESENTATIVE and on_behalf_of is None:
        problems["on_behalf_of"] = _("A representative view speaks for a group: choose the group.")
    if on_behalf_of is not None and on_behalf_of.organisation_id != organisation.pk:
        problems["on_behalf_of"] = _("Choose one of this organisation's groups.")
    if not contributors and on_behalf_of is None:
        problems["contributors"] = _("Say who said it: one person or more, or a group.")
    if decision_maker is not None and not has_role(decision_maker, organisation, *ANSWERING_CONTRIBUTIONS):
        problems["decision_maker"] = _("Choose someone who answers contributions at this organisation.")
    for choice in contributors:
        if not people_selectors.shares_with(choice.person, organisation):
            problems["contributors"] = _("%(name)s does not share their details with this organisation.") % {
                "name": choice.person.display_name
            }
    if problems:
        raise ValidationError(problems)
    settings_ = selectors.settings_for(organisation)
    now = timezone.now()
    contribution = Contribution(
        organisation=organisation,
        session=session,
        opportunity=opportunity,
        project=project,
        kind=kind,
        text=text.strip(),
        view=view,
        perspective=perspective,
        minority_view=minority_view,
        on_behalf_of=on_behalf_of,
        service=service.strip(),
        decision_maker=decision_maker,
        source=source,
        recorded_by=actor,
        recorded_at=now,
        answer_due_on=rules.answer_due(timezone.localdate(now), settings_.answer_within_days),
    )
    with acting_as(actor):
        contribution.save()
    seen: set[int] = set()
    for choice in contributors:
        if choice.person.pk in seen:
            continue
        seen.add(choice.person.pk)
        contribution.contributors.create(
            person=choice.person,
            agrees_to_publish=choice.agrees_to_publish,
            agrees_to_be_named=choice.agrees_to_publish and choice.agrees_to_be_named,
        )
    step = Step.objects.create(
        contribution=contribution, kind=Step.Kind.SAID, text=contribution.text, by_user=actor, by_person=by_person
    )
    _tell_contributors(step, except_person=by_person)
    public_cache.changed()
    return contribution


@transaction.atomic
def record_contribution(
    *,
    actor: User,
    organisation: Organisation,
    text: str,
    perspective: str,
    contributors: Sequence[ContributorChoice] = (),
    kind: str = Contribution.Kind.SAID,
    view: str = Contribution.View.PERSONAL,
    minority_view: bool = False,
    session: Session | None = None,
    opportunity: Opportunity | None = None,
    project: Group | None = None,
    on_behalf_of: Group | None = None,
    service: str = "",
    decision_maker: User | None = None,
) -> Contribution:
    """Record what was said or asked, as it was said: never merged with another, a minority view marked as such."""
    _may_record(actor, organisation, session)
    return _save(
        actor=actor,
        organisation=organisation,
        text=text,
        kind=kind,
        perspective=perspective,
        view=view,
        minority_view=minority_view,
        contributors=contributors,
        session=session,
        opportunity=opportunity,
        project=project,
        on_behalf_of=on_behalf_of,
        service=service,
        decision_maker=decision_maker,
        source=Contribution.Source.RECORDED,
        problems=_check_about(organisation, session, opportunity, project),
    )


@transaction.atomic
def submit_contribution(
    *,
    actor: User,
    person: Person,
    session: Session,
    text: str,
    kind: str = Contribution.Kind.SAID,
    on_behalf_of: Group | None = None,
    agrees_to_publish: bool = False,
    agrees_to_be_named: bool = False,
) -> Contribution:
    """A member sends what they said at a session they attended; a representative, for the group they speak for."""
    if person.user_id != actor.pk:
        raise PermissionDenied
    organisation = session.organisation
    problems: dict[str, str] = {}
    attended = Attendance.objects.filter(session=session, person=person, status=Attendance.Status.ATTENDED).exists()
    if not attended or not people_selectors.shares_with(person, organisation):
        problems["session"] = _("You can add what you said only at a session you attended.")
    if on_behalf_of is not None and not group_selectors.seats_held_by(person).filter(group=on_behalf_of).exists():
        problems["on_behalf_of"] = _("You can speak only for a group you hold a seat on.")
    return _save(
        actor=actor,
        organisation=organisation,
        text=text,
        kind=kind,
        perspective=person.perspective,
        view=Contribution.View.REPRESENTATIVE if on_behalf_of is not None else Contribution.View.PERSONAL,
        minority_view=False,
        contributors=[ContributorChoice(person, agrees_to_publish, agrees_to_be_named)],
        session=session,
        opportunity=session.opportunity,
        project=session.group,
        on_behalf_of=on_behalf_of,
        service="",
        decision_maker=None,
        source=Contribution.Source.REPRESENTATIVE if on_behalf_of is not None else Contribution.Source.MEMBER,
        problems=problems,
        by_person=person,
    )


# ---- Answering -----------------------------------------------------------------------------


@transaction.atomic
def answer_contribution(
    *,
    actor: User,
    contribution: Contribution,
    decision: str,
    reason: str,
    decided_by: str = "",
    action_text: str = "",
    action_owner_name: str = "",
    action_owner_email: str = "",
    action_due_on: date | None = None,
) -> Answer:
    """Answer a contribution with a decision and its reason, and optionally an action with an owner and a due date.

    The action is a session's action (withus.meetings), so it is followed up with the
    session's others; a contribution not made at a session cannot name one.
    """
    organisation = contribution.organisation
    require(actor, organisation, ANSWERING_CONTRIBUTIONS)
    decided_by = decided_by.strip() or actor.get_full_name() or actor.email
    problems = rules.answer_problems(decision=decision, reason=reason, decided_by=decided_by)
    wants_action = bool(action_text.strip() or action_owner_name.strip() or action_due_on)
    if wants_action:
        if contribution.session is None:
            problems["action_text"] = _("An action can be named only for a contribution made at a session.")
        if not action_text.strip():
            problems["action_text"] = _("Say what the action is.")
        if not action_owner_name.strip():
            problems["action_owner_name"] = _("Say who owns the action.")
        if action_due_on is None:
            problems["action_due_on"] = _("Give the date the action is due.")
    if problems:
        raise ValidationError(problems)
    action = None
    if wants_action and contribution.session is not None and action_due_on is not None:
        action = meeting_services.add_action(
            actor=actor,
            session=contribution.session,
            text=action_text.strip(),
            owner_name=action_owner_name.strip(),
            owner_email=action_owner_email.strip(),
            due_on=action_due_on,
            roles=ANSWERING_CONTRIBUTIONS,
        )
    now = timezone.now()
    with acting_as(actor):
        answer = Answer.objects.create(
            contribution=contribution,
            decision=decision,
            reason=reason.strip(),
            decided_by=decided_by,
            answered_by=actor,
            answered_at=now,
            action=action,
        )
        contribution.outcome = decision
        if decision != rules.Decision.PENDING:
            contribution.answered_at = now
            if rules.needs_follow_up(decision):
                months = selectors.settings_for(organisation).follow_up_after_months
                contribution.follow_up_due_on = rules.follow_up_due(timezone.localdate(now), months)
            else:
                contribution.follow_up_due_on = None
        if contribution.decision_maker_id is None:
            contribution.decision_maker = actor
        contribution.save(update_fields=["outcome", "answered_at", "follow_up_due_on", "decision_maker"])
    step = Step.objects.create(
        contribution=contribution, kind=Step.Kind.ANSWERED, text=answer.reason, answer=answer, by_user=actor, at=now
    )
    _tell_contributors(step)
    public_cache.changed()
    return answer


# ---- Replies and questions on the timeline -------------------------------------------------


@transaction.atomic
def reply(*, actor: User, contribution: Contribution, text: str, question: bool = False) -> Step:
    """A contributor replies or asks a question on the timeline; staff who answer contributions reply to it.

    Every other contributor is told; a contributor's reply is also sent to whoever answers it.
    """
    if not text.strip():
        raise ValidationError({"text": _("Write your reply or question.")})
    person = people_selectors.own_person(actor)
    is_contributor = person is not None and contribution.contributors.filter(person=person).exists()
    if not is_contributor:
        require(actor, contribution.organisation, ANSWERING_CONTRIBUTIONS)
        person = None
    step = Step.objects.create(
        contribution=contribution,
        kind=Step.Kind.QUESTION if question else Step.Kind.REPLY,
        text=text.strip(),
        by_user=actor,
        by_person=person,
    )
    _tell_contributors(step, except_person=person)
    if person is not None:
        staff = [u for u in (contribution.decision_maker, contribution.recorded_by) if u is not None]
        _mail_staff(
            staff, gettext_lazy("A contributor wrote on a timeline"), "impact/messages/staff_reply.txt", {"step": step}
        )
    return step


# ---- Checking again months later -----------------------------------------------------------


@transaction.atomic
def answer_follow_up(
    *,
    actor: User,
    follow_up: FollowUp,
    changed: bool | None,
    what_changed: str = "",
    intended_outcomes: str = "",
    difference_made: str = "",
    how_it_felt: str = "",
    end_result: str = "",
    beyond: str = "",
) -> FollowUp:
    """The owner says what changed, with 003 §Impact's five questions; claiming a change means saying what it was."""
    contribution = follow_up.contribution
    if follow_up.owner_id != actor.pk:
        require(actor, contribution.organisation, ANSWERING_CONTRIBUTIONS)
    if follow_up.answered_at is not None:
        raise ValidationError({"changed": _("What changed has already been said for this contribution.")})
    problems = rules.follow_up_problems(changed=changed, what_changed=what_changed)
    if problems:
        raise ValidationError(problems)
    follow_up.changed = changed
    follow_up.what_changed = what_changed.strip()
    follow_up.intended_outcomes = intended_outcomes.strip()
    follow_up.difference_made = difference_made.strip()
    follow_up.how_it_felt = how_it_felt.strip()
    follow_up.end_result = end_result.strip()
    follow_up.beyond = beyond.strip()
    follow_up.answered_at = timezone.now()
    with acting_as(actor):
        follow_up.save()
    text = follow_up.what_changed if changed else _("Nothing has changed yet.")
    step = Step.objects.create(contribution=contribution, kind=Step.Kind.CHECKED_AGAIN, text=text, by_user=actor)
    _tell_contributors(step)
    public_cache.changed()
    return follow_up


# ---- The daily round (withus impact overdue) -----------------------------------------------


def _once(contribution: Contribution, kind: str, text: str = "") -> Step | None:
    """A step that happens once per contribution; None when another round already made it."""
    try:
        with transaction.atomic():
            return Step.objects.create(contribution=contribution, kind=kind, text=text)
    except IntegrityError:
        return None


def daily_round(*, today: date | None = None) -> Round:
    """Flag contributions not answered in time, ask owners what changed when a follow-up is due,
    and tell contributors when an action from an answer is done. Run twice, it does nothing twice."""
    today = today or timezone.localdate()
    done = Round()
    for contribution in selectors.overdue_to_flag(today):
        with transaction.atomic():
            if _once(contribution, Step.Kind.OVERDUE) is None:
                continue
            Contribution.objects.filter(pk=contribution.pk).update(overdue_flagged_at=timezone.now())
            staff = [*_coordinators(contribution.organisation)]
            if contribution.decision_maker is not None:
                staff.append(contribution.decision_maker)
            _mail_staff(
                staff,
                gettext_lazy("A contribution is waiting for an answer"),
                "impact/messages/overdue.txt",
                {"contribution": contribution},
            )
            done.flagged += 1
            done.contributions.append(contribution.pk)
    for contribution in selectors.follow_ups_to_ask(today):
        with transaction.atomic():
            owner = contribution.decision_maker
            follow_up, created = FollowUp.objects.get_or_create(contribution=contribution, defaults={"owner": owner})
            if not created:
                continue
            _mail_staff(
                [owner] if owner is not None else _coordinators(contribution.organisation),
                gettext_lazy("What changed? A follow-up is due"),
                "impact/messages/follow_up.txt",
                {"contribution": contribution, "follow_up": follow_up},
            )
            done.follow_ups_asked += 1
    for answer in selectors.actions_done_untold():
        with transaction.atomic():
            step = _once(answer.contribution, Step.Kind.ACTION_DONE, answer.action.text if answer.action else "")
            if step is None:
                continue
            step.answer = answer
            step.save(update_fields=["answer"])
            _tell_contributors(step)
            done.actions_told += 1
    return done


@transaction.atomic
def mark_letters_printed(notices: Sequence[Notice], *, when: datetime | None = None) -> int:
    """Letters once written to the print batch are not printed again."""
    when = when or timezone.now()
    ids = [n.pk for n in notices]
    printed = Notice.objects.filter(pk__in=ids, printed_at__isnull=True).update(printed_at=when)
    OutgoingMessage.objects.filter(pk__in=[n.message_id for n in notices if n.message_id]).update(
        status=OutgoingMessage.Status.DONE, done_at=when
    )
    return printed
