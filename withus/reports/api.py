"""Presence and annual reports through the API.

Presence figures are for staff who see the organisation's work, held back exactly as on
the page. Published reports are open to anyone, with no token: the frozen version, in
English or Welsh. A member's token lists the drafts they were invited to comment on and
reads them; nobody else's.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.http import FileResponse, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router, Schema

from withus.accounts.models import Organisation
from withus.accounts.roles import SEEING_WORK
from withus.api.auth import member_person, require_role
from withus.api.errors import AUTHENTICATED_ERRORS, ErrorOut

from . import documents, selectors
from .presentation import for_display
from .sections import all_sections

router = Router(tags=["reports"])


class TableOut(Schema):
    key: str
    title: str
    columns: list[str]
    rows: list[list[Any]]  # a count held back (smaller than the threshold) is null


class PresenceOut(Schema):
    year: int
    year_label: str
    small_number: int
    involved: int | None
    tables: list[TableOut]


class SectionOut(Schema):
    key: str
    title: str
    narrative: str
    facts: list[list[Any]]
    tables: list[TableOut]


class VersionSummaryOut(Schema):
    year: int
    number: int
    published_at: datetime


class VersionOut(VersionSummaryOut):
    organisation: str
    year_label: str
    language: str
    sections: list[SectionOut]


class InvitedOut(Schema):
    id: int
    organisation: str
    year: int


class DraftOut(InvitedOut):
    sections: list[SectionOut]


def _tables(tables: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: t[k] for k in ("key", "title", "columns", "rows")} for t in tables]


def _section(section: dict[str, Any]) -> dict[str, Any]:
    shown = for_display(section)
    return {
        "key": shown["key"],
        "title": shown["title"],
        "narrative": shown["narrative"],
        "facts": shown["facts"],
        "tables": _tables(shown["data"].get("tables", [])),
    }


@router.get("/reports/presence", response={200: PresenceOut, **AUTHENTICATED_ERRORS, 422: ErrorOut}, summary="Presence")
def presence(request: HttpRequest, year: Annotated[int, Query(ge=2000, le=2100)]) -> dict[str, Any]:
    """For staff: who took part in the tax year starting ``year``, by level, role, place and area; small counts null."""
    token = require_role(request, *SEEING_WORK)
    found = selectors.presence(token.organisation, year)
    return {**found, "tables": _tables(found["tables"])}


@router.get(
    "/reports/annual/{slug}",
    auth=None,
    response={200: list[VersionSummaryOut], 404: ErrorOut},
    summary="An organisation's published annual reports",
)
def published(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    """Anyone: every published version, newest year first. Drafts are never listed."""
    organisation = get_object_or_404(Organisation, slug=slug)
    return [
        {"year": v.report.year, "number": v.number, "published_at": v.published_at}
        for v in selectors.published_versions(organisation)
    ]


@router.get(
    "/reports/annual/{slug}/{year}",
    auth=None,
    response={200: VersionOut, 404: ErrorOut, 422: ErrorOut},
    summary="A published annual report",
)
def published_report(
    request: HttpRequest,
    slug: str,
    year: Annotated[int, Path(ge=2000, le=2100)],
    version: Annotated[int | None, Query(ge=1, le=30000)] = None,
    language: Literal["en", "cy"] = "en",
) -> dict[str, Any]:
    """Anyone: the latest published version of the year's report, or ``version``; in English or Welsh."""
    organisation = get_object_or_404(Organisation, slug=slug)
    found = selectors.published_version(organisation, year, version)
    frozen = found.snapshot["languages"][language]
    return {
        "year": year,
        "number": found.number,
        "published_at": found.published_at,
        "organisation": frozen["organisation"],
        "year_label": frozen["year_label"],
        "language": language,
        "sections": [_section(s) for s in frozen["sections"]],
    }


@router.get(
    "/reports/annual/{slug}/{year}/tables",
    auth=None,
    response={200: None, 404: ErrorOut, 422: ErrorOut},
    summary="A published annual report's tables (CSV or XLSX)",
    # Keyed 200, as in response=, so that ninja merges it into that answer rather than adding a second "200".
    openapi_extra={
        "responses": {
            200: {
                "description": "The tables, as in the report: a CSV file, or an XLSX workbook with a sheet a table",
                "content": {"text/csv": {}, documents.CONTENT_TYPES["xlsx"]: {}},
            }
        }
    },
)
def published_tables(
    request: HttpRequest,
    slug: str,
    year: Annotated[int, Path(ge=2000, le=2100)],
    version: Annotated[int | None, Query(ge=1, le=30000)] = None,
    language: Literal["en", "cy"] = "en",
    format: Literal["csv", "xlsx"] = "csv",
) -> FileResponse:
    """Anyone: the tables of the year's latest published version, or of ``version``, as the report's CSV or XLSX.

    Counts smaller than the organisation's threshold are empty cells, as everywhere else.
    """
    organisation = get_object_or_404(Organisation, slug=slug)
    found = selectors.published_version(organisation, year, version)
    name, file = documents.version_tables(found, language, format)
    return FileResponse(file, as_attachment=True, filename=name, content_type=documents.CONTENT_TYPES[format])


@router.get(
    "/reports/me/annual", response={200: list[InvitedOut], **AUTHENTICATED_ERRORS}, summary="Drafts to comment on"
)
def invited(request: HttpRequest) -> list[dict[str, Any]]:
    """For members: the draft reports they were invited to comment on."""
    _token, person = member_person(request)
    return [
        {"id": r.pk, "organisation": r.organisation.name, "year": r.year} for r in selectors.invited_reports(person)
    ]


@router.get(
    "/reports/me/annual/{report_id}",
    response={200: DraftOut, **AUTHENTICATED_ERRORS, 404: ErrorOut},
    summary="A draft to comment on",
)
def invited_report(request: HttpRequest, report_id: Annotated[int, Path(ge=1, le=2**31 - 1)]) -> dict[str, Any]:
    """For members: a draft they were invited to comment on, every section as it stands now."""
    _token, person = member_person(request)
    report = selectors.invited_report(person, report_id)
    written = {n.section: n for n in report.narratives.all()}
    sections = []
    for section in all_sections():
        narrative = written.get(section.key)
        sections.append(
            _section(
                {
                    "key": section.key,
                    "title": str(section.title),
                    "narrative": narrative.text if narrative else "",
                    "data": section.data(report.organisation, report.year),
                }
            )
        )
    return {"id": report.pk, "organisation": report.organisation.name, "year": report.year, "sections": sections}
