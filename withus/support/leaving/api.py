"""Leaving well through the API: staff offer a step-down role and a thank-you, list the offers and
record an answer given by letter or phone (their own organisation only; others 404); a member
token reads the member's own offers and answers them. Every write is a service, which keeps the
rules, so a refusal reads as on the web (422, with the field). The certificate is a PDF at
``certificate_url``, signed in as on the web."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.conf import settings
from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import ConfigDict

from withus.accounts.models import ApiToken
from withus.accounts.roles import ASSIGNING_SUPPORT, SUPPORTING
from withus.api.auth import member_person, require_role
from withus.api.errors import AUTHENTICATED_ERRORS, ErrorOut
from withus.api.schemas import ListPagination, text
from withus.groups.models import Appointment, Group
from withus.people.models import Person

from .. import selectors as support_selectors
from . import selectors, services
from .models import LeavingOffer

router = Router(tags=["leaving well"])

StepDown = Literal["none", "mentor", "deputy", "alternate"]


class LeavingOfferOut(Schema):
    id: int
    organisation: str
    person_id: int
    appointment_id: int | None = Field(description="The seat whose term ended, if it was a seat")
    served_as: str
    served_from: date
    served_until: date
    step_down: str = Field(description="none, mentor, deputy or alternate")
    new_member_id: int | None
    review_on: date | None
    group_id: int | None
    term_start: date | None
    planned_end: date | None
    message: str
    offered_at: datetime
    answer: str = Field(description="waiting, accepted or declined")
    answered_at: datetime | None
    mentoring_id: int | None = Field(description="The pairing accepting started")
    seat_id: int | None = Field(description="The appointment accepting started")
    certificate_url: str = Field(description="The thank-you certificate, a PDF")


class LeavingOfferIn(Schema):
    model_config = ConfigDict(extra="forbid")

    appointment: int | None = Field(None, description="The id of their seat whose term ended; left out if they left")
    served_as: Annotated[str, text(200, min_length=1)] = Field(
        description="The role they served in, as the certificate names it"
    )
    served_from: date = Field(description="Not after today")
    served_until: date = Field(description="On or after served_from")
    step_down: StepDown = "none"
    new_member: int | None = Field(None, description="For a mentor: the new member, who shares with your organisation")
    review_on: date | None = Field(None, description="For a mentor: after today")
    group: int | None = Field(None, description="For a deputy or an alternate: one of your organisation's groups")
    term_start: date | None = Field(None, description="For a deputy or an alternate")
    planned_end: date | None = Field(None, description="For a deputy or an alternate: after term_start")
    message: Annotated[str, text(2000)] = ""


class LeavingAnswerIn(Schema):
    model_config = ConfigDict(extra="forbid")

    accept: bool


def _out(offer: LeavingOffer, *, own: bool) -> dict[str, Any]:
    name = "support:leaving_my_certificate" if own else "support:leaving_staff_certificate"
    return {
        "id": offer.pk,
        "organisation": str(offer.organisation),
        "person_id": offer.person_id,
        "appointment_id": offer.appointment_id,
        "served_as": offer.served_as,
        "served_from": offer.served_from,
        "served_until": offer.served_until,
        "step_down": offer.step_down,
        "new_member_id": offer.new_member_id,
        "review_on": offer.review_on,
        "group_id": offer.group_id,
        "term_start": offer.term_start,
        "planned_end": offer.planned_end,
        "message": offer.message,
        "offered_at": offer.offered_at,
        "answer": offer.answer,
        "answered_at": offer.answered_at,
        "mentoring_id": offer.mentoring_id,
        "seat_id": offer.seat_id,
        "certificate_url": settings.SITE_URL + reverse(name, args=[offer.pk]),
    }


def _own(token: ApiToken, pk: int | None, model: type[Appointment] | type[Group]) -> Any:
    """A seat or a group of the token's organisation; 404 for anyone else's."""
    if pk is None:
        return None
    found = (
        Appointment.objects.filter(pk=pk, group__organisation=token.organisation).select_related("group").first()
        if model is Appointment
        else Group.objects.filter(pk=pk, organisation=token.organisation).first()
    )
    if found is None:
        raise Http404
    return found


@router.get(
    "/support/leaving-offers",
    response={200: list[LeavingOfferOut], **AUTHENTICATED_ERRORS},
    summary="Step-down roles and thank-yous offered",
)
@paginate(ListPagination)
def offers(request: HttpRequest) -> list[dict[str, Any]]:
    """Every offer at your organisation, those waiting for an answer first."""
    token = require_role(request, *SUPPORTING)
    return [_out(o, own=False) for o in selectors.offers_at(token.user, token.organisation)]


@router.post(
    "/support/people/{person_id}/leaving-offers",
    response={201: LeavingOfferOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Offer a step-down role and a thank-you to someone whose term ended or who left",
)
def make_offer(request: HttpRequest, person_id: int, payload: LeavingOfferIn) -> Status[dict[str, Any]]:
    """For coordinators and admins. The member is told by their own channel."""
    token = require_role(request, *ASSIGNING_SUPPORT)
    person = support_selectors.person_for_support(token.user, token.organisation, person_id)
    new_member = Person.objects.filter(pk=payload.new_member).first() if payload.new_member is not None else None
    if payload.new_member is not None and new_member is None:
        raise Http404
    made = services.offer(
        actor=token.user,
        organisation=token.organisation,
        person=person,
        appointment=_own(token, payload.appointment, Appointment),
        served_as=payload.served_as,
        served_from=payload.served_from,
        served_until=payload.served_until,
        step_down=payload.step_down,
        new_member=new_member,
        review_on=payload.review_on,
        group=_own(token, payload.group, Group),
        term_start=payload.term_start,
        planned_end=payload.planned_end,
        message=payload.message,
    )
    return Status(201, _out(made, own=False))


@router.post(
    "/support/leaving-offers/{offer_id}/answer",
    response={200: LeavingOfferOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Record the answer someone gave by letter or phone",
)
def record_answer(request: HttpRequest, offer_id: int, payload: LeavingAnswerIn) -> dict[str, Any]:
    """For coordinators and admins, when the member agreed that the organisation acts for them."""
    token = require_role(request, *ASSIGNING_SUPPORT)
    offer = selectors.offer_for_staff(token.user, token.organisation, offer_id)
    services.answer(actor=token.user, offer=offer, accept=payload.accept)
    return _out(offer, own=False)


@router.get(
    "/support/me/leaving-offers",
    response={200: list[LeavingOfferOut], **AUTHENTICATED_ERRORS, 404: ErrorOut},
    summary="My thank-yous and the step-down roles I am offered",
)
def my_offers(request: HttpRequest) -> list[dict[str, Any]]:
    """With a member token: your offers from the token's organisation."""
    token, person = member_person(request)
    return [_out(o, own=True) for o in selectors.offers_to(person).filter(organisation=token.organisation)]


@router.post(
    "/support/me/leaving-offers/{offer_id}/answer",
    response={200: LeavingOfferOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Accept or decline a step-down role",
)
def answer(request: HttpRequest, offer_id: int, payload: LeavingAnswerIn) -> dict[str, Any]:
    """With a member token. Accepting starts the role at once."""
    token, person = member_person(request)
    offer = selectors.offer_for_member(person, offer_id)
    if offer.organisation_id != token.organisation.pk:
        raise Http404
    services.answer(actor=token.user, offer=offer, accept=payload.accept)
    return _out(offer, own=True)
