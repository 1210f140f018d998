from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.api.helpers import ApiClient, api_as
from tests.conftest import make_staff, staff_client
from withus.accounts.models import Organisation, Role, User
from withus.imports.models import RegisterImport
from withus.people.models import Person

from .helpers import as_csv, as_xlsx, good_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_a(org_a: Organisation) -> User:
    return make_staff(org_a, Role.ADMIN, "admin-a@example.org")


def test_an_admin_uploads_matches_checks_imports_and_undoes_on_the_pages(admin_a: User, org_a: Organisation) -> None:
    client = staff_client(admin_a)
    rows = [good_row(n) for n in range(1, 11)]
    rows[2][1] = "bad@"
    upload = SimpleUploadedFile("register.xlsx", as_xlsx(rows))
    response = client.post("/staff/imports/", {"file": upload})
    found = RegisterImport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/staff/imports/{found.pk}/columns/"
    page = client.get(f"/staff/imports/{found.pk}/columns/")
    assert "Column A: Name" in page.content.decode() and "Person 001" in page.content.decode()
    form = {f"column_{i}": f for i, f in found.column_mapping.items()}
    refused = client.post(f"/staff/imports/{found.pk}/columns/", {**form, "column_0": ""})
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "Choose the column that holds full name" in text and "lawful basis" in text
    assert 'value="email" selected' in text  # what was chosen is kept
    done = client.post(
        f"/staff/imports/{found.pk}/columns/", {**form, "lawful_basis": "consent", "mapping_name": "Old list"}
    )
    assert done.status_code == 302
    detail = client.get(f"/staff/imports/{found.pk}/").content.decode()
    assert "&#x27;bad@&#x27; is not a valid e-mail address" in detail and 'id="count-added">9<' in detail
    assert Person.objects.count() == 0
    imported = client.post(f"/staff/imports/{found.pk}/", {"action": "import"})
    assert imported.status_code == 302
    assert Person.objects.sharing_with(org_a).count() == 9
    person = Person.objects.sharing_with(org_a).order_by("full_name").first()
    assert person is not None
    shown = client.get(f"/staff/people/{person.pk}/").content.decode()
    assert "Brought in from an earlier register" in shown and "Lawful basis: Consent" in shown
    assert "Undo this import" in client.get(f"/staff/imports/{found.pk}/").content.decode()
    client.post(f"/staff/imports/{found.pk}/undo/")
    assert Person.objects.count() == 0


def test_a_file_refused_whole_says_why_on_the_page(admin_a: User) -> None:
    client = staff_client(admin_a)
    response = client.post("/staff/imports/", {"file": SimpleUploadedFile("r.csv", b"%PDF-1.7 nope")})
    assert response.status_code == 400 and "not a CSV or XLSX" in response.content.decode()
    assert not RegisterImport.objects.exists()


def test_coordinators_and_other_organisations_cannot_reach_an_import(
    admin_a: User, org_a: Organisation, org_b: Organisation, coordinator_a: User
) -> None:
    client = staff_client(admin_a)
    client.post("/staff/imports/", {"file": SimpleUploadedFile("r.csv", as_csv([good_row(1)]))})
    found = RegisterImport.objects.get()
    assert staff_client(coordinator_a).get("/staff/imports/").status_code == 403
    admin_b = make_staff(org_b, Role.ADMIN, "admin-b@example.org")
    assert staff_client(admin_b).get(f"/staff/imports/{found.pk}/").status_code == 404
    assert staff_client(admin_b).post(f"/staff/imports/{found.pk}/", {"action": "import"}).status_code == 404


def _put(api: ApiClient, path: str, body: dict[str, Any]) -> Any:
    return api.client.put(path, json.dumps(body), content_type="application/json", headers=api.headers)


def test_the_api_does_the_same(admin_a: User, org_a: Organisation, org_b: Organisation) -> None:
    api = api_as(admin_a, org_a, Role.ADMIN)
    rows = [good_row(n) for n in range(1, 4)]
    response = api.client.post("/api/imports", {"file": SimpleUploadedFile("r.csv", as_csv(rows))}, headers=api.headers)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "mapping" and body["columns"][1] == {"column": 1, "header": "Email", "field": "email"}
    mapping = {str(c["column"]): c["field"] for c in body["columns"] if c["field"]}
    bad = _put(api, f"/api/imports/{body['id']}/columns", {"mapping": {"1": "email"}, "lawful_basis": "consent"})
    assert bad.status_code == 422
    checked = _put(api, f"/api/imports/{body['id']}/columns", {"mapping": mapping, "lawful_basis": "consent"})
    assert checked.status_code == 200 and checked.json()["counts"]["added"] == 3
    rows_out = api.get(f"/api/imports/{body['id']}/rows").json()
    assert [r["outcome"] for r in rows_out["items"]] == ["add", "add", "add"]
    assert api.post(f"/api/imports/{body['id']}/confirm", {}).json()["status"] == "imported"
    assert Person.objects.sharing_with(org_a).count() == 3
    other = api_as(make_staff(org_b, Role.ADMIN, "admin-b@example.org"), org_b, Role.ADMIN)
    assert other.post(f"/api/imports/{body['id']}/undo", {}).status_code == 404
    assert api.post(f"/api/imports/{body['id']}/undo", {}).json()["status"] == "undone"
    refused = api.client.post(
        "/api/imports", {"file": SimpleUploadedFile("r.csv", b"\x00\x01\x02")}, headers=api.headers
    )
    assert refused.status_code == 422


def test_the_command_line_checks_imports_and_undoes(admin_a: User, org_a: Organisation, tmp_path: Path) -> None:
    rows = [good_row(n) for n in range(1, 6)]
    rows[1][5] = "nowhere"
    path = tmp_path / "register.csv"
    path.write_bytes(as_csv(rows))
    out, err = StringIO(), StringIO()
    common = ["--organisation", org_a.slug, "--as", admin_a.email]
    call_command("import", "people", str(path), *common, "--dry-run", "--save-mapping", "Ours", stdout=out, stderr=err)
    assert (
        "Would add 4" in out.getvalue() and "row 3 'Person 002'" in out.getvalue() and "UK postcode" in out.getvalue()
    )
    assert "Checking rows [" in err.getvalue() and Person.objects.count() == 0
    out = StringIO()
    call_command("import", "people", str(path), *common, "--mapping", "Ours", stdout=out, stderr=StringIO())
    assert "Added 4" in out.getvalue() and Person.objects.sharing_with(org_a).count() == 4
    found = RegisterImport.objects.get(status="imported")
    call_command("import", "undo", str(found.pk), *common, stdout=StringIO())
    assert Person.objects.count() == 0
    with pytest.raises(CommandError, match="No saved mapping"):
        call_command("import", "people", str(path), *common, "--mapping", "Nope", stdout=StringIO())
