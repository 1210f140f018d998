"""Support through the API: support contacts, contacts, calls, handing over to cover and the digest.

Staff tokens work in their own organisation only: a member who does not share their
details with it, or anything of another organisation, is a 404. Member tokens read and
ask for their own support only. Every write is a service, which keeps the rules (a
supervisor is never the support contact; a contact is not dated in the future; cover
ends after today), so a refusal here reads exactly as on the web (422, with the field).
Safeguarding notes are returned only to a safeguarding lead's token.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import ConfigDict

from withus.accounts.models import ApiToken, User
from withus.accounts.roles import ADMINISTERING, ASSIGNING_SUPPORT, SAFEGUARDING, SUPPORTING
from withus.api.auth import member_person, require_role
from withus.api.errors import AUTHENTICATED_ERRORS, ErrorOut
from withus.api.schemas import ListPagination, text
from withus.groups.models import Appointment
from withus.people import selectors as people_selectors
from withus.people.models import Person

from . import selectors, services
from .models import (
    CallRequest,
    Contact,
    DevelopmentGoal,
    Mentoring,
    Supervision,
    SupervisionGroup,
    SupportAssignment,
    SupportSettings,
)

router = Router(tags=["support"])

Part = Literal["support_contact", "supervisor"]
ContactKind = Literal["call", "visit", "message", "meeting", "check_in"]
AskedHow = Literal["letter", "phone", "in_person"]


class StaffOut(Schema):
    id: int
    name: str
    email: str


class AssignmentOut(Schema):
    id: int
    part: Part
    staff: StaffOut
    reason: str
    starts_at: datetime
    ended_at: datetime | None
    cover_until: date | None


class ContactOut(Schema):
    id: int
    kind: ContactKind
    on: date
    note: str
    safeguarding: bool


class CallOut(Schema):
    id: int
    how: str
    asked_at: datetime
    due_at: datetime
    answered_at: datetime | None


class PersonSupportOut(Schema):
    person_id: int
    support_contact: AssignmentOut | None
    supervisor: AssignmentOut | None
    contacts: list[ContactOut]
    calls_waiting: list[CallOut]


class AssignIn(Schema):
    model_config = ConfigDict(extra="forbid")

    part: Part
    staff: int = Field(description="The user id of someone who works for your organisation.")
    reason: Annotated[str, text(300, min_length=1)] = Field(description="Kept in the member's history.")


class ContactIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: ContactKind = "call"
    on: date = Field(description="The day of the contact; not in the future.")
    note: Annotated[str, text(1000)] = ""
    safeguarding: bool = Field(False, description="Seen only by the safeguarding lead, never by the member.")


class StaffCallIn(Schema):
    model_config = ConfigDict(extra="forbid")

    how: AskedHow
    note: Annotated[str, text(1000)] = ""


class CallAnswerIn(Schema):
    model_config = ConfigDict(extra="forbid")

    note: Annotated[str, text(1000)] = ""


class HandoverIn(Schema):
    model_config = ConfigDict(extra="forbid")

    from_staff: int = Field(description="The user id of whose people to hand over.")
    to_staff: int = Field(description="The user id of who covers.")
    until: date | None = Field(None, description="The last day of cover, after today; null for good.")
    reason: Annotated[str, text(300, min_length=1)]


class HandoverOut(Schema):
    handed: int


class DigestLineOut(Schema):
    person_id: int
    name: str
    parts: list[Part]
    reasons: list[str] = Field(description="no_contact, call_asked, debrief_call, check_in_due, supervision_overdue")
    days_since_contact: int | None


class MySupportOut(Schema):
    organisation: str
    support_contact: StaffOut | None
    supervisor: StaffOut | None
    check_in_every_days: int | None


class MemberCallIn(Schema):
    model_config = ConfigDict(extra="forbid")

    note: Annotated[str, text(1000)] = ""


class CheckInsIn(Schema):
    model_config = ConfigDict(extra="forbid")

    every_days: int | None = Field(None, ge=7, le=365, description="Days between check-ins; null for none.")


def _staff_out(user: User) -> dict[str, Any]:
    return {"id": user.pk, "name": user.get_full_name() or user.email, "email": user.email}


def _assignment_out(a: SupportAssignment | None) -> dict[str, Any] | None:
    if a is None:
        return None
    return {
        "id": a.pk,
        "part": a.part,
        "staff": _staff_out(a.staff),
        "reason": a.reason,
        "starts_at": a.starts_at,
        "ended_at": a.ended_at,
        "cover_until": a.cover_until,
    }


def _user(token: ApiToken, pk: int, field: str) -> User:
    user = User.objects.filter(pk=pk).first()
    if user is None:
        raise ValidationError({field: _("There is nobody with this id at your organisation.")})
    return user


def _person_support(token: ApiToken, person_id: int) -> dict[str, Any]:
    person = selectors.person_for_support(token.user, token.organisation, person_id)
    current = selectors.current_assignments(person, token.organisation)
    contacts = selectors.contacts_for_staff(token.user, token.organisation, person)
    if token.role not in SAFEGUARDING:
        contacts = contacts.filter(safeguarding=False)  # a lead's other tokens read as their role does
    return {
        "person_id": person.pk,
        "support_contact": _assignment_out(current.get("support_contact")),
        "supervisor": _assignment_out(current.get("supervisor")),
        "contacts": list(contacts[:200]),
        "calls_waiting": selectors.waiting_calls(person, token.organisation),
    }


@router.get(
    "/support/people/{person_id}",
    response={200: PersonSupportOut, **AUTHENTICATED_ERRORS, 404: ErrorOut},
    summary="A member's support",
)
def person_support(request: HttpRequest, person_id: int) -> dict[str, Any]:
    """For staff who support people: who supports the member, the contacts with them and calls waiting."""
    token = require_role(request, *SUPPORTING)
    return _person_support(token, person_id)


@router.post(
    "/support/people/{person_id}/assignments",
    response={201: AssignmentOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Name a support contact or supervisor",
)
def assign(request: HttpRequest, person_id: int, payload: AssignIn) -> Status[dict[str, Any] | None]:
    """For coordinators and admins: the one before ends with your reason, and the member is told.

    A supervisor can never be the member's support contact, nor the other way round (422).
    """
    token = require_role(request, *ASSIGNING_SUPPORT)
    person = selectors.person_for_support(token.user, token.organisation, person_id)
    assignment = services.assign(
        actor=token.user,
        person=person,
        organisation=token.organisation,
        part=payload.part,
        staff=_user(token, payload.staff, "staff"),
        reason=payload.reason,
    )
    return Status(201, _assignment_out(assignment))


@router.post(
    "/support/people/{person_id}/contacts",
    response={201: ContactOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Record a contact",
)
def record_contact(request: HttpRequest, person_id: int, payload: ContactIn) -> Status[Contact]:
    """For staff who support people: a call, visit, message, meeting or check-in, with a short note."""
    token = require_role(request, *SUPPORTING)
    person = selectors.person_for_support(token.user, token.organisation, person_id)
    contact = services.record_contact(
        actor=token.user, person=person, organisation=token.organisation, **payload.model_dump()
    )
    return Status(201, contact)


@router.post(
    "/support/people/{person_id}/calls",
    response={201: CallOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Record a call a member asked for",
)
def record_call(request: HttpRequest, person_id: int, payload: StaffCallIn) -> Status[CallRequest]:
    """For a member who asked by letter, by phone or in person: it reaches their support contact with a due time."""
    token = require_role(request, *SUPPORTING)
    person = selectors.person_for_support(token.user, token.organisation, person_id)
    call = services.ask_for_call(
        actor=token.user, person=person, organisation=token.organisation, how=payload.how, note=payload.note
    )
    return Status(201, call)


@router.post(
    "/support/calls/{call_id}/answer",
    response={200: ContactOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Record that a call was returned",
)
def answer_call(request: HttpRequest, call_id: int, payload: CallAnswerIn) -> Contact:
    """The request is closed, and the call is recorded as a contact the member can read."""
    token = require_role(request, *SUPPORTING)
    call = CallRequest.objects.filter(pk=call_id, organisation=token.organisation).select_related("person").first()
    if call is None:
        raise Http404
    selectors.person_for_support(token.user, token.organisation, call.person)
    return services.answer_call(actor=token.user, call=call, note=payload.note)


@router.post(
    "/support/handover",
    response={200: HandoverOut, **AUTHENTICATED_ERRORS, 422: ErrorOut},
    summary="Hand someone's people to cover",
)
def hand_over(request: HttpRequest, payload: HandoverIn) -> dict[str, int]:
    """For coordinators and admins: everyone a support contact or supervisor has goes to cover, and each is told."""
    token = require_role(request, *ASSIGNING_SUPPORT)
    handover = services.hand_over(
        actor=token.user,
        organisation=token.organisation,
        from_staff=_user(token, payload.from_staff, "from_staff"),
        to_staff=_user(token, payload.to_staff, "to_staff"),
        until=payload.until,
        reason=payload.reason,
    )
    return {"handed": len(handover.handed)}


@router.get(
    "/support/digest", response={200: list[DigestLineOut], **AUTHENTICATED_ERRORS}, summary="Your support digest"
)
def digest(request: HttpRequest) -> list[dict[str, Any]]:
    """The people you support or supervise who need you now, most urgent first, and why."""
    token = require_role(request, *SUPPORTING)
    return [
        {
            "person_id": line.person.pk,
            "name": line.person.full_name,
            "parts": list(line.parts),
            "reasons": list(line.entry.reasons),
            "days_since_contact": line.entry.days_since_contact,
        }
        for line in selectors.digest_for(token.user, token.organisation)
    ]


@router.get(
    "/support/me", response={200: list[MySupportOut], **AUTHENTICATED_ERRORS, 404: ErrorOut}, summary="My support"
)
def my_support(request: HttpRequest) -> list[dict[str, Any]]:
    """With a member token: who supports you at each organisation you share your details with."""
    _token, person = member_person(request)
    return [
        {
            "organisation": str(s.organisation),
            "support_contact": _staff_out(s.support_contact.staff) if s.support_contact else None,
            "supervisor": _staff_out(s.supervisor.staff) if s.supervisor else None,
            "check_in_every_days": s.check_in_every_days,
        }
        for s in selectors.my_support(person)
    ]


@router.get(
    "/support/me/contacts",
    response={200: list[ContactOut], **AUTHENTICATED_ERRORS, 404: ErrorOut},
    summary="My contacts",
)
def my_contacts(request: HttpRequest) -> list[Contact]:
    """With a member token: the contacts with you, at the token's organisation. Never a safeguarding note."""
    token, person = member_person(request)
    return list(selectors.contacts_for_member(person).filter(organisation=token.organisation)[:200])


@router.post(
    "/support/me/calls",
    response={201: CallOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Ask for a call",
)
def ask_for_call(request: HttpRequest, payload: MemberCallIn) -> Status[CallRequest]:
    """With a member token: ask the token's organisation for a call. Your support contact is told, with a due time."""
    token, person = member_person(request)
    if not people_selectors.shares_with(person, token.organisation):
        raise Http404
    call = services.ask_for_call(actor=token.user, person=person, organisation=token.organisation, note=payload.note)
    return Status(201, call)


@router.put(
    "/support/me/check-ins",
    response={200: CheckInsIn, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Choose wellbeing check-ins",
)
def choose_check_ins(request: HttpRequest, payload: CheckInsIn) -> dict[str, int | None]:
    """With a member token: how often you would like the token's organisation to check in on how you are."""
    token, person = member_person(request)
    if not people_selectors.shares_with(person, token.organisation):
        raise Http404
    plan = services.choose_check_ins(
        actor=token.user, person=person, organisation=token.organisation, every_days=payload.every_days
    )
    return {"every_days": plan.every_days if plan else None}


# ---- Supervision and development plans --------------------------------------------------------

Progress = Literal["not_started", "under_way", "done"]


class NoteOut(Schema):
    author: str
    text: str
    at: datetime


class SupervisionOut(Schema):
    id: int
    kind: Literal["one_to_one", "peer_group"]
    on: date
    supervisor: str
    notes: list[NoteOut]


class SupervisionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    on: date = Field(description="The day it was held; not in the future. You are the supervisor.")
    note: Annotated[str, text(2000)] = ""


class NoteIn(Schema):
    model_config = ConfigDict(extra="forbid")

    text: Annotated[str, text(2000, min_length=1)]


class GoalIn(Schema):
    model_config = ConfigDict(extra="forbid")

    goal: Annotated[str, text(300, min_length=1)]
    steps: Annotated[str, text(2000)] = ""
    who_helps: Annotated[str, text(300)] = ""
    review_on: date = Field(description="Not in the past.")
    progress: Progress = "not_started"


class GoalOut(Schema):
    id: int
    goal: str
    steps: str
    who_helps: str
    review_on: date
    progress: Progress


def _supervision_out(s: Supervision) -> dict[str, Any]:
    return {
        "id": s.pk,
        "kind": s.kind,
        "on": s.on,
        "supervisor": str(s.supervisor),
        "notes": [{"author": n.author, "text": n.text, "at": n.at} for n in s.notes.all()],
    }


@router.post(
    "/support/people/{person_id}/supervisions",
    response={201: SupervisionOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Record a one-to-one supervision",
)
def record_supervision(request: HttpRequest, person_id: int, payload: SupervisionIn) -> Status[dict[str, Any]]:
    """You are the supervisor; a member's support contact cannot supervise them (422)."""
    token = require_role(request, *SUPPORTING)
    person = selectors.person_for_support(token.user, token.organisation, person_id)
    supervision = services.record_supervision(
        actor=token.user, organisation=token.organisation, person=person, on=payload.on, note=payload.note
    )
    return Status(201, _supervision_out(selectors.supervisions_of(person).get(pk=supervision.pk)))


@router.get(
    "/support/me/supervisions",
    response={200: list[SupervisionOut], **AUTHENTICATED_ERRORS, 404: ErrorOut},
    summary="My supervision",
)
def my_supervisions(request: HttpRequest) -> list[dict[str, Any]]:
    """With a member token: your supervisions at the token's organisation, one-to-one and in groups, with notes."""
    token, person = member_person(request)
    return [_supervision_out(s) for s in selectors.supervisions_of(person, token.organisation)[:100]]


@router.post(
    "/support/me/supervisions/{supervision_id}/notes",
    response={201: SupervisionOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Add to a supervision's notes",
)
def add_note(request: HttpRequest, supervision_id: int, payload: NoteIn) -> Status[dict[str, Any]]:
    """With a member token: add to the notes of a supervision you were at."""
    token, person = member_person(request)
    supervision = selectors.supervision_for_member(person, supervision_id)
    services.add_supervision_note(actor=token.user, supervision=supervision, text=payload.text)
    return Status(201, _supervision_out(selectors.supervision_for_member(person, supervision_id)))


@router.get("/support/me/plan", response={200: list[GoalOut], **AUTHENTICATED_ERRORS, 404: ErrorOut}, summary="My plan")
def my_plan(request: HttpRequest) -> list[DevelopmentGoal]:
    """With a member token: the goals of your personal development plan with the token's organisation."""
    token, person = member_person(request)
    return list(selectors.goals_of(person).filter(organisation=token.organisation))


@router.post(
    "/support/me/plan",
    response={201: GoalOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Add a goal to my plan",
)
def add_goal(request: HttpRequest, payload: GoalIn) -> Status[DevelopmentGoal]:
    """With a member token: a review date in the past is refused (422)."""
    token, person = member_person(request)
    if not people_selectors.shares_with(person, token.organisation):
        raise Http404
    goal = services.save_goal(actor=token.user, person=person, organisation=token.organisation, **payload.model_dump())
    return Status(201, goal)


@router.put(
    "/support/me/plan/{goal_id}",
    response={200: GoalOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Change a goal of my plan",
)
def change_goal(request: HttpRequest, goal_id: int, payload: GoalIn) -> DevelopmentGoal:
    """With a member token: only your own goals, at the token's organisation."""
    token, person = member_person(request)
    existing = selectors.goals_of(person).filter(pk=goal_id, organisation=token.organisation).first()
    if existing is None:
        raise Http404
    return services.save_goal(
        actor=token.user, person=person, organisation=token.organisation, existing=existing, **payload.model_dump()
    )


# ---- Mentors and buddies ---------------------------------------------------------------------


class MentoringIn(Schema):
    model_config = ConfigDict(extra="forbid")

    new_member: int | None = Field(None, description="A person's id; left out when appointment is given.")
    mentor: int | None = Field(None, description="A person's id; for a seat, the appointment's buddy if left out.")
    appointment: int | None = Field(None, description="The id of the seat's appointment, for a buddy on a seat.")
    starts_on: date
    review_on: date = Field(description="After starts_on, and not in the past.")
    agreed: Annotated[str, text(2000)] = ""


class MentoringCheckInOut(Schema):
    on: date
    note: str
    author: str


class MentoringOut(Schema):
    id: int
    new_member_id: int
    mentor_id: int
    appointment_id: int | None
    starts_on: date
    review_on: date
    agreed: str
    ended_on: date | None
    end_reason: str
    check_ins: list[MentoringCheckInOut]


class MentoringCheckInIn(Schema):
    model_config = ConfigDict(extra="forbid")

    on: date = Field(description="Not in the future, nor before the pairing started.")
    note: Annotated[str, text(1000, min_length=1)]


class EndMentoringIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str, text(300, min_length=1)] = Field(description="Why it is ending: the other person is told")
    on: date | None = Field(None, description="Today if left out; not in the future, nor before it started")


def _mentoring_out(m: Mentoring) -> dict[str, Any]:
    return {
        "id": m.pk,
        "new_member_id": m.new_member_id,
        "mentor_id": m.mentor_id,
        "appointment_id": m.appointment_id,
        "starts_on": m.starts_on,
        "review_on": m.review_on,
        "agreed": m.agreed,
        "ended_on": m.ended_on,
        "end_reason": m.end_reason,
        "check_ins": [{"on": c.on, "note": c.note, "author": c.author} for c in m.check_ins.all()],
    }


def _shared_person(token: ApiToken, pk: int | None) -> Person | None:
    if pk is None:
        return None
    return selectors.person_for_support(token.user, token.organisation, pk)


@router.get(
    "/support/mentoring", response={200: list[MentoringOut], **AUTHENTICATED_ERRORS}, summary="Mentors and buddies"
)
@paginate(ListPagination)
def mentoring_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Every pairing at your organisation, current first."""
    token = require_role(request, *SUPPORTING)
    return [_mentoring_out(m) for m in selectors.mentoring_at(token.user, token.organisation)]


@router.post(
    "/support/mentoring",
    response={201: MentoringOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Pair a new member with a mentor or buddy",
)
def start_mentoring(request: HttpRequest, payload: MentoringIn) -> Status[dict[str, Any]]:
    """For coordinators and admins. For a seat, the appointment's buddy becomes the mentor: one buddy, not two."""
    token = require_role(request, *ASSIGNING_SUPPORT)
    appointment = None
    if payload.appointment is not None:
        appointment = (
            Appointment.objects.filter(pk=payload.appointment, group__organisation=token.organisation)
            .select_related("group", "person", "buddy")
            .first()
        )
        if appointment is None:
            raise Http404
    pair = services.start_mentoring(
        actor=token.user,
        organisation=token.organisation,
        new_member=_shared_person(token, payload.new_member),
        mentor=_shared_person(token, payload.mentor),
        appointment=appointment,
        starts_on=payload.starts_on,
        review_on=payload.review_on,
        agreed=payload.agreed,
    )
    return Status(201, _mentoring_out(pair))


@router.get(
    "/support/me/mentoring",
    response={200: list[MentoringOut], **AUTHENTICATED_ERRORS, 404: ErrorOut},
    summary="My mentors and buddies",
)
def my_mentoring(request: HttpRequest) -> list[dict[str, Any]]:
    """With a member token: the pairings you are in at the token's organisation, as new member or mentor."""
    token, person = member_person(request)
    return [_mentoring_out(m) for m in selectors.mentoring_of(person).filter(organisation=token.organisation)]


@router.post(
    "/support/me/mentoring/{mentoring_id}/check-ins",
    response={201: MentoringOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Say how a pairing is going",
)
def mentoring_check_in(request: HttpRequest, mentoring_id: int, payload: MentoringCheckInIn) -> Status[dict[str, Any]]:
    """With a member token: either of the pair writes how it is going."""
    token, person = member_person(request)
    pair = selectors.mentoring_for_member(person, mentoring_id)
    services.mentoring_check_in(actor=token.user, mentoring=pair, on=payload.on, note=payload.note)
    return Status(201, _mentoring_out(selectors.mentoring_for_member(person, mentoring_id)))


@router.post(
    "/support/mentoring/{mentoring_id}/end",
    response={200: MentoringOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="End a pairing, with the reason",
)
def end_mentoring(request: HttpRequest, mentoring_id: int, payload: EndMentoringIn) -> dict[str, Any]:
    """For coordinators and admins. Both of the pair are told."""
    token = require_role(request, *ASSIGNING_SUPPORT)
    pair = selectors.mentoring_for_staff(token.user, token.organisation, mentoring_id)
    services.end_mentoring(actor=token.user, mentoring=pair, reason=payload.reason, on=payload.on)
    return _mentoring_out(pair)


@router.post(
    "/support/me/mentoring/{mentoring_id}/end",
    response={200: MentoringOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="End a pairing you are in, with the reason",
)
def end_my_mentoring(request: HttpRequest, mentoring_id: int, payload: EndMentoringIn) -> dict[str, Any]:
    """With a member token: either of the pair ends it; the other is told."""
    token, person = member_person(request)
    pair = selectors.mentoring_for_member(person, mentoring_id)
    services.end_mentoring(actor=token.user, mentoring=pair, reason=payload.reason, on=payload.on)
    return _mentoring_out(pair)


# ---- Peer supervision groups and the organisation's settings ------------------------------------


class GroupMemberOut(Schema):
    id: int
    name: str


class SupervisionGroupOut(Schema):
    id: int
    name: str
    supervisor: StaffOut
    members: list[GroupMemberOut]


class SupervisionGroupIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, text(200, min_length=1)]
    supervisor: int = Field(description="A staff user of your organisation who supports people")
    members: list[int] = Field(description="People who share their details with your organisation", min_length=1)


class SupportSettingsOut(Schema):
    contact_every_days: int
    supervision_every_weeks: int
    call_within_hours: int


class SupportSettingsIn(Schema):
    model_config = ConfigDict(extra="forbid")

    contact_every_days: int = Field(description="From 1 to 365: the digest lists people not contacted for longer")
    supervision_every_weeks: int = Field(description="From 1 to 52: when the next supervision is due")
    call_within_hours: int = Field(description="From 1 to 168: a call asked for not returned by then is escalated")


def _group_out(group: SupervisionGroup) -> dict[str, Any]:
    return {
        "id": group.pk,
        "name": group.name,
        "supervisor": _staff_out(group.supervisor),
        "members": [{"id": p.pk, "name": p.full_name} for p in group.members.all()],
    }


@router.get(
    "/support/supervision-groups",
    response={200: list[SupervisionGroupOut], **AUTHENTICATED_ERRORS},
    summary="Peer supervision groups",
)
@paginate(ListPagination)
def supervision_groups(request: HttpRequest) -> list[dict[str, Any]]:
    token = require_role(request, *SUPPORTING)
    return [_group_out(g) for g in selectors.supervision_groups(token.user, token.organisation)]


@router.post(
    "/support/supervision-groups",
    response={201: SupervisionGroupOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Start a peer supervision group",
)
def create_supervision_group(request: HttpRequest, payload: SupervisionGroupIn) -> Status[dict[str, Any]]:
    """For coordinators and admins."""
    token = require_role(request, *ASSIGNING_SUPPORT)
    members = [
        selectors.person_for_support(token.user, token.organisation, pk) for pk in dict.fromkeys(payload.members)
    ]
    group = services.create_supervision_group(
        actor=token.user,
        organisation=token.organisation,
        name=payload.name,
        supervisor=_user(token, payload.supervisor, "supervisor"),
        members=members,
    )
    return Status(201, _group_out(selectors.supervision_group(token.user, token.organisation, group.pk)))


@router.get(
    "/support/supervision-groups/{group_id}/supervisions",
    response={200: list[SupervisionOut], **AUTHENTICATED_ERRORS, 404: ErrorOut},
    summary="A peer supervision group's supervisions, with their notes",
)
def group_supervisions(request: HttpRequest, group_id: int) -> list[dict[str, Any]]:
    token = require_role(request, *SUPPORTING)
    group = selectors.supervision_group(token.user, token.organisation, group_id)
    return [_supervision_out(s) for s in selectors.group_supervisions(group)]


@router.post(
    "/support/supervision-groups/{group_id}/supervisions",
    response={201: SupervisionOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Record a peer supervision group's meeting",
)
def record_group_supervision(request: HttpRequest, group_id: int, payload: SupervisionIn) -> Status[dict[str, Any]]:
    """You are the supervisor; the date is not in the future."""
    token = require_role(request, *SUPPORTING)
    group = selectors.supervision_group(token.user, token.organisation, group_id)
    supervision = services.record_supervision(
        actor=token.user, organisation=token.organisation, group=group, on=payload.on, note=payload.note
    )
    return Status(201, _supervision_out(selectors.group_supervisions(group).get(pk=supervision.pk)))


@router.get(
    "/support/settings",
    response={200: SupportSettingsOut, **AUTHENTICATED_ERRORS},
    summary="How often members are contacted and supervised, and how soon calls are returned",
)
def support_settings(request: HttpRequest) -> SupportSettings:
    token = require_role(request, *SUPPORTING)
    return selectors.support_settings(token.organisation)


@router.put(
    "/support/settings",
    response={200: SupportSettingsOut, **AUTHENTICATED_ERRORS, 422: ErrorOut},
    summary="Change the organisation's support settings",
)
def change_support_settings(request: HttpRequest, payload: SupportSettingsIn) -> SupportSettings:
    """For admins."""
    token = require_role(request, *ADMINISTERING)
    return services.save_settings(actor=token.user, organisation=token.organisation, **payload.model_dump())
