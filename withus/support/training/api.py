"""API operations on training: the catalogue, sessions that run courses, the training roles need,
learning done elsewhere and its approval, and a member's own record.

Staff read and change their own organisation's only (anything else is 404); a member token
reads and logs the member's own, never an id from the URL. Every write is a service, which
keeps the rules (a course has a length; a completion is never in the future).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import ConfigDict

from withus.accounts.models import ApiToken
from withus.accounts.roles import COORDINATING, SEEING_PEOPLE, SEEING_WORK
from withus.api.auth import member_person, require_role
from withus.api.errors import AUTHENTICATED_ERRORS, ErrorOut
from withus.api.schemas import ListPagination, field_limit
from withus.groups.models import Group
from withus.meetings.models import Session
from withus.opportunities.models import Opportunity
from withus.people import selectors as people_selectors
from withus.people.models import Person

from . import selectors, services
from .models import Course, LoggedLearning, RequiredTraining, Topic

router = Router(tags=["training"])

Hours = Annotated[Decimal, Field(allow_inf_nan=False, max_digits=6, decimal_places=2)]


# ---- Shapes -------------------------------------------------------------------------------------


class CourseOut(Schema):
    id: int
    topic: str = Field(description="One of the guidance's topics, or other")
    title: str
    title_cy: str
    description: str
    description_cy: str
    co_designed: bool = Field(description="Co-designed with people with lived experience")
    co_delivered: bool = Field(description="Co-delivered with people with lived experience")
    accredited: bool
    accredited_by: str
    length_hours: str = Field(description="Hours, one decimal place, e.g. 2.5")
    refresh_months: int | None = Field(description="Months until a completion needs refreshing; null: never")
    next_session: int | None = Field(None, description="The id of the next session that runs the course")
    next_session_starts_at: datetime | None = None

    @staticmethod
    def resolve_length_hours(obj: Course) -> str:
        return f"{obj.length_hours:.1f}"


class CourseIn(Schema):
    """A course's fields. When changing one, leave a field out to keep it."""

    model_config = ConfigDict(extra="forbid")

    topic: Topic | None = None
    title: Annotated[str, field_limit(Course, "title")] | None = None
    title_cy: Annotated[str, field_limit(Course, "title_cy")] | None = None
    description: Annotated[str, field_limit(Course, "description")] | None = None
    description_cy: Annotated[str, field_limit(Course, "description_cy")] | None = None
    co_designed: bool | None = None
    co_delivered: bool | None = None
    accredited: bool | None = None
    accredited_by: Annotated[str, field_limit(Course, "accredited_by")] | None = None
    length_hours: Hours | None = Field(None, description="Required for a new course")
    refresh_months: int | None = Field(None, ge=0, le=32767, description="Leave out or null: never refreshed")


class RunIn(Schema):
    session: int = Field(description="The id of one of your sessions")


class RunOut(Schema):
    course: int
    session: int

    @staticmethod
    def resolve_course(obj: Any) -> int:
        return int(obj.course_id)

    @staticmethod
    def resolve_session(obj: Any) -> int:
        return int(obj.session_id)


class RequirementIn(Schema):
    opportunity: int | None = Field(None, description="An opportunity that needs the course")
    group: int | None = Field(None, description="Or a group whose seats need it")


class RequirementOut(Schema):
    id: int
    course: int
    opportunity: int | None
    group: int | None

    @staticmethod
    def resolve_course(obj: RequiredTraining) -> int:
        return obj.course_id

    @staticmethod
    def resolve_opportunity(obj: RequiredTraining) -> int | None:
        return obj.opportunity_id

    @staticmethod
    def resolve_group(obj: RequiredTraining) -> int | None:
        return obj.group_id


class LearningIn(Schema):
    course: int = Field(description="The id of the course in the organisation's catalogue it matches")
    completed_on: date = Field(description="Never in the future")
    provider: Annotated[str, field_limit(LoggedLearning, "provider")] = Field(description="Where, and who ran it")
    note: Annotated[str, field_limit(LoggedLearning, "note")] = ""


class LearningOut(Schema):
    id: int
    person: int
    person_name: str
    course: int
    course_title: str
    organisation: str
    completed_on: date
    provider: str
    note: str
    status: str = Field(description="waiting, approved or declined")
    reason: str = Field(description="Why it was not approved")

    @staticmethod
    def resolve_person(obj: LoggedLearning) -> int:
        return obj.person_id

    @staticmethod
    def resolve_person_name(obj: LoggedLearning) -> str:
        return obj.person.full_name

    @staticmethod
    def resolve_course(obj: LoggedLearning) -> int:
        return obj.course_id

    @staticmethod
    def resolve_course_title(obj: LoggedLearning) -> str:
        return obj.course.title

    @staticmethod
    def resolve_organisation(obj: LoggedLearning) -> str:
        return obj.course.organisation.name


class DecisionIn(Schema):
    approve: bool
    reason: Annotated[str, field_limit(LoggedLearning, "reason")] = Field("", description="Needed to decline")


class RecordLineOut(Schema):
    course: int
    course_title: str
    organisation: str
    completed_on: date
    expires_on: date | None = Field(description="The day it no longer counts; null: never")
    current: bool
    how: str = Field(description="The session attended, or where the learning was done")
    attendance: int | None = Field(description="For the certificate of attendance, when it was a session")


def _line_out(line: selectors.RecordLine) -> RecordLineOut:
    return RecordLineOut(
        course=line.course.pk,
        course_title=line.course.title,
        organisation=line.course.organisation.name,
        completed_on=line.completed_on,
        expires_on=line.expires_on,
        current=line.current,
        how=line.how,
        attendance=line.attendance_id,
    )


def _course(token: ApiToken, pk: int) -> Course:
    return selectors.course_for_staff(token.user, token.organisation, pk)


def _course_fields(payload: CourseIn) -> dict[str, Any]:
    fields = payload.dict(exclude_unset=True)
    for name in ("co_designed", "co_delivered", "accredited"):
        if name in fields and fields[name] is None:
            del fields[name]
    for name in ("topic", "title", "title_cy", "description", "description_cy", "accredited_by"):
        if name in fields and fields[name] is None:
            fields[name] = "" if name != "topic" else Topic.OTHER
    if fields.get("refresh_months") == 0:
        fields["refresh_months"] = None
    return fields


def _with_next(courses: list[Course]) -> list[Course]:
    runs = selectors.next_runs([c.pk for c in courses])
    for course in courses:
        session = runs.get(course.pk)
        course.next_session = session.pk if session else None  # type: ignore[attr-defined]
        course.next_session_starts_at = session.starts_at if session else None  # type: ignore[attr-defined]
    return courses


# ---- Staff: the catalogue -----------------------------------------------------------------------


@router.get(
    "/staff/training/courses",
    response={200: list[CourseOut], **AUTHENTICATED_ERRORS, 422: ErrorOut},
    summary="Your organisation's training catalogue",
)
@paginate(ListPagination)
def list_courses(request: HttpRequest) -> Any:
    """For coordinators, admins, supervisors and decision-makers: every course, with the next session running it."""
    token = require_role(request, *SEEING_WORK)
    return _PagedCourses(selectors.courses_for_staff(token.user, token.organisation).order_by("title", "pk"))


class _PagedCourses:
    """A course list that fetches each page's next sessions in one query, however long the page."""

    def __init__(self, queryset: Any) -> None:
        self.queryset = queryset

    def __len__(self) -> int:
        return int(self.queryset.count())

    def __getitem__(self, key: slice) -> list[Course]:
        return _with_next(list(self.queryset[key]))


@router.post(
    "/staff/training/courses",
    response={201: CourseOut, **AUTHENTICATED_ERRORS, 422: ErrorOut},
    summary="Add a course",
)
def add_course(request: HttpRequest, payload: CourseIn) -> Status[Course]:
    """For coordinators and admins. A course needs a title and a length in hours."""
    token = require_role(request, *COORDINATING)
    course = services.save_course(actor=token.user, organisation=token.organisation, fields=_course_fields(payload))
    return Status(201, _with_next([course])[0])


@router.get(
    "/staff/training/courses/{course_id}",
    response={200: CourseOut, **AUTHENTICATED_ERRORS, 404: ErrorOut},
    summary="One course",
)
def get_course(request: HttpRequest, course_id: int) -> Course:
    token = require_role(request, *SEEING_WORK)
    return _with_next([_course(token, course_id)])[0]


@router.patch(
    "/staff/training/courses/{course_id}",
    response={200: CourseOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Change a course",
)
def change_course(request: HttpRequest, course_id: int, payload: CourseIn) -> Course:
    """For coordinators and admins: change the fields you send, and leave the rest."""
    token = require_role(request, *COORDINATING)
    course = _course(token, course_id)
    services.save_course(
        actor=token.user, organisation=token.organisation, fields=_course_fields(payload), course=course
    )
    return _with_next([_course(token, course_id)])[0]


@router.post(
    "/staff/training/courses/{course_id}/sessions",
    response={201: RunOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Run a course as a session",
)
def run_as_session(request: HttpRequest, course_id: int, payload: RunIn) -> Status[Any]:
    """For coordinators and admins: attending the session (plan it with the sessions API) completes the course."""
    token = require_role(request, *COORDINATING)
    course = _course(token, course_id)
    session = Session.objects.filter(organisation=token.organisation, pk=payload.session).first()
    if session is None:
        raise ValidationError({"session": _("Choose one of your organisation's sessions.")})
    return Status(201, services.run_as_session(actor=token.user, course=course, session=session))


@router.post(
    "/staff/training/courses/{course_id}/requirements",
    response={201: RequirementOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Say a role needs a course",
)
def require_course(request: HttpRequest, course_id: int, payload: RequirementIn) -> Status[RequiredTraining]:
    """For coordinators and admins: an opportunity, or a group's seats, need the course before anyone is
    appointed. Give one of ``opportunity`` and ``group``."""
    token = require_role(request, *COORDINATING)
    course = _course(token, course_id)
    opportunity = group = None
    errors: dict[str, list[str]] = {}
    if payload.opportunity is not None:
        opportunity = Opportunity.objects.filter(organisation=token.organisation, pk=payload.opportunity).first()
        if opportunity is None:
            errors["opportunity"] = [_("Choose one of your organisation's opportunities.")]
    if payload.group is not None:
        group = Group.objects.filter(organisation=token.organisation, pk=payload.group).first()
        if group is None:
            errors["group"] = [_("Choose one of your organisation's groups.")]
    if errors:
        raise ValidationError(errors)
    need = services.require_training(actor=token.user, course=course, opportunity=opportunity, group=group)
    return Status(201, need)


@router.get(
    "/staff/training/courses/{course_id}/requirements",
    response={200: list[RequirementOut], **AUTHENTICATED_ERRORS, 404: ErrorOut},
    summary="The roles that need a course",
)
def list_requirements(request: HttpRequest, course_id: int) -> Any:
    token = require_role(request, *SEEING_WORK)
    return _course(token, course_id).required_for.order_by("pk")


# ---- Staff: learning done elsewhere -------------------------------------------------------------


@router.get(
    "/staff/training/learning",
    response={200: list[LearningOut], **AUTHENTICATED_ERRORS, 422: ErrorOut},
    summary="Learning waiting for approval",
)
@paginate(ListPagination)
def waiting_learning(request: HttpRequest) -> Any:
    """For coordinators, admins, supervisors and decision-makers: logged learning not yet decided, oldest first."""
    token = require_role(request, *SEEING_WORK)
    return selectors.waiting_for_approval(token.user, token.organisation).select_related("course__organisation")


@router.post(
    "/staff/training/learning/{learning_id}/decision",
    response={200: LearningOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Approve or decline logged learning",
)
def decide(request: HttpRequest, learning_id: int, payload: DecisionIn) -> LoggedLearning:
    """For coordinators and admins. Approved, it counts as the course; declined needs a reason they will see."""
    token = require_role(request, *COORDINATING)
    record = selectors.learning_for_staff(token.user, token.organisation, learning_id)
    return services.decide_learning(actor=token.user, record=record, approve=payload.approve, reason=payload.reason)


def _person(token: ApiToken, pk: int) -> Person:
    found = people_selectors.people_for_staff(token.user, token.organisation).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@router.post(
    "/staff/training/people/{person_id}/learning",
    response={201: LearningOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Record training someone did elsewhere",
)
def record_learning(request: HttpRequest, person_id: int, payload: LearningIn) -> Status[LoggedLearning]:
    """For coordinators and admins: it counts at once. Never dated in the future."""
    token = require_role(request, *COORDINATING)
    person = _person(token, person_id)
    course = Course.objects.filter(organisation=token.organisation, pk=payload.course).first()
    if course is None:
        raise ValidationError({"course": _("Choose one of the courses.")})
    record = services.log_learning(
        actor=token.user,
        person=person,
        course=course,
        completed_on=payload.completed_on,
        provider=payload.provider,
        note=payload.note,
    )
    return Status(201, record)


@router.get(
    "/staff/training/people/{person_id}/record",
    response={200: list[RecordLineOut], **AUTHENTICATED_ERRORS, 404: ErrorOut},
    summary="Someone's training with your organisation",
)
def person_record(request: HttpRequest, person_id: int) -> list[RecordLineOut]:
    """For coordinators, admins and supervisors: the courses they completed with you, newest first."""
    token = require_role(request, *SEEING_PEOPLE)
    person = _person(token, person_id)
    return [_line_out(line) for line in selectors.record_of(person, organisation=token.organisation)]


# ---- A member's own -----------------------------------------------------------------------------


@router.get(
    "/me/training",
    response={200: list[RecordLineOut], **AUTHENTICATED_ERRORS, 404: ErrorOut},
    summary="Your training",
)
def my_training(request: HttpRequest) -> list[RecordLineOut]:
    """With a member token: every course you completed, with every organisation, newest first."""
    _token, person = member_person(request)
    return [_line_out(line) for line in selectors.record_of(person)]


@router.get(
    "/me/training/learning",
    response={200: list[LearningOut], **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Training you told us about",
)
@paginate(ListPagination)
def my_learning(request: HttpRequest) -> Any:
    """With a member token: what you logged, newest first, with whether it was approved."""
    _token, person = member_person(request)
    return selectors.logged_by(person).select_related("person")


@router.post(
    "/me/training/learning",
    response={201: LearningOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Tell us about training you did elsewhere",
)
def log_my_learning(request: HttpRequest, payload: LearningIn) -> Status[LoggedLearning]:
    """With a member token: against a course of an organisation you share your details with. It counts once
    a coordinator approves it. Never dated in the future."""
    token, person = member_person(request)
    course = selectors.courses_open_to(person).filter(pk=payload.course).first()
    if course is None:
        raise ValidationError({"course": _("Choose one of the courses.")})
    record = services.log_learning(
        actor=token.user,
        person=person,
        course=course,
        completed_on=payload.completed_on,
        provider=payload.provider,
        note=payload.note,
    )
    return Status(201, record)
