"""Files made in the background: the people list and a batch of letters, asked for on the web, the API
and the command line, made by the worker with their progress saved, downloaded only by who asked."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import MembershipFactory
from tests.api.helpers import api_as, assert_error
from tests.conftest import make_member, make_staff, run_worker, staff_client
from tests.downloads.conftest import content_of
from withus.accounts.models import Membership, Organisation, Role, User
from withus.core import pdf
from withus.downloads import services
from withus.downloads.models import PreparedFile
from withus.people.models import Channel, OutgoingMessage, Person, SensitiveRead
from withus.people.outbox import documents as outbox_documents

Status = PreparedFile.Status


def _letters(org: Organisation, count: int) -> list[OutgoingMessage]:
    person = make_member(
        org, full_name="Siân Post", preferred_channel=Channel.POST, address="3 Heol y Nant", postcode="SY23 1AA"
    )
    return [
        OutgoingMessage.objects.create(
            person=person,
            organisation=org,
            channel=Channel.POST,
            status=OutgoingMessage.Status.TO_PRINT,
            subject=f"Letter {n}",
            body="We meet on Tuesday.",
        )
        for n in range(count)
    ]


@pytest.mark.django_db(transaction=True)
def test_the_people_list_is_made_in_the_background_with_its_filters_and_progress(
    org_a: Organisation, coordinator_a: User
) -> None:
    make_member(org_a, full_name="Ann Active")
    make_member(org_a, full_name="Pat Paused", status=Person.Status.STEPPED_OUT)
    prepared = services.ask_for_people(
        actor=coordinator_a, organisation=org_a, filters="status=stepped_out", file_format="csv"
    )
    assert prepared.status == Status.WAITING and prepared.file_name.endswith(".csv")
    run_worker()
    prepared.refresh_from_db()
    assert prepared.status == Status.READY, prepared.problem
    assert (prepared.progress_done, prepared.progress_total) == (1, 1)
    assert prepared.expires_at is not None and prepared.expires_at > timezone.now() + timedelta(hours=23)
    rows = list(csv.reader(io.StringIO(content_of(prepared).decode("utf-8"))))
    assert rows[0][0] == "name" and [r[0] for r in rows[1:]] == ["Pat Paused"]
    assert prepared.size == len(content_of(prepared))
    # Whose needs went into the file is recorded, as for the page's own download.
    assert SensitiveRead.objects.filter(reader=coordinator_a, via=SensitiveRead.Via.EXPORT).count() == 1

    xlsx = services.ask_for_people(actor=coordinator_a, organisation=org_a, filters="", file_format="xlsx")
    run_worker()
    sheet = openpyxl.load_workbook(io.BytesIO(content_of(xlsx)), read_only=True).active
    assert sheet is not None
    assert sorted(r[0] for r in sheet.iter_rows(min_row=2, values_only=True)) == ["Ann Active", "Pat Paused"]


@pytest.mark.django_db(transaction=True)
def test_a_batch_of_letters_is_laid_out_in_parts_into_one_pdf_and_then_marked_posted(
    org_a: Organisation, coordinator_a: User
) -> None:
    letters = _letters(org_a, 30)
    client = staff_client(coordinator_a)
    response = client.post(reverse("downloads:ask_letters"), {"upto": letters[-1].pk})
    prepared = PreparedFile.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("downloads:detail", args=[prepared.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Waiting to start" in page and "<progress" in page and "See how far it has got" in page

    run_worker()
    prepared.refresh_from_db()
    assert prepared.status == Status.READY and (prepared.progress_done, prepared.progress_total) == (30, 30)
    content = content_of(prepared)
    # One document, a letter to a sheet (or more): as many pages as the 30 laid out at once.
    whole = pdf.document(outbox_documents.render_letters_html(letters), "https://withus.example")
    parts = outbox_documents.letters_document(letters)
    assert content.startswith(b"%PDF") and len(parts.pages) == len(whole.pages) >= 30
    assert [p.width for p in parts.pages] == [p.width for p in whole.pages]

    page = client.get(reverse("downloads:detail", args=[prepared.pk])).content.decode()
    assert "Ready to download" in page and "I have posted these 30 letters" in page
    download = client.get(reverse("downloads:download", args=[prepared.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download["Cache-Control"] == "no-store"
    assert b"".join(download.streaming_content) == content
    # Posted from the file's page, through the outbox's own form.
    ids = [str(m.pk) for m in letters]
    client.post(reverse("people:outbox_done"), {"messages": ids})
    assert not OutgoingMessage.objects.filter(status=OutgoingMessage.Status.TO_PRINT).exists()
    assert "I have posted" not in client.get(reverse("downloads:detail", args=[prepared.pk])).content.decode()


@pytest.mark.django_db(transaction=True)
def test_letters_posted_before_the_file_is_made_are_said_so(org_a: Organisation, coordinator_a: User) -> None:
    letters = _letters(org_a, 2)
    prepared = services.ask_for_letters(actor=coordinator_a, organisation=org_a)
    OutgoingMessage.objects.filter(pk__in=[m.pk for m in letters]).update(status=OutgoingMessage.Status.DONE)
    run_worker()
    prepared.refresh_from_db()
    assert prepared.status == Status.FAILED and "posted or dealt with" in prepared.problem
    assert not prepared.file


@pytest.mark.django_db
def test_only_who_asked_may_see_a_file_and_only_while_they_hold_the_role(
    org_a: Organisation, coordinator_a: User
) -> None:
    prepared = services.ask_for_people(actor=coordinator_a, organisation=org_a, filters="", file_format="csv")
    colleague = make_staff(org_a, Role.ADMIN)
    assert staff_client(colleague).get(reverse("downloads:detail", args=[prepared.pk])).status_code == 404
    assert staff_client(colleague).get(reverse("downloads:download", args=[prepared.pk])).status_code == 404
    assert prepared.file_name not in staff_client(colleague).get(reverse("downloads:list")).content.decode()
    mine = staff_client(coordinator_a)
    assert prepared.file_name in mine.get(reverse("downloads:list")).content.decode()
    # Not ready yet: there is nothing to download.
    assert mine.get(reverse("downloads:download", args=[prepared.pk])).status_code == 404
    # A coordinator who becomes a decision maker no longer sees the register, nor the file.
    MembershipFactory(user=coordinator_a, organisation=org_a, role=Role.DECISION_MAKER)
    Membership.objects.filter(user=coordinator_a, role=Role.COORDINATOR).delete()
    assert staff_client(coordinator_a).get(reverse("downloads:detail", args=[prepared.pk])).status_code == 404
    services.prepare(prepared.pk)
    prepared.refresh_from_db()
    assert prepared.status == Status.FAILED and "no longer have a role" in prepared.problem


@pytest.mark.django_db
def test_the_page_to_ask_keeps_the_filters_and_says_what_is_wrong(
    org_a: Organisation, coordinator_a: User, settings: Any
) -> None:
    client = staff_client(coordinator_a)
    page = client.get(reverse("downloads:ask_people") + "?status=stepped_out&page=3")
    assert page.status_code == 200 and 'value="status=stepped_out"' in page.content.decode()
    assert "with the filters you chose" in page.content.decode()
    refused = client.post(reverse("downloads:ask_people"), {"filters": "status=stepped_out"})
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "Choose CSV or XLSX." in body and 'value="status=stepped_out"' in body and "Error:" in body
    assert not PreparedFile.objects.exists()
    done = client.post(reverse("downloads:ask_people"), {"filters": "status=stepped_out", "file_format": "xlsx"})
    prepared = PreparedFile.objects.get()
    assert done["Location"] == reverse("downloads:detail", args=[prepared.pk])
    assert prepared.params == {"filters": "status=stepped_out"} and prepared.file_format == "xlsx"
    # Filters the list does not know are refused, not quietly dropped.
    odd = client.post(reverse("downloads:ask_people"), {"filters": "status=nonsense", "file_format": "csv"})
    assert odd.status_code == 400 and "filters are not ones" in odd.content.decode()
    # Five at once is the most.
    for _n in range(4):
        services.ask_for_people(actor=coordinator_a, organisation=org_a, filters="", file_format="csv")
    sixth = client.post(reverse("downloads:ask_people"), {"filters": "", "file_format": "csv"})
    assert sixth.status_code == 400 and "already have 5 files" in sixth.content.decode()


@pytest.mark.django_db
def test_files_whose_worker_stopped_are_said_so_and_no_longer_count_against_the_five(
    org_a: Organisation, coordinator_a: User
) -> None:
    for _n in range(services.AT_ONCE):
        services.ask_for_people(actor=coordinator_a, organisation=org_a, filters="", file_format="csv")
    with pytest.raises(ValidationError, match="already have 5 files"):
        services.ask_for_people(actor=coordinator_a, organisation=org_a, filters="", file_format="csv")
    # Three hours on: one was being made when the server stopped, the others never started.
    PreparedFile.objects.update(created_at=timezone.now() - timedelta(hours=3))
    PreparedFile.objects.filter(pk=PreparedFile.objects.first().pk).update(status=Status.PREPARING)  # type: ignore[union-attr]
    again = services.ask_for_people(actor=coordinator_a, organisation=org_a, filters="", file_format="csv")
    assert again.status == Status.WAITING
    stalled = PreparedFile.objects.exclude(pk=again.pk)
    assert {f.status for f in stalled} == {Status.FAILED}
    assert stalled.filter(problem__contains="server stopped while it was being made").count() == 1
    assert stalled.filter(problem__contains="never started").count() == services.AT_ONCE - 1
    page = staff_client(coordinator_a).get(reverse("downloads:detail", args=[stalled[0].pk])).content.decode()
    assert "Ask for it again" in page
    # The daily purge says so too, of anyone's.
    PreparedFile.objects.filter(pk=again.pk).update(created_at=timezone.now() - timedelta(hours=3))
    assert services.give_up_stalled() == 1


@pytest.mark.django_db
def test_the_pages_speak_welsh(org_a: Organisation, coordinator_a: User) -> None:
    client = staff_client(coordinator_a)
    client.cookies["django_language"] = "cy"
    prepared = services.ask_for_people(actor=coordinator_a, organisation=org_a, filters="", file_format="csv")
    page = client.get(reverse("downloads:detail", args=[prepared.pk]), HTTP_ACCEPT_LANGUAGE="cy")
    assert 'lang="cy"' in page.content.decode()
    assert "Waiting to start" not in page.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_api_asks_sees_how_far_and_downloads(org_a: Organisation, coordinator_a: User) -> None:
    make_member(org_a, full_name="Ann Active")
    api = api_as(coordinator_a, org_a)
    response = api.post("/api/files/people", {"file_format": "csv", "filters": ""})
    assert response.status_code == 202, response.content
    file_id = response.json()["id"]
    assert response.json()["status"] == "waiting"
    assert_error(api.get(f"/api/files/{file_id}/download"), 409, "not_ready")
    assert_error(api.post("/api/files/people", {"file_format": "pdf"}), 422, "invalid")
    run_worker()
    found = api.get(f"/api/files/{file_id}").json()
    assert found["status"] == "ready" and found["progress_done"] == 1 and found["size"] > 0
    download = api.get(f"/api/files/{file_id}/download")
    assert download.status_code == 200 and b"Ann Active" in b"".join(download.streaming_content)
    assert [f["id"] for f in api.get("/api/files").json()["items"]] == [file_id]
    # Letters: none waiting is a clear 422.
    assert_error(api.post("/api/files/letters", {}), 422, "invalid")
    # Someone else's file is not found; a member token may not ask.
    other = api_as(make_staff(org_a, Role.ADMIN), org_a, Role.ADMIN)
    assert_error(other.get(f"/api/files/{file_id}"), 404, "not_found")
    budget = api_as(make_staff(org_a, Role.BUDGET_HOLDER), org_a, Role.BUDGET_HOLDER)
    assert_error(budget.post("/api/files/people", {"file_format": "csv"}), 403, "forbidden")


@pytest.mark.django_db
def test_the_command_line_writes_the_same_files_with_a_progress_bar(
    org_a: Organisation, coordinator_a: User, tmp_path: Path
) -> None:
    make_member(org_a, full_name="Ann Active")
    out, err = io.StringIO(), io.StringIO()
    target = tmp_path / "people.xlsx"
    call_command(
        "people", "export", "--organisation", org_a.slug, "--format", "xlsx", "-o", str(target), stdout=out, stderr=err
    )
    assert "Writing people [" in err.getvalue() and "1/1" in err.getvalue()
    sheet = openpyxl.load_workbook(target, read_only=True).active
    assert sheet is not None and [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == ["Ann Active"]
    _letters(org_a, 3)
    err = io.StringIO()
    pdf = tmp_path / "letters.pdf"
    call_command("outbox", "letters", "--organisation", org_a.slug, "-o", str(pdf), stdout=out, stderr=err)
    assert "Laying out letters [" in err.getvalue() and "3/3" in err.getvalue()
    assert pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.django_db(transaction=True)
def test_a_file_is_deleted_when_its_time_is_up_or_someone_in_it_is_erased(
    org_a: Organisation, coordinator_a: User
) -> None:
    make_member(org_a, full_name="Ann Active")
    prepared = services.ask_for_people(actor=coordinator_a, organisation=org_a, filters="", file_format="csv")
    run_worker()
    prepared.refresh_from_db()
    path = Path(prepared.file.path)
    assert path.exists()
    assert services.purge_expired(timezone.now() + timedelta(hours=1)) == 0
    call_command("privacy", "purge", stdout=io.StringIO())
    assert path.exists()
    assert services.purge_expired(timezone.now() + timedelta(hours=25)) == 1
    prepared.refresh_from_db()
    assert prepared.status == Status.EXPIRED and not prepared.file and not path.exists()
    page = staff_client(coordinator_a).get(reverse("downloads:detail", args=[prepared.pk])).content.decode()
    assert "has been deleted" in page

    again = services.ask_for_people(actor=coordinator_a, organisation=org_a, filters="", file_format="csv")
    run_worker()
    again.refresh_from_db()
    path = Path(again.file.path)
    from withus.core.privacy import erase

    erase(Person.objects.get(full_name="Ann Active"))
    again.refresh_from_db()
    assert again.status == Status.EXPIRED and not path.exists()


@pytest.mark.django_db(transaction=True)
def test_attendance_between_two_days_is_made_in_the_background_on_the_page_and_the_api(
    org_a: Organisation, coordinator_a: User
) -> None:
    from tests.meetings.factories import london, make_attendance, make_session

    spring = make_session(org_a, title="Spring forum", starts_at=london(2026, 4, 2))
    summer = make_session(org_a, title="Summer forum", starts_at=london(2026, 7, 9))
    alaw = make_member(org_a, full_name="Alaw Jones")
    make_attendance(spring, alaw, status="attended", minutes_present=150)
    make_attendance(summer, alaw, status="attended", minutes_present=90)
    client = staff_client(coordinator_a)
    assert client.get(reverse("downloads:ask_attendance")).status_code == 200
    typed = {"start_day": "1", "start_month": "7", "start_year": "2026", "end_day": "1", "end_month": "4"}
    refused = client.post(reverse("downloads:ask_attendance"), {**typed, "end_year": "2026", "file_format": "csv"})
    body = refused.content.decode()
    assert refused.status_code == 400 and "The last day must be on or after the first." in body
    assert 'value="7"' in body and not PreparedFile.objects.exists()  # what was typed is kept

    done = client.post(
        reverse("downloads:ask_attendance"),
        {**typed, "end_month": "12", "end_year": "2026", "file_format": "csv"},
    )
    prepared = PreparedFile.objects.get()
    assert done["Location"] == reverse("downloads:detail", args=[prepared.pk])
    assert prepared.file_name == "withus-attendance-2026-07-01-2026-12-01.csv"
    run_worker()
    prepared.refresh_from_db()
    assert prepared.status == Status.READY and (prepared.progress_done, prepared.progress_total) == (1, 1)
    rows = list(csv.reader(io.StringIO(content_of(prepared).decode("utf-8"))))
    assert [r[1] for r in rows[1:]] == ["Summer forum"]

    api = api_as(coordinator_a, org_a)
    asked = api.post("/api/files/attendance", {"file_format": "xlsx", "start": "2026-01-01"})
    assert asked.status_code == 202, asked.content
    assert_error(api.post("/api/files/attendance", {"start": "2026-05-01", "end": "2026-04-01"}), 422, "invalid")
    run_worker()
    found = PreparedFile.objects.get(pk=asked.json()["id"])
    sheet = openpyxl.load_workbook(io.BytesIO(content_of(found)), read_only=True).active
    assert sheet is not None and len(list(sheet.iter_rows(min_row=2, values_only=True))) == 2
