"""Group ballots through the API: the same services and selectors as the ballot's page.

A member token reads the ballots of groups the member is on the roll of or serves on, and
votes; a staff token reads its organisation's ballots. The result and the full list of
(receipt hash, choice) are ``null`` until both observers have confirmed the close.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from pydantic import ConfigDict

from withus.accounts.roles import MEMBERS, SEEING_WORK
from withus.api.auth import member_person, token_of
from withus.api.errors import AUTHENTICATED_ERRORS, ApiError, ErrorOut
from withus.people import selectors as people_selectors

from . import selectors, services
from .models import Ballot

router = Router(tags=["groups"])


class OptionOut(Schema):
    id: int
    label: str
    label_cy: str


class VoterOut(Schema):
    name: str
    has_voted: bool


class ResultOut(Schema):
    option: int
    votes: int


class CastOut(Schema):
    receipt_hash: str = Field(description="SHA-256 of the ballot and the receipt, as the page shows it")
    option: int


class BallotOut(Schema):
    id: int
    group: str
    question: str
    question_cy: str
    status: str = Field(description="draft, open, closed (waiting for the observers) or published")
    options: list[OptionOut]
    roll: list[VoterOut] = Field(description="Who may vote and whether they have; never how")
    results: list[ResultOut] | None = Field(description="Only once published")
    votes: list[CastOut] | None = Field(description="Every vote, to recount: only once published")


class VoteIn(Schema):
    model_config = ConfigDict(extra="forbid")

    option: int = Field(description="The id of one of the ballot's options")


class ReceiptOut(Schema):
    receipt: str = Field(description="Shown once: keep it to find your vote in the published list")


def _ballot(request: HttpRequest, ballot_id: int) -> Ballot:
    token = token_of(request)
    ballot = Ballot.objects.filter(pk=ballot_id).select_related("group__organisation").first()
    if ballot is None:
        raise Http404
    if token.role in SEEING_WORK and ballot.group.organisation_id == token.organisation_id:
        return ballot
    if token.role in MEMBERS:
        person = people_selectors.own_person(token.user)
        if person is not None and selectors.member_may_see(person, ballot):
            return ballot
    raise Http404


def _out(ballot: Ballot) -> dict[str, Any]:
    page = selectors.ballot_page(ballot)
    return {
        "id": ballot.pk,
        "group": ballot.group.name,
        "question": ballot.question,
        "question_cy": ballot.question_cy,
        "status": ballot.status,
        "options": [{"id": o.pk, "label": o.label, "label_cy": o.label_cy} for o in page.options],
        "roll": [{"name": v.person.full_name, "has_voted": v.has_voted} for v in page.roll],
        "results": None if page.results is None else [{"option": r.option.pk, "votes": r.votes} for r in page.results],
        "votes": None
        if page.published_list is None
        else [{"receipt_hash": h, "option": o.pk} for h, o in page.published_list],
    }


@router.get(
    "/ballots/{ballot_id}", response={200: BallotOut, 404: ErrorOut, **AUTHENTICATED_ERRORS}, summary="A ballot"
)
def get_ballot(request: HttpRequest, ballot_id: int) -> Any:
    """The ballot, its roll and who has voted; the result and every (receipt hash, choice) once published."""
    return _out(_ballot(request, ballot_id))


@router.post(
    "/ballots/{ballot_id}/vote",
    response={200: ReceiptOut, 404: ErrorOut, 409: ErrorOut, **AUTHENTICATED_ERRORS},
    summary="Vote",
)
def vote(request: HttpRequest, ballot_id: int, payload: VoteIn) -> Any:
    """With a member token on the roll: cast your vote. Refused (409) after the close or a second time."""
    token, _person = member_person(request)
    ballot = _ballot(request, ballot_id)
    try:
        receipt = services.vote(actor=token.user, ballot=ballot, option_id=payload.option)
    except ValidationError as error:
        raise ApiError(409, getattr(error, "code", None) or "refused", " ".join(error.messages)) from error
    return {"receipt": receipt}
