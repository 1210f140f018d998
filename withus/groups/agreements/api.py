"""Group agreements and the code of conduct through the API.

Coordinators read and adopt a group's ground rules and publish the code of conduct, and record a
member's agreement given on paper, by phone or in person (their own organisation only; another's
groups and members are a 404). A member token reads what the member is asked to agree to and agrees.
Every write is a service, so a refusal reads as on the web (422, with the field)."""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from withus.accounts.roles import COORDINATING
from withus.api.auth import member_person, require_role
from withus.api.errors import AUTHENTICATED_ERRORS, ErrorOut
from withus.api.schemas import text

from ..models import Group
from . import selectors, services
from .models import Agreed, CodeOfConduct, GroupAgreement

router = Router(tags=["group agreements and the code of conduct"])

How = Literal["paper", "phone", "in_person"]
WRITE = {**AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut}


class AgreedOut(Schema):
    person_id: int
    name: str
    agreed_at: datetime | None = Field(description="Null while they have not agreed to this version")
    how: str = Field(description="self (on WithUs), paper, phone or in_person; empty while not agreed")


class AgreementOut(Schema):
    id: int | None = Field(description="Null while the group has no ground rules")
    group_id: int
    text: str
    text_cy: str
    adopted_on: date | None
    review_due: bool = Field(description="A year has passed since this version: review it with the group")
    members: list[AgreedOut] = Field(description="Everyone serving on the group now")


class TextIn(Schema):
    model_config = ConfigDict(extra="forbid")

    text: Annotated[str, text(10000, min_length=1)]
    text_cy: Annotated[str, text(10000)] = ""


class AgreedForMemberIn(Schema):
    model_config = ConfigDict(extra="forbid")

    person_id: int
    how: How


class CodeOut(Schema):
    id: int
    text: str
    text_cy: str
    published_on: date


class ToAgreeOut(Schema):
    kind: Literal["group", "code"]
    id: int = Field(description="The version's id, to agree to it")
    title: str = Field(description="The group, or the organisation whose code it is")
    text: str = Field(description="In the language the request asks for, when written in it")
    since: date
    agreed_at: datetime | None


def _agreement_out(group: Group) -> dict[str, Any]:
    page = selectors.agreement_page(group)
    agreement = page.agreement
    return {
        "id": agreement.pk if agreement else None,
        "group_id": group.pk,
        "text": agreement.text if agreement else "",
        "text_cy": agreement.text_cy if agreement else "",
        "adopted_on": agreement.adopted_on if agreement else None,
        "review_due": page.review_due,
        "members": [
            {
                "person_id": m.person.pk,
                "name": m.person.full_name,
                "agreed_at": m.agreed.at if m.agreed else None,
                "how": m.agreed.how if m.agreed else "",
            }
            for m in page.members
        ],
    }


def _group(request: HttpRequest, group_id: int) -> Group:
    token = require_role(request, *COORDINATING)
    found = Group.objects.filter(pk=group_id, organisation=token.organisation).select_related("organisation").first()
    if found is None:
        raise Http404
    return found


@router.get(
    "/groups/{group_id}/agreement",
    response={200: AgreementOut, **AUTHENTICATED_ERRORS, 404: ErrorOut},
    summary="A group's ground rules and who has agreed",
)
def agreement(request: HttpRequest, group_id: int) -> dict[str, Any]:
    return _agreement_out(_group(request, group_id))


@router.put(
    "/groups/{group_id}/agreement",
    response={200: AgreementOut, **WRITE},
    summary="Adopt a new version of a group's ground rules",
)
def adopt(request: HttpRequest, group_id: int, payload: TextIn) -> dict[str, Any]:
    """The yearly review is a new version too, changed or not. Every member is asked to agree again."""
    group = _group(request, group_id)
    token = require_role(request, *COORDINATING)
    services.adopt_agreement(actor=token.user, group=group, **payload.model_dump())
    return _agreement_out(group)


@router.post(
    "/groups/{group_id}/agreement/agreed",
    response={200: AgreementOut, **WRITE},
    summary="Record a member's agreement given on paper, by phone or in person",
)
def record_agreed(request: HttpRequest, group_id: int, payload: AgreedForMemberIn) -> dict[str, Any]:
    group = _group(request, group_id)
    token = require_role(request, *COORDINATING)
    current = selectors.current_agreement(group)
    if current is None:
        raise Http404
    person = selectors.member_person(token.user, token.organisation, payload.person_id)
    services.agree(actor=token.user, agreement=current, person=person, how=payload.how)
    return _agreement_out(group)


def _code_out(code: CodeOfConduct) -> dict[str, Any]:
    return {"id": code.pk, "text": code.text, "text_cy": code.text_cy, "published_on": code.published_on}


@router.get(
    "/code-of-conduct",
    response={200: CodeOut, **AUTHENTICATED_ERRORS, 404: ErrorOut},
    summary="Your organisation's code of conduct",
)
def code_of_conduct(request: HttpRequest) -> dict[str, Any]:
    """The current version; 404 while there is none."""
    token = require_role(request, *COORDINATING)
    code = selectors.current_code(token.organisation)
    if code is None:
        raise Http404
    return _code_out(code)


@router.put("/code-of-conduct", response={200: CodeOut, **WRITE}, summary="Publish a new code of conduct")
def publish(request: HttpRequest, payload: TextIn) -> dict[str, Any]:
    """Members accept each new version before they take up a seat."""
    token = require_role(request, *COORDINATING)
    return _code_out(services.publish_code(actor=token.user, organisation=token.organisation, **payload.model_dump()))


@router.post(
    "/code-of-conduct/accepted",
    response={201: CodeOut, **WRITE},
    summary="Record a member's acceptance given on paper, by phone or in person",
)
def record_accepted(request: HttpRequest, payload: AgreedForMemberIn) -> Status[dict[str, Any]]:
    token = require_role(request, *COORDINATING)
    code = selectors.current_code(token.organisation)
    if code is None:
        raise Http404
    person = selectors.member_person(token.user, token.organisation, payload.person_id)
    services.accept_code(actor=token.user, code=code, person=person, how=payload.how)
    return Status(201, _code_out(code))


@router.get(
    "/me/agreements",
    response={200: list[ToAgreeOut], **AUTHENTICATED_ERRORS, 404: ErrorOut},
    summary="Ground rules and codes of conduct you are asked to agree to",
)
def my_agreements(request: HttpRequest) -> list[dict[str, Any]]:
    """With a member token: the current ground rules of each group you sit on and the current code of
    conduct of each organisation you share with, those you have not agreed to first."""
    _token, person = member_person(request)
    return [
        {
            "kind": item.kind,
            "id": item.pk,
            "title": item.title,
            "text": item.text,
            "since": item.since,
            "agreed_at": item.agreed.at if item.agreed else None,
        }
        for item in selectors.for_member(person)
    ]


@router.post(
    "/me/agreements/{kind}/{version_id}",
    response={201: ToAgreeOut, **WRITE},
    summary="Agree to ground rules or a code of conduct",
)
def agree(request: HttpRequest, kind: Literal["group", "code"], version_id: int) -> Status[dict[str, Any]]:
    """``kind`` and ``version_id`` as ``GET /me/agreements`` gives them."""
    token, person = member_person(request)
    made: Agreed
    if kind == "group":
        found: GroupAgreement | CodeOfConduct = selectors.agreement_for_member(person, version_id)
        assert isinstance(found, GroupAgreement)
        made = services.agree(actor=token.user, agreement=found, person=person)
        title, body, since = str(found.group), found.text_shown, found.adopted_on
    else:
        code = selectors.code_for_member(person, version_id)
        made = services.accept_code(actor=token.user, code=code, person=person)
        title, body, since = str(code.organisation), code.text_shown, code.published_on
    return Status(
        201, {"kind": kind, "id": version_id, "title": title, "text": body, "since": since, "agreed_at": made.at}
    )
