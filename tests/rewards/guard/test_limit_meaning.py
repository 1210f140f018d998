"""What a limit means travels with every warning about it, in the reader's language.

Carer's Allowance is a cliff edge: earnings £1 over the limit in a week lose the whole
week's allowance. The member and the coordinator read that where they read the warning
(the member's benefits page and the offer they answer, the offer form and the offer made
page, the approvals page and API, ``withus benefits check``), not only in the admin's table.
"""

from __future__ import annotations

import importlib
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client

from tests.conftest import make_member, make_staff, member_client, staff_client
from tests.rewards.guard.test_views import WEDNESDAY, declare, offer, text
from withus.accounts.models import Role
from withus.rewards.models import BenefitLimit, IncomeLine
from withus.rewards.reference import DWP_2025

pytestmark = pytest.mark.django_db

CLIFF_EDGE = "A cliff edge: earnings even £1 over this figure in a week lose the whole of that week's Carer's Allowance"
CLIFF_EDGE_CY = "Ymyl clogwyn: mae ennill hyd yn oed £1 dros y ffigur hwn mewn wythnos yn colli Lwfans Gofalwr"
NOTES = "Cliff edge: £1 over loses the whole week's allowance."
NOTES_CY = "Ymyl clogwyn: mae £1 dros y terfyn yn colli lwfans yr wythnos gyfan."
SOURCE_CY = "DWP, Cyfraddau budd-daliadau a phensiynau 2025 i 2026"
ESA_HOURS = "paid work must stay under 16 hours a week, and DWP must be told before the work starts (form PW1)"
ESA_NOTES_CY = "Llai nag 16 awr yr wythnos; rhowch wybod i'r DWP yn gyntaf (ffurflen PW1)."


def in_welsh(client: Client) -> Client:
    client.cookies["withus_language"] = "cy"
    return client


def a_carer_with_an_offer_over_the_limit(org_a, coordinator_a, time_machine):
    time_machine.move_to(WEDNESDAY)
    member = make_member(org_a, perspective="carer", full_name="Carys Carer")
    client = member_client(member)
    assert declare(client, "carers_allowance", org_a).status_code == 302
    coordinator = staff_client(coordinator_a)
    made = offer(coordinator, member, activity_date="2025-06-12")
    assert made.status_code == 302
    return member, client, coordinator, made["Location"]


def test_the_member_reads_the_cliff_edge_with_the_warning_in_english_and_welsh(org_a, coordinator_a, time_machine):
    member, client, _coordinator, _made = a_carer_with_an_offer_over_the_limit(org_a, coordinator_a, time_machine)
    line = IncomeLine.objects.get()
    for url in ("/me/benefits/", f"/me/benefits/offers/{line.pk}/"):
        page = text(client.get(url))
        assert "That is £4.00 over the Carer's Allowance earnings limit of £196.00." in page
        assert CLIFF_EDGE in page and NOTES in page, url

        page = text(in_welsh(member_client(member)).get(url))
        assert CLIFF_EDGE_CY in page and NOTES_CY in page and SOURCE_CY in page, url
        assert CLIFF_EDGE not in page and NOTES not in page and DWP_2025 not in page, url


def test_the_coordinator_reads_the_cliff_edge_on_the_offer_form_and_the_offer_made(org_a, coordinator_a, time_machine):
    member, _client, coordinator, made = a_carer_with_an_offer_over_the_limit(org_a, coordinator_a, time_machine)
    page = text(coordinator.get(made))
    assert "£4.00 over the Carer's Allowance earnings limit." in page
    assert CLIFF_EDGE in page and NOTES in page
    form = text(coordinator.get(f"/staff/people/{member.pk}/offer/"))
    assert "Benefits, before you offer" in form and CLIFF_EDGE in form

    welsh = in_welsh(staff_client(coordinator_a))
    for url in (made, f"/staff/people/{member.pk}/offer/"):
        page = text(welsh.get(url))
        assert CLIFF_EDGE_CY in page and NOTES_CY in page and SOURCE_CY in page, url
        assert CLIFF_EDGE not in page and NOTES not in page, url


def test_the_hours_condition_and_telling_dwp_travel_with_an_esa_warning(org_a, coordinator_a, time_machine):
    time_machine.move_to(WEDNESDAY)
    member = make_member(org_a)
    client = member_client(member)
    assert declare(client, "esa_permitted_work", org_a).status_code == 302
    offer(staff_client(coordinator_a), member, activity_date="2025-06-12", hours="17", amount="160.00")
    page = text(client.get("/me/benefits/"))
    assert "This offer could affect your benefits." in page and ESA_HOURS in page
    assert "Under 16 hours a week; tell DWP first (form PW1)." in page
    assert ESA_NOTES_CY in text(in_welsh(member_client(member)).get("/me/benefits/"))


def test_the_benefits_check_command_says_what_the_limit_means(org_a, coordinator_a, time_machine):
    member, _client, _coordinator, _made = a_carer_with_an_offer_over_the_limit(org_a, coordinator_a, time_machine)
    out = StringIO()
    call_command("benefits", "check", str(member.pk), stdout=out)
    assert CLIFF_EDGE in out.getvalue() and f"notes: {NOTES}" in out.getvalue()


def test_the_approvals_api_answers_with_the_meaning_and_notes_in_the_requests_language(org_a, coordinator_a):
    from tests.api.helpers import api_as
    from tests.rewards.finance.test_services import budget_for, claim_near_a_limit, holder_of

    holder = holder_of(org_a)
    line = claim_near_a_limit(org_a, coordinator_a, budget_for(org_a, holder))
    BenefitLimit.objects.filter(rule="carers_allowance").update(notes=NOTES, notes_cy=NOTES_CY)
    client = api_as(holder, org_a, Role.BUDGET_HOLDER)
    [warning] = {c["id"]: c for c in client.get("/api/staff/claims").json()["items"]}[line.pk]["guard_warnings"]
    assert warning["limit_meaning"].startswith(CLIFF_EDGE) and warning["limit_notes"] == NOTES
    client.headers["Accept-Language"] = "cy"
    welsh = client.get("/api/staff/claims").json()
    [warning] = {c["id"]: c for c in welsh["items"]}[line.pk]["guard_warnings"]
    assert warning["limit_meaning"].startswith(CLIFF_EDGE_CY) and warning["limit_notes"] == NOTES_CY
    page = text(staff_client(holder).get("/staff/payments/approvals/"))
    assert CLIFF_EDGE in page


def test_every_shipped_row_has_its_source_and_notes_in_welsh():
    rows = list(BenefitLimit.objects.all())
    assert rows
    for row in rows:
        assert row.source_cy and row.source_cy != row.source, row
        assert bool(row.notes_cy) == bool(row.notes), row
    # The migration fills only what is still empty, so an admin's own Welsh is kept.
    migration = importlib.import_module("withus.rewards.migrations.0013_limits_in_welsh")
    row = rows[0]
    BenefitLimit.objects.filter(pk=row.pk).update(notes_cy="Nodyn y gweinyddwr")
    migration.welsh(apps, None)
    row.refresh_from_db()
    assert row.notes_cy == "Nodyn y gweinyddwr"


def test_the_admin_adds_a_row_with_welsh_and_the_table_shows_the_readers_language(org_a, time_machine):
    admin = staff_client(make_staff(org_a, Role.ADMIN))
    response = admin.post(
        "/staff/benefits/limits/",
        {
            "rule": "carers_allowance",
            "period": "week",
            "amount": "204.00",
            "valid_from": "2026-04-06",
            "source": "DWP, Benefit and pension rates 2026 to 2027",
            "source_cy": "DWP, Cyfraddau budd-daliadau a phensiynau 2026 i 2027",
            "notes": "Check the figure.",
            "notes_cy": "Gwiriwch y ffigur.",
        },
    )
    assert response.status_code == 302, text(response)
    row = BenefitLimit.objects.get(valid_from="2026-04-06")
    assert (row.source_cy, row.notes_cy) == (
        "DWP, Cyfraddau budd-daliadau a phensiynau 2026 i 2027",
        "Gwiriwch y ffigur.",
    )
    page = text(in_welsh(admin).get("/staff/benefits/limits/"))
    assert "Gwiriwch y ffigur." in page and "Check the figure." not in page and SOURCE_CY in page
