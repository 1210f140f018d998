"""Support in a real browser, in English and Welsh, with axe on every page: a coordinator names a
member's support contact and records a contact, the member sees it and asks for a call, and the
support contact's digest shows the call."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import (
    _scanned_page,
    at,
    check_page,
    expect_error_summary,
    field,
    nav_link,
    open_site,
    sign_in,
    tr,
)
from tests.conftest import make_member, make_staff
from withus.accounts.models import Organisation, Role
from withus.support.models import CallRequest, Contact

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_a_support_contact_is_named_the_member_asks_for_a_call_and_the_digest_shows_it(
    request: pytest.FixtureRequest,
    browser: Browser,
    live_server: Any,
    page: Page,
    second_page: Page,
    org_a: Organisation,
    lang: str,
) -> None:
    coordinator = make_staff(org_a, Role.COORDINATOR, "carys@example.org")
    worker = make_staff(org_a, Role.SUPERVISOR, "wyn@example.org")
    worker.first_name, worker.last_name = "Wyn", "Worker"
    worker.save()
    member = make_member(org_a, full_name="Alaw Member", prefers_welsh=lang == "cy")
    assert member.user is not None

    # The coordinator names the support contact: without a reason first (refused, the choice kept), then properly.
    open_site(page, lang)
    sign_in(page, lang, coordinator.email, totp=True)
    nav_link(page, lang, "Support", "/staff/support/").click()
    expect(page).to_have_url(at(r"/staff/support/"))
    check_page(page, lang)
    page.get_by_role("main").get_by_role("link", name="Alaw Member", exact=True).click()
    expect(page).to_have_url(at(rf"/staff/support/people/{member.pk}/"))
    check_page(page, lang)
    page.get_by_role("main").locator(f"a[href='/staff/support/people/{member.pk}/assign/']").click()
    expect(page).to_have_url(at(rf"/staff/support/people/{member.pk}/assign/"))
    check_page(page, lang)
    page.locator("#id_part_0").check()
    page.locator("#id_staff").select_option(str(worker.pk))
    page.get_by_role("main").locator("button[type=submit]").click()
    expect_error_summary(
        page, lang, {"id_reason": tr(lang, "Say why, so that the member's history explains the change.")}
    )
    expect(page.locator("#id_staff")).to_have_value(str(worker.pk))
    check_page(page, lang)
    field(page, lang, "Why", "#id_reason").fill("New member")
    page.get_by_role("main").locator("button[type=submit]").click()
    expect(page).to_have_url(at(rf"/staff/support/people/{member.pk}/"))
    expect(page.get_by_role("main")).to_contain_text("Wyn Worker")
    check_page(page, lang)

    # A contact in a few seconds: the date is filled in already.
    page.get_by_role("main").locator(f"a[href='/staff/support/people/{member.pk}/contact/']").click()
    expect(page).to_have_url(at(rf"/staff/support/people/{member.pk}/contact/"))
    check_page(page, lang)
    field(page, lang, "Short note (optional)", "#id_note").fill("Talked through the papers")
    page.get_by_role("main").locator("button[type=submit]").click()
    expect(page).to_have_url(at(rf"/staff/support/people/{member.pk}/"))
    expect(page.get_by_role("main")).to_contain_text("Talked through the papers")
    check_page(page, lang)
    assert Contact.objects.filter(person=member).count() == 1

    # The member sees who supports them, and the note, and asks for a call.
    open_site(second_page, lang)
    sign_in(second_page, lang, member.user.email, totp=False)
    nav_link(second_page, lang, "My support", "/me/support/").click()
    expect(second_page).to_have_url(at(r"/me/support/"))
    main = second_page.get_by_role("main")
    expect(main).to_contain_text("Wyn Worker")
    expect(main).to_contain_text("Talked through the papers")
    check_page(second_page, lang)
    main.locator("a[href='/me/support/call/']").click()
    expect(second_page).to_have_url(at(r"/me/support/call/"))
    check_page(second_page, lang)
    field(second_page, lang, "Anything you want us to know before we call (optional)", "#id_note").fill(
        "After the meeting"
    )
    second_page.get_by_role("main").locator("button[type=submit]").click()
    expect(second_page).to_have_url(at(r"/me/support/"))
    expect(second_page.get_by_role("status")).to_be_visible()
    check_page(second_page, lang)
    assert CallRequest.objects.filter(person=member, answered_at__isnull=True).count() == 1

    # The support contact's digest, on their dashboard and its own page, shows the call.
    with _scanned_page(request, browser, live_server.url) as third:
        open_site(third, lang)
        sign_in(third, lang, worker.email, totp=True)
        third.goto("/staff/opportunities/dashboard/")
        digest = third.get_by_role("main").locator("table").first
        expect(digest).to_contain_text("Alaw Member")
        expect(digest).to_contain_text(tr(lang, "Asked for a call"))
        check_page(third, lang)
        third.goto("/staff/support/digest/")
        expect(third.get_by_role("main")).to_contain_text(tr(lang, "Asked for a call"))
        check_page(third, lang)
