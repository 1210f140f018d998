""" "You said, we did" through the API: contributions, their answers, timelines, replies and follow-ups.

Staff tokens work in their own organisation only: a contribution of another
organisation, or a person who does not share their details with it, is a 404. Member
tokens read their own contributions only, send what they said at a session they
attended, and reply on their own timelines. Every write is a service, so a refusal
reads as on the web (422, with the field): an answer with no reason, a change claimed
without saying what changed.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import ConfigDict

from withus.accounts.models import ApiToken, Organisation, User
from withus.accounts.roles import ANSWERING_CONTRIBUTIONS, MEMBERS, RECORDING_CONTRIBUTIONS, SEEING_CONTRIBUTIONS
from withus.api.auth import member_person, require_role, token_of
from withus.api.errors import AUTHENTICATED_ERRORS, ErrorOut
from withus.api.schemas import ListPagination, text
from withus.groups.models import Group
from withus.meetings.models import Session
from withus.opportunities.models import Opportunity
from withus.people import selectors as people_selectors

from . import selectors, services
from .models import Contribution, FollowUp, Step

router = Router(tags=["impact"])

DecisionValue = Literal["adopted", "partly", "not_adopted", "pending"]
PerspectiveValue = Literal["service_user", "carer", "both", "other"]


class ContributorOut(Schema):
    person_id: int
    agrees_to_publish: bool
    agrees_to_be_named: bool


class ContributionOut(Schema):
    id: int
    kind: Literal["said", "asked"]
    text: str
    view: Literal["personal", "representative"]
    perspective: PerspectiveValue
    minority_view: bool
    session_id: int | None
    opportunity_id: int | None
    project_id: int | None
    on_behalf_of_id: int | None
    service: str
    outcome: str = Field(description="The latest decision, or empty when not answered yet.")
    recorded_at: datetime
    answer_due_on: date
    overdue: bool
    follow_up_due_on: date | None


class AnswerActionOut(Schema):
    id: int
    text: str
    owner_name: str
    due_on: date
    done_at: datetime | None


class AnswerOut(Schema):
    id: int
    decision: DecisionValue
    reason: str
    decided_by: str
    answered_at: datetime
    action: AnswerActionOut | None


class StepOut(Schema):
    id: int
    kind: str
    text: str
    at: datetime
    by_person_id: int | None
    answer: AnswerOut | None


class FollowUpOut(Schema):
    asked_at: datetime
    answered_at: datetime | None
    changed: bool | None
    what_changed: str


class TimelineOut(Schema):
    contribution: ContributionOut
    contributors: list[ContributorOut]
    steps: list[StepOut]
    follow_up: FollowUpOut | None


class ContributorIn(Schema):
    model_config = ConfigDict(extra="forbid")

    person_id: int
    agrees_to_publish: bool = False
    agrees_to_be_named: bool = False


class ContributionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    text: Annotated[str, text(4000, min_length=1)]
    kind: Literal["said", "asked"] = "said"
    view: Literal["personal", "representative"] = "personal"
    perspective: PerspectiveValue
    minority_view: bool = False
    contributors: list[ContributorIn] = Field(default_factory=list, max_length=100)
    session_id: int | None = None
    opportunity_id: int | None = None
    project_id: int | None = None
    on_behalf_of_id: int | None = Field(None, description="The group a representative view speaks for.")
    service: Annotated[str, text(200)] = ""
    decision_maker_id: int | None = Field(None, description="The user id of who answers it.")


class SubmitIn(Schema):
    model_config = ConfigDict(extra="forbid")

    session_id: int = Field(description="A session you attended.")
    text: Annotated[str, text(4000, min_length=1)]
    kind: Literal["said", "asked"] = "said"
    on_behalf_of_id: int | None = Field(None, description="A group you hold a seat on, when you spoke for it.")
    agrees_to_publish: bool = False
    agrees_to_be_named: bool = False


class ContributionAnswerIn(Schema):
    model_config = ConfigDict(extra="forbid")

    decision: DecisionValue
    reason: Annotated[str, text(4000)] = Field(description="Required: why, in plain words.")
    decided_by: Annotated[str, text(200)] = ""
    action_text: Annotated[str, text(1000)] = ""
    action_owner_name: Annotated[str, text(150)] = ""
    action_owner_email: Annotated[str, text(254)] = ""
    action_due_on: date | None = None


class ReplyIn(Schema):
    model_config = ConfigDict(extra="forbid")

    text: Annotated[str, text(4000)]
    question: bool = False


class FollowUpIn(Schema):
    model_config = ConfigDict(extra="forbid")

    changed: bool
    what_changed: Annotated[str, text(4000)] = Field("", description="Required when changed is true.")
    intended_outcomes: Annotated[str, text(2000)] = ""
    difference_made: Annotated[str, text(2000)] = ""
    how_it_felt: Annotated[str, text(2000)] = ""
    end_result: Annotated[str, text(2000)] = ""
    beyond: Annotated[str, text(2000)] = ""


def _contribution_out(c: Contribution) -> dict[str, Any]:
    return {
        "id": c.pk,
        "kind": c.kind,
        "text": c.text,
        "view": c.view,
        "perspective": c.perspective,
        "minority_view": c.minority_view,
        "session_id": c.session_id,
        "opportunity_id": c.opportunity_id,
        "project_id": c.project_id,
        "on_behalf_of_id": c.on_behalf_of_id,
        "service": c.service,
        "outcome": c.outcome,
        "recorded_at": c.recorded_at,
        "answer_due_on": c.answer_due_on,
        "overdue": c.is_overdue,
        "follow_up_due_on": c.follow_up_due_on,
    }


def _timeline_out(contribution: Contribution) -> dict[str, Any]:
    timeline = selectors.timeline(contribution)
    follow_up = timeline.follow_up
    return {
        "contribution": _contribution_out(contribution),
        "contributors": [
            {
                "person_id": c.person_id,
                "agrees_to_publish": c.agrees_to_publish,
                "agrees_to_be_named": c.agrees_to_be_named,
            }
            for c in timeline.contributors
        ],
        "steps": [_step_out(s) for s in timeline.steps],
        "follow_up": None
        if follow_up is None
        else {
            "asked_at": follow_up.asked_at,
            "answered_at": follow_up.answered_at,
            "changed": follow_up.changed,
            "what_changed": follow_up.what_changed,
        },
    }


def _step_out(step: Step) -> dict[str, Any]:
    return {
        "id": step.pk,
        "kind": step.kind,
        "text": step.text,
        "at": step.at,
        "by_person_id": step.by_person_id,
        "answer": step.answer,
    }


def _in_organisation(model: Any, pk: int | None, organisation: Organisation, field: str) -> Any:
    if pk is None:
        return None
    found = model.objects.filter(pk=pk, organisation=organisation).first()
    if found is None:
        raise ValidationError({field: _("There is none with this id at your organisation.")})
    return found


def _contribution(token: ApiToken, pk: int) -> Contribution:
    organisation = None if token.role in MEMBERS else token.organisation
    return selectors.contribution_for(token.user, pk, organisation=organisation)


@router.get(
    "/impact/contributions",
    response={200: list[ContributionOut], **AUTHENTICATED_ERRORS},
    summary="Contributions",
)
@paginate(ListPagination)
def list_contributions(request: HttpRequest, outcome: str = "") -> list[dict[str, Any]]:
    """For staff: the organisation's contributions, newest first; ``outcome`` is a decision or "unanswered"."""
    token = require_role(request, *SEEING_CONTRIBUTIONS)
    return [_contribution_out(c) for c in selectors.contributions_for_staff(token.organisation, outcome=outcome)]


@router.post(
    "/impact/contributions",
    response={201: TimelineOut, **AUTHENTICATED_ERRORS, 422: ErrorOut},
    summary="Record a contribution",
)
def record(request: HttpRequest, payload: ContributionIn) -> Status[dict[str, Any]]:
    """For coordinators: what was said or asked, by whom, and whose view; the contributors are told."""
    token = require_role(request, *RECORDING_CONTRIBUTIONS)
    organisation = token.organisation
    contributors = []
    for choice in payload.contributors:
        try:
            person = people_selectors.person_sharing_with(organisation, choice.person_id)
        except people_selectors.NotShared as missing:
            raise ValidationError(
                {"contributors": _("There is nobody with this id at your organisation.")}
            ) from missing
        contributors.append(services.ContributorChoice(person, choice.agrees_to_publish, choice.agrees_to_be_named))
    decision_maker = User.objects.filter(pk=payload.decision_maker_id).first() if payload.decision_maker_id else None
    if payload.decision_maker_id and decision_maker is None:
        raise ValidationError({"decision_maker": _("There is nobody with this id at your organisation.")})
    contribution = services.record_contribution(
        actor=token.user,
        organisation=organisation,
        text=payload.text,
        kind=payload.kind,
        perspective=payload.perspective,
        view=payload.view,
        minority_view=payload.minority_view,
        contributors=contributors,
        session=_in_organisation(Session, payload.session_id, organisation, "session"),
        opportunity=_in_organisation(Opportunity, payload.opportunity_id, organisation, "opportunity"),
        project=_in_organisation(Group, payload.project_id, organisation, "project"),
        on_behalf_of=_in_organisation(Group, payload.on_behalf_of_id, organisation, "on_behalf_of"),
        service=payload.service,
        decision_maker=decision_maker,
    )
    return Status(201, _timeline_out(contribution))


@router.get(
    "/impact/contributions/{contribution_id}",
    response={200: TimelineOut, **AUTHENTICATED_ERRORS, 404: ErrorOut},
    summary="A contribution's timeline",
)
def timeline(request: HttpRequest, contribution_id: int) -> dict[str, Any]:
    """Said, answered, the action's progress, checked again, and replies. Members: their own only."""
    token = token_of(request)
    if token.role not in MEMBERS:
        token = require_role(request, *SEEING_CONTRIBUTIONS)
    return _timeline_out(_contribution(token, contribution_id))


@router.post(
    "/impact/contributions/{contribution_id}/answers",
    response={201: TimelineOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Answer a contribution",
)
def answer(request: HttpRequest, contribution_id: int, payload: ContributionAnswerIn) -> Status[dict[str, Any]]:
    """For decision-makers: the decision, the reason (required) and who decided; optionally an action.

    An action needs the contribution to have been made at a session (it is one of the session's actions).
    """
    token = require_role(request, *ANSWERING_CONTRIBUTIONS)
    contribution = _contribution(token, contribution_id)
    services.answer_contribution(actor=token.user, contribution=contribution, **payload.model_dump())
    return Status(201, _timeline_out(contribution))


@router.post(
    "/impact/contributions/{contribution_id}/replies",
    response={201: StepOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Reply or ask a question on a timeline",
)
def reply(request: HttpRequest, contribution_id: int, payload: ReplyIn) -> Status[dict[str, Any]]:
    """Members on their own contributions; staff who answer contributions on any of the organisation's."""
    token = token_of(request)
    if token.role not in MEMBERS:
        token = require_role(request, *ANSWERING_CONTRIBUTIONS)
    contribution = _contribution(token, contribution_id)
    step = services.reply(actor=token.user, contribution=contribution, text=payload.text, question=payload.question)
    return Status(201, _step_out(step))


@router.post(
    "/impact/contributions/{contribution_id}/follow-up",
    response={200: TimelineOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Say what changed, months later",
)
def follow_up(request: HttpRequest, contribution_id: int, payload: FollowUpIn) -> dict[str, Any]:
    """For the owner asked by the daily round: whether anything changed, what (required if so), and 003's questions."""
    token = require_role(request, *ANSWERING_CONTRIBUTIONS)
    contribution = _contribution(token, contribution_id)
    waiting = get_object_or_404(FollowUp, contribution=contribution)
    services.answer_follow_up(actor=token.user, follow_up=waiting, **payload.model_dump())
    return _timeline_out(contribution)


@router.get(
    "/impact/me/contributions",
    response={200: list[ContributionOut], **AUTHENTICATED_ERRORS},
    summary="What I said",
)
@paginate(ListPagination)
def my_contributions(request: HttpRequest) -> list[dict[str, Any]]:
    """For members: every contribution of theirs that was recorded, with its answer."""
    _token, person = member_person(request)
    return [_contribution_out(c) for c in selectors.contributions_of(person)]


@router.post(
    "/impact/me/contributions",
    response={201: TimelineOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Add what I said at a session",
)
def submit(request: HttpRequest, payload: SubmitIn) -> Status[dict[str, Any]]:
    """For members: something said or asked at a session they attended; a representative names the group."""
    token, person = member_person(request)
    session = get_object_or_404(Session, pk=payload.session_id, attendance__person=person)
    group = None
    if payload.on_behalf_of_id is not None:
        group = Group.objects.filter(pk=payload.on_behalf_of_id).first()
        if group is None:
            raise ValidationError({"on_behalf_of": _("You can speak only for a group you hold a seat on.")})
    contribution = services.submit_contribution(
        actor=token.user,
        person=person,
        session=session,
        text=payload.text,
        kind=payload.kind,
        on_behalf_of=group,
        agrees_to_publish=payload.agrees_to_publish,
        agrees_to_be_named=payload.agrees_to_be_named,
    )
    return Status(201, _timeline_out(contribution))
