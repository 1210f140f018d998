"""Evaluations and surveys through the API: coordinators build, open and close them and read results with
small numbers hidden; members and the public answer with a one-time token."""

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
from withus.api.errors import AUTHENTICATED_ERRORS, ApiError, ErrorOut
from withus.api.schemas import ListPagination, field_limit
from withus.meetings import selectors as meetings_selectors

from . import rules, selectors, services
from .models import Question, Survey

router = Router(tags=["surveys"])

Perspective = Literal["service_user", "carer", "other"]
AnswerValue = int | list[int] | Annotated[str, Field(max_length=4000)] | None


class SurveyOptionOut(Schema):
    id: int
    text: str
    text_cy: str


class SurveyQuestionOut(Schema):
    id: int
    position: int
    kind: str = Field(description="single, several, scale or text")
    text: str
    text_cy: str
    required: bool
    scale_max: int
    options: list[SurveyOptionOut]

    @staticmethod
    def resolve_options(obj: Question) -> list[Any]:
        return list(obj.options.all())


class SurveyOut(Schema):
    id: int
    kind: str = Field(description="survey, evaluation or evaluation_default")
    title: str
    title_cy: str
    introduction: str
    introduction_cy: str
    audience: str = Field(description="members, group, public or attendees")
    group_id: int | None
    session_id: int | None
    anonymous: bool
    results_shown: str = Field(description="while_open or after_close")
    status: str = Field(description="draft, open or closed")
    opened_on: date | None
    closed_on: date | None
    public_path: str | None = Field(description="For a public survey: the page anyone can answer at")

    @staticmethod
    def resolve_public_path(obj: Survey) -> str | None:
        return f"/surveys/{obj.public_key}/" if obj.audience == Survey.Audience.PUBLIC else None


class SurveyDetailOut(SurveyOut):
    questions: list[SurveyQuestionOut]
    co_designer_ids: list[int]

    @staticmethod
    def resolve_questions(obj: Survey) -> list[Any]:
        return selectors.questions_of(obj)

    @staticmethod
    def resolve_co_designer_ids(obj: Survey) -> list[int]:
        return list(obj.co_designers.values_list("pk", flat=True))


class SurveyIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: Annotated[str, field_limit(Survey, "title")]
    title_cy: Annotated[str, field_limit(Survey, "title_cy")] = ""
    introduction: Annotated[str, field_limit(Survey, "introduction")] = ""
    introduction_cy: Annotated[str, field_limit(Survey, "introduction_cy")] = ""
    audience: Literal["members", "group", "public"] = "members"
    group_id: int | None = None
    anonymous: bool = True
    results_shown: Literal["while_open", "after_close"] = "after_close"
    co_designer_ids: list[int] = Field(default_factory=list, max_length=100)


class SurveyQuestionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["single", "several", "scale", "text"]
    text: Annotated[str, Field(max_length=500)]
    text_cy: Annotated[str, Field(max_length=500)] = ""
    required: bool = False
    options: list[Annotated[str, Field(max_length=200)]] = Field(default_factory=list, max_length=50)
    options_cy: list[Annotated[str, Field(max_length=200)]] = Field(default_factory=list, max_length=50)
    scale_max: int = Field(5, ge=2, le=10)


class SurveyCountsOut(Schema):
    label: str
    service_user: int | None = Field(description="Null: hidden, below the organisation's small-number threshold")
    carer: int | None
    other: int | None
    total: int | None = Field(description="Null: hidden, small or giving a hidden count away")


class SurveyTextAnswerOut(Schema):
    text: str
    perspective: str
    themes: list[str]
    on_paper: bool


class SurveyQuestionResultOut(Schema):
    question_id: int
    question: str
    kind: str
    counts: list[SurveyCountsOut]
    texts: list[SurveyTextAnswerOut]


class SurveyResultsOut(Schema):
    survey_id: int
    threshold: int
    visible: bool = Field(description="False while results wait for the survey to close: only answers are counted")
    answers: SurveyCountsOut
    questions: list[SurveyQuestionResultOut]


class SurveyTokenOut(Schema):
    token: str = Field(description="Spend it once, with an answer")


class SurveyAnswerIn(Schema):
    model_config = ConfigDict(extra="forbid")

    token: Annotated[str, Field(max_length=100)]
    perspective: Perspective
    answers: dict[int, AnswerValue] = Field(
        description="By question id: an option id, a list of option ids, a scale point, or text", max_length=200
    )


class SurveyAnsweredOut(Schema):
    answered_on: date
    on_paper: bool


class MySurveyOut(SurveyOut):
    answered: bool


def _counts(row: selectors.ResultRow, label: str | None = None) -> dict[str, Any]:
    return {"label": label if label is not None else row.label, **row.cells, "total": row.total}


def _results(found: selectors.Results) -> dict[str, Any]:
    return {
        "survey_id": found.survey.pk,
        "threshold": found.threshold,
        "visible": found.visible,
        "answers": _counts(found.answers, "answers"),
        "questions": [
            {
                "question_id": r.question.pk,
                "question": str(r.question),
                "kind": r.question.kind,
                "counts": [_counts(row) for row in r.rows],
                "texts": [
                    {
                        "text": t.text,
                        "perspective": t.perspective,
                        "themes": [x.name for x in t.themes],
                        "on_paper": t.on_paper,
                    }
                    for p in rules.PERSPECTIVES
                    for t in r.texts.get(p, [])
                ],
            }
            for r in found.questions
        ],
    }


def _values(payload: SurveyAnswerIn) -> dict[int, object]:
    return {
        k: (str(v) if isinstance(v, int) else [str(x) for x in v] if isinstance(v, list) else v)
        for k, v in payload.answers.items()
    }


@router.get("/staff/surveys", response={200: list[SurveyOut], **AUTHENTICATED_ERRORS, 422: ErrorOut}, summary="Surveys")
@paginate(ListPagination)
def list_surveys(request: HttpRequest) -> Any:
    """Your organisation's surveys, evaluations and evaluation form, newest first."""
    token = require_role(request, *SEEING_WORK)
    return selectors.surveys_for_staff(token.user, token.organisation)


@router.post(
    "/staff/surveys", response={201: SurveyDetailOut, **AUTHENTICATED_ERRORS, 422: ErrorOut}, summary="Start a survey"
)
def start_survey(request: HttpRequest, payload: SurveyIn) -> Status[Survey]:
    """For coordinators: a survey being written. Name the members who co-design it by their ids."""
    token = require_role(request, *COORDINATING)
    fields = payload.dict(exclude={"group_id", "co_designer_ids"})
    fields["group"] = (
        selectors.groups_of(token.organisation).filter(pk=payload.group_id).first() if payload.group_id else None
    )
    people = selectors.people_by_ids(token.organisation, payload.co_designer_ids)
    survey = services.save_survey(actor=token.user, organisation=token.organisation, fields=fields, co_designers=people)
    return Status(201, survey)


@router.get(
    "/staff/surveys/{survey_id}",
    response={200: SurveyDetailOut, **AUTHENTICATED_ERRORS, 404: ErrorOut},
    summary="A survey and its questions",
)
def get_survey(request: HttpRequest, survey_id: int) -> Survey:
    token = require_role(request, *SEEING_WORK)
    return selectors.survey_for_staff(token.user, token.organisation, survey_id)


@router.post(
    "/staff/surveys/{survey_id}/questions",
    response={201: SurveyQuestionOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Add a question",
)
def add_question(request: HttpRequest, survey_id: int, payload: SurveyQuestionIn) -> Status[Question]:
    """For coordinators, while the survey is being written; a choice question needs two options or more."""
    token = require_role(request, *COORDINATING)
    survey = selectors.survey_for_staff(token.user, token.organisation, survey_id)
    question = services.add_question(actor=token.user, survey=survey, **payload.dict())
    return Status(201, question)


@router.post(
    "/staff/surveys/{survey_id}/open",
    response={200: SurveyOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Open a survey",
)
def open_survey(request: HttpRequest, survey_id: int) -> Survey:
    """Refused while the survey has no question."""
    token = require_role(request, *COORDINATING)
    survey = selectors.survey_for_staff(token.user, token.organisation, survey_id)
    return services.open_survey(actor=token.user, survey=survey)


@router.post(
    "/staff/surveys/{survey_id}/close",
    response={200: SurveyOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Close a survey",
)
def close_survey(request: HttpRequest, survey_id: int) -> Survey:
    token = require_role(request, *COORDINATING)
    survey = selectors.survey_for_staff(token.user, token.organisation, survey_id)
    return services.close_survey(actor=token.user, survey=survey)


@router.get(
    "/staff/surveys/{survey_id}/results",
    response={200: SurveyResultsOut, **AUTHENTICATED_ERRORS, 404: ErrorOut},
    summary="A survey's results, small numbers hidden",
)
def survey_results(request: HttpRequest, survey_id: int) -> dict[str, Any]:
    """Service user, carer and other answers apart; each option counted on its own; a count below the
    organisation's threshold is null; every free-text answer with its themes."""
    token = require_role(request, *SEEING_WORK)
    survey = selectors.survey_for_staff(token.user, token.organisation, survey_id)
    return _results(selectors.results(survey))


@router.post(
    "/staff/surveys/{survey_id}/paper-answers",
    response={201: SurveyAnsweredOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Type in a paper answer",
)
def paper_answer(request: HttpRequest, survey_id: int, payload: SurveyAnswerIn) -> Status[Any]:
    """For coordinators: get a token from ``/staff/surveys/{id}/tokens`` first; the answer names nobody."""
    token = require_role(request, *COORDINATING)
    survey = selectors.survey_for_staff(token.user, token.organisation, survey_id)
    answer = services.submit_answer(
        survey=survey,
        token=payload.token,
        values=_values(payload),
        perspective=payload.perspective,
        on_paper=True,
        entered_by=token.user,
    )
    return Status(201, answer)


@router.post(
    "/staff/surveys/{survey_id}/tokens",
    response={201: SurveyTokenOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="A one-time token for a paper answer",
)
def paper_token(request: HttpRequest, survey_id: int) -> Status[dict[str, str]]:
    token = require_role(request, *COORDINATING)
    survey = selectors.survey_for_staff(token.user, token.organisation, survey_id)
    return Status(201, {"token": services.issue_token(survey=survey)})


@router.post(
    "/staff/sessions/{session_id}/evaluation",
    response={200: SurveyOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Ask those who attended a session to evaluate it",
)
def offer_evaluation(request: HttpRequest, session_id: int) -> Survey:
    """Opens a copy of the organisation's evaluation form to those who attended (once a session)."""
    token = require_role(request, *COORDINATING)
    session = meetings_selectors.session_for_staff(token.user, token.organisation, session_id)
    return services.offer_evaluation(actor=token.user, session=session)


@router.get(
    "/me/surveys",
    response={200: list[MySurveyOut], **AUTHENTICATED_ERRORS, 404: ErrorOut},
    summary="Surveys and evaluations open to you",
)
def my_surveys(request: HttpRequest) -> list[Survey]:
    _token, person = member_person(request)
    found = []
    for survey, answered in selectors.open_for(person):
        setattr(survey, "answered", answered)  # noqa: B010 - read by MySurveyOut
        found.append(survey)
    return found


@router.post(
    "/me/surveys/{survey_id}/tokens",
    response={201: SurveyTokenOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="A one-time token to answer a survey",
)
def my_token(request: HttpRequest, survey_id: int) -> Status[dict[str, str]]:
    _token, person = member_person(request)
    survey = selectors.survey_for_person(person, survey_id)
    return Status(201, {"token": services.issue_token(survey=survey)})


@router.post(
    "/me/surveys/{survey_id}/answers",
    response={201: SurveyAnsweredOut, **AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut},
    summary="Answer a survey",
)
def my_answer(request: HttpRequest, survey_id: int, payload: SurveyAnswerIn) -> Status[Any]:
    """With a token from ``/me/surveys/{id}/tokens``. Each person answers once; an anonymous answer keeps no link
    to you."""
    _token, person = member_person(request)
    survey = selectors.survey_for_person(person, survey_id)
    answer = services.submit_answer(
        survey=survey, token=payload.token, values=_values(payload), perspective=payload.perspective, person=person
    )
    return Status(201, answer)


@router.post(
    "/surveys/{key}/tokens",
    response={201: SurveyTokenOut, 404: ErrorOut, 422: ErrorOut},
    summary="A one-time token to answer a public survey",
    auth=None,
)
def public_token(request: HttpRequest, key: Annotated[str, Field(max_length=40)]) -> Status[dict[str, str]]:
    """No sign-in: anyone with the survey's link may answer."""
    survey = selectors.open_survey_by_key(key)
    return Status(201, {"token": services.issue_token(survey=survey)})


@router.post(
    "/surveys/{key}/answers",
    response={201: SurveyAnsweredOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Answer a public survey",
    auth=None,
)
def public_answer(
    request: HttpRequest, key: Annotated[str, Field(max_length=40)], payload: SurveyAnswerIn
) -> Status[Any]:
    """No sign-in. Twenty answers an hour may be sent from one address, on the web and here together
    (429 ``too_many_requests`` after that; the token stays unspent)."""
    survey = selectors.open_survey_by_key(key)
    if not selectors.may_answer_publicly(request):
        raise ApiError(429, "too_many_requests", str(selectors.ANSWERED_TOO_OFTEN))
    answer = services.submit_answer(
        survey=survey, token=payload.token, values=_values(payload), perspective=payload.perspective
    )
    return Status(201, answer)
