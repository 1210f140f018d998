"""Reads of training that pages, the API, the requirement check and the daily warnings share."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from withus.accounts.models import Organisation
from withus.accounts.roles import SEEING_WORK
from withus.accounts.selectors import has_role
from withus.groups.models import Appointment, Group
from withus.meetings.models import Attendance, Session
from withus.opportunities.models import Opportunity
from withus.people import selectors as people_selectors
from withus.people.models import Person

from . import rules
from .models import Course, CourseSession, LoggedLearning, RequiredTraining

# ---- The catalogue ------------------------------------------------------------------------------


def courses_for_staff(user: Any, organisation: Organisation) -> QuerySet[Course]:
    if not has_role(user, organisation, *SEEING_WORK):
        raise PermissionDenied
    return Course.objects.filter(organisation=organisation)


def course_for_staff(user: Any, organisation: Organisation, pk: int) -> Course:
    try:
        return courses_for_staff(user, organisation).get(pk=pk)
    except Course.DoesNotExist:
        raise Http404 from None


def catalogue(organisation: Organisation, *, now: datetime | None = None) -> list[tuple[Course, Session | None]]:
    """Every course of the organisation, with the next session that runs it (two queries)."""
    courses = list(Course.objects.filter(organisation=organisation))
    runs = next_runs([c.pk for c in courses], now=now)
    return [(c, runs.get(c.pk)) for c in courses]


def runs_of(course: Course) -> QuerySet[CourseSession]:
    return course.runs.select_related("session").order_by("session__starts_at", "pk")


def sessions_to_run(course: Course) -> QuerySet[Session]:
    """The organisation's sessions a course could run as: not cancelled, not yet running a course."""
    return (
        Session.objects.filter(organisation_id=course.organisation_id)
        .exclude(status=Session.Status.CANCELLED)
        .filter(course_run__isnull=True)
        .order_by("-starts_at", "pk")
    )


def next_runs(course_ids: Iterable[int], *, now: datetime | None = None) -> dict[int, Session]:
    """The soonest session still to start that runs each course (one query)."""
    now = now or timezone.now()
    found: dict[int, Session] = {}
    links = (
        CourseSession.objects.filter(course_id__in=list(course_ids), session__starts_at__gt=now)
        .exclude(session__status=Session.Status.CANCELLED)
        .select_related("session")
        .order_by("session__starts_at", "pk")
    )
    for link in links:
        found.setdefault(link.course_id, link.session)
    return found


# ---- Who has done what --------------------------------------------------------------------------


def completions(person_ids: Iterable[int], course_ids: Iterable[int]) -> dict[tuple[int, int], date]:
    """The latest completion of each course by each person, by (person id, course id) (two queries).

    A course is completed by attending a session that runs it, or by learning done elsewhere
    that a coordinator approved.
    """
    people, courses = list(person_ids), list(course_ids)
    latest: dict[tuple[int, int], date] = {}

    def keep(key: tuple[int, int], day: date) -> None:
        if key not in latest or day > latest[key]:
            latest[key] = day

    attended = Attendance.objects.filter(
        person_id__in=people, status=Attendance.Status.ATTENDED, session__course_run__course_id__in=courses
    ).values_list("person_id", "session__course_run__course_id", "session__starts_at")
    for person_id, course_id, starts_at in attended:
        keep((person_id, course_id), timezone.localdate(starts_at))
    approved = LoggedLearning.objects.filter(
        person_id__in=people, course_id__in=courses, status=LoggedLearning.Status.APPROVED
    ).values_list("person_id", "course_id", "completed_on")
    for person_id, course_id, completed_on in approved:
        keep((person_id, course_id), completed_on)
    return latest


@dataclass(frozen=True)
class RecordLine:
    """One completed course in a person's record of training."""

    course: Course
    completed_on: date
    expires_on: date | None
    how: str  # the session attended, or where the learning was done
    attendance_id: int | None  # for the certificate of attendance
    current: bool


def record_of(
    person: Person, *, organisation: Organisation | None = None, today: date | None = None
) -> list[RecordLine]:
    """Every course the person completed (at every organisation, or at one), newest first (two queries)."""
    today = today or timezone.localdate()
    lines: list[RecordLine] = []
    attended = Attendance.objects.filter(
        person=person, status=Attendance.Status.ATTENDED, session__course_run__isnull=False
    ).select_related("session__course_run__course__organisation")
    learning = LoggedLearning.objects.filter(person=person, status=LoggedLearning.Status.APPROVED).select_related(
        "course__organisation"
    )
    if organisation is not None:
        attended = attended.filter(session__organisation=organisation)
        learning = learning.filter(course__organisation=organisation)
    for a in attended:
        course = a.session.course_run.course
        day = timezone.localdate(a.session.starts_at)
        lines.append(_line(course, day, str(a.session), a.pk, today))
    for record in learning:
        lines.append(_line(record.course, record.completed_on, record.provider, None, today))
    lines.sort(key=lambda line: (line.completed_on, line.course.pk), reverse=True)
    return lines


def _line(course: Course, day: date, how: str, attendance_id: int | None, today: date) -> RecordLine:
    return RecordLine(
        course=course,
        completed_on=day,
        expires_on=rules.expires_on(day, course.refresh_months),
        how=how,
        attendance_id=attendance_id,
        current=rules.is_current(day, course.refresh_months, today=today),
    )


@dataclass(frozen=True)
class Completed:
    person: Person
    completed_on: date
    expires_on: date | None
    current: bool


def completed_course(course: Course, *, today: date | None = None) -> list[Completed]:
    """Who has completed the course, among people who share their details with its organisation,
    with their latest completion (three queries)."""
    today = today or timezone.localdate()
    sharing = Person.objects.sharing_with(course.organisation).values("pk")
    attended = Attendance.objects.filter(
        status=Attendance.Status.ATTENDED, session__course_run__course=course, person__in=sharing
    ).values_list("person_id", flat=True)
    approved = LoggedLearning.objects.filter(
        course=course, status=LoggedLearning.Status.APPROVED, person__in=sharing
    ).values_list("person_id", flat=True)
    done = completions(set(attended) | set(approved), [course.pk])
    people = Person.objects.in_bulk([person_id for person_id, _course in done])
    found = [
        Completed(
            person=people[person_id],
            completed_on=day,
            expires_on=rules.expires_on(day, course.refresh_months),
            current=rules.is_current(day, course.refresh_months, today=today),
        )
        for (person_id, _course), day in done.items()
    ]
    found.sort(key=lambda c: (c.person.full_name, c.person.pk))
    return found


def courses_open_to(person: Person) -> QuerySet[Course]:
    """The courses of every organisation the person shares their details with: what they may log learning against."""
    return (
        Course.objects.filter(organisation__in=people_selectors.organisations_shared_with(person).values("pk"))
        .select_related("organisation")
        .order_by("organisation__name", "title", "pk")
    )


def logged_by(person: Person) -> QuerySet[LoggedLearning]:
    """Everything the person logged, whatever its state, newest first."""
    return person.logged_learning.select_related("course__organisation").order_by("-logged_at", "-pk")


def waiting_for_approval(user: Any, organisation: Organisation) -> QuerySet[LoggedLearning]:
    """Logged learning waiting for a coordinator, from people who still share their details."""
    if not has_role(user, organisation, *SEEING_WORK):
        raise PermissionDenied
    return (
        LoggedLearning.objects.filter(course__organisation=organisation, status=LoggedLearning.Status.WAITING)
        .filter(person__in=Person.objects.sharing_with(organisation).values("pk"))
        .select_related("person", "course")
        .order_by("logged_at", "pk")
    )


def learning_for_staff(user: Any, organisation: Organisation, pk: int) -> LoggedLearning:
    try:
        return waiting_for_approval(user, organisation).prefetch_related(None).get(pk=pk)
    except LoggedLearning.DoesNotExist:
        raise Http404 from None


# ---- Training a role needs ----------------------------------------------------------------------


def requirements_of(organisation: Organisation) -> QuerySet[RequiredTraining]:
    return (
        RequiredTraining.objects.filter(course__organisation=organisation)
        .select_related("course", "opportunity", "group")
        .order_by("course__title", "pk")
    )


def required_courses(opportunity: Opportunity | None, group: Group | None) -> list[Course]:
    """The courses the opportunity and the group's seats need, each once (one query)."""
    condition = Q(pk__in=[])
    if opportunity is not None:
        condition |= Q(required_for__opportunity=opportunity)
    if group is not None:
        condition |= Q(required_for__group=group)
    return list(Course.objects.filter(condition).distinct().order_by("title", "pk"))


def missing_training(
    person: Person, opportunity: Opportunity | None, group: Group | None, *, today: date
) -> list[tuple[Course, date | None]]:
    """The required courses the person has not done, or whose completion has expired (with when it did)."""
    courses = required_courses(opportunity, group)
    if not courses:
        return []
    done = completions([person.pk], [c.pk for c in courses])
    missing: list[tuple[Course, date | None]] = []
    for course in courses:
        completed = done.get((person.pk, course.pk))
        if completed is None:
            missing.append((course, None))
        elif not rules.is_current(completed, course.refresh_months, today=today):
            missing.append((course, rules.expires_on(completed, course.refresh_months)))
    return missing


def training_missing(
    person: Person, opportunity: Opportunity | None, *, group: Group | None = None, today: date
) -> str | None:
    """The requirement check (``opportunities.selectors.REQUIREMENT_CHECKS``): what training is missing, and
    when each course next runs, or None when nothing is."""
    missing = missing_training(person, opportunity, group, today=today)
    if not missing:
        return None
    runs = next_runs([course.pk for course, _ in missing])
    parts = []
    for course, expired in missing:
        if expired is None:
            text = _("This role needs the training “%(course)s”, and it is not done.") % {"course": course}
        else:
            text = _("This role needs the training “%(course)s”, and it expired on %(date)s.") % {
                "course": course,
                "date": date_format(expired, "j F Y"),
            }
        session = runs.get(course.pk)
        if session is not None:
            text += " " + _("The next course is on %(date)s.") % {
                "date": date_format(timezone.localtime(session.starts_at), "j F Y")
            }
        else:
            text += " " + _("No course is planned yet.")
        parts.append(text)
    return " ".join(parts)


# ---- Expiry -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expiring:
    person: Person
    course: Course
    completed_on: date
    expires_on: date
    next_run: Session | None


def expiring(*, today: date, organisation: Organisation | None = None) -> list[Expiring]:
    """Completions that are current but expire within the warning period, soonest first (four queries).

    Only the latest completion of a course counts: someone who has done the refresher is not warned.
    """
    courses = Course.objects.filter(refresh_months__isnull=False)
    if organisation is not None:
        courses = courses.filter(organisation=organisation)
    by_pk = {c.pk: c for c in courses.select_related("organisation")}
    if not by_pk:
        return []
    attended = Attendance.objects.filter(
        status=Attendance.Status.ATTENDED, session__course_run__course_id__in=list(by_pk)
    ).values_list("person_id", flat=True)
    approved = LoggedLearning.objects.filter(
        course_id__in=list(by_pk), status=LoggedLearning.Status.APPROVED
    ).values_list("person_id", flat=True)
    person_ids = set(attended) | set(approved)
    done = completions(person_ids, list(by_pk))
    soon = []
    for (person_id, course_id), completed_on in done.items():
        course = by_pk[course_id]
        ends = rules.expires_on(completed_on, course.refresh_months)
        if ends is not None and rules.expiring_soon(ends, today=today):
            soon.append((person_id, course, completed_on, ends))
    if not soon:
        return []
    people = Person.objects.in_bulk({person_id for person_id, *_rest in soon})
    runs = next_runs({course.pk for _p, course, *_rest in soon})
    found = [
        Expiring(people[person_id], course, completed_on, ends, runs.get(course.pk))
        for person_id, course, completed_on, ends in soon
        if people[person_id].status == Person.Status.ACTIVE
    ]
    found.sort(key=lambda e: (e.expires_on, e.person.pk, e.course.pk))
    return found


@dataclass(frozen=True)
class SeatAtRisk:
    course: Course
    expires_on: date | None  # None: never done (the requirement came after the appointment)


def seats_at_risk(organisation: Organisation, *, today: date | None = None) -> dict[int, list[SeatAtRisk]]:
    """For each seat held now in the organisation's groups (by appointment id), the training the seat needs
    that has lapsed, or will within the warning period, or was never done.

    Batched: three queries however many groups, seats and courses.
    """
    today = today or timezone.localdate()
    appointments = list(
        Appointment.objects.filter(group__organisation=organisation, ended_on__isnull=True).values_list(
            "pk", "person_id", "group_id", "opportunity_id"
        )
    )
    if not appointments:
        return {}
    needs = list(RequiredTraining.objects.filter(course__organisation=organisation).select_related("course"))
    if not needs:
        return {}
    done = completions({p for _a, p, _g, _o in appointments}, {n.course_id for n in needs})
    at_risk: dict[int, list[SeatAtRisk]] = {}
    for appointment_id, person_id, group_id, opportunity_id in appointments:
        seen: set[int] = set()
        for need in needs:
            applies = need.group_id == group_id or (
                need.opportunity_id is not None and need.opportunity_id == opportunity_id
            )
            if not applies or need.course_id in seen:
                continue
            seen.add(need.course_id)
            course = need.course
            completed = done.get((person_id, course.pk))
            ends = rules.expires_on(completed, course.refresh_months) if completed else None
            current = completed is not None and rules.is_current(completed, course.refresh_months, today=today)
            if not current or rules.expiring_soon(ends, today=today):
                at_risk.setdefault(appointment_id, []).append(SeatAtRisk(course, ends))
    return at_risk
