"""Concerns through the API: anyone raises one and follows it up by reference and PIN (no token);
a member reads their own; staff record, move and answer them. Every rule is in ``services``."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import ConfigDict

from withus.accounts.models import Organisation, User
from withus.accounts.roles import HANDLING_CONCERNS, REVIEWING_APPEALS
from withus.api.auth import member_person, require_role
from withus.api.errors import AUTHENTICATED_ERRORS, ApiError, ErrorOut
from withus.api.schemas import ListPagination, field_limit

from . import rules, selectors, services
from .models import Concern

router = Router(tags=["concerns"])

KindName = Literal["concern", "complaint"]
AboutName = Literal["member", "staff", "support_organisation", "host_organisation", "process"]
StageName = Literal["acknowledged", "looking_into", "resolution", "response", "closed"]


class RaiseIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: KindName = "concern"
    about: AboutName
    about_detail: Annotated[str, field_limit(Concern, "about_detail")] = ""
    agreement_id: int | None = Field(None, description="The group ground rules it is about (GET /me/agreements)")
    text: Annotated[str, field_limit(Concern, "text")] = Field(description="What happened; required")
    wanted: Annotated[str, field_limit(Concern, "wanted")] = ""
    anonymous: bool = False
    raiser_name: Annotated[str, field_limit(Concern, "raiser_name")] = Field("", description="Unless anonymous")
    raiser_contact: Annotated[str, field_limit(Concern, "raiser_contact")] = Field("", description="Unless anonymous")


class RecordIn(RaiseIn):
    channel: Literal["phone", "letter", "in_person"]


class RaisedOut(Schema):
    reference: str
    pin: str | None = Field(description="Shown once and never again: only its hash is kept. None for a member's own.")
    acknowledge_by: date


class ConcernStepOut(Schema):
    stage: str
    on: date
    told: str


class ConcernFollowUpOut(Schema):
    """What the person who raised the concern can read."""

    reference: str
    stage: str
    received_on: date
    acknowledge_by: date
    respond_by: date | None = Field(description="None while waiting for you, or while the date is to be agreed")
    waiting_for_you: str | None = Field(description="What we asked you, while the clock waits for your answer")
    told: list[ConcernStepOut]
    messages: list[str]
    ombudsman: str | None


class PinIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reference: Annotated[str, field_limit(Concern, "reference", required=True)]
    pin: Annotated[str, Field(min_length=1, max_length=20)]


class PinMessageIn(PinIn):
    text: Annotated[str, Field(max_length=5000)]


class PinAppealIn(PinIn):
    grounds: Annotated[str, Field(max_length=5000)]


class ConcernOut(Schema):
    id: int
    reference: str
    kind: str
    about: str
    about_detail: str
    agreement_id: int | None
    text: str
    wanted: str
    channel: str
    anonymous: bool
    stage: str
    received_on: date
    holder: str | None = Field(description="The e-mail address of who holds it")
    rule_set: str
    outcome: str


class StaffConcernOut(ConcernOut):
    acknowledge_by: date
    respond_by: date | None
    overdue: str | None = Field(description="acknowledgement, response, or None")


class MoveIn(Schema):
    model_config = ConfigDict(extra="forbid")

    stage: StageName
    told: Annotated[str, Field(max_length=5000)]
    note: Annotated[str, Field(max_length=2000)] = ""
    holder_id: int | None = None


class AskIn(Schema):
    model_config = ConfigDict(extra="forbid")

    asked: Annotated[str, Field(max_length=2000)]


class ExtensionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    agreed_on: date | None = Field(None, description="When it was agreed with the person; required")
    respond_by: date | None = None
    reason: Annotated[str, Field(max_length=2000)] = ""


class ReviewerIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reviewer_id: int


class OutcomeIn(Schema):
    model_config = ConfigDict(extra="forbid")

    outcome: Literal["well_founded", "partly", "not_well_founded"]
    learning: Annotated[str, Field(max_length=2000)] = ""


def _follow_up(concern: Concern) -> ConcernFollowUpOut:
    concern = selectors.with_timeline(Concern.objects.filter(pk=concern.pk)).get()
    clock = selectors.clock_of(concern)
    waiting = selectors.open_pause(concern)
    ombudsman = concern.ombudsman
    return ConcernFollowUpOut(
        reference=concern.reference,
        stage=concern.stage,
        received_on=concern.received_on,
        acknowledge_by=clock.acknowledge_by,
        respond_by=clock.respond_by,
        waiting_for_you=waiting.asked if waiting is not None else None,
        told=[ConcernStepOut(stage=s.stage, on=s.on, told=s.told) for s in concern.steps.all() if s.told],
        messages=[m.text for m in concern.messages.all()],
        ombudsman=str(ombudsman.name) if ombudsman is not None else None,
    )


def _by_pin(request: HttpRequest, payload: PinIn) -> Concern:
    try:
        concern = selectors.followed_up(request, payload.reference, payload.pin)
    except selectors.TooManyTries:
        raise ApiError(
            429, "too_many_tries", _("Too many wrong PINs have been tried. Wait a few minutes and try again.")
        ) from None
    if concern is None:
        raise ApiError(404, "not_found", _("The reference or the PIN is not right. Check them and try again."))
    return concern


def _staff_out(concern: Concern) -> StaffConcernOut:
    clock = selectors.clock_of(concern)
    fields = {name: getattr(concern, name) for name in ConcernOut.model_fields if name != "holder"}
    return StaffConcernOut(
        **fields,
        holder=concern.holder.email if concern.holder is not None else None,
        acknowledge_by=clock.acknowledge_by,
        respond_by=clock.respond_by,
        overdue=rules.overdue(stage=concern.stage, due=clock, today=timezone.localdate()),
    )


PIN_ERRORS: dict[int, type[ErrorOut]] = {404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


@router.post(
    "/concerns/raise/{organisation_slug}",
    auth=None,
    response={201: RaisedOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Raise a concern or complaint",
)
def raise_concern(request: HttpRequest, organisation_slug: str, payload: RaiseIn) -> Status[RaisedOut]:
    """Anyone, with no token. Anonymous, or with a name and a way to reach you. Keep the PIN: it is shown once.

    Ten concerns an hour may be raised from one address (429 after that)."""
    organisation = get_object_or_404(Organisation, slug=organisation_slug)
    if not selectors.may_raise(request):
        raise ApiError(429, "too_many_requests", str(selectors.RAISED_TOO_OFTEN) % {"organisation": organisation})
    raised = services.raise_concern(organisation=organisation, fields=payload.dict())
    clock = selectors.clock_of(raised.concern)
    return Status(
        201, RaisedOut(reference=raised.concern.reference, pin=raised.pin, acknowledge_by=clock.acknowledge_by)
    )


@router.post(
    "/concerns/follow-up", auth=None, response={200: ConcernFollowUpOut, **PIN_ERRORS}, summary="Follow up a concern"
)
def follow_up(request: HttpRequest, payload: PinIn) -> ConcernFollowUpOut:
    """With the reference and PIN, no token. Wrong PINs are limited per reference and per address (429)."""
    return _follow_up(_by_pin(request, payload))


@router.post(
    "/concerns/follow-up/message",
    auth=None,
    response={200: ConcernFollowUpOut, **PIN_ERRORS},
    summary="Write about a concern",
)
def follow_up_message(request: HttpRequest, payload: PinMessageIn) -> ConcernFollowUpOut:
    """Answer a question (the clock starts again) or add something."""
    concern = _by_pin(request, payload)
    services.answer(concern=concern, text=payload.text)
    return _follow_up(concern)


@router.post(
    "/concerns/follow-up/appeal",
    auth=None,
    response={200: ConcernFollowUpOut, **PIN_ERRORS},
    summary="Appeal a response",
)
def follow_up_appeal(request: HttpRequest, payload: PinAppealIn) -> ConcernFollowUpOut:
    """After a response: someone not involved before reviews it."""
    concern = _by_pin(request, payload)
    services.appeal(concern=concern, grounds=payload.grounds)
    return _follow_up(concern)


@router.get(
    "/me/concerns",
    response={200: list[ConcernFollowUpOut], **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Concerns you raised",
)
@paginate(ListPagination)
def my_concerns(request: HttpRequest) -> Any:
    """With a member token: the concerns you raised under your name (anonymous ones are linked to no one)."""
    _token, person = member_person(request)
    return [_follow_up(c) for c in selectors.concerns_raised_by(person)]


@router.get(
    "/staff/concerns",
    response={200: list[StaffConcernOut], **AUTHENTICATED_ERRORS, 422: ErrorOut},
    summary="Your organisation's concerns",
)
@paginate(ListPagination)
def list_concerns(request: HttpRequest) -> Any:
    """Those your role lets you see; never one about you."""
    token = require_role(request, *REVIEWING_APPEALS)
    return [
        _staff_out(c) for c in selectors.concerns_for_staff(token.user, token.organisation).prefetch_related("pauses")
    ]


@router.post(
    "/staff/concerns",
    response={201: RaisedOut, **AUTHENTICATED_ERRORS, 422: ErrorOut},
    summary="Record a concern raised by phone, letter or in person",
)
def record_concern(request: HttpRequest, payload: RecordIn) -> Status[RaisedOut]:
    token = require_role(request, *HANDLING_CONCERNS)
    raised = services.raise_concern(organisation=token.organisation, fields=payload.dict(), recorded_by=token.user)
    clock = selectors.clock_of(raised.concern)
    return Status(
        201, RaisedOut(reference=raised.concern.reference, pin=raised.pin, acknowledge_by=clock.acknowledge_by)
    )


@router.get(
    "/staff/concerns/{concern_id}",
    response={200: StaffConcernOut, **AUTHENTICATED_ERRORS, 404: ErrorOut},
    summary="One concern",
)
def get_concern(request: HttpRequest, concern_id: int) -> StaffConcernOut:
    token = require_role(request, *REVIEWING_APPEALS)
    return _staff_out(selectors.concern_for_staff(token.user, token.organisation, concern_id))


def _holder(token_organisation: Organisation, pk: int | None) -> User | None:
    if pk is None:
        return None
    found = User.objects.filter(pk=pk, memberships__organisation=token_organisation).first()
    if found is None:
        raise ApiError(
            422,
            "invalid",
            _("Choose someone from your organisation."),
            {"holder_id": [_("Choose someone from your organisation.")]},
        )
    return found


@router.post(
    "/staff/concerns/{concern_id}/stage",
    response={200: StaffConcernOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Move a concern to its next stage",
)
def move_concern(request: HttpRequest, concern_id: int, payload: MoveIn) -> StaffConcernOut:
    """Say what the person is told. A response to an appeal comes from its reviewer."""
    token = require_role(request, *REVIEWING_APPEALS)
    concern = selectors.concern_for_staff(token.user, token.organisation, concern_id)
    services.move(
        actor=token.user,
        concern=concern,
        stage=payload.stage,
        told=payload.told,
        note=payload.note,
        holder=_holder(token.organisation, payload.holder_id),
    )
    return _staff_out(selectors.concern_for_staff(token.user, token.organisation, concern_id))


@router.post(
    "/staff/concerns/{concern_id}/ask",
    response={200: StaffConcernOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Ask the person who raised it (pauses the clock)",
)
def ask(request: HttpRequest, concern_id: int, payload: AskIn) -> StaffConcernOut:
    token = require_role(request, *HANDLING_CONCERNS)
    concern = selectors.concern_for_staff(token.user, token.organisation, concern_id)
    services.ask_raiser(actor=token.user, concern=concern, asked=payload.asked)
    return _staff_out(selectors.concern_for_staff(token.user, token.organisation, concern_id))


@router.post(
    "/staff/concerns/{concern_id}/extension",
    response={200: StaffConcernOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Record an extension agreed with the person",
)
def extension(request: HttpRequest, concern_id: int, payload: ExtensionIn) -> StaffConcernOut:
    """Refused without the date it was agreed."""
    token = require_role(request, *HANDLING_CONCERNS)
    concern = selectors.concern_for_staff(token.user, token.organisation, concern_id)
    services.extend(
        actor=token.user,
        concern=concern,
        agreed_on=payload.agreed_on,
        respond_by=payload.respond_by,
        reason=payload.reason,
    )
    return _staff_out(selectors.concern_for_staff(token.user, token.organisation, concern_id))


@router.post(
    "/staff/concerns/{concern_id}/reviewer",
    response={200: StaffConcernOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Name who reviews an appeal",
)
def reviewer(request: HttpRequest, concern_id: int, payload: ReviewerIn) -> StaffConcernOut:
    """Someone who has not been involved before."""
    token = require_role(request, *HANDLING_CONCERNS)
    concern = selectors.concern_for_staff(token.user, token.organisation, concern_id)
    found = _holder(token.organisation, payload.reviewer_id)
    assert found is not None
    services.assign_appeal_reviewer(actor=token.user, concern=concern, reviewer=found)
    return _staff_out(selectors.concern_for_staff(token.user, token.organisation, concern_id))


@router.post(
    "/staff/concerns/{concern_id}/outcome",
    response={200: StaffConcernOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Record whether it was well founded and what is done differently",
)
def outcome(request: HttpRequest, concern_id: int, payload: OutcomeIn) -> StaffConcernOut:
    token = require_role(request, *REVIEWING_APPEALS)
    concern = selectors.concern_for_staff(token.user, token.organisation, concern_id)
    services.record_outcome(actor=token.user, concern=concern, outcome=payload.outcome, learning=payload.learning)
    return _staff_out(selectors.concern_for_staff(token.user, token.organisation, concern_id))
