"""Presence and the annual report in a real browser, in English and Welsh, with axe on every page: the
presence page holds back small numbers; a coordinator drafts the year's report, an invited member comments
on a section, the coordinator publishes it, and anyone reads it at its public address."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import at, check_page, field, nav_link, open_site, sign_in, tr
from tests.conftest import make_member, make_staff
from tests.reports.test_annual_report import involve
from withus.accounts.models import Organisation, Role
from withus.reports import sections, services
from withus.reports.models import AnnualReport

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_presence_holds_back_small_numbers_and_the_report_is_commented_on_published_and_read(
    browser: Browser, live_server: Any, page: Page, second_page: Page, org_a: Organisation, lang: str
) -> None:
    coordinator = make_staff(org_a, Role.COORDINATOR, "carys@example.org")
    member = make_member(org_a, full_name="Alaw Member", prefers_welsh=lang == "cy")
    involve(org_a, 6, level=2)
    involve(org_a, 2, level=5)

    open_site(page, lang)
    sign_in(page, lang, coordinator.email, totp=True)
    nav_link(page, lang, "Presence", "/staff/presence/").click()
    expect(page).to_have_url(at(r"/staff/presence/"))
    check_page(page, lang)
    levels = page.locator("#chart-levels-table")
    expect(levels).to_contain_text(tr(lang, "fewer than %(n)s", n="5"))
    expect(page.locator("svg#chart-levels")).to_have_attribute("role", "img")

    nav_link(page, lang, "Annual engagement report", "/staff/annual-reports/").click()
    expect(page).to_have_url(at(r"/staff/annual-reports/"))
    check_page(page, lang)
    field(page, lang, "Year", "#id_year").fill("2026")
    page.get_by_role("main").locator("button[type=submit]").click()
    expect(page).to_have_url(at(r"/staff/annual-reports/2026/"))
    check_page(page, lang)
    report = AnnualReport.objects.get(organisation=org_a, year=2026)
    for section in sections.all_sections():
        if section.key != "reach":
            services.write_narrative(
                actor=coordinator, report=report, section=section.key, text="Written.", text_cy="Wedi’i ysgrifennu."
            )
    services.invite(actor=coordinator, report=report, person=member)

    # Publishing with the reach section still empty is refused, and says which.
    page.get_by_role("main").locator("button[name=publish]").click()
    expect(page.get_by_role("alert")).to_contain_text(tr(lang, "Reach and diversity"))
    check_page(page, lang)
    page.get_by_role("main").locator("a[href='/staff/annual-reports/2026/reach/']").click()
    check_page(page, lang)
    page.locator("#id_text").fill("More carers took part.")
    page.locator("#id_text_cy").fill("Cymerodd mwy o ofalwyr ran.")
    page.get_by_role("main").locator("button[type=submit]").click()
    expect(page).to_have_url(at(r"/staff/annual-reports/2026/"))
    check_page(page, lang)

    # The invited member comments on the reach section.
    open_site(second_page, lang)
    sign_in(second_page, lang, member.email, totp=False)
    nav_link(second_page, lang, "Annual report comments", "/me/annual-reports/").click()
    check_page(second_page, lang)
    second_page.get_by_role("main").locator(f"a[href='/me/annual-reports/{report.pk}/']").click()
    check_page(second_page, lang)
    second_page.locator("#comment-reach").fill("Say more about carers in Newport.")
    second_page.locator("#comment-reach").locator("xpath=ancestor::form").locator("button[type=submit]").click()
    expect(second_page.get_by_role("main")).to_contain_text("Say more about carers in Newport.")
    check_page(second_page, lang)

    page.reload()
    check_page(page, lang)
    expect(page.get_by_role("main")).to_contain_text("Say more about carers in Newport.")
    page.get_by_role("main").locator("button[name=publish]").click()
    expect(page.get_by_role("main").locator("a[href$='/annual-report/org-a/2026/v1/']")).to_have_count(1)
    check_page(page, lang)

    # Anyone reads it at its address, in their language.
    reader = browser.new_page(base_url=live_server.url)
    open_site(reader, lang)
    reader.goto("/annual-report/org-a/2026/")
    check_page(reader, lang)
    expect(reader.get_by_role("main")).to_contain_text(
        "More carers took part." if lang == "en" else "Cymerodd mwy o ofalwyr ran."
    )
    expect(reader.locator("#chart-activity_levels-table")).to_contain_text(tr(lang, "fewer than %(n)s", n="5"))
    reader.close()
