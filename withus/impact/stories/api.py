"""Stories, recordings and training material through the API.

Coordinators keep a member's story under the consent they gave (where it may be used, until when,
named or not), read their organisation's stories and log each use, which is refused outside the
consent (422, with the field) and may offer a fee per use through rewards, so the benefits guard
applies. A story's file (a recording, a document, slides) is sent as multipart form data and checked
by its content; staff download it only while the consent holds (403 saying why, after it is
withdrawn or has ended), the member always. A member token reads the member's own stories, downloads
and deletes their files, and withdraws consent."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from ninja import Field, File, Router, Schema, UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import ConfigDict

from withus.accounts.roles import COORDINATING
from withus.api.auth import member_person, require_role
from withus.api.errors import AUTHENTICATED_ERRORS, ErrorOut
from withus.api.schemas import ListPagination, text
from withus.core import uploads
from withus.people import selectors as people_selectors

from . import selectors, services
from .models import Story, StoryUse

router = Router(tags=["stories"])

Place = Literal["annual_report", "training", "website", "campaign"]
Kind = Literal["story", "recording", "material"]
WRITE = {**AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut}


class StoryOut(Schema):
    id: int
    organisation: str
    person_id: int
    kind: Kind
    title: str
    summary: str
    places: list[str] = Field(description="Where it may be used: annual_report, training, website, campaign")
    campaign: str = Field(description="The one campaign it may be used for, when campaign is a place")
    until: date = Field(description="It may be used until this day")
    named: bool = Field(description="Whether the member is named with it")
    consented_at: datetime
    withdrawn_at: datetime | None = Field(description="Once withdrawn, every use is refused")
    uses: int
    has_file: bool = Field(description="Whether a file (a recording, a document, slides) is kept with it")
    file_name: str = Field(description="The name the file was sent with")
    file_type: str = Field(description="The file's type, found from its content: pdf, docx, mp3...")

    @staticmethod
    def resolve_has_file(story: Story) -> bool:
        return bool(story.file)

    @staticmethod
    def resolve_organisation(story: Story) -> str:
        return str(story.organisation)

    @staticmethod
    def resolve_uses(story: Story) -> int:
        return int(getattr(story, "use_count", None) or story.uses.count())


class StoryIn(Schema):
    model_config = ConfigDict(extra="forbid")

    person_id: int
    kind: Kind = "story"
    title: Annotated[str, text(200, min_length=1)]
    summary: Annotated[str, text(4000)] = ""
    places: list[Place] = Field(min_length=1, max_length=4)
    campaign: Annotated[str, text(200)] = Field("", description="Required when campaign is one of the places")
    until: date = Field(description="After today")
    named: bool = False


class UseOut(Schema):
    id: int
    story_id: int
    place: str
    campaign: str
    used_on: date
    note: str
    member_present: bool
    fee_id: int | None = Field(description="The fee offered for this use, through rewards")


class UseIn(Schema):
    model_config = ConfigDict(extra="forbid")

    place: Place
    used_on: date
    campaign: Annotated[str, text(200)] = ""
    note: Annotated[str, text(500)] = ""
    member_present: bool = False
    fee: Decimal | None = Field(None, ge=0, le=10000, decimal_places=2, description="Pounds, when not there")


FILE_DOWNLOAD: dict[str, Any] = {
    # Keyed 200, as in response=, so that ninja merges it into that answer rather than adding a second "200".
    "responses": {
        200: {"description": "The file, as the type its content is", "content": {"application/octet-stream": {}}}
    }
}


def _download(story: Story) -> HttpResponseBase:
    try:
        file = story.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    return uploads.attachment(file, story.file_type, f"story-{story.pk}")


def _own(request: HttpRequest, story_id: int) -> tuple[Any, Story]:
    token, person = member_person(request)
    found = selectors.stories_of(person).filter(pk=story_id).first()
    if found is None:
        raise Http404
    return token, found


def _story(request: HttpRequest, story_id: int) -> Story:
    token = require_role(request, *COORDINATING)
    story = selectors.story_for(token.user, story_id, organisation=token.organisation)
    if story.organisation_id != token.organisation.pk:
        raise Http404
    return story


@router.get(
    "/impact/stories",
    response={200: list[StoryOut], **AUTHENTICATED_ERRORS},
    summary="Your organisation's stories and materials",
)
@paginate(ListPagination)
def stories(request: HttpRequest) -> QuerySet[Story]:
    token = require_role(request, *COORDINATING)
    return selectors.stories_at(token.organisation).select_related("organisation")


@router.post("/impact/stories", response={201: StoryOut, **WRITE}, summary="Keep a member's story under their consent")
def record(request: HttpRequest, payload: StoryIn) -> Status[Story]:
    token = require_role(request, *COORDINATING)
    person = people_selectors.person_for_staff(token.user, token.organisation, payload.person_id)
    fields: dict[str, Any] = payload.model_dump(exclude={"person_id"})
    made = services.record_story(actor=token.user, organisation=token.organisation, person=person, **fields)
    return Status(201, made)


@router.get("/impact/stories/{story_id}", response={200: StoryOut, **AUTHENTICATED_ERRORS, 404: ErrorOut},
            summary="A story")  # fmt: skip
def story(request: HttpRequest, story_id: int) -> Story:
    return _story(request, story_id)


@router.get(
    "/impact/stories/{story_id}/uses",
    response={200: list[UseOut], **AUTHENTICATED_ERRORS, 404: ErrorOut},
    summary="Every use of a story, newest first",
)
def uses(request: HttpRequest, story_id: int) -> list[StoryUse]:
    return list(_story(request, story_id).uses.order_by("-used_on", "-pk")[:500])


@router.post("/impact/stories/{story_id}/uses", response={201: UseOut, **WRITE}, summary="Log a use of a story")
def use(request: HttpRequest, story_id: int, payload: UseIn) -> Status[StoryUse]:
    """Refused outside the consent: withdrawn, past its end date, or somewhere the member did not agree to."""
    found = _story(request, story_id)
    token = require_role(request, *COORDINATING)
    return Status(201, services.use_story(actor=token.user, story=found, **payload.model_dump()))


@router.post(
    "/impact/stories/{story_id}/file",
    response={200: StoryOut, **WRITE, 413: ErrorOut},
    summary="Keep or replace a story's file",
)
def attach_file(request: HttpRequest, story_id: int, file: File[UploadedFile]) -> Story:
    """Multipart form data with one field, `file`: PDF, Word, PowerPoint, JPEG, PNG, MP3, M4A, WAV, OGG, MP4
    or WebM, found from its content, up to 50 MB. Refused (422) once the consent is withdrawn."""
    found = _story(request, story_id)
    token = require_role(request, *COORDINATING)
    services.attach_file(actor=token.user, story=found, upload=file)
    return _story(request, story_id)


@router.get(
    "/impact/stories/{story_id}/file",
    response={200: None, **AUTHENTICATED_ERRORS, 404: ErrorOut},
    summary="Download a story's file, while the consent holds",
    openapi_extra=FILE_DOWNLOAD,
)
def download(request: HttpRequest, story_id: int) -> HttpResponseBase:
    """403, saying why, once the member has withdrawn their consent or it has ended."""
    token = require_role(request, *COORDINATING)
    return _download(selectors.file_for(token.user, story_id, organisation=token.organisation))


@router.delete("/impact/stories/{story_id}/file", response={200: StoryOut, **WRITE}, summary="Delete a story's file")
def remove_file(request: HttpRequest, story_id: int) -> Story:
    """The consent and the log of uses stay."""
    found = _story(request, story_id)
    token = require_role(request, *COORDINATING)
    services.remove_file(actor=token.user, story=found)
    return _story(request, story_id)


@router.get(
    "/me/stories",
    response={200: list[StoryOut], **AUTHENTICATED_ERRORS, 404: ErrorOut},
    summary="Your stories and materials, and how often each was used",
)
def my_stories(request: HttpRequest) -> list[Story]:
    _token, person = member_person(request)
    return list(selectors.stories_of(person).order_by("-consented_at", "-pk")[:500])


@router.post("/me/stories/{story_id}/withdraw", response={200: StoryOut, **WRITE}, summary="Withdraw your consent")
def withdraw(request: HttpRequest, story_id: int) -> Story:
    """Every use from now on is refused. What was used before stays logged."""
    token, found = _own(request, story_id)
    services.withdraw(actor=token.user, story=found)
    return _own(request, story_id)[1]


@router.get(
    "/me/stories/{story_id}/file",
    response={200: None, **AUTHENTICATED_ERRORS, 404: ErrorOut},
    summary="Download your story's file",
    openapi_extra=FILE_DOWNLOAD,
)
def my_file(request: HttpRequest, story_id: int) -> HttpResponseBase:
    token, found = _own(request, story_id)
    return _download(selectors.file_for(token.user, found.pk))


@router.delete("/me/stories/{story_id}/file", response={200: StoryOut, **WRITE}, summary="Delete your story's file")
def my_remove_file(request: HttpRequest, story_id: int) -> Story:
    """What you agreed to, and the log of its uses, stay."""
    token, found = _own(request, story_id)
    services.remove_file(actor=token.user, story=found)
    return _own(request, story_id)[1]
