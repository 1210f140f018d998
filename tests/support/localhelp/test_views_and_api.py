import html

import pytest
from django.utils import timezone

from tests.api.helpers import api_as, assert_error, member_api
from tests.conftest import make_member, member_client, staff_client
from tests.support.localhelp.factories import days_ago, make_entry
from withus.support.localhelp import documents
from withus.support.localhelp.models import HelpEntry

pytestmark = pytest.mark.django_db


def text(response):
    return html.unescape(response.content.decode())


def test_a_coordinator_adds_local_help_and_a_missing_way_to_reach_them_keeps_what_was_typed(org_a, coordinator_a):
    client = staff_client(coordinator_a)
    today = timezone.localdate()
    data = {
        "kind": "advocacy",
        "name": "Advocacy Support Cymru",
        "reviewed_on_day": today.day,
        "reviewed_on_month": today.month,
        "reviewed_on_year": today.year,
    }
    page = text(client.post("/staff/local-help/new/", data))
    assert "There is a problem" in page and "Give at least one way to reach them" in page
    assert 'value="Advocacy Support Cymru"' in page
    assert not HelpEntry.objects.exists()
    response = client.post("/staff/local-help/new/", {**data, "phone": "029 2054 0444"})
    assert response.status_code == 302
    assert "Advocacy Support Cymru" in text(client.get("/staff/local-help/"))


def test_a_stale_entry_is_flagged_to_the_coordinator(org_a, coordinator_a):
    make_entry(org_a, reviewed_on=days_ago(366))
    page = text(staff_client(coordinator_a).get("/staff/local-help/"))
    assert "1 entry has not been checked for a year" in page and "Check it" in page


def test_staff_of_another_organisation_get_404(org_a, coordinator_b, org_b):
    entry = make_entry(org_a)
    client = staff_client(coordinator_b)
    assert client.get(f"/staff/local-help/{entry.pk}/").status_code == 404
    assert client.post(f"/staff/local-help/{entry.pk}/checked/").status_code == 404
    assert_error(
        api_as(coordinator_b, org_b).patch(f"/api/staff/local-help/{entry.pk}", {"name": "X"}), 404, "not_found"
    )


def test_a_member_reads_the_directory_in_welsh_and_prints_a_leaflet(org_a):
    make_entry(org_a)
    member = make_member(org_a)
    client = member_client(member)
    assert "Citizens Advice Aberafon" in text(client.get("/me/help/"))
    client.cookies["withus_language"] = "cy"
    welsh = text(client.get("/me/help/"))
    assert "Cyngor ar Bopeth Aberafon" in welsh and "Dydd Llun i ddydd Gwener" in welsh
    response = client.get(f"/me/help/{org_a.slug}/leaflet.pdf?lang=cy")
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    other = make_member()
    assert member_client(other).get(f"/me/help/{org_a.slug}/leaflet.pdf").status_code == 404


def test_the_leaflet_fits_on_one_page_in_the_readers_language(org_a):
    kinds = ["advocacy", "welfare_rights", "mediation", "crisis"]
    for i in range(8):
        make_entry(org_a, kind=kinds[i % 4], name=f"Service {i}", name_cy=f"Gwasanaeth {i}", description="Help " * 20)
    laid_out = documents.leaflet_document(org_a, language="cy")
    assert len(laid_out.pages) == 1
    assert "Gwasanaeth 3" in documents.leaflet_html(org_a, language="cy")
    assert 'lang="cy"' in documents.leaflet_html(org_a, language="cy")


def test_the_directory_page_takes_the_same_queries_however_long(org_a, coordinator_a, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = staff_client(coordinator_a)
    make_entry(org_a)
    client.get("/staff/local-help/")
    with CaptureQueriesContext(connection) as few:
        client.get("/staff/local-help/")
    for i in range(6):
        make_entry(org_a, name=f"Service {i}", kind="crisis")
    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/staff/local-help/")


def test_the_api_keeps_the_directory_and_a_member_reads_theirs(org_a, coordinator_api_a):
    body = assert_error(
        coordinator_api_a.post("/api/staff/local-help", {"kind": "mediation", "name": "Mediation Cymru"}),
        422,
        "invalid",
    )
    assert {"phone", "reviewed_on"} <= set(body["fields"])
    response = coordinator_api_a.post(
        "/api/staff/local-help",
        {
            "kind": "mediation",
            "name": "Mediation Cymru",
            "email": "help@mediation.example.org",
            "reviewed_on": str(timezone.localdate()),
        },
    )
    assert response.status_code == 201, response.content
    entry = response.json()
    assert coordinator_api_a.post(f"/api/staff/local-help/{entry['id']}/checked", {}).status_code == 200
    member = make_member(org_a)
    [listed] = member_api(member, org_a).get("/api/me/local-help").json()["items"]
    assert listed["name"] == "Mediation Cymru"
