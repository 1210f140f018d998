"""Frameworks, assessments, their scores (blind until scoring closes) and the actions from their gaps.

A token works in its own organisation. Staff tokens of those who read the organisation's work see
every assessment; any other token (a member's) sees only the assessments its user was invited to.
While scoring is open, the scores a token is given are its own user's, whoever asks; every write is
a service, so a score outside the scale, evidence of another organisation or a score after closing is
a 422 exactly as on the web.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import ConfigDict

from withus.accounts.models import ApiToken, Organisation, User
from withus.accounts.roles import ADMINISTERING, COORDINATING, SEEING_WORK
from withus.api.auth import require_role, token_of
from withus.api.errors import AUTHENTICATED_ERRORS, ErrorOut
from withus.api.schemas import ListPagination, text
from withus.meetings.models import Session

from . import selectors, services
from .models import Action, Assessment, Framework, Item

router = Router(tags=["assessments"])

Direction = Literal["improved", "slipped", "same", "unknown"]


class ScaleStepOut(Schema):
    value: int
    label: str


class FrameworkItemOut(Schema):
    id: int
    code: str
    standard: str
    wording: str
    source: str


class FrameworkOut(Schema):
    id: int
    code: str
    name: str
    shipped: bool
    copied_from: int | None = Field(description="For your organisation's copy, the id of the framework it copies.")
    source: str
    scale: list[ScaleStepOut]
    items: list[FrameworkItemOut]


class FrameworkScaleStepIn(Schema):
    model_config = ConfigDict(extra="forbid")

    label: Annotated[str, text(100)]
    label_cy: Annotated[str, text(100)] = ""


class FrameworkNewItemIn(Schema):
    model_config = ConfigDict(extra="forbid")

    standard: Annotated[str, text(120)] = ""
    code: Annotated[str, text(20)] = Field(description="Each item's own code, for example “C1”.")
    wording: Annotated[str, text(5000)]
    wording_cy: Annotated[str, text(5000)] = ""


class FrameworkIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, text(200)]
    name_cy: Annotated[str, text(200)] = ""
    description: Annotated[str, text(10000)] = ""
    description_cy: Annotated[str, text(10000)] = ""
    source: Annotated[str, text(200)] = ""
    scale: list[FrameworkScaleStepIn] = Field(
        max_length=20, description="At least two steps, from the lowest to met (the last step)."
    )
    items: list[FrameworkNewItemIn] = Field(max_length=500, description="At least one item, each with its own code.")


class FrameworkItemWordingIn(Schema):
    model_config = ConfigDict(extra="forbid")

    wording: Annotated[str, text(5000)]
    wording_cy: Annotated[str, text(5000)] = ""


class FrameworkItemWordingOut(Schema):
    id: int
    framework_id: int
    code: str
    wording: str
    wording_cy: str


class AssessmentOut(Schema):
    id: int
    title: str
    framework_id: int
    period_start: date
    period_end: date
    scoring_open: bool
    closed_at: datetime | None


class AssessmentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    framework: int = Field(description="The id of a shipped framework or one of your organisation's.")
    title: Annotated[str, text(200, min_length=1)]
    period_start: date
    period_end: date


class AssessmentScorerIn(Schema):
    model_config = ConfigDict(extra="forbid")

    user: int = Field(description="The user id of a member who shares their details with you, or of staff.")
    side: Literal["member", "staff"]


class AssessmentScorerOut(Schema):
    id: int
    user_id: int
    side: str


class AssessmentScoreIn(Schema):
    model_config = ConfigDict(extra="forbid")

    value: int = Field(ge=0, le=100, description="A step of the framework's scale, 0 the lowest.")
    evidence: Annotated[str, text(5000)] = ""
    evidence_session: int | None = Field(None, description="The id of one of your organisation's sessions.")


class AssessmentScoreOut(Schema):
    item_id: int
    user_id: int
    side: str
    value: int
    evidence: str
    evidence_session: int | None


class AssessmentAgreementIn(Schema):
    model_config = ConfigDict(extra="forbid")

    item: int
    value: int | None = Field(None, ge=0, le=100, description="The agreed score; null to keep a disagreement.")
    note: Annotated[str, text(5000)] = ""


class AssessmentAgreementOut(Schema):
    item_id: int
    value: int | None
    disagreement_kept: bool
    note: str
    agreed_by: int


class AssessmentActionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    item: int
    description: Annotated[str, text(5000, min_length=1)]
    owner: int = Field(description="The user id of the action's owner.")
    due_on: date
    monitoring: Annotated[str, text(5000, min_length=1)]


class AssessmentActionOut(Schema):
    id: int
    assessment_id: int
    item_id: int
    description: str
    owner_id: int
    due_on: date
    monitoring: str
    status: str
    progress: str


class AssessmentActionProgressIn(Schema):
    model_config = ConfigDict(extra="forbid")

    progress: Annotated[str, text(5000)] = ""
    done: bool = False


class AssessmentProgressItemOut(Schema):
    code: str
    standard: str
    before: int | None
    now: int | None
    direction: Direction


class AssessmentProgressStandardOut(Schema):
    standard: str
    improved: int
    slipped: int
    same: int
    unknown: int
    direction: Direction
    share_met: float | None = Field(description="The share of the standard's items agreed as met this cycle (%).")
    share_met_before: float | None = Field(
        description="The same share in the last cycle (%); null when there was none."
    )


class AssessmentProgressOut(Schema):
    previous_id: int | None
    items: list[AssessmentProgressItemOut]
    standards: list[AssessmentProgressStandardOut]


def _framework_out(framework: Any) -> dict[str, Any]:
    return {
        "id": framework.pk,
        "code": framework.code,
        "name": framework.title,
        "shipped": framework.shipped,
        "copied_from": framework.copied_from_id,
        "source": framework.source,
        "scale": [{"value": s.value, "label": s.title} for s in framework.steps.all()],
        "items": [
            {"id": i.pk, "code": i.code, "standard": i.standard_title, "wording": i.wording, "source": i.source}
            for i in framework.items.all()
        ],
    }


def _assessment_out(a: Assessment) -> dict[str, Any]:
    return {
        "id": a.pk,
        "title": a.title,
        "framework_id": a.framework_id,
        "period_start": a.period_start,
        "period_end": a.period_end,
        "scoring_open": a.is_open,
        "closed_at": a.closed_at,
    }


def _assessment(token: ApiToken, pk: int) -> Assessment:
    """The assessment as the token may see it: staff who read the work see all; anyone else, what they score."""
    organisation = token.organisation if token.role in SEEING_WORK else None
    found = selectors.assessment_for(token.user, organisation, pk)
    if found.organisation_id != token.organisation.pk:
        raise Http404
    return found


def _item(assessment: Assessment, pk: int) -> Item:
    item = Item.objects.filter(pk=pk, framework=assessment.framework).first()
    if item is None:
        raise ValidationError({"item": _("This item is not part of this assessment's framework.")})
    return item


def _user(pk: int, field: str) -> User:
    user = User.objects.filter(pk=pk).first()
    if user is None:
        raise ValidationError({field: _("There is nobody with this id at your organisation.")})
    return user


@router.get("/frameworks", response={200: list[FrameworkOut], **AUTHENTICATED_ERRORS}, summary="Frameworks")
@paginate(ListPagination)
def frameworks(request: HttpRequest) -> list[dict[str, Any]]:
    """The shipped frameworks and your organisation's own, each with its scale and items."""
    token = token_of(request)
    return [_framework_out(f) for f in selectors.frameworks_in_full(token.organisation)]


def _in_full(organisation: Organisation, pk: int) -> Framework:
    return selectors.frameworks_in_full(organisation).get(pk=pk)


@router.post(
    "/frameworks",
    response={201: FrameworkOut, **AUTHENTICATED_ERRORS, 422: ErrorOut},
    summary="Create your organisation's own framework",
)
def create_framework(request: HttpRequest, payload: FrameworkIn) -> Status[dict[str, Any]]:
    """For admins: a framework your organisation adopted, its scale from the lowest step to met, and its items."""
    token = require_role(request, *ADMINISTERING)
    framework = services.create_framework(
        actor=token.user,
        organisation=token.organisation,
        name=payload.name,
        name_cy=payload.name_cy,
        description=payload.description,
        description_cy=payload.description_cy,
        source=payload.source,
        scale=[(s.label, s.label_cy) for s in payload.scale],
        items=[(i.standard, i.code, i.wording, i.wording_cy) for i in payload.items],
    )
    return Status(201, _framework_out(_in_full(token.organisation, framework.pk)))


@router.post(
    "/frameworks/{framework_id}/copy",
    response={201: FrameworkOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Copy a framework to change its wording",
)
def copy_framework(request: HttpRequest, framework_id: int) -> Status[dict[str, Any]]:
    """For admins: your organisation's copy of a shipped framework; the shipped original never changes."""
    token = require_role(request, *ADMINISTERING)
    copy = services.copy_framework(
        actor=token.user,
        organisation=token.organisation,
        framework=selectors.framework_for(token.organisation, framework_id),
    )
    return Status(201, _framework_out(_in_full(token.organisation, copy.pk)))


@router.post(
    "/frameworks/{framework_id}/items/{item_id}/wording",
    response={200: FrameworkItemWordingOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Reword an item of your organisation's framework",
)
def reword_item(
    request: HttpRequest, framework_id: int, item_id: int, payload: FrameworkItemWordingIn
) -> dict[str, Any]:
    """For admins: the item's wording in English and Welsh, in your own framework or copy; a shipped one is a 422."""
    token = require_role(request, *ADMINISTERING)
    item = selectors.item_for(token.organisation, item_id)
    if item.framework_id != framework_id:
        raise Http404
    try:
        item = services.reword_item(actor=token.user, item=item, text=payload.wording, text_cy=payload.wording_cy)
    except ValidationError as error:
        # The service names the model's field; the client sent it as "wording".
        raise ValidationError(
            {("wording" if name == "text" else name): messages for name, messages in error.message_dict.items()}
        ) from error
    return {
        "id": item.pk,
        "framework_id": item.framework_id,
        "code": item.code,
        "wording": item.text,
        "wording_cy": item.text_cy,
    }


@router.get("/assessments", response={200: list[AssessmentOut], **AUTHENTICATED_ERRORS}, summary="Assessments")
@paginate(ListPagination)
def assessments(request: HttpRequest) -> list[dict[str, Any]]:
    """Staff who read the organisation's work see every assessment; anyone else, those they were invited to."""
    token = token_of(request)
    found = selectors.assessments_for(token.user, token.organisation)
    if token.role not in SEEING_WORK:
        found = found.filter(scorers__user=token.user)
    return [_assessment_out(a) for a in found]


@router.post(
    "/assessments",
    response={201: AssessmentOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Open an assessment",
)
def open_assessment(request: HttpRequest, payload: AssessmentIn) -> Status[dict[str, Any]]:
    """For coordinators and admins: an assessment of a framework for a period; invite scorers next."""
    token = require_role(request, *COORDINATING)
    assessment = services.open_assessment(
        actor=token.user,
        organisation=token.organisation,
        framework=selectors.framework_for(token.organisation, payload.framework),
        title=payload.title,
        period_start=payload.period_start,
        period_end=payload.period_end,
    )
    return Status(201, _assessment_out(assessment))


@router.get(
    "/assessments/{assessment_id}",
    response={200: AssessmentOut, **AUTHENTICATED_ERRORS, 404: ErrorOut},
    summary="An assessment",
)
def assessment(request: HttpRequest, assessment_id: int) -> dict[str, Any]:
    return _assessment_out(_assessment(token_of(request), assessment_id))


@router.post(
    "/assessments/{assessment_id}/scorers",
    response={201: AssessmentScorerOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Invite a scorer",
)
def invite(request: HttpRequest, assessment_id: int, payload: AssessmentScorerIn) -> Status[dict[str, Any]]:
    """For coordinators and admins: a member or a member of staff who will score every item."""
    token = require_role(request, *COORDINATING)
    scorer = services.invite_scorer(
        actor=token.user,
        assessment=_assessment(token, assessment_id),
        user=_user(payload.user, "user"),
        side=payload.side,
    )
    return Status(201, {"id": scorer.pk, "user_id": scorer.user_id, "side": scorer.side})


@router.get(
    "/assessments/{assessment_id}/scores",
    response={200: list[AssessmentScoreOut], **AUTHENTICATED_ERRORS, 404: ErrorOut},
    summary="Scores you may see",
)
@paginate(ListPagination)
def scores(request: HttpRequest, assessment_id: int) -> list[dict[str, Any]]:
    """While scoring is open, only your own scores (blind, for coordinators too); once closed, everyone's."""
    token = token_of(request)
    found = selectors.scores_visible_to(token.user, _assessment(token, assessment_id))
    return [
        {
            "item_id": s.item_id,
            "user_id": s.scorer.user_id,
            "side": s.scorer.side,
            "value": s.value,
            "evidence": s.evidence,
            "evidence_session": s.evidence_session_id,
        }
        for s in found.order_by("item__order", "scorer_id")
    ]


@router.post(
    "/assessments/{assessment_id}/scores/{item_id}",
    response={200: AssessmentScoreOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Score an item",
)
def score(request: HttpRequest, assessment_id: int, item_id: int, payload: AssessmentScoreIn) -> dict[str, Any]:
    """Your score of one item with its evidence, while scoring is open; you must have been invited."""
    token = token_of(request)
    found = _assessment(token, assessment_id)
    session = None
    if payload.evidence_session is not None:
        session = Session.objects.filter(pk=payload.evidence_session).first()
        if session is None:
            raise ValidationError({"evidence_session": _("There is no session with this id.")})
    s = services.record_score(
        actor=token.user,
        assessment=found,
        item=_item(found, item_id),
        value=payload.value,
        evidence=payload.evidence,
        evidence_session=session,
    )
    return {
        "item_id": s.item_id,
        "user_id": token.user.pk,
        "side": s.scorer.side,
        "value": s.value,
        "evidence": s.evidence,
        "evidence_session": s.evidence_session_id,
    }


@router.post(
    "/assessments/{assessment_id}/close",
    response={200: AssessmentOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Close scoring",
)
def close(request: HttpRequest, assessment_id: int) -> dict[str, Any]:
    """For coordinators and admins: from now every score shows, side by side."""
    token = require_role(request, *COORDINATING)
    return _assessment_out(services.close_scoring(actor=token.user, assessment=_assessment(token, assessment_id)))


@router.post(
    "/assessments/{assessment_id}/agreements",
    response={200: AssessmentAgreementOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Agree an item's score, or keep a disagreement",
)
def agree(request: HttpRequest, assessment_id: int, payload: AssessmentAgreementIn) -> dict[str, Any]:
    """After scoring closes: the agreed score with who agreed it; a null value keeps the disagreement, with a note."""
    token = require_role(request, *COORDINATING)
    found = _assessment(token, assessment_id)
    a = services.agree_score(
        actor=token.user, assessment=found, item=_item(found, payload.item), value=payload.value, note=payload.note
    )
    return {
        "item_id": a.item_id,
        "value": a.value,
        "disagreement_kept": a.disagreement_kept,
        "note": a.note,
        "agreed_by": a.agreed_by_id,
    }


@router.get(
    "/assessments/{assessment_id}/progress",
    response={200: AssessmentProgressOut, **AUTHENTICATED_ERRORS, 404: ErrorOut},
    summary="Progress since the last cycle",
)
def progress(request: HttpRequest, assessment_id: int) -> dict[str, Any]:
    """Each item's agreed score against the last closed cycle of the framework, and per standard."""
    data = selectors.progress(_assessment(token_of(request), assessment_id))
    return {
        "previous_id": data["previous"]["id"] if data["previous"] else None,
        "items": data["items"],
        "standards": data["standards"],
    }


@router.get("/assessment-actions", response={200: list[AssessmentActionOut], **AUTHENTICATED_ERRORS}, summary="Actions")
@paginate(ListPagination)
def actions(request: HttpRequest) -> list[Action]:
    """The actions from assessments' gaps: every one for staff who read the work, otherwise your own."""
    token = token_of(request)
    found = selectors.actions_for(token.user, token.organisation)
    if token.role not in SEEING_WORK:
        found = found.filter(owner=token.user)
    return list(found)


@router.post(
    "/assessments/{assessment_id}/actions",
    response={201: AssessmentActionOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Turn a gap into an action",
)
def create_action(request: HttpRequest, assessment_id: int, payload: AssessmentActionIn) -> Status[Action]:
    """For coordinators and admins: an item scored below met, with an owner, a due date and its monitoring."""
    token = require_role(request, *COORDINATING)
    found = _assessment(token, assessment_id)
    action = services.create_action(
        actor=token.user,
        assessment=found,
        item=_item(found, payload.item),
        description=payload.description,
        owner=_user(payload.owner, "owner"),
        due_on=payload.due_on,
        monitoring=payload.monitoring,
    )
    return Status(201, action)


@router.post(
    "/assessment-actions/{action_id}/progress",
    response={200: AssessmentActionOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Record an action's progress",
)
def action_progress(request: HttpRequest, action_id: int, payload: AssessmentActionProgressIn) -> Action:
    """For the action's owner, or coordinators and admins."""
    token = token_of(request)
    found = selectors.actions_for(token.user, token.organisation).filter(pk=action_id).first()
    if found is None or (token.role not in COORDINATING and found.owner_id != token.user.pk):
        raise Http404
    return services.update_action(actor=token.user, action=found, progress=payload.progress, done=payload.done)
