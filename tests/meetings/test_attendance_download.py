"""Attendance at an organisation's sessions, taken away as CSV or XLSX: on the page, the API and the command line."""

from __future__ import annotations

import csv
import datetime
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.api.helpers import api_as
from tests.conftest import make_member, staff_client
from tests.core.xlsx import records, sheet_of
from tests.meetings.factories import london, make_attendance, make_session
from withus.accounts.models import Organisation, User
from withus.people.models import ConsentRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(org_a: Organisation, org_b: Organisation) -> dict[str, object]:
    spring = make_session(org_a, title="Spring forum", starts_at=london(2026, 4, 2))
    summer = make_session(org_a, title="Summer forum", starts_at=london(2026, 7, 9))
    elsewhere = make_session(org_b, title="Their forum", starts_at=london(2026, 4, 3))
    alaw = make_member(org_a, full_name="Alaw Jones")
    bryn = make_member(org_a, full_name="Bryn Hughes")
    gone = make_member(org_a, full_name="Withdrawn Person")
    make_attendance(spring, alaw, status="attended", role="chair", minutes_present=150)
    make_attendance(spring, bryn, status="apologies")
    make_attendance(summer, alaw, status="attended", minutes_present=90)
    make_attendance(spring, gone, status="attended")
    ConsentRecord.objects.filter(person=gone).update(withdrawn_at=datetime.datetime(2026, 5, 1, tzinfo=datetime.UTC))
    make_attendance(elsewhere, make_member(org_b, full_name="Other Org"), status="attended")
    return {"spring": spring, "summer": summer}


def test_the_page_downloads_typed_xlsx_for_a_period(coordinator_a: User, recorded: dict[str, object]) -> None:
    client = staff_client(coordinator_a)
    assert client.get("/staff/sessions/attendance/").status_code == 200
    response = client.get(
        "/staff/sessions/attendance/",
        {
            "start_day": "1",
            "start_month": "4",
            "start_year": "2026",
            "end_day": "30",
            "end_month": "4",
            "end_year": "2026",
            "file_format": "xlsx",
        },
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('withus-attendance-2026-04-01-2026-04-30.xlsx"')
    sheet = sheet_of(b"".join(response.streaming_content))
    rows = records(sheet)
    values = [{k: c.value for k, c in r.items()} for r in rows]
    assert [(r["session"], r["person"], r["attendance"], r["role"]) for r in values] == [
        ("Spring forum", "Alaw Jones", "Attended", "Chair"),
        ("Spring forum", "Bryn Hughes", "Sent apologies", "Member"),
    ]
    assert values[0]["minutes_present"] == 150 and isinstance(values[0]["starts_at"], datetime.datetime)
    assert sheet.freeze_panes == "A2"


def test_a_wrong_period_is_refused_and_what_was_typed_is_kept(coordinator_a: User, recorded: dict[str, object]) -> None:
    response = staff_client(coordinator_a).get(
        "/staff/sessions/attendance/",
        {
            "start_day": "9",
            "start_month": "7",
            "start_year": "2026",
            "end_day": "1",
            "end_month": "4",
            "end_year": "2026",
            "file_format": "csv",
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "The last day must be on or after the first." in text and 'value="2026"' in text


def test_the_api_and_the_command_line_give_the_same_rows(
    coordinator_a: User, org_a: Organisation, recorded: dict[str, object], tmp_path: Path
) -> None:
    api = api_as(coordinator_a, org_a)
    response = api.get("/api/sessions/attendance/file", {"format": "csv"})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [(r["session"], r["person"]) for r in rows] == [
        ("Spring forum", "Alaw Jones"),
        ("Spring forum", "Bryn Hughes"),
        ("Summer forum", "Alaw Jones"),
    ]
    assert api.get("/api/sessions/attendance/file", {"from": "2026-08-01", "to": "2026-01-01"}).status_code == 422
    out = tmp_path / "attendance.csv"
    call_command(
        "sessions",
        "attendance",
        "--organisation",
        org_a.slug,
        "--as",
        coordinator_a.email,
        "--from",
        "2026-07-01",
        "--output",
        str(out),
    )
    lines = list(csv.DictReader(io.StringIO(out.read_text())))
    assert [(r["session"], r["person"]) for r in lines] == [("Summer forum", "Alaw Jones")]
    book = tmp_path / "attendance.xlsx"
    call_command(
        "sessions", "attendance", "--organisation", org_a.slug, "--as", coordinator_a.email,
        "--format", "xlsx", "--output", str(book),
    )  # fmt: skip
    assert [r["person"].value for r in records(sheet_of(book.read_bytes()))] == [
        "Alaw Jones",
        "Bryn Hughes",
        "Alaw Jones",
    ]
    outsider = str(make_member(org_a).email)
    with pytest.raises(CommandError, match="may not see"):
        call_command("sessions", "attendance", "--organisation", org_a.slug, "--as", outsider, "--output", str(out))
