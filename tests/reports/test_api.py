from __future__ import annotations

import pytest

from tests.api.helpers import ApiClient, api_as
from tests.conftest import make_member
from tests.reports.test_annual_report import YEAR, involve, write_everything
from withus.accounts.models import Organisation, Role, User
from withus.people.models import Person
from withus.reports import services

pytestmark = pytest.mark.django_db


def test_presence_figures_are_held_back_as_on_the_page(org_a: Organisation, coordinator_api_a: ApiClient) -> None:
    involve(org_a, 6)
    involve(org_a, 2, level=5)
    response = coordinator_api_a.get("/api/reports/presence", {"year": YEAR})
    assert response.status_code == 200
    body = response.json()
    levels = next(t for t in body["tables"] if t["key"] == "levels")
    assert ["Consulted", 6, 6] in levels["rows"]
    assert ["Co-producing", None, None] in levels["rows"]


def test_members_may_not_read_presence(org_a: Organisation, member_a: Person) -> None:
    assert member_a.user is not None
    assert api_as(member_a.user, org_a, Role.MEMBER).get("/api/reports/presence", {"year": YEAR}).status_code == 403


def test_anyone_reads_published_reports_and_no_draft(org_a: Organisation, coordinator_a: User) -> None:
    report = services.draft(actor=coordinator_a, organisation=org_a, year=YEAR)
    public = ApiClient(None)
    assert public.get(f"/api/reports/annual/{org_a.slug}").json() == []
    assert public.get(f"/api/reports/annual/{org_a.slug}/{YEAR}").status_code == 404
    write_everything(coordinator_a, report)
    services.publish(actor=coordinator_a, report=report)
    listed = public.get(f"/api/reports/annual/{org_a.slug}").json()
    assert [(v["year"], v["number"]) for v in listed] == [(YEAR, 1)]
    welsh = public.get(f"/api/reports/annual/{org_a.slug}/{YEAR}", {"language": "cy"}).json()
    assert welsh["sections"][0]["narrative"] == "Am reach eleni."


def test_a_member_reads_only_the_drafts_they_were_invited_to(
    org_a: Organisation, coordinator_a: User, member_a: Person
) -> None:
    report = services.draft(actor=coordinator_a, organisation=org_a, year=YEAR)
    other = make_member(org_a)
    assert member_a.user is not None and other.user is not None
    services.invite(actor=coordinator_a, report=report, person=member_a)
    mine = api_as(member_a.user, org_a, Role.MEMBER)
    assert [r["id"] for r in mine.get("/api/reports/me/annual").json()] == [report.pk]
    assert mine.get(f"/api/reports/me/annual/{report.pk}").status_code == 200
    theirs = api_as(other.user, org_a, Role.MEMBER)
    assert theirs.get("/api/reports/me/annual").json() == []
    assert theirs.get(f"/api/reports/me/annual/{report.pk}").status_code == 404
