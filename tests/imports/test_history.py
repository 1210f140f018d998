"""Bringing history in: opportunities run before WithUs, and who came to which meetings."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from tests.api.helpers import api_as
from tests.conftest import make_member, make_staff, staff_client
from tests.meetings.factories import make_venue
from withus.accounts.models import Organisation, Role, User
from withus.imports import services
from withus.imports.models import ImportedRecord, RegisterImport
from withus.meetings.models import Attendance, Invitation, Session
from withus.opportunities.models import Opportunity
from withus.people.models import Person
from withus.rewards.models import IncomeLine

from .helpers import as_csv, as_xlsx

pytestmark = pytest.mark.django_db

OPPORTUNITY_HEADERS = ["Title", "Purpose", "Level", "Where", "Role offered", "Start date", "End date", "Venue"]
ATTENDANCE_HEADERS = ["Name", "Email", "Meeting", "Date", "Start time", "Attended", "Venue"]


@pytest.fixture
def admin_a(org_a: Organisation) -> User:
    return make_staff(org_a, Role.ADMIN, "admin-a@example.org")


def _checked(admin: User, org: Organisation, data: bytes, kind: str) -> RegisterImport:
    found = services.upload(actor=admin, organisation=org, data=data, file_name="history.csv", kind=kind)
    return services.set_mapping(actor=admin, register_import=found, mapping=found.column_mapping, lawful_basis="")


def _past(days: int) -> str:
    return (timezone.localdate() - timedelta(days=days)).strftime("%d/%m/%Y")


def _opportunity_row(title: str, **changes: str) -> list[str]:
    row = {
        "Title": title,
        "Purpose": "Shape the crisis service",
        "Level": "4",
        "Where": "Strategic",
        "Role offered": "Expert by experience",
        "Start date": _past(200),
        "End date": _past(100),
        "Venue": "Civic Centre",
    }
    row.update(changes)
    return [row[h] for h in OPPORTUNITY_HEADERS]


def test_opportunities_come_in_closed_or_as_drafts_and_never_published(admin_a: User, org_a: Organisation) -> None:
    ahead = (timezone.localdate() + timedelta(days=60)).isoformat()
    rows = [
        _opportunity_row("Crisis panel 2025"),
        _opportunity_row("Carers forum", **{"Start date": _past(10), "End date": ahead, "Level": "co-producing"}),
        _opportunity_row("Crisis panel 2025"),
        _opportunity_row("No level", Level="seven"),
        _opportunity_row("Backwards", **{"Start date": _past(10), "End date": _past(20)}),
        _opportunity_row("", Purpose=""),
    ]
    found = _checked(admin_a, org_a, as_csv(rows, OPPORTUNITY_HEADERS), "opportunities")
    assert found.column_mapping == {
        0: "title",
        1: "purpose",
        2: "level",
        3: "where",
        4: "role_offered",
        5: "starts_on",
        6: "ends_on",
        7: "venue",
    }
    assert found.counts["added"] == 2
    assert found.counts["problems"] == 4
    problems = {c["row"]: " ".join(c["problems"]) for c in found.checks if c["problems"]}
    assert "same opportunity as row 2" in problems[4]
    assert "Level" in problems[5] and "seven" in problems[5]
    assert problems[6]
    assert "no title" in problems[7].lower()
    assert Opportunity.objects.filter(organisation=org_a).count() == 0  # nothing until confirmed

    services.confirm(actor=admin_a, register_import=found)
    closed = Opportunity.objects.get(organisation=org_a, title="Crisis panel 2025")
    draft = Opportunity.objects.get(organisation=org_a, title="Carers forum")
    assert closed.status == Opportunity.Status.CLOSED
    assert draft.status == Opportunity.Status.DRAFT
    assert draft.level == 5
    assert closed.intended_outcomes.startswith("Not recorded")
    assert closed.contact == admin_a
    assert ImportedRecord.objects.filter(register_import=found).count() == 2

    again = _checked(admin_a, org_a, as_csv(rows[:1], OPPORTUNITY_HEADERS), "opportunities")
    assert again.counts["added"] == 0
    assert "already in WithUs" in again.checks[0]["problems"][0]

    services.undo(actor=admin_a, register_import=RegisterImport.objects.get(pk=found.pk))
    assert Opportunity.objects.filter(organisation=org_a).count() == 0
    assert RegisterImport.objects.get(pk=found.pk).status == RegisterImport.Status.UNDONE


def _attendance_row(name: str, email: str, meeting: str, days: int, attended: str = "yes") -> list[str]:
    return [name, email, meeting, _past(days), "18:00", attended, "Civic Centre"]


def test_past_attendance_finds_people_makes_held_sessions_and_undoes(admin_a: User, org_a: Organisation) -> None:
    make_venue(org_a, name="Civic Centre")
    ann = make_member(org_a, full_name="Ann Jones")
    Person.objects.filter(pk=ann.pk).update(email="ann@example.org")
    bob = make_member(org_a, full_name="Bob Evans")
    make_member(org_a, full_name="Cai Lewis")
    make_member(org_a, full_name="Cai Lewis")
    rows = [
        _attendance_row("Ann Jones", "ANN@example.org", "Carers forum", 30),
        _attendance_row("Bob Evans", "", "Carers forum", 30, "apologies"),
        _attendance_row("Ann Jones", "ann@example.org", "Carers forum", 60),
        _attendance_row("Cai Lewis", "", "Carers forum", 30),
        _attendance_row("Dai Nobody", "", "Carers forum", 30),
        _attendance_row("Ann Jones", "ann@example.org", "Carers forum", -3),
        _attendance_row("Ann Jones", "ann@example.org", "Carers forum", 30),
    ]
    found = _checked(admin_a, org_a, as_xlsx(rows, ATTENDANCE_HEADERS), "attendance")
    problems = {c["row"]: " ".join(c["problems"]) for c in found.checks if c["problems"]}
    assert set(problems) == {5, 6, 7, 8}, problems
    assert "Several people are called Cai Lewis" in problems[5]
    assert "No one registered here matches Dai Nobody" in problems[6]
    assert "future" in problems[7]
    assert "same person at the same session as row 2" in problems[8]
    assert found.counts["added"] == 3
    assert found.counts["sessions"] == 2

    services.confirm(actor=admin_a, register_import=found)
    sessions = Session.objects.filter(organisation=org_a).order_by("starts_at")
    assert [s.status for s in sessions] == [Session.Status.HELD, Session.Status.HELD]
    assert timezone.localtime(sessions[1].starts_at).hour == 18
    assert sessions[1].agenda.count() == 0
    marked = Attendance.objects.get(session=sessions[1], person=bob)
    assert marked.status == Attendance.Status.APOLOGIES
    assert Attendance.objects.get(session=sessions[1], person=ann).minutes_present == 120
    assert Invitation.objects.get(session=sessions[1], person=bob).reply == Invitation.Reply.APOLOGIES

    # The same file again: the sessions are found and the attendance already recorded is skipped.
    again = _checked(admin_a, org_a, as_xlsx(rows[:3], ATTENDANCE_HEADERS), "attendance")
    assert again.counts == {**again.counts, "added": 0, "skipped": 3, "sessions": 0}

    services.undo(actor=admin_a, register_import=RegisterImport.objects.get(pk=found.pk))
    assert not Session.objects.filter(organisation=org_a).exists()
    assert not Attendance.objects.filter(person=ann).exists()


def test_an_undo_that_would_lose_later_attendance_is_refused(admin_a: User, org_a: Organisation) -> None:
    make_venue(org_a, name="Civic Centre")
    ann = make_member(org_a, full_name="Ann Jones")
    bob = make_member(org_a, full_name="Bob Evans")
    found = _checked(
        admin_a, org_a, as_csv([_attendance_row("Ann Jones", "", "Forum", 5)], ATTENDANCE_HEADERS), "attendance"
    )
    services.confirm(actor=admin_a, register_import=found)
    session = Session.objects.get(organisation=org_a)
    Invitation.objects.create(session=session, person=bob)
    Attendance.objects.create(session=session, person=bob, status=Attendance.Status.ATTENDED)
    with pytest.raises(ValidationError, match="used since"):
        services.undo(actor=admin_a, register_import=RegisterImport.objects.get(pk=found.pk))
    assert Attendance.objects.filter(person=ann).exists()


def test_an_undo_that_would_unlink_a_fee_from_its_attendance_is_refused(admin_a: User, org_a: Organisation) -> None:
    make_venue(org_a, name="Civic Centre")
    ann = make_member(org_a, full_name="Ann Jones")
    found = _checked(
        admin_a, org_a, as_csv([_attendance_row("Ann Jones", "", "Forum", 5)], ATTENDANCE_HEADERS), "attendance"
    )
    services.confirm(actor=admin_a, register_import=found)
    attendance = Attendance.objects.get(person=ann)
    IncomeLine.objects.create(
        person=ann,
        organisation=org_a,
        kind=IncomeLine.Kind.FEE,
        description="Forum",
        amount=Decimal("20.00"),
        activity_date=timezone.localdate(),
        attendance=attendance,
    )
    with pytest.raises(ValidationError, match="used since"):
        services.undo(actor=admin_a, register_import=RegisterImport.objects.get(pk=found.pk))
    assert Attendance.objects.filter(pk=attendance.pk).exists()


def test_a_new_session_needs_a_venue_or_link(admin_a: User, org_a: Organisation) -> None:
    make_member(org_a, full_name="Ann Jones")
    row = ["Ann Jones", "", "Forum", _past(5), "", "yes", ""]
    found = _checked(admin_a, org_a, as_csv([row], ATTENDANCE_HEADERS), "attendance")
    assert "venue or online link" in found.checks[0]["problems"][0]


def test_history_imports_are_for_admins_and_their_own_organisation(
    admin_a: User, org_a: Organisation, org_b: Organisation, coordinator_a: User
) -> None:
    make_member(org_b, full_name="Ann Jones")
    make_venue(org_b, name="Civic Centre")
    data = as_csv([_attendance_row("Ann Jones", "", "Forum", 5)], ATTENDANCE_HEADERS)
    with pytest.raises(PermissionDenied):
        services.upload(actor=coordinator_a, organisation=org_a, data=data, file_name="a.csv", kind="attendance")
    found = _checked(admin_a, org_a, data, "attendance")
    assert "no venue called 'Civic Centre'" in found.checks[0]["problems"][0]
    row = ["Ann Jones", "", "Forum", _past(5), "", "yes", ""]
    found = _checked(admin_a, org_a, as_csv([row], ATTENDANCE_HEADERS), "attendance")
    assert "No one registered here matches Ann Jones" in found.checks[0]["problems"][0]
    with pytest.raises(ValidationError):
        services.upload(actor=admin_a, organisation=org_a, data=data, file_name="a.csv", kind="payments")


def test_dates_read_as_registers_write_them() -> None:
    from withus.imports.rules import read_date, read_time

    assert read_date("05/03/2024") == date(2024, 3, 5)
    assert read_date("5 March 2024") == date(2024, 3, 5)
    assert read_date("2024-03-05 00:00:00") == date(2024, 3, 5)
    assert read_date("March") is None
    assert read_time("2:30pm") == (14, 30)
    assert read_time("14.30") == (14, 30)
    assert read_time("25:00") is None


def test_history_on_the_pages(admin_a: User, org_a: Organisation) -> None:
    make_venue(org_a, name="Civic Centre")
    make_member(org_a, full_name="Ann Jones")
    client = staff_client(admin_a)
    assert "Past attendance: who came to which meeting" in client.get("/staff/imports/").content.decode()
    data = as_csv(
        [_attendance_row("Ann Jones", "", "Forum", 5), _attendance_row("Eve", "", "Forum", 5)], ATTENDANCE_HEADERS
    )
    response = client.post("/staff/imports/", {"file": SimpleUploadedFile("a.csv", data), "kind": "attendance"})
    found = RegisterImport.objects.get()
    assert response.status_code == 302 and found.kind == "attendance"
    page = client.get(f"/staff/imports/{found.pk}/columns/").content.decode()
    assert "lawful basis" not in page and "one person at one meeting" in page
    assert '<option value="session_title" selected>' in page
    form = {f"column_{i}": f for i, f in found.column_mapping.items()}
    assert client.post(f"/staff/imports/{found.pk}/columns/", form).status_code == 302
    detail = client.get(f"/staff/imports/{found.pk}/").content.decode()
    assert 'id="count-added">1<' in detail and 'id="count-sessions">1<' in detail
    assert "No one registered here matches Eve" in detail
    assert "Already registered?" not in detail and "decision_" not in detail
    assert client.post(f"/staff/imports/{found.pk}/", {"action": "import"}).status_code == 302
    assert Attendance.objects.filter(session__organisation=org_a).count() == 1
    assert "what it brought in is removed" in client.get(f"/staff/imports/{found.pk}/").content.decode()
    client.post(f"/staff/imports/{found.pk}/undo/")
    assert not Session.objects.filter(organisation=org_a).exists()


def test_history_through_the_api(admin_a: User, org_a: Organisation) -> None:
    api = api_as(admin_a, org_a, Role.ADMIN)
    fields = api.get("/api/imports/fields?kind=opportunities").json()
    assert any(f["key"] == "level" and f["required"] for f in fields)
    assert not any(f["key"] == "perspective" for f in fields)
    assert api.get("/api/imports/fields?kind=payments").status_code == 422
    data = as_csv([_opportunity_row("Crisis panel 2025"), _opportunity_row("")], OPPORTUNITY_HEADERS)
    response = api.client.post(
        "/api/imports", {"file": SimpleUploadedFile("o.csv", data), "kind": "opportunities"}, headers=api.headers
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "opportunities"
    mapping = {str(c["column"]): c["field"] for c in body["columns"] if c["field"]}
    wrong = api.client.put(
        f"/api/imports/{body['id']}/columns",
        data=json.dumps({"mapping": {**mapping, "0": "perspective"}}),
        content_type="application/json",
        headers=api.headers,
    )
    assert wrong.status_code == 422
    checked = api.client.put(
        f"/api/imports/{body['id']}/columns",
        data=json.dumps({"mapping": mapping}),
        content_type="application/json",
        headers=api.headers,
    )
    assert checked.status_code == 200, checked.content
    rows = api.get(f"/api/imports/{body['id']}/rows").json()["items"]
    assert [(r["outcome"], r["name"]) for r in rows] == [("add", "Crisis panel 2025"), ("problem", "")]
    assert api.post(f"/api/imports/{body['id']}/confirm", {}).json()["status"] == "imported"
    assert Opportunity.objects.get(organisation=org_a).status == Opportunity.Status.CLOSED


def test_history_from_the_command_line(admin_a: User, org_a: Organisation, tmp_path: Path) -> None:
    make_venue(org_a, name="Civic Centre")
    make_member(org_a, full_name="Ann Jones")
    path = tmp_path / "attendance.xlsx"
    path.write_bytes(as_xlsx([_attendance_row("Ann Jones", "", "Forum", 5)], ATTENDANCE_HEADERS))
    common = ["--organisation", org_a.slug, "--as", admin_a.email]
    out = StringIO()
    call_command("import", "attendance", str(path), *common, "--dry-run", stdout=out, stderr=StringIO())
    assert "Would add 1, with 1 past sessions" in out.getvalue() and "'Meeting' -> Meeting or session" in out.getvalue()
    assert not Attendance.objects.exists()
    out = StringIO()
    call_command("import", "attendance", str(path), *common, stdout=out, stderr=StringIO())
    assert Attendance.objects.filter(session__organisation=org_a).count() == 1
    listing = StringIO()
    call_command("import", "list", *common, stdout=listing)
    assert "Past attendance" in listing.getvalue()
