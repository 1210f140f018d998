"""The register of interests through the API.

With a member token, ``/me/interests`` is the member's own declarations; with a staff token, the
member of staff's own. Staff who see the organisation's work read its register; a coordinator reads
and records a member's declarations given by phone, by letter or in person. Every write is a service
(``services.declare``, ``change``, ``end``, ``confirm``), so a refusal reads as on the web (422, with
the field); a change or an end keeps the version before. Another organisation's members are a 404.
"""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import ConfigDict

from withus.accounts.models import ApiToken, User
from withus.accounts.roles import COORDINATING, MEMBERS, SEEING_WORK
from withus.api.auth import member_person, require_role, token_of
from withus.api.errors import AUTHENTICATED_ERRORS, ErrorOut
from withus.api.schemas import ListPagination, text
from withus.people import selectors as people_selectors
from withus.people.models import Person

from . import selectors, services
from .models import Interest

router = Router(tags=["register of interests"])

Kind = Literal["employment", "relationship", "role", "payment", "other"]
How = Literal["phone", "letter", "in_person"]
WRITE = {**AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut}


class InterestOut(Schema):
    id: int = Field(description="This version's id: a change or an end makes a new one")
    first_id: int = Field(description="The first version's id: the same for every version of one interest")
    held_by: str
    person_id: int | None = Field(description="The member who declared it; null for a member of staff")
    staff: bool
    kind: Kind
    body: str = Field(description="The body or person it concerns")
    description: str
    starts_on: date | None
    ends_on: date | None
    how: str = Field(description="self (on WithUs), phone, letter or in_person")
    recorded_at: datetime
    reviewed_on: date = Field(description="When its holder last said it is still right; reviewed yearly")

    @staticmethod
    def resolve_first_id(interest: Interest) -> int:
        return interest.first_id or interest.pk

    @staticmethod
    def resolve_held_by(interest: Interest) -> str:
        return interest.holder_name

    @staticmethod
    def resolve_staff(interest: Interest) -> bool:
        return interest.user_id is not None


class InterestIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: Kind
    body: Annotated[str, text(200, min_length=1)]
    description: Annotated[str, text(1000)] = ""
    starts_on: date | None = Field(None, description="Not in the future")
    ends_on: date | None = Field(None, description="On or after starts_on; left out while it continues")


class ForMemberInterestIn(InterestIn):
    how: How = Field(description="How the member declared it")


class EndIn(Schema):
    model_config = ConfigDict(extra="forbid")

    ends_on: date | None = Field(None, description="Today if left out")


class ConfirmedOut(Schema):
    reviewed: int = Field(description="How many current declarations were confirmed as still right")


class RegisterQuery(Schema):
    q: Annotated[str, text(100)] = Field("", description="Part of the body or of the holder's name")


def _holder(request: HttpRequest) -> tuple[ApiToken, Person | None, User | None]:
    """Whose own declarations ``/me/interests`` are: the member's with a member token, else the staff member's."""
    token = token_of(request)
    if token.role in MEMBERS:
        _token, person = member_person(request)
        return token, person, None
    return token, None, token.user


def _own_version(request: HttpRequest, pk: int) -> tuple[ApiToken, Interest]:
    token, person, user = _holder(request)
    try:
        found = selectors.version_for(viewer=token.user, pk=pk)
    except Interest.DoesNotExist:
        raise Http404 from None
    if (found.person_id, found.user_id) != (person.pk if person else None, user.pk if user else None):
        raise Http404
    return token, found


@router.get("/me/interests", response={200: list[InterestOut], **AUTHENTICATED_ERRORS, 404: ErrorOut},
            summary="Your declared interests")  # fmt: skip
@paginate(ListPagination)
def my_interests(request: HttpRequest) -> QuerySet[Interest]:
    """The declarations in force, by body. A member token reads the member's; a staff token, the staff member's."""
    _token, person, user = _holder(request)
    held = selectors.current(selectors.held_by(person=person, user=user)).select_related("person", "user")
    return held.order_by("body", "pk")


@router.post("/me/interests", response={201: InterestOut, **WRITE}, summary="Declare an interest")
def declare(request: HttpRequest, payload: InterestIn) -> Status[Interest]:
    token, person, user = _holder(request)
    made = services.declare(actor=token.user, person=person, user=user, **payload.model_dump())
    return Status(201, made)


@router.post(
    "/me/interests/confirm", response={200: ConfirmedOut, **WRITE}, summary="Say your declarations are still right"
)
def confirm(request: HttpRequest) -> dict[str, Any]:
    """The yearly review: every current declaration is marked reviewed today."""
    token, person, user = _holder(request)
    return {"reviewed": services.confirm(actor=token.user, person=person, user=user)}


@router.put("/me/interests/{interest_id}", response={200: InterestOut, **WRITE}, summary="Change a declaration")
def change(request: HttpRequest, interest_id: int, payload: InterestIn) -> Interest:
    """Send the whole declaration as it now is. The version before is kept; the answer is the new one."""
    token, found = _own_version(request, interest_id)
    return services.change(actor=token.user, interest=found, **payload.model_dump())


@router.post("/me/interests/{interest_id}/end", response={200: InterestOut, **WRITE}, summary="End a declaration")
def end(request: HttpRequest, interest_id: int, payload: EndIn) -> Interest:
    token, found = _own_version(request, interest_id)
    return services.end(actor=token.user, interest=found, ends_on=payload.ends_on)


@router.get(
    "/interests",
    response={200: list[InterestOut], **AUTHENTICATED_ERRORS, 422: ErrorOut},
    summary="Your organisation's register of interests",
)
@paginate(ListPagination)
def register(request: HttpRequest, filters: Query[RegisterQuery]) -> Any:
    """Every current declaration of the members who share with your organisation and of its staff, by body."""
    token = require_role(request, *SEEING_WORK)
    found = selectors.register(token.user, token.organisation)
    words = " ".join(filters.q.split())
    return selectors.matching(found, words) if words else found


def _member(token: ApiToken, person_id: int) -> Person:
    return people_selectors.person_for_staff(token.user, token.organisation, person_id)


@router.get(
    "/interests/people/{person_id}",
    response={200: list[InterestOut], **AUTHENTICATED_ERRORS, 404: ErrorOut},
    summary="A member's declared interests",
)
def member_interests(request: HttpRequest, person_id: int) -> list[Interest]:
    """For coordinators and admins: a member who shares with your organisation."""
    token = require_role(request, *COORDINATING)
    person = _member(token, person_id)
    held = selectors.current(selectors.held_by(person=person)).select_related("person")
    return list(held.order_by("body", "pk")[:500])


@router.post(
    "/interests/people/{person_id}",
    response={201: InterestOut, **WRITE},
    summary="Record a member's declaration given by phone, by letter or in person",
)
def declare_for_member(request: HttpRequest, person_id: int, payload: ForMemberInterestIn) -> Status[Interest]:
    token = require_role(request, *COORDINATING)
    person = _member(token, person_id)
    made = services.declare(actor=token.user, person=person, organisation=token.organisation, **payload.model_dump())
    return Status(201, made)
