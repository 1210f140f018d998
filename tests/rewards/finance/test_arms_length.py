"""Payment at arm's length (002 §3): the organisation being scrutinised funds a budget that an
independent host approves and pays from; the funder sees its totals and nothing else."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.api.helpers import api_as, assert_error, member_api
from tests.conftest import make_member, make_staff, member_client, staff_client
from tests.rewards.finance.test_services import accepted_line, bank_details, budget_for, holder_of
from withus.accounts.models import Role
from withus.rewards.finance import selectors, services

pytestmark = pytest.mark.django_db


def _hosted(host, funder):
    """Organisation A hosts a budget organisation B funds: one claim paid, one approved, one waiting."""
    holder = holder_of(host)
    budget = budget_for(host, holder, "500.00", name="Trust scrutiny panel", funded_by=funder)
    member = make_member(host, full_name="Sioned Scrutiny")
    bank_details(member)
    lines = []
    for amount, description in (("30.00", "Quality visit"), ("20.00", "Board challenge"), ("15.00", "Papers read")):
        line = accepted_line(member, host, amount, description=description)
        lines.append(services.submit_claim(actor=member.user, line=line, budget=budget))
    services.approve(actor=holder, line=lines[0])
    batch = services.create_batch(actor=holder, organisation=host, method="bank_transfer")
    services.export_batch(actor=holder, batch=batch)
    services.mark_paid(actor=holder, batch=batch)
    services.approve(actor=holder, line=lines[1])
    return holder, budget, member


def test_a_host_sets_up_a_budget_another_organisation_funds_but_never_one_it_funds_itself(org_a, org_b, coordinator_a):
    holder = holder_of(org_a)
    budget = services.create_budget(
        actor=coordinator_a, organisation=org_a, name="Panel", allocation=D("100"), holder=holder, funded_by=org_b
    )
    assert budget.funded_by == org_b
    with pytest.raises(ValidationError) as own:
        services.create_budget(
            actor=coordinator_a, organisation=org_a, name="Panel", allocation=D("100"), holder=holder, funded_by=org_a
        )
    assert "funded_by" in own.value.message_dict
    # The funder's budget holder cannot hold the host's budget: the host approves.
    with pytest.raises(ValidationError) as theirs:
        services.create_budget(
            actor=coordinator_a,
            organisation=org_a,
            name="Panel",
            allocation=D("100"),
            holder=holder_of(org_b, "funder-holder@example.org"),
            funded_by=org_b,
        )
    assert "holder" in theirs.value.message_dict


def test_the_budgets_form_offers_other_organisations_and_keeps_the_funder(org_a, org_b, coordinator_a):
    holder = holder_of(org_a)
    client = staff_client(coordinator_a)
    response = client.post(
        "/staff/payments/budgets/",
        {"name": "Scrutiny panel", "allocation": "250.00", "holder": holder.pk, "funded_by": org_b.pk},
    )
    assert response.status_code == 302
    page = client.get("/staff/payments/budgets/").content.decode()
    assert "Paid at arm's length for Organisation B" in page or "Paid at arm's length for Organisation B" in page
    bad = client.post(
        "/staff/payments/budgets/", {"name": "x", "allocation": "1", "holder": holder.pk, "funded_by": 999999}
    )
    assert bad.status_code == 422 and "Choose another organisation on WithUs." in bad.content.decode()


def test_the_funder_sees_each_budget_s_totals_and_nothing_of_who_was_paid(org_a, org_b, coordinator_a, coordinator_b):
    _holder, _budget, member = _hosted(org_a, org_b)
    (row,) = selectors.funded_budgets(coordinator_b, org_b)
    assert (row.host, row.name) == ("Organisation A", "Trust scrutiny panel")
    assert tuple(row.figures) == (D("500.00"), D("35.00"), D("30.00"), D("435.00"))
    # The host's own staff are not the funder's.
    with pytest.raises(PermissionDenied):
        selectors.funded_budgets(coordinator_a, org_b)
    assert selectors.funded_budgets(coordinator_a, org_a) == []

    page = staff_client(coordinator_b).get("/staff/payments/funded/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Trust scrutiny panel" in text and "Organisation A" in text and "£435.00" in text
    for private in (member.full_name, "Quality visit", "Board challenge", "Papers read"):
        assert private not in text
    # Nowhere else in the funder's payment pages do the host's claims, budget or batches appear.
    for path in ("/staff/payments/approvals/", "/staff/payments/budgets/", "/staff/payments/batches/"):
        other = staff_client(coordinator_b).get(path).content.decode()
        assert member.full_name not in other and "Trust scrutiny panel" not in other


def test_the_api_gives_the_funder_totals_only(org_a, org_b, coordinator_b):
    _hosted(org_a, org_b)
    api = api_as(coordinator_b, org_b)
    (row,) = api.get("/api/staff/funded-budgets").json()
    assert set(row) == {"host", "name", "closed", "allocation", "committed", "spent", "remaining"}
    assert (row["host"], D(row["spent"]), D(row["committed"])) == ("Organisation A", D("30.00"), D("35.00"))
    assert api.get("/api/staff/claims").json()["items"] == []
    payer = api_as(holder_of(org_b, "funder-holder@example.org"), org_b, Role.BUDGET_HOLDER)
    assert payer.get("/api/staff/batches").json()["items"] == []
    assert_error(member_api(make_member(org_b), org_b).get("/api/staff/funded-budgets"), 403, "forbidden")


def test_the_member_s_statement_shows_the_host_paid_them(org_a, org_b):
    _holder, _budget, member = _hosted(org_a, org_b)
    page = member_client(member).get("/me/payments/").content.decode()
    # The host is the one that paid; the funder is named only as whose work it was for.
    assert "Organisation A" in page
    assert page.count("Organisation B") == page.count("arm's length for Organisation B") > 0


def test_a_funder_staff_member_without_payments_roles_is_refused(org_a, org_b):
    _hosted(org_a, org_b)
    supervisor = make_staff(org_b, Role.SUPERVISOR, "sup-b@example.org")
    with pytest.raises(PermissionDenied):
        selectors.funded_budgets(supervisor, org_b)
    assert staff_client(supervisor).get("/staff/payments/funded/").status_code == 403


def test_the_members_payments_and_statement_say_who_paid_and_whose_work_it_was_for(org_a, org_b):
    """A member paid by a host at arm's length sees the host as the payer, and for whom, everywhere."""
    from datetime import date

    from django.utils import timezone

    from withus.rewards import rules
    from withus.rewards.statements import documents
    from withus.rewards.statements import selectors as statement_selectors

    _holder, _budget, member = _hosted(org_a, org_b)
    start = rules.tax_year(timezone.localdate())[0]
    (paid,) = statement_selectors.statement(member, start).payments
    assert (paid.organisation, paid.funded_by) == ("Organisation A", "Organisation B")
    html = documents.statement_html(statement_selectors.statement(member, start))
    assert "paying at arm's length for Organisation B" in html
    rows = "".join(documents.statement_csv(member, start)).splitlines()
    assert rows[0].endswith(",paid_by,funded_by")
    assert rows[1].endswith(",Organisation B")
    api = member_api(member, org_a)
    lines = api.get(f"/api/me/statements/{start.year}").json()["payments"]
    assert [line["funded_by"] for line in lines] == ["Organisation B"]
    assert {p["funded_by"] for p in api.get("/api/me/payments").json()["items"]} == {"Organisation B"}
    assert date(start.year, 4, 6) == start
