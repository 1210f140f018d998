"""The member's answer to an offer, through the API: the same ``services.choose`` the offer page calls.

Member tokens only, and only the member's own offers (another person's is a 404, as if
it did not exist). The rules are the service's: taking part for fewer hours changes the
attendance and the fee; a lower fee still pays every hour at least the hourly minimum,
and one that does not is refused (409) with the code ``split_refused``, the reason in plain
words and the choices that keep the activity whole.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from withus.api.auth import member_person
from withus.api.errors import AUTHENTICATED_ERRORS, ErrorOut, field_messages_from_django
from withus.rewards.fees.services import FeeChangeRefused
from withus.rewards.models import GuardChoice, IncomeLine
from withus.rewards.statements.api import PaymentOut

from . import services

router = Router(tags=["benefits"])


class AnswerIn(Schema):
    """What the member chooses to do about an offer. The guard never decides: accepting is always allowed."""

    model_config = ConfigDict(extra="forbid")

    choice: GuardChoice.Choice = Field(
        description=(
            "accept; fewer_hours (take part for fewer hours, all of them paid: give hours); lower_fee (give amount: "
            "at least the hourly minimum for every paid hour); donate; expenses_only; decline (the whole activity)"
        )
    )
    hours: Decimal | None = Field(
        None,
        max_digits=5,
        decimal_places=2,
        description="fewer_hours only: the hours you will take part for, fewer than offered.",
    )
    amount: Decimal | None = Field(
        None, max_digits=10, decimal_places=2, description="lower_fee only: the fee you want, in pounds and pence."
    )
    method: str | None = Field(
        None, description="How this activity's fee is paid, if not your usual way (bank_transfer, cash, cheque, ...)."
    )


class SplitRefusedOut(ErrorOut):
    """The change would pay for part of the activity and leave the rest as volunteering: it is not made."""

    allowed: list[str] = Field(
        [], description="The choices that keep the activity whole: fewer_hours, donate, expenses_only, decline."
    )


@router.post(
    "/me/offers/{offer_id}/answer",
    response={200: PaymentOut, 404: ErrorOut, 409: SplitRefusedOut, **AUTHENTICATED_ERRORS},
    summary="Answer an offer",
)
def answer_offer(request: HttpRequest, offer_id: int, payload: AnswerIn) -> Any:
    """With a member token: accept an offer of yours, take part for fewer hours, ask for a lower fee, or say no.

    A lower fee below the hourly minimum for the paid hours is answered 409 ``split_refused``:
    one activity is never split into a paid part and a voluntary part.
    """
    token, person = member_person(request)
    line = IncomeLine.objects.filter(pk=offer_id, person=person).select_related("organisation").first()
    if line is None:
        raise Http404
    try:
        record = services.choose(
            actor=token.user,
            line=line,
            choice=payload.choice,
            hours=payload.hours,
            amount=payload.amount,
            method=payload.method,
        )
    except FeeChangeRefused as refusal:
        _general, fields = field_messages_from_django(refusal)
        return Status(
            409,
            {
                "code": "split_refused",
                "message": " ".join(message for messages in fields.values() for message in messages),
                "fields": fields,
                "allowed": refusal.allowed,
            },
        )
    return IncomeLine.objects.select_related("organisation").get(pk=record.income_line_id)
