"""Planned supervision through the API: staff of the organisation plan, move, cancel and record as held
(another organisation's plans are a 404); a member token reads the member's own invitations and says
whether they can come. Every write is a service, so a refusal reads as on the web (422, with the field)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import ConfigDict

from withus.accounts.roles import SUPPORTING
from withus.api.auth import member_person, require_role
from withus.api.errors import AUTHENTICATED_ERRORS, ErrorOut
from withus.api.schemas import ListPagination, text
from withus.meetings.api import WhenInWales

from .. import selectors as support_selectors
from . import selectors, services
from .models import PlannedSupervision, SupervisionInvitation

router = Router(tags=["planned supervision"])

How = Literal["in_person", "phone", "video"]
Answer = Literal["waiting", "coming", "not_coming"]


class PlannedInvitedOut(Schema):
    invitation_id: int = Field(description="To record an answer they gave by phone or letter")
    person_id: int
    name: str
    channel: str
    answer: Answer


class PlannedSupervisionOut(Schema):
    id: int
    kind: Literal["one_to_one", "peer_group"]
    person_id: int | None
    group_id: int | None
    supervisor: str
    starts_at: datetime
    minutes: int
    how: How
    where: str
    status: Literal["planned", "cancelled", "held"]
    cancelled_reason: str
    supervision_id: int | None = Field(description="The supervision record it became once held")
    invited: list[PlannedInvitedOut]


class PlanSupervisionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    starts_at: WhenInWales = Field(description="Not in the past; a time without an offset is wall-clock time in Wales")
    minutes: int = Field(description="From 15 to 480")
    how: How = "in_person"
    where: Annotated[str, text(300, min_length=1)] = Field(description="Where, or the phone number or video link")


class CancelSupervisionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str, text(300, min_length=1)]


class HeldSupervisionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    note: Annotated[str, text(2000)] = ""


class MyPlannedSupervisionOut(Schema):
    id: int = Field(description="The invitation's id, to answer it")
    organisation: str
    kind: Literal["one_to_one", "peer_group"]
    supervisor: str
    starts_at: datetime
    minutes: int
    how: How
    where: str
    status: Literal["planned", "cancelled", "held"]
    answer: Answer


class ComingIn(Schema):
    model_config = ConfigDict(extra="forbid")

    coming: bool


def _out(plan: PlannedSupervision) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "kind": plan.kind,
        "person_id": plan.person_id,
        "group_id": plan.group_id,
        "supervisor": plan.supervisor_name,
        "starts_at": plan.starts_at,
        "minutes": plan.minutes,
        "how": plan.how,
        "where": plan.where,
        "status": plan.status,
        "cancelled_reason": plan.cancelled_reason,
        "supervision_id": plan.supervision_id,
        "invited": [
            {
                "invitation_id": i.pk,
                "person_id": i.person_id,
                "name": i.person.full_name,
                "channel": i.channel,
                "answer": i.answer,
            }
            for i in plan.invitations.all()
        ],
    }


def _mine(invitation: SupervisionInvitation) -> dict[str, Any]:
    plan = invitation.plan
    return {
        "id": invitation.pk,
        "organisation": str(plan.organisation),
        "kind": plan.kind,
        "supervisor": plan.supervisor_name,
        "starts_at": plan.starts_at,
        "minutes": plan.minutes,
        "how": plan.how,
        "where": plan.where,
        "status": plan.status,
        "answer": invitation.answer,
    }


WRITE = {**AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut}


@router.get(
    "/support/planned-supervisions",
    response={200: list[PlannedSupervisionOut], **AUTHENTICATED_ERRORS},
    summary="Planned supervisions",
)
@paginate(ListPagination)
def planned_supervisions(request: HttpRequest) -> list[dict[str, Any]]:
    """For staff who support people: the organisation's planned supervisions, those still to hold first."""
    token = require_role(request, *SUPPORTING)
    return [_out(p) for p in selectors.plans_at(token.user, token.organisation)]


@router.get(
    "/support/planned-supervisions/{plan_id}",
    response={200: PlannedSupervisionOut, **AUTHENTICATED_ERRORS, 404: ErrorOut},
    summary="A planned supervision",
)
def planned_supervision(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    token = require_role(request, *SUPPORTING)
    return _out(selectors.plan_for_staff(token.user, token.organisation, plan_id))


@router.post(
    "/support/people/{person_id}/planned-supervisions",
    response={201: PlannedSupervisionOut, **WRITE},
    summary="Plan a one-to-one supervision",
)
def plan_one_to_one(request: HttpRequest, person_id: int, payload: PlanSupervisionIn) -> Status[dict[str, Any]]:
    """You are the supervisor; a member's support contact cannot supervise them (422). The member is invited."""
    token = require_role(request, *SUPPORTING)
    person = support_selectors.person_for_support(token.user, token.organisation, person_id)
    made = services.plan(actor=token.user, organisation=token.organisation, person=person, **payload.model_dump())
    return Status(201, _out(selectors.plan_for_staff(token.user, token.organisation, made.pk)))


@router.post(
    "/support/supervision-groups/{group_id}/planned-supervisions",
    response={201: PlannedSupervisionOut, **WRITE},
    summary="Plan a peer supervision group's supervision",
)
def plan_for_group(request: HttpRequest, group_id: int, payload: PlanSupervisionIn) -> Status[dict[str, Any]]:
    """You are the supervisor; every member of the group is invited."""
    token = require_role(request, *SUPPORTING)
    group = support_selectors.supervision_group(token.user, token.organisation, group_id)
    made = services.plan(actor=token.user, organisation=token.organisation, group=group, **payload.model_dump())
    return Status(201, _out(selectors.plan_for_staff(token.user, token.organisation, made.pk)))


@router.put(
    "/support/planned-supervisions/{plan_id}",
    response={200: PlannedSupervisionOut, **WRITE},
    summary="Move or change a planned supervision",
)
def move(request: HttpRequest, plan_id: int, payload: PlanSupervisionIn) -> dict[str, Any]:
    """For its supervisor or a coordinator: everyone invited is told, and asked again whether they can come."""
    token = require_role(request, *SUPPORTING)
    found = selectors.plan_for_staff(token.user, token.organisation, plan_id)
    services.move(actor=token.user, plan=found, **payload.model_dump())
    return _out(selectors.plan_for_staff(token.user, token.organisation, plan_id))


@router.post(
    "/support/planned-supervisions/{plan_id}/cancel",
    response={200: PlannedSupervisionOut, **WRITE},
    summary="Cancel a planned supervision",
)
def cancel(request: HttpRequest, plan_id: int, payload: CancelSupervisionIn) -> dict[str, Any]:
    """For its supervisor or a coordinator: everyone invited is told why."""
    token = require_role(request, *SUPPORTING)
    found = selectors.plan_for_staff(token.user, token.organisation, plan_id)
    services.cancel(actor=token.user, plan=found, reason=payload.reason)
    return _out(selectors.plan_for_staff(token.user, token.organisation, plan_id))


@router.post(
    "/support/planned-supervisions/{plan_id}/held",
    response={200: PlannedSupervisionOut, **WRITE},
    summary="Record a planned supervision as held",
)
def record_held(request: HttpRequest, plan_id: int, payload: HeldSupervisionIn) -> dict[str, Any]:
    """For its supervisor, once it has started: it becomes the supervision record, with the note."""
    token = require_role(request, *SUPPORTING)
    found = selectors.plan_for_staff(token.user, token.organisation, plan_id)
    services.record_held(actor=token.user, plan=found, note=payload.note)
    return _out(selectors.plan_for_staff(token.user, token.organisation, plan_id))


@router.put(
    "/support/planned-supervisions/{plan_id}/invitations/{invitation_id}/answer",
    response={200: PlannedSupervisionOut, **WRITE},
    summary="Record a member's answer given by phone or letter",
)
def answer_for(request: HttpRequest, plan_id: int, invitation_id: int, payload: ComingIn) -> dict[str, Any]:
    """For its supervisor or a coordinator, until it starts; the supervisor is told when the member cannot come."""
    token = require_role(request, *SUPPORTING)
    invitation = selectors.invitation_for_staff(token.user, token.organisation, plan_id, invitation_id)
    services.answer_for(actor=token.user, invitation=invitation, coming=payload.coming)
    return _out(selectors.plan_for_staff(token.user, token.organisation, plan_id))


@router.get(
    "/support/me/planned-supervisions",
    response={200: list[MyPlannedSupervisionOut], **AUTHENTICATED_ERRORS, 404: ErrorOut},
    summary="My planned supervision",
)
def my_planned(request: HttpRequest) -> list[dict[str, Any]]:
    """With a member token: supervisions planned for you at the token's organisation, soonest first."""
    token, person = member_person(request)
    invitations = selectors.invitations_of(person, now=timezone.now()).filter(plan__organisation=token.organisation)
    return [_mine(i) for i in invitations[:100]]


@router.put(
    "/support/me/planned-supervisions/{invitation_id}/answer",
    response={200: MyPlannedSupervisionOut, **WRITE},
    summary="Say whether I can come to a planned supervision",
)
def answer(request: HttpRequest, invitation_id: int, payload: ComingIn) -> dict[str, Any]:
    """With a member token: until it starts; your supervisor is told when you cannot come."""
    _token, person = member_person(request)
    invitation = selectors.invitation_for_member(person, invitation_id)
    services.answer(actor=_token.user, invitation=invitation, coming=payload.coming)
    return _mine(invitation)
