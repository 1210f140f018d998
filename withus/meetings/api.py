"""API operations on sessions: planning, invitations, the standards, attendance, check-in and actions.

Thin on purpose: what staff may read starts from ``selectors.sessions_for_staff`` (the
token's organisation only); every write is a service, which keeps the rules (a
session ends after it starts, has a venue or a link, meets the standards or records
why not; check-in on the day, once). Nothing here says anything about a person beyond
their id and name: not their perspective, needs or anything else that could say
something about their health.

Times are sent and returned in ISO 8601. A time sent without an offset is taken as
the time in Wales (Europe/London), so "10:30" means 10:30 whatever the season.
"""

from datetime import date, datetime, time
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import AfterValidator, BeforeValidator, ConfigDict, StringConstraints

from withus.accounts.models import ApiToken, User
from withus.accounts.roles import COORDINATING, SEEING_WORK
from withus.api.auth import member_person, require_role
from withus.api.errors import AUTHENTICATED_ERRORS, ApiError, ErrorOut
from withus.api.schemas import ListPagination, blank_is_none, field_limit
from withus.core import spreadsheets
from withus.groups.models import Group
from withus.opportunities.models import Opportunity
from withus.people import selectors as people_selectors
from withus.people.models import Person

from . import documents, rules, selectors, services
from .models import Action, AgendaItem, Attendance, Invitation, Session, Venue

router = Router(tags=["sessions"])


# ---- Input types ------------------------------------------------------------------------


def _in_wales(value: datetime) -> datetime:
    """A time without an offset is wall-clock time in Wales, as on the web pages."""
    if timezone.is_naive(value):
        return timezone.make_aware(value, rules.LONDON)
    return value


WhenInWales = Annotated[datetime, AfterValidator(_in_wales)]
# The models' choices, as literals: several models call their choices Status, Role or Kind, and the
# OpenAPI document names an enum by its class, so one would hide another. A test keeps them in step.
SessionKind = Literal["meeting", "workshop", "panel", "focus_group", "event"]
SessionStatus = Literal["planned", "invited", "cancelled", "held"]
InvitationRole = Literal["member", "deputy", "staff", "other"]
AttendanceStatus = Literal["attended", "apologies", "absent"]
AttendanceRole = Literal["member", "chair", "presenter"]
AgendaLine = Annotated[str, field_limit(AgendaItem, "title")]


class SessionQuery(Schema):
    starts_from: date | None = Field(
        None, alias="from", description="Only sessions starting on or after this date (in Wales)."
    )
    to: date | None = Field(None, description="Only sessions starting on or before this date (in Wales).")
    status: Annotated[SessionStatus | None, BeforeValidator(blank_is_none)] = None
    group: int | None = Field(None, description="Only sessions of this group (its id).")


class SessionFieldsIn(Schema):
    """A session's fields. Leave a field out to keep it as it is; send null or "" to clear an optional one."""

    model_config = ConfigDict(extra="forbid")

    kind: SessionKind | None = None
    title: Annotated[str, field_limit(Session, "title", required=True)] | None = None
    title_cy: Annotated[str, field_limit(Session, "title_cy")] | None = None
    starts_at: WhenInWales | None = Field(None, description="Without an offset, the time in Wales.")
    ends_at: WhenInWales | None = Field(None, description="After starts_at.")
    venue: int | None = Field(None, description="The id of one of your organisation's venues; null to meet online.")
    online_link: Annotated[str, field_limit(Session, "online_link")] | None = Field(
        None, description="Needed when there is no venue."
    )
    refreshments: Session.Refreshments | None = None
    high_level: bool | None = Field(
        None, description="A high-level meeting needs a reserve. Left out when planning: true for a board's sessions."
    )
    group: int | None = Field(None, description="The id of one of your organisation's groups, or null.")
    opportunity: int | None = Field(None, description="The id of one of your organisation's opportunities, or null.")
    contact: int | None = Field(None, description="The contact person: the id of one of your organisation's staff.")


class SessionCreateIn(SessionFieldsIn):
    """A new session, planned but not yet sent. The contact person is you unless you name someone."""

    kind: SessionKind = "meeting"
    title: Annotated[str, field_limit(Session, "title", required=True)]
    starts_at: WhenInWales = Field(description="Without an offset, the time in Wales.")
    ends_at: WhenInWales = Field(description="After starts_at.")
    agenda: Annotated[list[AgendaLine], Field(max_length=50)] = Field(
        [], description="Agenda items in order. The standing item on involvement is added at the end."
    )
    involvement_item: bool = Field(True, description="false leaves out the standing item on involvement.")


class SessionUpdateIn(SessionFieldsIn):
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)] = Field(
        "", description="Told to everyone already invited, with the change."
    )


class CancelIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = Field(
        description="Everyone invited is told."
    )


class InviteIn(Schema):
    model_config = ConfigDict(extra="forbid")

    people: Annotated[list[int], Field(min_length=1, max_length=200)] = Field(
        description="Ids of people who share their details with your organisation."
    )
    role: InvitationRole = "member"


class OverrideIn(Schema):
    """Go ahead with a standard unmet, and say why. The reason appears in reports."""

    model_config = ConfigDict(extra="forbid")

    standard: str = Field(max_length=30, description="A standard's code, as in the session's standards.")
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)]


class AttendanceIn(Schema):
    """Replaces what was recorded for this person at this session."""

    model_config = ConfigDict(extra="forbid")

    status: AttendanceStatus
    role: AttendanceRole = "member"
    minutes_present: Annotated[int, Field(ge=0, le=100_000)] | None = Field(
        None, description="Left out for someone who attended: the whole session."
    )
    stood_in_for: int | None = Field(None, description="The id of the member this person stood in for.")


class ActionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    text: Annotated[str, field_limit(Action, "text", required=True)]
    owner_name: Annotated[str, field_limit(Action, "owner_name", required=True)]
    owner_email: Annotated[str, field_limit(Action, "owner_email")] = Field("", description="Reminders go here.")
    due_on: date


class CheckInIn(Schema):
    model_config = ConfigDict(extra="forbid")

    code: Annotated[str, StringConstraints(strip_whitespace=True, max_length=20)] = Field(
        description="The code shown at the session."
    )


# ---- Output types -----------------------------------------------------------------------


class SessionPersonOut(Schema):
    id: int
    full_name: str


class SessionGroupOut(Schema):
    id: int
    name: str
    name_cy: str


class VenueSummaryOut(Schema):
    id: int
    name: str
    name_cy: str = Field(description="The name in Welsh; blank when only the English was given.")


class VenueOut(VenueSummaryOut):
    """A venue, with the accessibility answers people need to judge it ("yes" or "no")."""

    address: str
    step_free: str
    public_transport: str = Field(description="Public transport at the start and end of the day.")
    parking: str
    hearing_loop: str
    notes: str
    notes_cy: str


class SessionSummaryOut(Schema):
    id: int
    kind: str
    title: str
    title_cy: str
    starts_at: datetime
    ends_at: datetime
    status: str
    group: SessionGroupOut | None
    opportunity_id: int | None
    venue: VenueSummaryOut | None
    online_link: str
    invitations_sent_at: datetime | None
    papers_sent_at: datetime | None


class AgendaItemOut(Schema):
    order: int
    title: str
    title_cy: str = Field(description="The item in Welsh; blank when only the English was given.")
    minutes_allowed: int | None
    about_involvement: bool


class StandardOut(Schema):
    code: str
    name: str
    state: str = Field(description="met, not_met, or pending (can still be met).")
    reason: str
    override_reason: str | None = Field(description="Why the session goes ahead with this standard unmet, if recorded.")


class InvitationOut(Schema):
    id: int
    person: SessionPersonOut | None
    name: str = Field(description="For staff and guests invited by name.")
    role: str
    reply: str
    sent_at: datetime | None
    channel: str


class SessionContactOut(Schema):
    name: str
    email: str


class StaffSessionOut(SessionSummaryOut):
    """A session with its agenda, venue, invitations and each standard, met or not and why."""

    venue: VenueOut | None
    refreshments: str
    high_level: bool
    contact: SessionContactOut
    check_in_code: str = Field(description="For members to check in with on the day.")
    cancelled_reason: str
    agenda: list[AgendaItemOut]
    invitations: list[InvitationOut]
    standards: list[StandardOut]
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_contact(obj: Session) -> SessionContactOut:
        return SessionContactOut(name=obj.contact.get_full_name() or obj.contact.email, email=obj.contact.email)

    @staticmethod
    def resolve_agenda(obj: Session) -> list[Any]:
        return list(obj.agenda.all())

    @staticmethod
    def resolve_invitations(obj: Session) -> list[Any]:
        return list(obj.invitations.all())

    @staticmethod
    def resolve_standards(obj: Session) -> list[StandardOut]:
        return [
            StandardOut(
                code=r["code"],
                name=str(r["name"]),
                state=r["state"],
                reason=str(r["reason"]),
                override_reason=r["override"].reason if r["override"] else None,
            )
            for r in selectors.standards_report(obj)
        ]


class SentOut(Schema):
    sent: int = Field(description="How many invitations went out now (by e-mail, or as letters to print).")


class AttendanceOut(Schema):
    """Who attended, for how long and in what role: the evidence a fee needs."""

    person: SessionPersonOut
    status: str
    role: str
    minutes_present: int | None
    stood_in_for: SessionPersonOut | None


class ActionOut(Schema):
    id: int
    session_id: int
    text: str
    owner_name: str
    owner_email: str
    due_on: date
    done_at: datetime | None


class SessionOrganisationOut(Schema):
    id: int
    name: str
    name_cy: str


class MyVenueOut(Schema):
    name: str
    name_cy: str
    address: str
    step_free: str
    public_transport: str
    parking: str
    hearing_loop: str
    notes: str
    notes_cy: str


class MySessionOut(Schema):
    """A session you are invited to, and your reply."""

    id: int
    organisation: SessionOrganisationOut
    kind: str
    title: str
    title_cy: str
    starts_at: datetime
    ends_at: datetime
    status: str = Field(description="invited, held or cancelled.")
    cancelled_reason: str
    venue: MyVenueOut | None
    online_link: str
    reply: str = Field(description="none (not yet), coming or apologies.")

    @staticmethod
    def resolve_reply(obj: Session) -> str:
        mine = getattr(obj, "my_invitations", [])
        return mine[0].reply if mine else Invitation.Reply.NONE.value


class CheckedInSessionOut(Schema):
    id: int
    title: str
    title_cy: str
    starts_at: datetime
    ends_at: datetime


class CheckInOut(Schema):
    session: CheckedInSessionOut
    checked_in_at: datetime | None
    minutes_present: int | None


# ---- Helpers ------------------------------------------------------------------------------


def _session(token: ApiToken, pk: int) -> Session:
    """One of the token's organisation's sessions, with what the output needs; otherwise 404."""
    return selectors.session_for_staff(token.user, token.organisation, pk)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, rules.LONDON)


def _end_of(day: date) -> datetime:
    # The day's last moment rather than the next day's start: there is no day after 9999-12-31.
    return datetime.combine(day, time.max, rules.LONDON)


def _session_fields(payload: SessionFieldsIn, token: ApiToken) -> dict[str, Any]:
    """The fields the client sent, as the services take them: ids become the organisation's objects.

    A null for a text field that may be blank becomes ""; a null for one that cannot
    is passed on, so that the model's own validation names the field.
    """
    sent = payload.model_dump(exclude_unset=True, include=set(services.SESSION_FIELDS))
    organisation = token.organisation
    fields: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, value in sent.items():
        if name == "venue":
            if value is not None:
                value = Venue.objects.filter(organisation=organisation, pk=value).first()
                if value is None:
                    errors["venue"] = [_("Choose one of your organisation's venues.")]
        elif name == "group":
            if value is not None:
                value = Group.objects.filter(organisation=organisation, pk=value).first()
                if value is None:
                    errors["group"] = [_("Choose one of your organisation's groups.")]
        elif name == "opportunity":
            if value is not None:
                value = Opportunity.objects.filter(organisation=organisation, pk=value).first()
                if value is None:
                    errors["opportunity"] = [_("Choose one of your organisation's opportunities.")]
        elif name == "contact":
            # Whether they are staff here is the service's check; an unknown id gets the same message.
            value = User.objects.filter(pk=value).first() if value is not None else None
            if value is None:
                errors["contact"] = [_("The contact person must be a member of your organisation's staff.")]
        elif value is None:
            model_field = Session._meta.get_field(name)
            if isinstance(model_field, models.CharField | models.TextField) and model_field.blank:
                value = ""
        fields[name] = value
    if errors:
        raise ValidationError(errors)
    return fields


def _staff_person(token: ApiToken, pk: int) -> Person | None:
    """Someone who shares their details with the token's organisation, or None."""
    return people_selectors.people_for_staff(token.user, token.organisation).filter(pk=pk).first()


def _attendance(session: Session) -> QuerySet[Attendance]:
    return session.attendance.select_related("person", "stood_in_for").order_by("person__full_name", "pk")


# ---- Staff: sessions ------------------------------------------------------------------------


@router.get(
    "/sessions",
    response={200: list[SessionSummaryOut], **AUTHENTICATED_ERRORS, 422: ErrorOut},
    summary="Your organisation's sessions",
)
@paginate(ListPagination)
def list_sessions(request: HttpRequest, filters: Query[SessionQuery]) -> Any:
    """For coordinators, admins, supervisors and decision-makers: sessions in order of when they start.

    A page at a time (limit, offset). ``from`` and ``to`` are dates in Wales, both included.
    """
    token = require_role(request, *SEEING_WORK)
    if filters.starts_from and filters.to and filters.to < filters.starts_from:
        raise ValidationError({"to": _("Give a date on or after the “from” date.")})
    sessions = selectors.sessions_for_staff(token.user, token.organisation)
    if filters.starts_from:
        sessions = sessions.filter(starts_at__gte=_start_of(filters.starts_from))
    if filters.to:
        sessions = sessions.filter(starts_at__lte=_end_of(filters.to))
    if filters.status:
        sessions = sessions.filter(status=filters.status)
    if filters.group is not None:
        sessions = sessions.filter(group_id=filters.group)
    return sessions.select_related("group", "venue").order_by("starts_at", "pk")


class AttendanceFileQuery(Schema):
    starts_from: date | None = Field(None, alias="from", description="Sessions starting on or after this day")
    to: date | None = Field(None, description="Sessions starting on or before this day")
    format: Literal["csv", "xlsx"] = Field("csv", description="csv, or xlsx for a workbook with typed cells")


@router.get(
    "/sessions/attendance/file",
    response={200: None, **AUTHENTICATED_ERRORS, 422: ErrorOut},
    summary="Attendance at your organisation's sessions as a file (CSV or XLSX)",
    openapi_extra={
        "responses": {
            200: {
                "description": "One row per person recorded at each session: session, group, start, person, "
                "perspective, attendance, role, minutes present",
                "content": spreadsheets.openapi_file_content(),
            }
        }
    },
)
def attendance_download(request: HttpRequest, query: Query[AttendanceFileQuery]) -> Any:
    """For the same staff as the sessions list. Only people who share their details with the organisation are named."""
    token = require_role(request, *SEEING_WORK)
    if query.starts_from and query.to and query.to < query.starts_from:
        raise ValidationError({"to": _("Give a date on or after the “from” date.")})
    name, content = documents.attendance_file(
        selectors.sessions_for_staff(token.user, token.organisation),
        token.organisation,
        query.format,
        start=query.starts_from,
        end=query.to,
    )
    return documents.attendance_response(name, content, query.format)


@router.get(
    "/sessions/{session_id}",
    response={200: StaffSessionOut, **AUTHENTICATED_ERRORS, 404: ErrorOut},
    summary="One session, with the standards",
)
def get_session(request: HttpRequest, session_id: int) -> Session:
    """For coordinators, admins, supervisors and decision-makers: the session, its agenda, venue,
    invitations and each standard, met or not and why, with any reason recorded for going ahead."""
    token = require_role(request, *SEEING_WORK)
    return _session(token, session_id)


@router.post(
    "/sessions",
    response={201: StaffSessionOut, **AUTHENTICATED_ERRORS, 422: ErrorOut},
    summary="Plan a session",
)
def plan_session(request: HttpRequest, payload: SessionCreateIn) -> Status[Session]:
    """For coordinators and admins: plan a session at one of your venues or online. Nobody is told yet.

    The standing agenda item on involvement is added unless ``involvement_item`` is false.
    A session of a board is high-level unless you say otherwise.
    """
    token = require_role(request, *COORDINATING)
    fields = _session_fields(payload, token)
    session = services.plan_session(
        actor=token.user,
        organisation=token.organisation,
        fields=fields,
        agenda=[line for line in payload.agenda if line],
        involvement_item=payload.involvement_item,
    )
    return Status(201, _session(token, session.pk))


@router.patch(
    "/sessions/{session_id}",
    response={200: StaffSessionOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Change a session",
)
def change_session(request: HttpRequest, session_id: int, payload: SessionUpdateIn) -> Session:
    """For coordinators and admins: change the fields you send, and leave the rest.

    Everyone already sent an invitation is told the same way, with your ``note``.
    """
    token = require_role(request, *COORDINATING)
    session = _session(token, session_id)
    services.change_session(
        actor=token.user, session=session, fields=_session_fields(payload, token), note=payload.note
    )
    return _session(token, session_id)


@router.post(
    "/sessions/{session_id}/cancel",
    response={200: StaffSessionOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Cancel a session",
)
def cancel_session(request: HttpRequest, session_id: int, payload: CancelIn) -> Session:
    """For coordinators and admins: everyone already invited is told, with your reason."""
    token = require_role(request, *COORDINATING)
    session = _session(token, session_id)
    services.cancel_session(actor=token.user, session=session, reason=payload.reason)
    return _session(token, session_id)


@router.post(
    "/sessions/{session_id}/invitations",
    response={200: StaffSessionOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Add people to the invitation list",
)
def invite(request: HttpRequest, session_id: int, payload: InviteIn) -> Session:
    """For coordinators and admins: add people who share their details with your organisation.

    Someone already on the list keeps their role. Nobody is told until the invitations are sent.
    """
    token = require_role(request, *COORDINATING)
    session = _session(token, session_id)
    wanted = list(dict.fromkeys(payload.people))
    people = {p.pk: p for p in people_selectors.people_for_staff(token.user, token.organisation).filter(pk__in=wanted)}
    unknown = [str(pk) for pk in wanted if pk not in people]
    if unknown:
        raise ValidationError(
            {
                "people": _("These are not people who share their details with your organisation: %(ids)s.")
                % {"ids": ", ".join(unknown)}
            }
        )
    services.invite(actor=token.user, session=session, people=[people[pk] for pk in wanted], role=payload.role)
    return _session(token, session_id)


@router.post(
    "/sessions/{session_id}/overrides",
    response={200: StaffSessionOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Go ahead with a standard unmet, saying why",
)
def record_override(request: HttpRequest, session_id: int, payload: OverrideIn) -> Session:
    """For coordinators and admins: record why the session goes ahead with a standard unmet.

    Sending the invitations needs a reason for every standard that is not met. The reasons appear in reports.
    """
    token = require_role(request, *COORDINATING)
    session = _session(token, session_id)
    services.record_override(actor=token.user, session=session, standard=payload.standard, reason=payload.reason)
    return _session(token, session_id)


@router.post(
    "/sessions/{session_id}/send",
    response={200: SentOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Send the invitations",
)
def send_invitations(request: HttpRequest, session_id: int) -> SentOut:
    """For coordinators and admins: send every invitation not yet sent, by each person's channel.

    E-mails go with a calendar invitation; letters wait in the print batch. Refused while a
    standard is not met and no reason is recorded for going ahead.
    """
    token = require_role(request, *COORDINATING)
    session = _session(token, session_id)
    return SentOut(sent=services.send_invitations(actor=token.user, session=session))


# ---- Staff: attendance ------------------------------------------------------------------------


@router.get(
    "/sessions/{session_id}/attendance",
    response={200: list[AttendanceOut], **AUTHENTICATED_ERRORS, 404: ErrorOut},
    summary="Who attended",
)
def list_attendance(request: HttpRequest, session_id: int) -> QuerySet[Attendance]:
    """For coordinators, admins, supervisors and decision-makers: attendance and apologies, by name."""
    token = require_role(request, *SEEING_WORK)
    return _attendance(_session(token, session_id))


@router.put(
    "/sessions/{session_id}/attendance/{person_id}",
    response={200: AttendanceOut, 201: AttendanceOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Record someone's attendance",
)
def mark_attendance(request: HttpRequest, session_id: int, person_id: int, payload: AttendanceIn) -> Status[Attendance]:
    """For coordinators and admins: 201 when first recorded, 200 when it replaces what was recorded.

    Only someone invited can be marked, or someone standing in for a member (``stood_in_for``).
    """
    token = require_role(request, *COORDINATING)
    session = _session(token, session_id)
    person = _staff_person(token, person_id)
    if person is None:
        raise Http404
    stood_in_for = None
    if payload.stood_in_for is not None:
        stood_in_for = _staff_person(token, payload.stood_in_for)
        if stood_in_for is None:
            raise ValidationError(
                {"stood_in_for": _("Choose someone who shares their details with your organisation.")}
            )
    existed = Attendance.objects.filter(session=session, person=person).exists()
    attendance = services.mark_attendance(
        actor=token.user,
        session=session,
        person=person,
        status=payload.status,
        role=payload.role,
        minutes_present=payload.minutes_present,
        stood_in_for=stood_in_for,
    )
    return Status(200 if existed else 201, _attendance(session).get(pk=attendance.pk))


# ---- Staff: actions ---------------------------------------------------------------------------


@router.get(
    "/sessions/{session_id}/actions",
    response={200: list[ActionOut], **AUTHENTICATED_ERRORS, 404: ErrorOut},
    summary="A session's actions",
)
def list_actions(request: HttpRequest, session_id: int) -> QuerySet[Action]:
    """For coordinators, admins, supervisors and decision-makers: actions in order of when they are due."""
    token = require_role(request, *SEEING_WORK)
    return _session(token, session_id).actions.order_by("due_on", "pk")


@router.post(
    "/sessions/{session_id}/actions",
    response={201: ActionOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Add an action",
)
def add_action(request: HttpRequest, session_id: int, payload: ActionIn) -> Status[Action]:
    """For coordinators and admins: an action with its owner and due date. The owner is reminded."""
    token = require_role(request, *COORDINATING)
    session = _session(token, session_id)
    action = services.add_action(
        actor=token.user,
        session=session,
        text=payload.text,
        owner_name=payload.owner_name,
        owner_email=payload.owner_email,
        due_on=payload.due_on,
    )
    return Status(201, action)


@router.post(
    "/actions/{action_id}/done",
    response={200: ActionOut, **AUTHENTICATED_ERRORS, 404: ErrorOut},
    summary="Mark an action done",
)
def complete_action(request: HttpRequest, action_id: int) -> Action:
    """For coordinators and admins. Marking it done again keeps the first time it was done."""
    token = require_role(request, *COORDINATING)
    action = (
        Action.objects.filter(session__in=selectors.sessions_for_staff(token.user, token.organisation), pk=action_id)
        .select_related("session__organisation")
        .first()
    )
    if action is None:
        raise Http404
    return services.complete_action(actor=token.user, action=action)


# ---- A member's own sessions ----------------------------------------------------------------


@router.get(
    "/me/sessions",
    response={200: list[MySessionOut], **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Your upcoming sessions",
)
@paginate(ListPagination)
def my_sessions(request: HttpRequest) -> Any:
    """With a member token: sessions you are invited to that have not yet ended, soonest first, and your reply.

    Like your responses to opportunities, these are yours with every organisation, so each says whose it is.
    A cancelled session stays in the list, with why, so that nobody turns up to it.
    """
    _token, person = member_person(request)
    mine = Prefetch("invitations", queryset=Invitation.objects.filter(person=person), to_attr="my_invitations")
    return selectors.upcoming_for(person).prefetch_related(None).prefetch_related(mine)


@router.post(
    "/me/check-in",
    response={201: CheckInOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Check in at a session",
)
def check_in(request: HttpRequest, payload: CheckInIn) -> Status[Attendance]:
    """With a member token: check in with the code shown at the session, on the day, once.

    A wrong code, a day other than the session's, or checking in twice is refused with a message to show.
    """
    token, person = member_person(request)
    try:
        attendance = services.check_in(actor=token.user, person=person, code=payload.code)
    except ValidationError as error:
        # The message is the answer to show the member, so it is the error's message, not only a field's.
        messages = [str(m) for m in error.messages]
        raise ApiError(422, "invalid", " ".join(messages), fields={"code": messages}) from None
    return Status(201, attendance)
