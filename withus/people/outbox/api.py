"""The outbox through the API: the letters, calls and texts waiting at the token's organisation, and
recording that some were done. Coordinators and admins only. A letter's address and a call's phone
number are shown, and who read them is recorded, as on the web. Marking one already done (by
someone else a moment before) is refused with nothing written (422, field ``messages``)."""

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
from ..models import OutgoingMessage, SensitiveRead
from . import selectors, services

router = Router(tags=["outbox"])

Kind = Literal["letters", "calls", "texts"]
KIND_OF_STATUS: dict[str, str] = {str(status): kind for kind, status in selectors.WAITING.items()}


class OutboxQuery(Schema):
    kind: Kind | None = Field(None, description="Only letters, calls or texts; left out for all")
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


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


class WaitingPage(Schema):
    items: list[WaitingOut]
    count: int


class DoneIn(Schema):
    model_config = ConfigDict(extra="forbid")

    messages: list[int] = Field(min_length=1, max_length=500, description="The ids of the waiting messages done")


class DoneOut(Schema):
    done: int
    done_at: datetime | None


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
    }


@router.get(
    "/outbox",
    response={200: WaitingPage, **AUTHENTICATED_ERRORS},
    summary="Letters, calls and texts waiting to be done",
)
def waiting(request: HttpRequest, filters: Query[OutboxQuery]) -> dict[str, Any]:
    """Oldest first. Letters printed in a fuller batch of their own (a session's) are not here."""
    token = require_role(request, *COORDINATING)
    found = selectors.waiting(token.organisation, filters.kind)
    page = list(found[filters.offset : filters.offset + filters.limit])
    people_services.record_reads(
        reader=token.user,
        organisation=token.organisation,
        people={m.person.pk: m.person for m in page}.values(),
        what=[SensitiveRead.What.CONTACT],
        via=SensitiveRead.Via.API,
    )
    return {"items": [_out(m) for m in page], "count": found.count()}


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
