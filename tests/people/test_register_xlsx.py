"""The people register as XLSX beside the CSV: the same people, columns, access and record of reads (issue 16)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import make_member, make_staff, member_client, staff_client
from tests.core.xlsx import HOSTILE, assert_text, records, sheet_of
from withus.accounts.models import Role
from withus.core import spreadsheets
from withus.people import documents
from withus.people.models import SensitiveRead

pytestmark = pytest.mark.django_db

CSV_URL = "/staff/people/people.csv"
XLSX_URL = "/staff/people/people.xlsx"


def csv_rows(client, **query) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(b"".join(client.get(CSV_URL, query).streaming_content).decode())))


def xlsx_rows(client, **query) -> list[dict[str, object]]:
    response = client.get(XLSX_URL, query)
    assert response.status_code == 200 and response["Content-Type"] == spreadsheets.XLSX_CONTENT_TYPE
    assert response["Content-Disposition"].startswith('attachment; filename="withus-org-a-people-')
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = sheet_of(response.getvalue())
    assert [c.value for c in sheet[1]] == documents.REGISTER_COLUMNS
    return [{k: ("" if c.value is None else c.value) for k, c in row.items()} for row in records(sheet)]


def test_the_workbook_holds_what_the_csv_holds_and_names_stay_text(org_a, coordinator_a):
    make_member(org_a, full_name=HOSTILE, perspective="carer", local_authority="cardiff", needs_step_free=True)
    make_member(org_a, full_name="Bethan Lewis", does_not_use_computers=True)
    client = staff_client(coordinator_a)
    page = client.get("/staff/people/").content.decode()
    assert f'href="{XLSX_URL}"' in page
    from_csv = csv_rows(client)
    from_xlsx = xlsx_rows(client)
    # The CSV escapes a formula with an apostrophe; the workbook keeps the name exactly, as text.
    for row in from_csv:
        row["name"] = row["name"].removeprefix("'")
    assert from_xlsx == from_csv
    assert sorted(r["name"] for r in from_xlsx) == sorted([HOSTILE, "Bethan Lewis"])
    sheet = sheet_of(client.get(XLSX_URL).getvalue())
    [hostile] = [r for r in records(sheet) if r["name"].value == HOSTILE]
    assert_text(hostile["name"], HOSTILE)


def test_the_workbook_keeps_the_lists_filters(org_a, coordinator_a):
    make_member(org_a, full_name="Carys Jones", perspective="carer")
    make_member(org_a, full_name="Dewi Jones", perspective="service_user")
    client = staff_client(coordinator_a)
    page = client.get("/staff/people/?q=Jones&perspective=carer").content.decode()
    assert f'href="{XLSX_URL}?q=Jones&amp;perspective=carer"' in page
    assert [r["name"] for r in xlsx_rows(client, q="Jones", perspective="carer")] == ["Carys Jones"]


def test_only_staff_who_may_see_the_register_get_the_workbook(org_a, coordinator_a, member_a, tmp_path: Path):
    holder = make_staff(org_a, Role.BUDGET_HOLDER)
    assert staff_client(holder).get(XLSX_URL).status_code == 403
    assert member_client(member_a).get(XLSX_URL).status_code in (302, 403)
    with pytest.raises(CommandError, match="may not see the people register"):
        call_command(
            "people", "export", "--organisation", "org-a", "--format", "xlsx", "-o", str(tmp_path / "p.xlsx"),
            "--as", holder.email,
        )  # fmt: skip
    assert not SensitiveRead.objects.exists()


def test_whose_needs_went_into_the_workbook_is_recorded(org_a, coordinator_a, member_a):
    xlsx_rows(staff_client(coordinator_a))
    assert set(SensitiveRead.objects.filter(person=member_a).values_list("reader__email", "what", "via")) == {
        (coordinator_a.email, "needs", "export")
    }


def test_the_workbook_costs_the_same_queries_for_three_people_or_thirty(org_a, coordinator_a):
    client = staff_client(coordinator_a)

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            count = len(xlsx_rows(client))
        return count, len(captured.captured_queries)

    for i in range(3):
        make_member(org_a, full_name=f"Few {i}")
    few, few_queries = queries()
    for i in range(27):
        make_member(org_a, full_name=f"Many {i}")
    many, many_queries = queries()
    assert (few, many) == (3, 30)
    assert few_queries == many_queries


def test_the_command_writes_the_workbook(org_a, coordinator_a, member_a, tmp_path: Path):
    target = tmp_path / "people.xlsx"
    with pytest.raises(CommandError, match="--output"):
        call_command("people", "export", "--organisation", "org-a", "--format", "xlsx")
    call_command(
        "people", "export", "--organisation", "org-a", "--format", "xlsx", "-o", str(target),
        "--as", coordinator_a.email, stderr=io.StringIO(),
    )  # fmt: skip
    sheet = sheet_of(target.read_bytes())
    assert [r["name"].value for r in records(sheet)] == [member_a.full_name]
