"""Payment at arm's length in a real browser, in English and Welsh, with axe on every page: an
independent host sets up a budget another organisation funds, approves and pays a member from it; the
funder sees the budget's totals and nobody's name; the member sees who paid them and for whom."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import at, check_page, field, open_site, sign_in, tr
from tests.conftest import make_member, make_staff
from tests.rewards.finance.test_services import accepted_line, bank_details
from withus.accounts.models import Organisation, Role
from withus.rewards.finance import services
from withus.rewards.models import Budget

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_a_host_pays_a_member_for_another_organisation_which_sees_only_totals(
    page: Page, second_page: Page, org_a: Organisation, org_b: Organisation, lang: str, live_server: Any
) -> None:
    host_coordinator = make_staff(org_a, Role.COORDINATOR, "carys@example.org")
    holder = make_staff(org_a, Role.BUDGET_HOLDER, "holder@example.org")
    funder = make_staff(org_b, Role.COORDINATOR, "funder@example.org")
    member = make_member(org_a, full_name="Sioned Scrutiny", prefers_welsh=lang == "cy")
    bank_details(member)

    # The host sets up the budget the scrutinised organisation funds: without an allocation first.
    open_site(page, lang)
    sign_in(page, lang, host_coordinator.email, totp=True)
    page.goto("/staff/payments/budgets/")
    check_page(page, lang)
    field(page, lang, "Name of the budget", "#id_name").fill("Trust scrutiny panel")
    page.locator("#id_holder").select_option(str(holder.pk))
    page.locator("#id_funded_by").select_option(str(org_b.pk))
    page.get_by_role("main").locator("form[novalidate] button[type=submit]").first.click()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#id_name")).to_have_value("Trust scrutiny panel")
    check_page(page, lang)
    field(page, lang, "Allocation in pounds", "#id_allocation").fill("500.00")
    page.get_by_role("main").locator("form[novalidate] button[type=submit]").first.click()
    expect(page).to_have_url(at(r"/staff/payments/budgets/"))
    expect(page.get_by_role("main")).to_contain_text("Trust scrutiny panel")
    check_page(page, lang)
    budget = Budget.objects.get(name="Trust scrutiny panel")
    assert budget.funded_by == org_b

    # A fee claimed against it is approved and paid by the host.
    assert member.user is not None
    line = services.submit_claim(
        actor=member.user, line=accepted_line(member, org_a, "30.00", description="Quality visit"), budget=budget
    )
    services.approve(actor=holder, line=line)
    batch = services.create_batch(actor=holder, organisation=org_a, method="bank_transfer")
    services.export_batch(actor=holder, batch=batch)
    services.mark_paid(actor=holder, batch=batch)

    # The funder sees the budget's totals and nobody's name.
    open_site(second_page, lang)
    sign_in(second_page, lang, funder.email, totp=True)
    second_page.goto("/staff/payments/funded/")
    main = second_page.get_by_role("main")
    expect(main).to_contain_text("Trust scrutiny panel")
    expect(main).to_contain_text("£30.00")
    expect(main).not_to_contain_text("Sioned Scrutiny")
    expect(main).not_to_contain_text("Quality visit")
    check_page(second_page, lang)

    # The member sees that the host paid them, and for whom.
    page.goto("/")
    check_page(page, lang)
    banner = page.get_by_role("banner")
    banner.locator("form[action='/accounts/logout/'] button").click()
    expect(page.get_by_role("banner").locator("form[action='/accounts/logout/']")).to_have_count(0)
    check_page(page, lang)
    sign_in(page, lang, member.user.email, totp=False)
    page.goto("/me/payments/")
    main = page.get_by_role("main")
    expect(main).to_contain_text(tr(lang, "(paying at arm's length for %(funder)s)", funder=str(org_b)))
    check_page(page, lang)
