"""The responses to an opportunity as CSV or an Excel workbook: the staff list's fields, typed, for the staff
who may see the list, on the web and the API; never what people wrote about their health or support."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.api.helpers import api_as, member_api
from tests.conftest import make_member, member_client, staff_client
from tests.core.xlsx import HOSTILE, assert_text, records, sheet_of
from tests.opportunities.factories import ApplicationFactory, OpportunityFactory
from withus.accounts.models import Organisation, User
from withus.opportunities.models import Application

pytestmark = pytest.mark.django_db


def _responses(org: Organisation, n: int = 2) -> list[Application]:
    opportunity = OpportunityFactory(organisation=org)
    made = [ApplicationFactory(opportunity=opportunity, person=make_member(org, full_name=HOSTILE))]
    made += [ApplicationFactory(opportunity=opportunity, person=make_member(org)) for _ in range(n - 1)]
    made[0].support_needed = "A quiet room because of my anxiety"
    made[0].waiting_position = 1
    made[0].save()
    return made


def test_a_coordinator_downloads_the_responses_as_csv_and_as_a_workbook(
    org_a: Organisation, coordinator_a: User
) -> None:
    first, *_ = _responses(org_a)
    opportunity = first.opportunity
    client = staff_client(coordinator_a)
    page = client.get(reverse("opportunities:staff_detail", args=[opportunity.pk])).content.decode()
    assert reverse("opportunities:staff_responses_xlsx", args=[opportunity.pk]) in page

    answer = client.get(reverse("opportunities:staff_responses_csv", args=[opportunity.pk]))
    body = b"".join(answer.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == 2 and "'" + HOSTILE in {r["person"] for r in rows}
    assert "anxiety" not in body

    book = client.get(reverse("opportunities:staff_responses_xlsx", args=[opportunity.pk]))
    assert book["Content-Type"].startswith("application/vnd.openxmlformats")
    found = records(sheet_of(b"".join(book.streaming_content)))
    mine = next(r for r in found if r["application_id"].value == first.pk)
    assert_text(mine["person"], HOSTILE)
    assert mine["waiting_position"].value == 1 and mine["waiting_position"].data_type == "n"
    assert isinstance(mine["submitted_at"].value, datetime)


def test_the_file_is_refused_to_members_and_other_organisations_on_the_web_and_the_api(
    org_a: Organisation, org_b: Organisation, coordinator_a: User, coordinator_b: User
) -> None:
    first, *_ = _responses(org_a)
    pk = first.opportunity.pk
    url = reverse("opportunities:staff_responses_xlsx", args=[pk])
    assert staff_client(coordinator_b).get(url).status_code == 404
    assert member_client(make_member(org_a)).get(url).status_code == 403
    api = f"/api/staff/opportunities/{pk}/applications/file"
    assert api_as(coordinator_b, org_b).get(api).status_code == 404
    assert member_api(make_member(org_a), org_a).get(api).status_code == 403
    assert api_as(coordinator_a, org_a).get(api, {"format": "pdf"}).status_code == 422


def test_through_the_api_in_either_format_with_the_same_queries_however_many(
    org_a: Organisation, coordinator_a: User
) -> None:
    staff = api_as(coordinator_a, org_a)
    few = _responses(org_a, 2)[0].opportunity.pk
    many = _responses(org_a, 12)[0].opportunity.pk
    counts, bodies = [], []
    for pk in (few, many):
        with CaptureQueriesContext(connection) as queries:
            answer = staff.get(f"/api/staff/opportunities/{pk}/applications/file", {"format": "xlsx"})
            bodies.append(b"".join(answer.streaming_content))
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert len(records(sheet_of(bodies[1]))) == 12
    csv_answer = staff.get(f"/api/staff/opportunities/{few}/applications/file")
    assert csv_answer["Content-Type"].startswith("text/csv")


def test_from_the_command_line(org_a: Organisation, tmp_path: Path) -> None:
    first, *_ = _responses(org_a)
    target = tmp_path / "responses.xlsx"
    call_command("opportunities", "responses", str(first.opportunity.pk), "--format", "xlsx", "--output", str(target))
    assert len(records(sheet_of(target.read_bytes()))) == 2
    with pytest.raises(CommandError, match="No opportunity"):
        call_command("opportunities", "responses", "999999", "--output", str(target))
