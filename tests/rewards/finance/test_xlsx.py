"""Payment batches and budgets as XLSX beside CSV: one service, one rule, typed cells (issue 16)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.helpers import ApiClient, api_as, assert_error, member_api
from tests.conftest import make_member, member_client, staff_client
from tests.core.xlsx import HOSTILE, assert_money, assert_text, records, sheet_of
from tests.rewards.finance.test_services import DAY, approved_lines, budget_for, export_text, holder_of, rows
from withus.accounts.models import Role
from withus.core import spreadsheets
from withus.rewards.finance import services
from withus.rewards.models import IncomeLine, PaymentBatch

pytestmark = pytest.mark.django_db

BATCHES = "/staff/payments/batches/"


def export_xlsx(**kwargs: Any) -> tuple[str, Any]:
    filename, file = services.export_batch(file_format="xlsx", **kwargs)
    with file:
        return filename, sheet_of(file)


def test_a_batch_exported_as_xlsx_is_exported_and_the_csv_is_then_only_a_copy(org_a):
    holder = holder_of(org_a)
    lines = approved_lines(org_a, holder, budget_for(org_a, holder), ["10.00", "20.50"])
    batch = services.create_batch(actor=holder, organisation=org_a, method="bank_transfer")
    filename, sheet = export_xlsx(actor=holder, batch=batch)
    assert filename.endswith(f"batch-{batch.pk}-bank_transfer.xlsx")
    assert [c.value for c in sheet[1]] == ["batch_id", "line_ids", "payee_name", "sort_code", "account_number",
                                           "amount", "reference", "copy"]  # fmt: skip
    found = records(sheet)
    assert [r["batch_id"].value for r in found] == [batch.pk, batch.pk]
    assert_money(found[0]["amount"], "10.00")
    assert_money(found[1]["amount"], "20.50")
    # Sort codes and account numbers stay text: a leading zero is never lost.
    assert_text(found[0]["sort_code"], "12-34-56")
    assert_text(found[0]["account_number"], "12345678")
    assert {r["line_ids"].value for r in found} == {str(ln.pk) for ln in lines}
    assert all(r["copy"].value is None for r in found)
    batch.refresh_from_db()
    assert batch.status == "exported" and batch.exported_at is not None
    exported_at = batch.exported_at
    # The other format is no way round the rule: a second export in either is refused.
    for file_format in ("csv", "xlsx"):
        with pytest.raises(Exception, match="already been exported"):
            services.export_batch(actor=holder, batch=batch, file_format=file_format)  # type: ignore[arg-type]
    copy_name, copy = export_xlsx(actor=holder, batch=batch, copy=True)
    assert copy_name.endswith("-COPY.xlsx")
    assert {r["copy"].value for r in records(copy)} == {"COPY"}
    assert {r["copy"] for r in rows(export_text(actor=holder, batch=batch, copy=True)[1])} == {"COPY"}
    batch.refresh_from_db()
    assert batch.status == "exported" and batch.exported_at == exported_at


def test_payroll_xlsx_has_dates_as_dates_and_hostile_text_as_text(org_a):
    holder = holder_of(org_a)
    [line] = approved_lines(org_a, holder, budget_for(org_a, holder), ["12.34"], method="payroll")
    IncomeLine.objects.filter(pk=line.pk).update(description=HOSTILE)
    line.person.full_name = HOSTILE
    line.person.save(update_fields=["full_name"])
    batch = services.create_batch(actor=holder, organisation=org_a, method="payroll")
    [row] = records(export_xlsx(actor=holder, batch=batch)[1])
    assert (row["line_id"].value, row["person_id"].value) == (line.pk, line.person_id)
    assert_money(row["amount"], "12.34")
    assert row["activity_date"].is_date and row["activity_date"].value.date() == DAY
    assert_text(row["name"], HOSTILE)
    assert_text(row["description"], HOSTILE)


def test_the_csv_is_unchanged_by_typed_rows(org_a):
    holder = holder_of(org_a)
    approved_lines(org_a, holder, budget_for(org_a, holder), ["7.50"], method="payroll")
    batch = services.create_batch(actor=holder, organisation=org_a, method="payroll")
    [row] = rows(export_text(actor=holder, batch=batch)[1])
    assert (row["amount"], row["activity_date"]) == ("7.50", DAY.isoformat())


def test_missing_bank_details_refuse_the_xlsx_too(org_a):
    holder = holder_of(org_a)
    [line] = approved_lines(org_a, holder, budget_for(org_a, holder), ["10.00"])
    line.person.reward_preference.sort_code = ""
    line.person.reward_preference.save()
    batch = services.create_batch(actor=holder, organisation=org_a, method="bank_transfer")
    with pytest.raises(Exception, match="Bank details are missing"):
        services.export_batch(actor=holder, batch=batch, file_format="xlsx")
    batch.refresh_from_db()
    assert batch.status == "open"


def test_xlsx_export_queries_do_not_grow_with_the_batch(org_a):
    holder = holder_of(org_a)
    budget = budget_for(org_a, holder, allocation="100000.00")

    def queries(count: int) -> int:
        approved_lines(org_a, holder, budget, ["5.00"] * count)
        batch = services.create_batch(actor=holder, organisation=org_a, method="bank_transfer")
        with CaptureQueriesContext(connection) as captured:
            services.export_batch(actor=holder, batch=batch, file_format="xlsx")[1].close()
        return len(captured)

    assert queries(2) == queries(7)


def test_web_exports_xlsx_once_then_a_copy(org_a, coordinator_a):
    holder = holder_of(org_a)
    approved_lines(org_a, holder, budget_for(org_a, holder), ["10.00", "15.25"])
    batch = services.create_batch(actor=holder, organisation=org_a, method="bank_transfer")
    client = staff_client(holder)
    page = client.get(BATCHES)
    assert b'name="format" value="xlsx"' in page.content
    url = f"{BATCHES}{batch.pk}/export/"
    assert staff_client(coordinator_a).post(url, {"format": "xlsx"}).status_code == 403
    export = client.post(url, {"format": "xlsx"})
    assert export.status_code == 200 and export["Content-Type"] == spreadsheets.XLSX_CONTENT_TYPE
    assert export["Cache-Control"] == "no-store" and ".xlsx" in export["Content-Disposition"]
    assert len(records(sheet_of(export.getvalue()))) == 2
    batch.refresh_from_db()
    assert batch.status == "exported"
    assert b"already been exported" in client.post(url, follow=True).content
    assert b"already been exported" in client.post(url, {"format": "xlsx"}, follow=True).content
    copy = client.post(url, {"copy": "1", "format": "xlsx"})
    assert {r["copy"].value for r in records(sheet_of(copy.getvalue()))} == {"COPY"}


def test_api_exports_xlsx_once_then_a_copy(org_a, org_b):
    holder = holder_of(org_a)
    approved_lines(org_a, holder, budget_for(org_a, holder), ["10.00", "15.25"])
    batch = services.create_batch(actor=holder, organisation=org_a, method="bank_transfer")
    client = api_as(holder, org_a, Role.BUDGET_HOLDER)
    url = f"/api/staff/batches/{batch.pk}/export"
    assert_error(api_as(holder_of(org_b, "b@example.org"), org_b, Role.BUDGET_HOLDER).get(url), 404, "not_found")
    assert_error(client.get(url, {"format": "pdf"}), 422, "invalid")
    export = client.get(url, {"format": "xlsx"})
    assert export.status_code == 200 and export["Content-Type"] == spreadsheets.XLSX_CONTENT_TYPE
    assert len(records(sheet_of(export.getvalue()))) == 2
    assert PaymentBatch.objects.get(pk=batch.pk).status == "exported"
    assert_error(client.get(url), 422, "invalid")
    assert_error(client.get(url, {"format": "xlsx"}), 422, "invalid")
    copy = client.get(url, {"format": "xlsx", "copy": "true"})
    assert {r["copy"].value for r in records(sheet_of(copy.getvalue()))} == {"COPY"}


def test_cli_exports_xlsx_to_a_file_and_refuses_standard_output(org_a, tmp_path):
    holder = holder_of(org_a)
    approved_lines(org_a, holder, budget_for(org_a, holder), ["10.00"])
    batch = services.create_batch(actor=holder, organisation=org_a, method="bank_transfer")
    with pytest.raises(CommandError, match="--output"):
        call_command("payments", "export", str(batch.pk), "--format", "xlsx", "--as", holder.email)
    assert PaymentBatch.objects.get(pk=batch.pk).status == "open"
    target = tmp_path / "batch.xlsx"
    call_command(
        "payments", "export", str(batch.pk), "--format", "xlsx", "--output", str(target), "--as", holder.email,
        stderr=io.StringIO(),
    )  # fmt: skip
    assert_money(records(sheet_of(target.read_bytes()))[0]["amount"], "10.00")
    assert PaymentBatch.objects.get(pk=batch.pk).status == "exported"
    with pytest.raises(CommandError, match="already been exported"):
        call_command("payments", "export", str(batch.pk), "--output", str(tmp_path / "b.csv"), "--as", holder.email)


# ---- Budgets ------------------------------------------------------------------------------------


def budgets_with_spending(org: Any) -> Any:
    holder = holder_of(org)
    budget = budget_for(org, holder, allocation="100.00", name=HOSTILE)
    approved_lines(org, holder, budget, ["30.00", "12.50"])
    budget_for(org, holder, allocation="50.00", name="Youth panel", closed=True)
    return holder


def test_budgets_download_as_csv_and_xlsx_with_the_pages_figures(org_a, coordinator_a, member_a):
    holder = budgets_with_spending(org_a)
    page = staff_client(coordinator_a).get("/staff/payments/budgets/")
    assert b"/staff/payments/budgets.xlsx" in page.content and b"/staff/payments/budgets.csv" in page.content
    client = staff_client(coordinator_a)
    csv_file = client.get("/staff/payments/budgets.csv")
    assert csv_file.status_code == 200 and csv_file["Content-Type"].startswith("text/csv")
    by_name = {r["budget"]: r for r in rows(csv_file.getvalue().decode())}
    assert by_name["'" + HOSTILE]["committed"] == "42.50" and by_name["'" + HOSTILE]["remaining"] == "57.50"
    assert by_name["Youth panel"]["state"] == "closed" and by_name["Youth panel"]["holder"] == str(holder)
    xlsx = client.get("/staff/payments/budgets.xlsx")
    assert xlsx["Content-Type"] == spreadsheets.XLSX_CONTENT_TYPE and ".xlsx" in xlsx["Content-Disposition"]
    sheet = sheet_of(xlsx.getvalue())
    assert [c.value for c in sheet[1]] == ["budget", "group", "holder", "funded_by", "allocation", "committed",
                                           "spent", "remaining", "state"]  # fmt: skip
    by_name_xlsx = {r["budget"].value: r for r in records(sheet)}
    hostile = by_name_xlsx[HOSTILE]
    assert_text(hostile["budget"], HOSTILE)
    assert_money(hostile["allocation"], "100.00")
    assert_money(hostile["committed"], "42.50")
    assert_money(hostile["spent"], "0.00")
    assert_money(hostile["remaining"], "57.50")
    assert member_client(member_a).get("/staff/payments/budgets.xlsx").status_code in (302, 403)


def test_budgets_file_is_only_the_organisations_own(org_a, org_b):
    budgets_with_spending(org_b)
    holder = holder_of(org_a, "holder-a2@example.org")
    budget_for(org_a, holder, name="Ours")
    sheet = sheet_of(staff_client(holder).get("/staff/payments/budgets.xlsx").getvalue())
    assert [r["budget"].value for r in records(sheet)] == ["Ours"]


def test_budgets_file_through_the_api_and_the_cli(org_a, coordinator_a, tmp_path):
    budgets_with_spending(org_a)
    client = api_as(coordinator_a, org_a)
    answer = client.get("/api/staff/budgets/file", {"format": "xlsx"})
    assert answer.status_code == 200 and answer["Content-Type"] == spreadsheets.XLSX_CONTENT_TYPE
    assert len(records(sheet_of(answer.getvalue()))) == 2
    assert client.get("/api/staff/budgets/file")["Content-Type"].startswith("text/csv")
    assert_error(member_api(make_member(org_a), org_a).get("/api/staff/budgets/file"), 403, "forbidden")
    assert_error(ApiClient(None).get("/api/staff/budgets/file"), 401, "not_authenticated")
    target = tmp_path / "budgets.xlsx"
    call_command("payments", "budgets", "--organisation", org_a.slug, "--format", "xlsx", "--output", str(target),
                 stderr=io.StringIO())  # fmt: skip
    assert len(records(sheet_of(target.read_bytes()))) == 2
    out = io.StringIO()
    call_command("payments", "budgets", "--organisation", org_a.slug, stdout=out)
    assert out.getvalue().startswith("budget,group,holder")


# openpyxl leaves its half-written sheet's generator for the garbage collector, which says so.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_an_xlsx_that_fails_half_way_leaves_the_batch_open(org_a, monkeypatch):
    holder = holder_of(org_a)
    approved_lines(org_a, holder, budget_for(org_a, holder), ["10.00", "20.00"])
    batch = services.create_batch(actor=holder, organisation=org_a, method="bank_transfer")
    real = spreadsheets.workbook

    def failing(sheets):
        def rows_then_full_disk(sheet):
            for n, row in enumerate(sheet.rows):
                if n == 1:
                    raise OSError("No space left on device")
                yield row

        return real([spreadsheets.Sheet(s.title, s.columns, rows_then_full_disk(s)) for s in sheets])

    monkeypatch.setattr(spreadsheets, "workbook", failing)
    with pytest.raises(OSError):
        services.export_batch(actor=holder, batch=batch, file_format="xlsx")
    batch.refresh_from_db()
    assert batch.status == "open" and batch.exported_at is None
    monkeypatch.undo()
    assert len(records(export_xlsx(actor=holder, batch=batch)[1])) == 2
