"""Group ballots and representation through the API: the same services and selectors as the pages.

A member token reads the ballots of groups the member is on the roll of or serves on, and
votes; a staff token reads its organisation's ballots. The result and the full list of
(receipt hash, choice) are ``null`` until both observers have confirmed the close.

The structure of representation is read by the people involved (staff who see the work, members
who share their details with the organisation). A representative's seat is read by the
representative, the members of the group they speak for and the organisation's staff; members of
that group send views, the representative (or a coordinator token) marks them, and the
representative reports back and writes straight to the members of the board they sit on.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from withus.accounts.models import ApiToken
from withus.accounts.roles import COORDINATING, MEMBERS, SEEING_WORK
from withus.api.auth import member_person, token_of
from withus.api.errors import AUTHENTICATED_ERRORS, ApiError, ErrorOut
from withus.api.schemas import text
from withus.people import selectors as people_selectors

from . import selectors, services
from .models import Appointment, Ballot, ReportBack, RepresentativeView

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


# ---- The structure of representation and representatives ----------------------------------------


class StructureGroupOut(Schema):
    id: int
    name: str
    name_cy: str
    kind: str
    below: list[int] = Field(description="The groups that send representatives to this one")


class SeatOut(Schema):
    id: int = Field(description="The representative's seat: its page is /api/groups/representatives/{id}")
    person: str
    seat: str = Field(description="member, chair, deputy or reserve")
    sits_on: int = Field(description="The group the seat is on")
    sits_on_name: str
    speaks_for: int = Field(description="The group the representative speaks for")
    speaks_for_name: str
    planned_end: date


class StructureOut(Schema):
    top: list[int] = Field(description="The groups no one sits above, forums first: read down through ``below``")
    groups: list[StructureGroupOut]
    seats: list[SeatOut]


class ViewOut(Schema):
    id: int
    text: str
    sent_by: str
    sent_on: date
    session: int | None
    raised: bool | None = Field(description="null until the representative marks it")
    outcome: str


class ReportBackOut(Schema):
    id: int
    session: int
    summary: str
    reported_on: date


class MeetingOut(Schema):
    session: int
    title: str
    starts_at: datetime
    views: list[ViewOut]
    report_backs: list[ReportBackOut]


class RepresentativeOut(Schema):
    seat: SeatOut
    meetings: list[MeetingOut] = Field(description="The meetings of the group the seat is on, newest first")
    other_views: list[ViewOut] = Field(description="Views sent for no particular meeting")
    may_send_views: bool
    is_representative: bool


class ViewIn(Schema):
    model_config = ConfigDict(extra="forbid")

    text: Annotated[str, text(2000)]
    session: int | None = Field(None, description="One of the meetings of the group the representative sits on")


class MarkIn(Schema):
    model_config = ConfigDict(extra="forbid")

    raised: bool | None = Field(description="Whether it was raised at the meeting")
    outcome: Annotated[str, text(2000)] = ""


class ReportBackIn(Schema):
    model_config = ConfigDict(extra="forbid")

    session: int = Field(description="One of the meetings of the group the seat is on")
    summary: Annotated[str, text(4000, min_length=1)]


class PartnerMessageIn(Schema):
    model_config = ConfigDict(extra="forbid")

    subject: Annotated[str, text(200)]
    body: Annotated[str, text(5000)]
    copy_support: bool = Field(False, description="Copy the organisation that supports you (not copied unless true)")


class PartnerMessageOut(Schema):
    id: int
    subject: str
    recipients: int = Field(description="How many members of the board were written to, each separately")
    copy_support: bool
    sent_at: datetime


def _seat_out(seat: Appointment) -> dict[str, Any]:
    assert seat.speaks_for is not None
    return {
        "id": seat.pk,
        "person": seat.person.full_name,
        "seat": seat.seat,
        "sits_on": seat.group_id,
        "sits_on_name": seat.group.name,
        "speaks_for": seat.speaks_for_id,
        "speaks_for_name": seat.speaks_for.name,
        "planned_end": seat.planned_end,
    }


def _view_out(view: RepresentativeView) -> dict[str, Any]:
    return {
        "id": view.pk,
        "text": view.text,
        "sent_by": view.sent_by.full_name,
        "sent_on": view.sent_on,
        "session": view.session_id,
        "raised": view.raised,
        "outcome": view.outcome,
    }


def _report_out(report: ReportBack) -> dict[str, Any]:
    return {"id": report.pk, "session": report.session_id, "summary": report.summary, "reported_on": report.reported_on}


@router.get(
    "/structure",
    response={200: StructureOut, 404: ErrorOut, **AUTHENTICATED_ERRORS},
    summary="How people are represented",
)
def structure(request: HttpRequest) -> Any:
    """The token's organisation's groups, from forums to local groups, and every current representative's seat."""
    token = token_of(request)
    if not selectors.may_see_structure(token.user, token.organisation):
        raise Http404
    tree, seats = selectors.representation_structure(token.organisation)
    groups: list[dict[str, Any]] = []

    def walk(node: selectors.StructureNode) -> None:
        if any(g["id"] == node.group.pk for g in groups):
            return
        groups.append(
            {
                "id": node.group.pk,
                "name": node.group.name,
                "name_cy": node.group.name_cy,
                "kind": node.group.kind,
                "below": [b.group.pk for b in node.below],
            }
        )
        for below in node.below:
            walk(below)

    for top in tree:
        walk(top)
    return {"top": [n.group.pk for n in tree], "groups": groups, "seats": [_seat_out(s) for s in seats]}


@router.get(
    "/representatives",
    response={200: list[SeatOut], 404: ErrorOut, **AUTHENTICATED_ERRORS},
    summary="My representatives",
)
def my_representatives(request: HttpRequest) -> Any:
    """With a member token: the representatives of the groups you serve on, and your own representative seats."""
    _token, person = member_person(request)
    return [_seat_out(s) for s in selectors.seats_speaking_for(person).order_by("group__name", "pk")]


def _seat(request: HttpRequest, appointment_id: int) -> tuple[ApiToken, Appointment, bool]:
    """The seat, if the token may read it (as on the page); and whether the token is the representative's own."""
    token = token_of(request)
    seat = selectors.representative_for(token.user, appointment_id)
    person = people_selectors.own_person(token.user) if token.role in MEMBERS else None
    if token.role in SEEING_WORK and seat.group.organisation_id == token.organisation_id:
        return token, seat, False
    assert seat.speaks_for is not None
    if person is not None and person.pk == seat.person_id:
        return token, seat, True
    if person is not None and selectors.is_group_member(person, seat.speaks_for):
        return token, seat, False
    # A staff token of another organisation, or a token whose role is not the one that opened it.
    raise Http404


def _representative_out(token: ApiToken, seat: Appointment, is_rep: bool) -> dict[str, Any]:
    meetings, unplaced = selectors.representative_page(seat)
    assert seat.speaks_for is not None
    person = people_selectors.own_person(token.user) if token.role in MEMBERS else None
    return {
        "seat": _seat_out(seat),
        "meetings": [
            {
                "session": m.session.pk,
                "title": m.session.title,
                "starts_at": m.session.starts_at,
                "views": [_view_out(v) for v in m.views],
                "report_backs": [_report_out(r) for r in m.report_backs],
            }
            for m in meetings
        ],
        "other_views": [_view_out(v) for v in unplaced],
        "may_send_views": selectors.is_group_member(person, seat.speaks_for),
        "is_representative": is_rep,
    }


@router.get(
    "/representatives/{seat_id}",
    response={200: RepresentativeOut, 404: ErrorOut, **AUTHENTICATED_ERRORS},
    summary="A representative",
)
def get_representative(request: HttpRequest, seat_id: int) -> Any:
    """The seat, the views sent before each meeting and what came of them, and the report-backs after it."""
    token, seat, is_rep = _seat(request, seat_id)
    return _representative_out(token, seat, is_rep)


def _meeting_of(seat: Appointment, session_id: int | None, field: str) -> Any:
    if session_id is None:
        return None
    session = seat.group.sessions.filter(pk=session_id).first()
    if session is None:
        raise ValidationError({field: _("Choose one of the meetings of the group the seat is on.")})
    return session


@router.post(
    "/representatives/{seat_id}/views",
    response={201: ViewOut, 404: ErrorOut, 422: ErrorOut, **AUTHENTICATED_ERRORS},
    summary="Send your representative a view",
)
def send_view(request: HttpRequest, seat_id: int, payload: ViewIn) -> Any:
    """With a member token, as a member of the group the representative speaks for: your view, for a meeting
    if you name one. The representative sees your name."""
    token, _person = member_person(request)
    _token, seat, _is_rep = _seat(request, seat_id)
    view = services.send_view(
        actor=token.user, appointment=seat, text=payload.text, session=_meeting_of(seat, payload.session, "session")
    )
    return Status(201, _view_out(view))


@router.post(
    "/representatives/{seat_id}/views/{view_id}/mark",
    response={200: ViewOut, 404: ErrorOut, 422: ErrorOut, **AUTHENTICATED_ERRORS},
    summary="Mark a view",
)
def mark_view(request: HttpRequest, seat_id: int, view_id: int, payload: MarkIn) -> Any:
    """With the representative's member token or a coordinator token: whether the view was raised and what
    came of it (required when it was raised)."""
    token, seat, is_rep = _seat(request, seat_id)
    if not is_rep and token.role not in COORDINATING:
        raise PermissionDenied
    view = RepresentativeView.objects.filter(pk=view_id, appointment=seat).select_related("sent_by").first()
    if view is None:
        raise Http404
    view = services.mark_view(actor=token.user, view=view, raised=payload.raised, outcome=payload.outcome)
    return _view_out(view)


@router.post(
    "/representatives/{seat_id}/report-backs",
    response={201: ReportBackOut, 404: ErrorOut, 422: ErrorOut, **AUTHENTICATED_ERRORS},
    summary="Report back",
)
def report_back(request: HttpRequest, seat_id: int, payload: ReportBackIn) -> Any:
    """With the representative's member token: what you report back to the group you speak for, about a meeting."""
    token, seat, is_rep = _seat(request, seat_id)
    if not is_rep:
        raise PermissionDenied
    assert seat.speaks_for is not None
    report = services.record_report_back(
        actor=token.user,
        session=_meeting_of(seat, payload.session, "session"),
        person=seat.person,
        reported_to=str(seat.speaks_for),
        summary=payload.summary,
    )
    return Status(201, _report_out(report))


@router.post(
    "/representatives/{seat_id}/messages",
    response={201: PartnerMessageOut, 404: ErrorOut, 422: ErrorOut, **AUTHENTICATED_ERRORS},
    summary="Write to the board",
)
def message_partners(request: HttpRequest, seat_id: int, payload: PartnerMessageIn) -> Any:
    """With the representative's member token: a message to each other member of the board the seat is on,
    by e-mail with your address to reply to. The organisation is copied only if ``copy_support`` is true."""
    token, seat, is_rep = _seat(request, seat_id)
    if not is_rep:
        raise PermissionDenied
    sent = services.message_partners(
        actor=token.user,
        appointment=seat,
        subject=payload.subject,
        body=payload.body,
        copy_support=payload.copy_support,
    )
    return Status(
        201,
        {
            "id": sent.pk,
            "subject": sent.subject,
            "recipients": sent.recipients,
            "copy_support": sent.copy_support,
            "sent_at": sent.sent_at,
        },
    )


# ---- Ending a seat -------------------------------------------------------------------------------------


class EndSeatIn(Schema):
    model_config = ConfigDict(extra="forbid")

    ended_on: date = Field(description="The last day in the seat: not before the term started")


class EndedSeatOut(Schema):
    id: int
    person_id: int
    group_id: int
    term_start: date
    planned_end: date
    ended_on: date | None


@router.post(
    "/seats/{appointment_id}/end",
    response={200: EndedSeatOut, 404: ErrorOut, 422: ErrorOut, **AUTHENTICATED_ERRORS},
    summary="End a seat's term",
)
def end_seat(request: HttpRequest, appointment_id: int, payload: EndSeatIn) -> Appointment:
    """For coordinators. A member who raised a concern lately keeps their seat until the reason for ending it
    early is recorded and reviewed by someone independent: refused (422) until then."""
    token = token_of(request)
    if token.role not in COORDINATING:
        raise PermissionDenied
    appointment = (
        Appointment.objects.filter(pk=appointment_id, group__organisation=token.organisation, ended_on__isnull=True)
        .select_related("group__organisation", "person")
        .first()
    )
    if appointment is None:
        raise Http404
    return services.end_appointment(actor=token.user, appointment=appointment, ended_on=payload.ended_on)
