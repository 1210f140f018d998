"""The people register as a file: what the list shows that user, every page of it, streamed, on the web and the CLI."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import make_member, make_staff, member_client, staff_client
from tests.people.factories import PersonFactory, share
from withus.accounts.models import Role
from withus.people import documents
from withus.people.models import ConsentRecord, SensitiveRead

pytestmark = pytest.mark.django_db

CSV_URL = "/staff/people/people.csv"


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def streamed(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    assert response.streaming and response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="withus-org-a-people-')
    return b"".join(response.streaming_content).decode()


def test_the_file_has_the_people_and_columns_of_the_list_in_its_order(org_a, org_b, coordinator_a):
    make_member(org_a, full_name="Bethan Lewis", perspective="carer", local_authority="cardiff", needs_step_free=True)
    PersonFactory(full_name="Aled Owen", does_not_use_computers=True, needs_large_print=True, status="stepped_out")
    share(PersonFactory._meta.model.objects.get(full_name="Aled Owen"), org_a)
    make_member(org_b, full_name="Only Shares With B")
    withdrawn = make_member(org_a, full_name="Withdrew Consent")
    ConsentRecord.objects.filter(person=withdrawn).update(withdrawn_at=timezone.now() - timedelta(days=1))

    client = staff_client(coordinator_a)
    page = client.get("/staff/people/").content.decode()
    found = rows(streamed(client.get(CSV_URL)))

    assert list(found[0]) == documents.REGISTER_COLUMNS
    assert [r["name"] for r in found] == ["Aled Owen", "Bethan Lewis"]
    assert f'href="{CSV_URL}"' in page
    aled, bethan = found
    assert (aled["offline"], aled["needs"], aled["status"]) == ("offline", "large print", "Stepped out for a while")
    assert (bethan["offline"], bethan["experience"], bethan["area"]) == ("", "Carer", "Cardiff")
    assert bethan["needs"] == "step-free venue" and bethan["status"] == "Active"
    for r in found:
        for value in (r["experience"], r["area"], r["contact_by"], r["status"], *r["needs"].split("; ")):
            assert value in page.replace("&#x27;", "'"), value


def test_the_file_keeps_the_lists_filters_and_the_link_carries_them(org_a, coordinator_a):
    make_member(org_a, full_name="Carys Jones", perspective="carer")
    make_member(org_a, full_name="Dewi Jones", perspective="service_user")
    make_member(org_a, full_name="Eirlys Evans", perspective="carer")
    client = staff_client(coordinator_a)
    page = client.get("/staff/people/?q=Jones&perspective=carer").content.decode()
    assert f'href="{CSV_URL}?q=Jones&amp;perspective=carer"' in page
    found = rows(streamed(client.get(CSV_URL, {"q": "Jones", "perspective": "carer"})))
    assert [r["name"] for r in found] == ["Carys Jones"]


def test_only_staff_who_may_see_the_register_get_the_file(org_a, coordinator_a, member_a, tmp_path: Path):
    holder = make_staff(org_a, Role.BUDGET_HOLDER)
    assert staff_client(holder).get(CSV_URL).status_code == 403
    assert member_client(member_a).get(CSV_URL).status_code in (302, 403)
    with pytest.raises(CommandError, match="may not see the people register"):
        call_command("people", "export", "--organisation", "org-a", "--as", holder.email)
    assert not SensitiveRead.objects.exists()


def test_whose_needs_went_into_the_file_is_recorded(org_a, coordinator_a, member_a):
    other = make_member(org_a, full_name="Osian Other")
    streamed(staff_client(coordinator_a).get(CSV_URL))
    for person in (member_a, other):
        assert set(SensitiveRead.objects.filter(person=person).values_list("reader__email", "what", "via")) == {
            (coordinator_a.email, "needs", "export")
        }


def test_the_file_costs_the_same_queries_for_three_people_or_thirty(org_a, coordinator_a):
    client = staff_client(coordinator_a)

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            count = len(rows(streamed(client.get(CSV_URL))))
        return count, len(captured.captured_queries)

    for i in range(3):
        make_member(org_a, full_name=f"Few {i}")
    few, few_queries = queries()
    for i in range(27):
        make_member(org_a, full_name=f"Many {i}")
    many, many_queries = queries()
    assert (few, many) == (3, 30)
    assert few_queries == many_queries


def test_the_file_streams_a_chunk_at_a_time(org_a, coordinator_a, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(documents, "REGISTER_CHUNK", 2)
    monkeypatch.setattr(documents, "REGISTER_PIECE", 1)
    for i in range(5):
        make_member(org_a, full_name=f"Person {i}")
    pieces = documents.register_csv(coordinator_a, org_a)
    first = next(pieces)
    # The first piece goes out once the first chunk of people is read and its reading recorded.
    assert first.startswith("name,") and "Person 0" in first
    assert SensitiveRead.objects.count() == 2
    rest = "".join(pieces)
    assert [r["name"] for r in rows(first + rest)] == [f"Person {i}" for i in range(5)]
    assert SensitiveRead.objects.count() == 5


def test_the_command_writes_the_same_file(org_a, coordinator_a, member_a, tmp_path: Path):
    make_member(org_a, full_name="Ffion Hughes", needs_hearing_loop=True)
    web = streamed(staff_client(coordinator_a).get(CSV_URL))
    target = tmp_path / "people.csv"
    call_command("people", "export", "--organisation", "org-a", "-o", str(target), "--as", coordinator_a.email)
    assert target.read_bytes().decode() == web
    out = io.StringIO()
    call_command("people", "export", "--organisation", "org-a", stdout=out)
    assert out.getvalue() == web
    with pytest.raises(CommandError, match="No organisation"):
        call_command("people", "export", "--organisation", "nowhere")
