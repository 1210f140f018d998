"""The outbox through the API: the letters, calls and texts waiting at the token's organisation, and
recording that some were done, or how a call went. Coordinators and admins only. A letter's address
and a call's phone number are shown, and who read them is recorded, as on the web. Marking one already
done (by someone else a moment before), or recording a call on it, is refused with nothing written
(422, field ``messages``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic import ConfigDict

from withus.accounts.roles import COORDINATING
from withus.api.auth import require_role
from withus.api.errors import AUTHENTICATED_ERRORS, ErrorOut
from withus.api.schemas import MAX_OFFSET

from .. import services as people_services
from ..models import CallAttempt, OutgoingMessage, SensitiveRead
from . import rules, selectors, services

router = Router(tags=["outbox"])

Kind = Literal["letters", "calls", "texts"]
KIND_OF_STATUS: dict[str, str] = {str(status): kind for kind, status in selectors.WAITING.items()}


class OutboxQuery(Schema):
    kind: Kind | None = Field(None, description="Only letters, calls or texts; left out for all")
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class CallAttemptOut(Schema):
    outcome: str = Field(description="reached, left_message, no_answer or try_again")
    note: str
    try_after: datetime | None = Field(description="With try_again: not to call before this")
    at: datetime
    by: str = Field(description="Who rang: their name or e-mail; empty for the server's operator")


class WaitingOut(Schema):
    id: int
    kind: str = Field(description="letters, calls or texts: print and post it, phone, or send a text")
    person_id: int
    person_name: str
    language: str = Field(description="en or cy: the language it is written in")
    large_print: bool
    address_lines: list[str] = Field(description="For a letter; empty for a call or a text")
    phone: str = Field(description="For a call or a text; empty for a letter")
    subject: str
    body: str
    created_at: datetime
    attempts: list[CallAttemptOut] = Field(description="For a call: each try so far, oldest first; else empty")
    no_answers: int = Field(description="For a call: how many tries nobody answered")
    may_need_letter: bool = Field(
        description=f"For a call: {rules.NO_ANSWERS_BEFORE_LETTER} or more tries unanswered; a letter may reach them"
    )
    try_after: datetime | None = Field(description="For a call: not to ring before this (the last try said so)")


class WaitingPage(Schema):
    items: list[WaitingOut]
    count: int


class DoneIn(Schema):
    model_config = ConfigDict(extra="forbid")

    messages: list[int] = Field(min_length=1, max_length=500, description="The ids of the waiting messages done")


class DoneOut(Schema):
    done: int
    done_at: datetime | None


class CallAttemptIn(Schema):
    model_config = ConfigDict(extra="forbid")

    outcome: Literal["reached", "left_message", "no_answer", "try_again"] = Field(
        description="reached or left_message finish the call; no_answer and try_again keep it on the list"
    )
    note: str = Field("", max_length=services.NOTE_LENGTH)
    try_after: datetime | None = Field(None, description="Only with try_again: when to ring again")


class CallStateOut(Schema):
    id: int
    status: str = Field(description="to_call while it stays on the call list; done once reached or a message left")
    done_at: datetime | None
    attempts: list[CallAttemptOut]
    no_answers: int
    may_need_letter: bool
    try_after: datetime | None


def _attempt_out(attempt: CallAttempt) -> dict[str, Any]:
    by = attempt.by
    return {
        "outcome": attempt.outcome,
        "note": attempt.note,
        "try_after": attempt.try_after,
        "at": attempt.at,
        "by": (by.get_full_name() or by.email) if by else "",
    }


def _call_state(message: OutgoingMessage) -> dict[str, Any]:
    """A call's attempts (prefetched) and what the rules make of them."""
    attempts = list(message.call_attempts.all())
    return {
        "attempts": [_attempt_out(a) for a in attempts],
        "no_answers": rules.no_answers(attempts),
        "may_need_letter": rules.may_need_letter(attempts),
        "try_after": rules.try_after(attempts),
    }


def _out(message: OutgoingMessage) -> dict[str, Any]:
    person = message.person
    letter = message.status == OutgoingMessage.Status.TO_PRINT
    return {
        "id": message.pk,
        "kind": KIND_OF_STATUS[message.status],
        "person_id": person.pk,
        "person_name": person.display_name,
        "language": "cy" if person.prefers_welsh else "en",
        "large_print": person.needs_large_print,
        "address_lines": person.address_lines() if letter else [],
        "phone": "" if letter else person.phone,
        "subject": message.subject,
        "body": message.body,
        "created_at": message.created_at,
        **_call_state(message),
    }


@router.get(
    "/outbox",
    response={200: WaitingPage, **AUTHENTICATED_ERRORS},
    summary="Letters, calls and texts waiting to be done",
)
def waiting(request: HttpRequest, filters: Query[OutboxQuery]) -> dict[str, Any]:
    """Oldest first; ``kind=calls`` in the call list's order (calls to make now, the longest waiting first, then
    those to try later, the soonest first), a person's calls together. Letters printed in a fuller batch of
    their own (a session's) are not here."""
    token = require_role(request, *COORDINATING)
    found: Any
    if filters.kind == "calls":
        found = [m for call in selectors.call_list(token.organisation) for m in call.messages]
        count = len(found)
    else:
        found = selectors.waiting(token.organisation, filters.kind).prefetch_related(selectors.attempts())
        count = found.count()
    page = list(found[filters.offset : filters.offset + filters.limit])
    people_services.record_reads(
        reader=token.user,
        organisation=token.organisation,
        people={m.person.pk: m.person for m in page}.values(),
        what=[SensitiveRead.What.CONTACT],
        via=SensitiveRead.Via.API,
    )
    return {"items": [_out(m) for m in page], "count": count}


@router.post(
    "/outbox/done",
    response={200: DoneOut, **AUTHENTICATED_ERRORS, 422: ErrorOut},
    summary="Record letters posted, calls made or texts sent",
)
def done(request: HttpRequest, payload: DoneIn) -> dict[str, Any]:
    """All or nothing: if any is not waiting at your organisation, none is marked."""
    token = require_role(request, *COORDINATING)
    marked = services.mark_done(actor=token.user, organisation=token.organisation, message_ids=payload.messages)
    return {"done": len(marked), "done_at": marked[0].done_at if marked else None}


@router.post(
    "/outbox/calls/{message_id}/attempts",
    response={200: CallStateOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Record how a call went",
)
def record_call(request: HttpRequest, message_id: int, payload: CallAttemptIn) -> dict[str, Any]:
    """One try at the call for this message. A message of another organisation is not found; one no longer
    waiting to be called (finished a moment before, or not a call) is refused with nothing written."""
    token = require_role(request, *COORDINATING)
    if not OutgoingMessage.objects.filter(pk=message_id, organisation=token.organisation).exists():
        raise OutgoingMessage.DoesNotExist
    services.record_call(
        actor=token.user,
        organisation=token.organisation,
        message_ids=[message_id],
        outcome=payload.outcome,
        note=payload.note,
        try_after=payload.try_after,
    )
    message = OutgoingMessage.objects.prefetch_related(selectors.attempts()).get(pk=message_id)
    return {"id": message.pk, "status": message.status, "done_at": message.done_at, **_call_state(message)}
