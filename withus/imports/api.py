"""Bringing an existing register in through the API, as the pages do: upload, columns, check, import, undo.

An admin token uploads a CSV or XLSX file (multipart, field ``file``, found from its content, up to
10 MB); the answer says how each column was matched. ``PUT .../columns`` sets the mapping and the
lawful basis and runs the check (the dry run); ``GET .../rows`` lists every row's outcome and
problems; rows matching someone registered wait for a decision (merge, keep_apart or skip, the
default); ``POST .../confirm`` writes the import in one transaction; ``POST .../undo`` takes it back
within the undo period. A file refused whole, a bad mapping or a late undo answer 422 saying why.

The form field ``kind`` says what the file holds: ``people`` (the default), ``opportunities`` run before
WithUs, or past ``attendance``; ``GET /imports/fields?kind=`` lists what its columns can be. Only people
have a lawful basis and a welcome."""

from datetime import datetime
from typing import Annotated, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import ConfigDict

from withus.accounts.models import ApiToken
from withus.accounts.roles import ADMINISTERING
from withus.api.auth import require_role
from withus.api.errors import AUTHENTICATED_ERRORS, ErrorOut
from withus.api.schemas import ListPagination, text

from . import rules, selectors, services
from .models import Kind, LawfulBasis, RegisterImport

router = Router(tags=["imports"])

WRITE = {**AUTHENTICATED_ERRORS, 404: ErrorOut, 422: ErrorOut}
Decision = Literal["merge", "keep_apart", "skip"]
# Every kind's field keys: which of them a file may use is the service's to say, by the import's kind.
FieldKey = Literal[tuple(sorted({k for fields in rules.FIELDS_OF.values() for k in fields}))]  # type: ignore[valid-type]
Basis = Literal[tuple(["", *LawfulBasis.values])]  # type: ignore[valid-type]
KindIn = Literal[tuple(Kind.values)]  # type: ignore[valid-type]


class ImportFieldOut(Schema):
    key: str
    label: str
    required: bool


class ColumnOut(Schema):
    column: int = Field(description="0 for the first column")
    header: str
    field: str = Field(description="The WithUs field it is matched to; empty when it is not imported")


class ImportCountsOut(Schema):
    rows: int = 0
    added: int = Field(0, description="People added (or, before confirm, to be added)")
    updated: int = Field(0, description="Registered people updated by a merge")
    skipped: int = 0
    problems: int = Field(0, description="Rows skipped for a problem")
    matches: int = Field(0, description="Rows matching someone registered, by e-mail or phone")
    sessions: int = Field(0, description="For past attendance: sessions added (or to be added) as held")


class RegisterImportOut(Schema):
    id: int
    kind: str = Field(description="people, opportunities or attendance")
    status: str = Field(description="mapping, checking, checked, importing, imported, undone or abandoned")
    file_name: str
    file_type: str
    row_count: int
    columns: list[ColumnOut]
    mapping_name: str
    lawful_basis: str
    lawful_basis_note: str
    send_welcome: bool
    counts: ImportCountsOut
    progress_done: int = Field(description="While checking or importing in the background: rows done so far")
    progress_total: int
    task_problem: str = Field(description="Why the background check or import stopped, if it did")
    created_at: datetime
    imported_at: datetime | None
    undo_until: datetime | None
    undone_at: datetime | None

    @staticmethod
    def resolve_columns(found: RegisterImport) -> list[dict[str, object]]:
        mapping = found.column_mapping
        return [{"column": i, "header": h, "field": mapping.get(i, "")} for i, h in enumerate(found.headers)]

    @staticmethod
    def resolve_counts(found: RegisterImport) -> dict[str, int]:
        return dict(found.counts)


class RowOut(Schema):
    row: int = Field(description="The spreadsheet's row number: the header is row 1")
    outcome: str = Field(description="add, update, skip or problem")
    problems: list[str]
    name: str = Field(description="The row's name, or an opportunity's title")
    match_person_id: int | None = Field(description="Someone registered this row matches (or, for attendance, is)")
    match_by: str = Field(description="email or phone (for attendance, also name)")
    decision: str = Field(description="For a match: merge, keep_apart or skip")


class ColumnsIn(Schema):
    model_config = ConfigDict(extra="forbid")

    mapping: dict[int, FieldKey] = Field(  # type: ignore[valid-type]
        description="Column number (0 for the first) to a field key from GET /api/imports/fields; leave a column out "
        "to skip it. Only address may be given to several columns (its lines, in order)."
    )
    lawful_basis: Basis = Field("", description="Needed for people; left empty for other kinds")  # type: ignore[valid-type]
    lawful_basis_note: Annotated[str, text(300)] = ""
    mapping_name: Annotated[str, text(80)] = Field("", description="Remember the mapping under this name")
    send_welcome: bool = True


class DecisionsIn(Schema):
    model_config = ConfigDict(extra="forbid")

    decisions: dict[int, Decision] = Field(default_factory=dict, description="Row number to decision")


def _import(request: HttpRequest, import_id: int) -> tuple[ApiToken, RegisterImport]:
    token = require_role(request, *ADMINISTERING)
    return token, selectors.import_for(token.user, token.organisation, import_id)


@router.get(
    "/imports/fields", response={200: list[ImportFieldOut], **AUTHENTICATED_ERRORS}, summary="What a column can be"
)
def import_fields(request: HttpRequest, kind: Query[KindIn] = "people") -> list[dict[str, object]]:  # type: ignore[valid-type]
    require_role(request, *ADMINISTERING)
    required = rules.REQUIRED_OF[kind]
    return [{"key": k, "label": str(f.label), "required": k in required} for k, f in rules.fields_of(kind).items()]


@router.get("/imports", response={200: list[RegisterImportOut], **AUTHENTICATED_ERRORS}, summary="Your imports")
@paginate(ListPagination)
def list_imports(request: HttpRequest) -> QuerySet[RegisterImport]:
    token = require_role(request, *ADMINISTERING)
    return selectors.imports_of(token.user, token.organisation)


@router.post("/imports", response={201: RegisterImportOut, **WRITE}, summary="Upload a register to import")
def upload_import(
    request: HttpRequest,
    file: File[UploadedFile],
    kind: Form[KindIn] = "people",  # type: ignore[valid-type]
) -> Status[RegisterImport]:
    """Multipart form data: `file`, CSV (UTF-8) or XLSX with a first row naming the columns; `kind`, what it holds."""
    token = require_role(request, *ADMINISTERING)
    if (file.size or 0) > selectors.max_bytes():
        raise rules.FileProblem(
            _("The file is larger than %(mb)s MB. Split it into smaller files and import each.")
            % {"mb": selectors.max_bytes() // (1024 * 1024)}
        )
    found = services.upload(
        actor=token.user, organisation=token.organisation, data=file.read(), file_name=file.name or "", kind=kind
    )
    return Status(201, found)


@router.get("/imports/{import_id}", response={200: RegisterImportOut, **AUTHENTICATED_ERRORS, 404: ErrorOut})
def get_import(request: HttpRequest, import_id: int) -> RegisterImport:
    return _import(request, import_id)[1]


@router.put(
    "/imports/{import_id}/columns", response={200: RegisterImportOut, **WRITE}, summary="Match columns and check"
)
def set_columns(request: HttpRequest, import_id: int, payload: ColumnsIn) -> RegisterImport:
    token, found = _import(request, import_id)
    return services.set_mapping(
        actor=token.user,
        register_import=found,
        mapping=payload.mapping,
        lawful_basis=payload.lawful_basis,
        lawful_basis_note=payload.lawful_basis_note,
        mapping_name=payload.mapping_name,
        send_welcome=payload.send_welcome,
    )


@router.get(
    "/imports/{import_id}/rows",
    response={200: list[RowOut], **AUTHENTICATED_ERRORS, 404: ErrorOut},
    summary="Every row's outcome in the check",
)
@paginate(ListPagination)
def import_rows(request: HttpRequest, import_id: int) -> list[dict[str, object]]:
    found = _import(request, import_id)[1]
    people = found.kind == Kind.PEOPLE
    named_by = rules.NAMED_BY[found.kind]
    rows = []
    for check in found.checks:
        decision = found.decisions.get(str(check["row"]), "skip") if people and check["match"] is not None else ""
        outcome = (
            "problem"
            if check["problems"]
            else "skip"
            if check["values"].get("recorded")
            else "add"
            if not people or check["match"] is None or decision == "keep_apart"
            else "update"
            if decision == "merge"
            else "skip"
        )
        rows.append(
            {
                "row": check["row"],
                "outcome": outcome,
                "name": check["values"].get(named_by, ""),
                "problems": check["problems"],
                "match_person_id": check["match"],
                "match_by": check["match_by"],
                "decision": decision,
            }
        )
    return rows


@router.post("/imports/{import_id}/decisions", response={200: RegisterImportOut, **WRITE})
def decide(request: HttpRequest, import_id: int, payload: DecisionsIn) -> RegisterImport:
    token, found = _import(request, import_id)
    return services.decide(actor=token.user, register_import=found, decisions=payload.decisions)


@router.post("/imports/{import_id}/confirm", response={200: RegisterImportOut, **WRITE}, summary="Import")
def confirm(request: HttpRequest, import_id: int, payload: DecisionsIn) -> RegisterImport:
    token, found = _import(request, import_id)
    return services.confirm(actor=token.user, register_import=found, decisions=payload.decisions or None)


@router.post("/imports/{import_id}/undo", response={200: RegisterImportOut, **WRITE}, summary="Undo an import")
def undo(request: HttpRequest, import_id: int) -> RegisterImport:
    token, found = _import(request, import_id)
    return services.undo(actor=token.user, register_import=found)


@router.post("/imports/{import_id}/abandon", response={200: RegisterImportOut, **WRITE})
def abandon(request: HttpRequest, import_id: int) -> RegisterImport:
    token, found = _import(request, import_id)
    return services.abandon(actor=token.user, register_import=found)
