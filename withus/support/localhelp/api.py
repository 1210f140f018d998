"""API operations on the directory of local help: staff keep their organisation's current; a member reads
the help of the organisations they share their details with."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import ConfigDict

from withus.accounts.roles import COORDINATING, SEEING_WORK
from withus.api.auth import member_person, require_role
from withus.api.errors import AUTHENTICATED_ERRORS, ErrorOut
from withus.api.schemas import ListPagination, field_limit

from . import rules, selectors, services
from .models import HelpEntry

router = Router(tags=["local help"])

HelpKindName = Literal["advocacy", "welfare_rights", "mediation", "crisis", "other"]


class HelpEntryOut(Schema):
    id: int
    organisation: str
    kind: str = Field(description="advocacy, welfare_rights, mediation, crisis or other")
    name: str
    name_cy: str
    description: str
    description_cy: str
    opening_hours: str
    opening_hours_cy: str
    languages: str
    languages_cy: str
    phone: str
    text_number: str
    email: str
    website: str
    address: str
    reviewed_on: date = Field(description="When the details were last checked")
    review_due: date = Field(description="The entry is stale from this day unless checked again")

    @staticmethod
    def resolve_organisation(obj: HelpEntry) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_review_due(obj: HelpEntry) -> date:
        return rules.review_due(obj.reviewed_on)


def _text(field: str) -> Any:
    return Annotated[str, field_limit(HelpEntry, field)] | None


class HelpEntryIn(Schema):
    """An entry's fields. When changing one, leave a field out to keep it."""

    model_config = ConfigDict(extra="forbid")

    kind: HelpKindName | None = None
    name: _text("name") = None  # type: ignore[valid-type]
    name_cy: _text("name_cy") = None  # type: ignore[valid-type]
    description: _text("description") = None  # type: ignore[valid-type]
    description_cy: _text("description_cy") = None  # type: ignore[valid-type]
    opening_hours: _text("opening_hours") = None  # type: ignore[valid-type]
    opening_hours_cy: _text("opening_hours_cy") = None  # type: ignore[valid-type]
    languages: _text("languages") = None  # type: ignore[valid-type]
    languages_cy: _text("languages_cy") = None  # type: ignore[valid-type]
    phone: _text("phone") = None  # type: ignore[valid-type]
    text_number: _text("text_number") = None  # type: ignore[valid-type]
    email: _text("email") = None  # type: ignore[valid-type]
    website: _text("website") = None  # type: ignore[valid-type]
    address: _text("address") = None  # type: ignore[valid-type]
    reviewed_on: date | None = Field(None, description="Required for a new entry; never in the future")


def _fields(payload: HelpEntryIn) -> dict[str, Any]:
    fields = payload.dict(exclude_unset=True)
    if "kind" in fields and fields["kind"] is None:
        del fields["kind"]
    if "reviewed_on" in fields and fields["reviewed_on"] is None:
        fields["reviewed_on"] = ""
    return fields


@router.get(
    "/staff/local-help",
    response={200: list[HelpEntryOut], **AUTHENTICATED_ERRORS, 422: ErrorOut},
    summary="Your organisation's directory of local help",
)
@paginate(ListPagination)
def list_entries(request: HttpRequest) -> Any:
    """For coordinators, admins, supervisors and decision-makers; ``review_due`` in the past means stale."""
    token = require_role(request, *SEEING_WORK)
    return selectors.entries_for_staff(token.user, token.organisation).select_related("organisation")


@router.post(
    "/staff/local-help",
    response={201: HelpEntryOut, **AUTHENTICATED_ERRORS, 422: ErrorOut},
    summary="Add local help",
)
def add_entry(request: HttpRequest, payload: HelpEntryIn) -> Status[HelpEntry]:
    """For coordinators and admins: a name, a kind, at least one way to reach them, and when it was checked."""
    token = require_role(request, *COORDINATING)
    entry = services.save_entry(actor=token.user, organisation=token.organisation, fields=_fields(payload))
    return Status(201, entry)


@router.patch(
    "/staff/local-help/{entry_id}",
    response={200: HelpEntryOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Change local help",
)
def change_entry(request: HttpRequest, entry_id: int, payload: HelpEntryIn) -> HelpEntry:
    token = require_role(request, *COORDINATING)
    entry = selectors.entry_for_staff(token.user, token.organisation, entry_id)
    return services.save_entry(actor=token.user, organisation=token.organisation, fields=_fields(payload), entry=entry)


@router.post(
    "/staff/local-help/{entry_id}/checked",
    response={200: HelpEntryOut, **AUTHENTICATED_ERRORS, 404: ErrorOut},
    summary="Say local help was checked today",
)
def mark_checked(request: HttpRequest, entry_id: int) -> HelpEntry:
    """For coordinators and admins: the details are still right, so the entry is current for another year."""
    token = require_role(request, *COORDINATING)
    entry = selectors.entry_for_staff(token.user, token.organisation, entry_id)
    return services.mark_checked(actor=token.user, entry=entry)


@router.get(
    "/me/local-help",
    response={200: list[HelpEntryOut], **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Local help you can contact",
)
@paginate(ListPagination)
def my_local_help(request: HttpRequest) -> Any:
    """With a member token: the help listed by every organisation you share your details with."""
    _token, person = member_person(request)
    return selectors.directory_for(person)
