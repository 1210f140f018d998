"""The independence risk register through the API, for staff tokens: the same selectors and services as its page."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema

from withus.accounts.roles import COORDINATING, SEEING_WORK
from withus.api.auth import require_role
from withus.api.errors import AUTHENTICATED_ERRORS

from . import rules, selectors, services
from .models import IndependenceRisk

router = Router(tags=["independence"])


class RiskOut(Schema):
    id: int
    kind: str
    title: str
    title_cy: str
    likelihood: int
    impact: int
    rating: str = Field(description="high, medium or low")
    mitigations: str
    owner: str | None
    review_on: date
    overdue: bool
    found_in_records: bool
    no_longer_found_on: date | None


class FindingsOut(Schema):
    added: list[RiskOut]
    no_longer_found: int


def _out(risk: IndependenceRisk) -> dict[str, Any]:
    return {
        "id": risk.pk,
        "kind": risk.kind,
        "title": risk.title,
        "title_cy": risk.title_cy,
        "likelihood": risk.likelihood,
        "impact": risk.impact,
        "rating": rules.rating(likelihood=risk.likelihood, impact=risk.impact),
        "mitigations": risk.mitigations,
        "owner": risk.owner.email if risk.owner else None,
        "review_on": risk.review_on,
        "overdue": rules.is_overdue(review_on=risk.review_on, today=timezone.localdate()),
        "found_in_records": bool(risk.source_key),
        "no_longer_found_on": risk.no_longer_found_on,
    }


@router.get("/independence/risks", response={200: list[RiskOut], **AUTHENTICATED_ERRORS}, summary="The risk register")
def risks(request: HttpRequest) -> Any:
    """The open risks to independence of voice, soonest review first."""
    token = require_role(request, *SEEING_WORK)
    return [_out(r) for r in selectors.register(token.user, token.organisation)]


@router.post(
    "/independence/findings", response={200: FindingsOut, **AUTHENTICATED_ERRORS}, summary="Add what the records show"
)
def findings(request: HttpRequest) -> Any:
    """Add to the register each risk the records show that it does not have yet."""
    token = require_role(request, *COORDINATING)
    added, gone = services.record_findings(actor=token.user, organisation=token.organisation)
    return {"added": [_out(r) for r in added], "no_longer_found": gone}
