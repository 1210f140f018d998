"""Files made in the background, through the API, as on the pages: ask, see how far, download.

``POST /files/people`` asks for the people list (with the list's filters, as the page's query string:
``q``, ``perspective``, ``local_authority``, ``status``, ``tag``, ``need``) as CSV or XLSX;
``POST /files/attendance`` asks for attendance at sessions between two days as CSV or XLSX;
``POST /files/payments`` asks for a payment batch's file (the first, which marks it exported, or a copy);
``POST /files/letters`` asks for the outbox's next batch of letters as one PDF. Each answers 202 with
the file's record; ``GET /files/{id}`` says how far it has got, and once ``status`` is ``ready``,
``GET /files/{id}/download`` gives the file, until ``expires_at``. Only the token's own user sees their
files, and only while their token's role may see what the file holds."""

from datetime import date, datetime
from typing import Annotated, Literal

from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import ConfigDict

from withus.accounts.models import ApiToken
from withus.accounts.roles import COORDINATING, PAYING, SEEING_PEOPLE, SEEING_WORK, STAFF
from withus.api.auth import require_role
from withus.api.errors import AUTHENTICATED_ERRORS, ApiError, ErrorOut
from withus.api.schemas import ListPagination, text

from . import kinds, selectors, services
from .models import PreparedFile

router = Router(tags=["files"])

WRITE = {**AUTHENTICATED_ERRORS, 422: ErrorOut}
FOUND = {**AUTHENTICATED_ERRORS, 404: ErrorOut}


class PreparedFileOut(Schema):
    id: int
    kind: str = Field(description="people, attendance, payments or letters")
    file_format: str = Field(description="csv, xlsx or pdf")
    file_name: str
    status: str = Field(description="waiting, preparing, ready, failed or expired")
    progress_done: int = Field(description="People, rows or claims written, or letters laid out, so far")
    progress_total: int
    size: int = Field(description="Bytes, once ready")
    problem: str = Field(description="Why it could not be made, if it failed")
    created_at: datetime
    finished_at: datetime | None
    expires_at: datetime | None = Field(description="When a ready file is deleted")


class PeopleFileIn(Schema):
    model_config = ConfigDict(extra="forbid")
    file_format: Literal["csv", "xlsx"] = "xlsx"
    filters: Annotated[str, text(2000)] = Field(
        "", description="The people list's filters as its query string, e.g. status=active&need=welsh"
    )


class AttendanceFileIn(Schema):
    model_config = ConfigDict(extra="forbid")
    file_format: Literal["csv", "xlsx"] = "xlsx"
    start: date | None = Field(None, description="The first day of sessions to include; leave out for every one so far")
    end: date | None = Field(None, description="The last day, included")


class PaymentFileIn(Schema):
    model_config = ConfigDict(extra="forbid")
    batch: int = Field(ge=1, description="The payment batch's id")
    copy_: bool = Field(False, alias="copy", description="A copy of a batch already exported, marked COPY on every row")
    file_format: Literal["csv", "xlsx"] = "csv"


class LettersFileIn(Schema):
    model_config = ConfigDict(extra="forbid")
    upto: int | None = Field(None, ge=1, description="Leave out letters newer than this message id")


def _file(request: HttpRequest, file_id: int) -> tuple[ApiToken, PreparedFile]:
    token = require_role(request, *STAFF)
    found = selectors.file_for(token.user, token.organisation, file_id)
    if token.role not in kinds.KINDS[found.kind].roles:
        raise Http404
    return token, found


@router.get("/files", response={200: list[PreparedFileOut], **AUTHENTICATED_ERRORS}, summary="Files prepared for you")
@paginate(ListPagination)
def list_files(request: HttpRequest) -> QuerySet[PreparedFile]:
    token = require_role(request, *STAFF)
    return selectors.files_of(token.user, token.organisation)


@router.post("/files/people", response={202: PreparedFileOut, **WRITE}, summary="Prepare the people list as a file")
def ask_people(request: HttpRequest, payload: PeopleFileIn) -> Status[PreparedFile]:
    token = require_role(request, *SEEING_PEOPLE)
    found = services.ask_for_people(
        actor=token.user, organisation=token.organisation, filters=payload.filters, file_format=payload.file_format
    )
    return Status(202, found)


@router.post("/files/attendance", response={202: PreparedFileOut, **WRITE}, summary="Prepare attendance as a file")
def ask_attendance(request: HttpRequest, payload: AttendanceFileIn) -> Status[PreparedFile]:
    token = require_role(request, *SEEING_WORK)
    found = services.ask_for_attendance(
        actor=token.user,
        organisation=token.organisation,
        start=payload.start,
        end=payload.end,
        file_format=payload.file_format,
    )
    return Status(202, found)


@router.post("/files/payments", response={202: PreparedFileOut, **WRITE}, summary="Prepare a payment batch's file")
def ask_payments(request: HttpRequest, payload: PaymentFileIn) -> Status[PreparedFile]:
    """The first file marks the batch exported when it is made, as ``GET /staff/batches/{id}/export`` does."""
    token = require_role(request, *PAYING)
    found = services.ask_for_payment_file(
        actor=token.user,
        organisation=token.organisation,
        batch_id=payload.batch,
        copy=payload.copy_,
        file_format=payload.file_format,
    )
    return Status(202, found)


@router.post("/files/letters", response={202: PreparedFileOut, **WRITE}, summary="Prepare the letters to print")
def ask_letters(request: HttpRequest, payload: LettersFileIn) -> Status[PreparedFile]:
    token = require_role(request, *COORDINATING)
    found = services.ask_for_letters(actor=token.user, organisation=token.organisation, upto=payload.upto)
    return Status(202, found)


@router.get("/files/{file_id}", response={200: PreparedFileOut, **FOUND}, summary="How far a file has got")
def get_file(request: HttpRequest, file_id: int) -> PreparedFile:
    return _file(request, file_id)[1]


@router.get(
    "/files/{file_id}/download",
    response={200: None, **FOUND, 409: ErrorOut},
    summary="Download a prepared file",
    openapi_extra={
        "responses": {
            200: {
                "description": "The CSV, XLSX or PDF file",
                "content": {"text/csv": {}, kinds.CONTENT_TYPES["xlsx"]: {}, "application/pdf": {}},
            }
        }
    },
)
def download_file(request: HttpRequest, file_id: int) -> FileResponse:
    found = _file(request, file_id)[1]
    if found.status != PreparedFile.Status.READY or not found.file:
        raise ApiError(
            409,
            "not_ready",
            _("The file is not ready: its status is “%(status)s”.") % {"status": found.get_status_display()},
        )
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.file_name,
        content_type=kinds.CONTENT_TYPES[found.file_format],
    )
    response["Cache-Control"] = "no-store"
    return response
