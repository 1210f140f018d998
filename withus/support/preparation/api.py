"""API operations on preparation: staff arrange a session's briefing and meet-and-greet and see who
is offered them (their own organisation's sessions only; others 404); a member token reads the
member's own offers and answers them. Every write is a service, which keeps the rules."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from withus.accounts.models import User
from withus.accounts.roles import COORDINATING, SEEING_WORK
from withus.api.auth import member_person, require_role
from withus.api.errors import AUTHENTICATED_ERRORS, ErrorOut
from withus.meetings import selectors as meetings_selectors
from withus.people.models import Person

from . import selectors, services
from .models import Preparation

router = Router(tags=["preparation"])


class PreparationOfferedOut(Schema):
    person: int
    name: str
    wanted: bool | None = Field(description="Their answer; null: not answered yet")


class PreparationOut(Schema):
    id: int
    session: int
    kind: str = Field(description="briefing or meet_and_greet")
    by_staff: int | None
    by_person: int | None
    supporter: str
    at: datetime
    how: str = Field(description="in_person, phone or video")
    where: str
    offered: list[PreparationOfferedOut] = []


class PreparationArrangeIn(Schema):
    by_staff: int | None = Field(None, description="A staff user of your organisation; or give by_person")
    by_person: int | None = Field(None, description="A member acting as supporter who shares with your organisation")
    at: datetime
    how: Literal["in_person", "phone", "video"] = "in_person"
    where: str = Field(max_length=300, description="Where, or the phone number or video link")


class PreparationOfferOut(Schema):
    id: int = Field(description="The preparation's id, to answer it")
    session: int
    session_title: str
    kind: str
    supporter: str
    at: datetime
    how: str
    where: str
    wanted: bool | None


class PreparationAnswerIn(Schema):
    wanted: bool


def _out(preparation: Preparation, offers: list[selectors.Offer]) -> dict[str, Any]:
    return {
        "id": preparation.pk,
        "session": preparation.session_id,
        "kind": preparation.kind,
        "by_staff": preparation.by_staff_id,
        "by_person": preparation.by_person_id,
        "supporter": preparation.supporter_name,
        "at": preparation.at,
        "how": preparation.how,
        "where": preparation.where,
        "offered": [{"person": o.person.pk, "name": o.person.display_name, "wanted": o.wanted} for o in offers],
    }


@router.get(
    "/staff/sessions/{session_id}/preparation",
    response={200: list[PreparationOut], **AUTHENTICATED_ERRORS, 404: ErrorOut},
    summary="A session's briefing and meet-and-greet, with who is offered them",
)
def session_preparation(request: HttpRequest, session_id: int) -> list[dict[str, Any]]:
    token = require_role(request, *SEEING_WORK)
    found = selectors.session_preparation_for_staff(token.user, token.organisation, session_id)
    return [_out(p, offers) for p, offers in found.rows]


@router.post(
    "/staff/sessions/{session_id}/preparation/{kind}",
    response={200: PreparationOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Arrange or change a session's briefing or meet-and-greet",
)
def arrange(
    request: HttpRequest, session_id: int, kind: Literal["briefing", "meet_and_greet"], payload: PreparationArrangeIn
) -> dict[str, Any]:
    """For coordinators and admins. One supporter: a staff user or a member; a briefing is before the session."""
    token = require_role(request, *COORDINATING)
    session = meetings_selectors.session_for_staff(token.user, token.organisation, session_id)
    # An id that is nobody, or somebody elsewhere, is refused by the service like any other outsider.
    by_staff = User.objects.filter(pk=payload.by_staff).first() if payload.by_staff else None
    by_person = Person.objects.filter(pk=payload.by_person).first() if payload.by_person else None
    if payload.by_staff and by_staff is None:
        raise ValidationError({"by_staff": _("Choose someone on your organisation's staff.")})
    if payload.by_person and by_person is None:
        raise ValidationError({"by_person": _("Choose a member who shares their details with your organisation.")})
    preparation = services.arrange(
        actor=token.user,
        session=session,
        kind=kind,
        at=payload.at,
        how=payload.how,
        where=payload.where,
        by_staff=by_staff,
        by_person=by_person,
    )
    found = selectors.session_preparation(session)
    return _out(preparation, found.offers.get(preparation.pk, []))


@router.get(
    "/me/preparation",
    response={200: list[PreparationOfferOut], **AUTHENTICATED_ERRORS},
    summary="Briefings and meet-and-greets you are offered for your sessions to come",
)
def my_offers(request: HttpRequest) -> list[dict[str, Any]]:
    _token, person = member_person(request)
    return [_my(o) for o in selectors.offers_to(person, now=timezone.now())]


def _my(offer: selectors.Offer) -> dict[str, Any]:
    p = offer.preparation
    return {
        "id": p.pk,
        "session": p.session_id,
        "session_title": str(p.session),
        "kind": p.kind,
        "supporter": p.supporter_name,
        "at": p.at,
        "how": p.how,
        "where": p.where,
        "wanted": offer.wanted,
    }


@router.post(
    "/me/preparation/{preparation_id}/answer",
    response={200: PreparationOfferOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Say yes or no to a briefing or meet-and-greet",
)
def answer(request: HttpRequest, preparation_id: int, payload: PreparationAnswerIn) -> dict[str, Any]:
    _token, person = member_person(request)
    now = timezone.now()
    if selectors.offer_to(person, preparation_id, now=now) is None:
        raise Http404
    services.answer(person=person, preparation_pk=preparation_id, wanted=payload.wanted, now=now)
    offer = selectors.offer_to(person, preparation_id, now=now)
    assert offer is not None
    return _my(offer)
