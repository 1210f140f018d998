"""Every write about training: the catalogue, running a course as a session, logged learning,
the training a role needs, and warnings before a completion expires."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from withus.accounts.models import Organisation, User
from withus.accounts.roles import COORDINATING
from withus.accounts.selectors import require, staff_of
from withus.core.audit import acting_as
from withus.groups.models import Group
from withus.meetings.models import Session
from withus.opportunities.models import Opportunity
from withus.people import selectors as people_selectors
from withus.people.models import Person
from withus.people.notify import notify

from . import rules, selectors
from .models import Course, CourseSession, ExpiryWarning, LoggedLearning, RequiredTraining

COURSE_FIELDS = {
    "topic",
    "title",
    "title_cy",
    "description",
    "description_cy",
    "co_designed",
    "co_delivered",
    "accredited",
    "accredited_by",
    "length_hours",
    "refresh_months",
}


# ---- The catalogue ------------------------------------------------------------------------------


@transaction.atomic
def save_course(
    *, actor: User, organisation: Organisation, fields: dict[str, Any], course: Course | None = None
) -> Course:
    """Add a course to the catalogue, or change one. A course needs a title and a length."""
    require(actor, organisation, COORDINATING)
    if course is not None and course.organisation_id != organisation.pk:
        raise PermissionDenied
    unknown = set(fields) - COURSE_FIELDS
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    course = course or Course(organisation=organisation)
    for name, value in fields.items():
        setattr(course, name, value)
    length = course.length_hours
    problems = rules.course_problems(
        title=course.title or "",
        length_hours=Decimal(str(length)) if length is not None else None,
        refresh_months=course.refresh_months,
    )
    if (
        "title" not in problems
        and Course.objects.filter(organisation=organisation, title__iexact=course.title.strip())
        .exclude(pk=course.pk)
        .exists()
    ):
        problems["title"] = _("Your catalogue already has a course with this title.")
    if problems:
        raise ValidationError(problems)
    course.title = course.title.strip()
    with acting_as(actor):
        course.full_clean()
        course.save()
    return course


@transaction.atomic
def add_suggested_course(*, actor: User, organisation: Organisation, topic: str) -> Course:
    """Add one of the suggested courses (001 §Training), with its English and Welsh title, to change as needed."""
    found = rules.suggestion(topic)
    if found is None:
        raise ValidationError({"topic": _("Choose one of the suggested courses.")})
    with translation.override("en"):
        title = str(found.title)
    with translation.override("cy"):
        title_cy = str(found.title)
    return save_course(
        actor=actor,
        organisation=organisation,
        fields={
            "topic": found.topic,
            "title": title,
            "title_cy": title_cy if title_cy != title else "",
            "length_hours": found.length_hours,
            "refresh_months": found.refresh_months,
        },
    )


@transaction.atomic
def run_as_session(*, actor: User, course: Course, session: Session) -> CourseSession:
    """Run a course as one of the organisation's sessions: attending the session completes the course.

    The session keeps everything sessions have (invitations, the standards check, attendance,
    certificates); this only says which course it runs. A session runs one course at most.
    """
    require(actor, course.organisation, COORDINATING)
    if session.organisation_id != course.organisation_id:
        raise ValidationError({"session": _("Choose one of your organisation's sessions.")})
    if session.status == Session.Status.CANCELLED:
        raise ValidationError({"session": _("This session is cancelled; choose another.")})
    existing = CourseSession.objects.filter(session=session).select_related("course").first()
    if existing is not None:
        raise ValidationError(
            {"session": _("This session already runs the course “%(course)s”.") % {"course": existing.course}}
        )
    with acting_as(actor):
        return CourseSession.objects.create(course=course, session=session, linked_by=actor)


# ---- Learning done elsewhere --------------------------------------------------------------------


@transaction.atomic
def log_learning(
    *,
    actor: User,
    person: Person,
    course: Course,
    completed_on: date,
    provider: str,
    note: str = "",
    today: date | None = None,
) -> LoggedLearning:
    """Log a course completed elsewhere against the organisation's catalogue.

    A member logs their own; it counts once a coordinator approves it. A coordinator logging
    it for someone who shares their details with the organisation approves it as they log it.
    A completion dated in the future is refused.
    """
    today = today or timezone.localdate()
    own = person.user_id is not None and person.user_id == actor.pk
    if not own:
        require(actor, course.organisation, COORDINATING)
    people_selectors.person_sharing_with(course.organisation, person)
    problems: dict[str, str] = {}
    if problem := rules.completion_date_problem(completed_on, today=today):
        problems["completed_on"] = problem
    if not provider.strip():
        problems["provider"] = _("Say where you did the training, and who ran it.")
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    with acting_as(actor):
        record = LoggedLearning(
            person=person,
            course=course,
            completed_on=completed_on,
            provider=provider.strip(),
            note=note.strip(),
            logged_by=actor,
            status=LoggedLearning.Status.WAITING if own else LoggedLearning.Status.APPROVED,
            decided_by=None if own else actor,
            decided_at=None if own else now,
        )
        record.full_clean()
        record.save()
    return record


@transaction.atomic
def decide_learning(*, actor: User, record: LoggedLearning, approve: bool, reason: str = "") -> LoggedLearning:
    """A coordinator approves logged learning (then it counts) or declines it, saying why."""
    require(actor, record.course.organisation, COORDINATING)
    if record.status != LoggedLearning.Status.WAITING:
        raise ValidationError(_("This has already been decided."))
    if not approve and not reason.strip():
        raise ValidationError({"reason": _("Say why it is not approved, so that they know what to do.")})
    with acting_as(actor):
        record.status = LoggedLearning.Status.APPROVED if approve else LoggedLearning.Status.DECLINED
        record.reason = "" if approve else reason.strip()
        record.decided_by = actor
        record.decided_at = timezone.now()
        record.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    return record


# ---- Training a role needs ----------------------------------------------------------------------


@transaction.atomic
def require_training(
    *, actor: User, course: Course, opportunity: Opportunity | None = None, group: Group | None = None
) -> RequiredTraining:
    """Say that an opportunity, or a group's seats, need a course done before the role is taken up."""
    require(actor, course.organisation, COORDINATING)
    if (opportunity is None) == (group is None):
        raise ValidationError({"role": _("Choose an opportunity or a group, one of them.")})
    if opportunity is not None and opportunity.organisation_id != course.organisation_id:
        raise ValidationError({"opportunity": _("Choose one of your organisation's opportunities.")})
    if group is not None and group.organisation_id != course.organisation_id:
        raise ValidationError({"group": _("Choose one of your organisation's groups.")})
    try:
        with transaction.atomic(), acting_as(actor):
            return RequiredTraining.objects.create(course=course, opportunity=opportunity, group=group, added_by=actor)
    except IntegrityError:
        raise ValidationError({"course": _("This role already needs this course.")}) from None


@transaction.atomic
def stop_requiring(*, actor: User, requirement: RequiredTraining) -> None:
    require(actor, requirement.course.organisation, COORDINATING)
    with acting_as(actor):
        requirement.delete()


# ---- Before a completion expires ----------------------------------------------------------------

MEMBER_SUBJECT = gettext_lazy("Your training needs refreshing soon")
STAFF_SUBJECT = gettext_lazy("Training that needs refreshing soon")


def warn_expiring(*, today: date | None = None) -> int:
    """Warn each member whose training expires soon, by their own channel, and their organisation's coordinators.

    Run daily (``withus training expiring``). Each completion is warned about once, however
    often this runs. Returns how many warnings went to members.
    """
    today = today or timezone.localdate()
    warned = 0
    by_organisation: dict[int, list[selectors.Expiring]] = {}
    for item in selectors.expiring(today=today):
        with transaction.atomic():
            _warning, created = ExpiryWarning.objects.get_or_create(
                person=item.person, course=item.course, expires_on=item.expires_on
            )
            if not created:
                continue
            notify(
                person=item.person,
                subject=MEMBER_SUBJECT,
                template="support/training/messages/expiring.txt",
                context={"item": item, "next_run": item.next_run},
                organisation=item.course.organisation,
            )
        warned += 1
        by_organisation.setdefault(item.course.organisation_id, []).append(item)
    for items in by_organisation.values():
        organisation = items[0].course.organisation
        _tell_coordinators(organisation, items)
    return warned


def _tell_coordinators(organisation: Organisation, items: list[selectors.Expiring]) -> None:
    from django.core.mail import send_mail
    from django.template.loader import render_to_string

    emails = sorted({m.user.email for m in staff_of(organisation) if m.user.email and m.role in COORDINATING})
    if not emails:
        return
    body = render_to_string("support/training/messages/expiring_staff.txt", {"items": items}).strip()
    send_mail(str(STAFF_SUBJECT), body, None, emails)
