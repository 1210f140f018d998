"""A payment batch's file made in the background: the export's own rule (the first file marks the batch
exported, a later one is a copy), its progress counted in claims, on the web, the API, and in Welsh."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.urls import reverse

from tests.api.helpers import api_as, assert_error
from tests.conftest import run_worker, staff_client
from tests.core.xlsx import assert_money, records, sheet_of
from tests.downloads.conftest import content_of
from tests.rewards.finance.test_services import approved_lines, budget_for, holder_of
from withus.accounts.models import Organisation, Role, User
from withus.downloads import services
from withus.downloads.models import PreparedFile
from withus.people.models import SensitiveRead
from withus.rewards.finance import services as finance_services
from withus.rewards.models import PaymentBatch

Status = PreparedFile.Status
BATCHES = "/staff/payments/batches/"


def _batch(org: Organisation, holder: User, amounts: list[str]) -> PaymentBatch:
    approved_lines(org, holder, budget_for(org, holder), amounts)
    return finance_services.create_batch(actor=holder, organisation=org, method="bank_transfer")


@pytest.mark.django_db(transaction=True)
def test_a_batch_file_is_made_in_the_background_marks_the_batch_exported_then_only_a_copy(
    org_a: Organisation, coordinator_a: User
) -> None:
    holder = holder_of(org_a)
    batch = _batch(org_a, holder, ["10.00", "20.50", "5.25"])
    client = staff_client(holder)
    page = client.get(BATCHES).content.decode()
    assert f"Prepare batch {batch.pk}'s file as CSV" in page and reverse("downloads:ask_payments") in page
    # Only who may pay may ask.
    denied = staff_client(coordinator_a).post(reverse("downloads:ask_payments"), {"batch": batch.pk})
    assert denied.status_code == 403

    response = client.post(reverse("downloads:ask_payments"), {"batch": batch.pk, "file_format": "csv"})
    prepared = PreparedFile.objects.get()
    assert response["Location"] == reverse("downloads:detail", args=[prepared.pk])
    assert prepared.file_name.endswith(f"batch-{batch.pk}-bank_transfer.csv") and prepared.progress_total == 3
    # Asked for once: a second first file is not asked for while this one waits.
    again = client.post(reverse("downloads:ask_payments"), {"batch": batch.pk, "file_format": "xlsx"}, follow=True)
    assert "already being prepared" in again.content.decode() and PreparedFile.objects.count() == 1
    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.OPEN  # nothing is marked until the file is made

    run_worker()
    prepared.refresh_from_db()
    assert prepared.status == Status.READY, prepared.problem
    assert (prepared.progress_done, prepared.progress_total) == (3, 3)
    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.EXPORTED and batch.exported_at is not None
    found = list(csv.DictReader(io.StringIO(content_of(prepared).decode())))
    assert sorted(r["amount"] for r in found) == ["10.00", "20.50", "5.25"] and {r["copy"] for r in found} == {""}
    # Whose bank details went into the file is recorded, as for the page's own export.
    assert SensitiveRead.objects.filter(reader=holder, what=SensitiveRead.What.BANK).count() == 3
    detail = client.get(reverse("downloads:detail", args=[prepared.pk])).content.decode()
    assert "Ready to download" in detail and reverse("rewards_finance:paid", args=[batch.pk]) in detail

    # Exported now: the first file again is refused, with the export's own words; a copy is made.
    refused = client.post(reverse("downloads:ask_payments"), {"batch": batch.pk, "file_format": "csv"}, follow=True)
    assert "already been exported" in refused.content.decode()
    client.post(reverse("downloads:ask_payments"), {"batch": batch.pk, "copy": "1", "file_format": "xlsx"})
    copy = PreparedFile.objects.exclude(pk=prepared.pk).get()
    assert copy.file_name.endswith("-COPY.xlsx")
    run_worker()
    copy.refresh_from_db()
    assert copy.status == Status.READY, copy.problem
    sheet = records(sheet_of(io.BytesIO(content_of(copy))))
    assert {r["copy"].value for r in sheet} == {"COPY"}
    assert_money(sorted(sheet, key=lambda r: r["amount"].value)[0]["amount"], "5.25")


@pytest.mark.django_db(transaction=True)
def test_a_batch_exported_while_its_file_waits_is_said_so_and_not_exported_twice(org_a: Organisation) -> None:
    holder = holder_of(org_a)
    batch = _batch(org_a, holder, ["10.00"])
    prepared = services.ask_for_payment_file(
        actor=holder, organisation=org_a, batch_id=batch.pk, copy=False, file_format="csv"
    )
    _name, file = finance_services.export_batch(actor=holder, batch=batch)
    file.close()
    exported_at = PaymentBatch.objects.get(pk=batch.pk).exported_at
    run_worker()
    prepared.refresh_from_db()
    assert prepared.status == Status.FAILED and "already been exported" in prepared.problem and not prepared.file
    assert PaymentBatch.objects.get(pk=batch.pk).exported_at == exported_at


@pytest.mark.django_db
def test_asking_refuses_a_copy_before_the_export_and_another_organisations_batch(
    org_a: Organisation, org_b: Organisation
) -> None:
    holder = holder_of(org_a)
    batch = _batch(org_a, holder, ["10.00"])
    with pytest.raises(Exception, match="not been exported yet"):
        services.ask_for_payment_file(actor=holder, organisation=org_a, batch_id=batch.pk, copy=True, file_format="csv")
    other = holder_of(org_b, "b@example.org")
    with pytest.raises(Exception, match="no such payment batch"):
        services.ask_for_payment_file(actor=other, organisation=org_b, batch_id=batch.pk, copy=False, file_format="csv")
    assert not PreparedFile.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_api_asks_for_a_batch_file_and_downloads_it(
    org_a: Organisation, org_b: Organisation, coordinator_api_a: Any
) -> None:
    holder = holder_of(org_a)
    batch = _batch(org_a, holder, ["12.00", "3.50"])
    client = api_as(holder, org_a, Role.BUDGET_HOLDER)
    assert_error(client.post("/api/files/payments", {"batch": batch.pk, "file_format": "pdf"}), 422, "invalid")
    assert_error(client.post("/api/files/payments", {"batch": batch.pk, "copy": True}), 422, "invalid")
    outsider = api_as(holder_of(org_b, "b@example.org"), org_b, Role.BUDGET_HOLDER)
    assert_error(outsider.post("/api/files/payments", {"batch": batch.pk}), 422, "invalid")
    asked = client.post("/api/files/payments", {"batch": batch.pk, "file_format": "xlsx"})
    assert asked.status_code == 202, asked.content
    body = asked.json()
    assert body["kind"] == "payments" and body["status"] == "waiting" and body["progress_total"] == 2
    assert_error(client.get(f"/api/files/{body['id']}/download"), 409, "not_ready")
    run_worker()
    assert client.get(f"/api/files/{body['id']}").json()["status"] == "ready"
    download = client.get(f"/api/files/{body['id']}/download")
    assert download.status_code == 200 and download["Cache-Control"] == "no-store"
    sheet = records(sheet_of(io.BytesIO(b"".join(download.streaming_content))))
    assert len(sheet) == 2
    assert PaymentBatch.objects.get(pk=batch.pk).status == PaymentBatch.Status.EXPORTED
    # A coordinator's token may not ask for money's files.
    assert_error(coordinator_api_a.post("/api/files/payments", {"batch": batch.pk, "copy": True}), 403, "forbidden")


@pytest.mark.django_db
def test_the_batch_file_pages_speak_welsh(org_a: Organisation) -> None:
    holder = holder_of(org_a)
    batch = _batch(org_a, holder, ["10.00"])
    client = staff_client(holder)
    client.cookies["django_language"] = "cy"
    page = client.get(BATCHES, HTTP_ACCEPT_LANGUAGE="cy").content.decode()
    assert 'lang="cy"' in page and f"Prepare batch {batch.pk}" not in page
    client.post(reverse("downloads:ask_payments"), {"batch": batch.pk, "file_format": "csv"}, HTTP_ACCEPT_LANGUAGE="cy")
    prepared = PreparedFile.objects.get()
    assert prepared.language == "cy"
    detail = client.get(reverse("downloads:detail", args=[prepared.pk]), HTTP_ACCEPT_LANGUAGE="cy").content.decode()
    assert "Waiting to start" not in detail
