"""The privacy pages in a real browser, in English and Welsh: what is held, who looked, security events."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import at, check_page, open_site, sign_in
from tests.conftest import make_member, make_staff
from withus.accounts.models import Organisation, Role

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_a_member_sees_what_is_held_and_who_looked_and_an_admin_reviews_it(
    page: Page, second_page: Page, org_a: Organisation, lang: str
) -> None:
    member = make_member(org_a, full_name=f"Nia Jones {lang}")
    admin = make_staff(org_a, Role.ADMIN, f"admin-{lang}@example.org")

    # The admin opens the member's page, which is recorded.
    open_site(second_page, lang)
    sign_in(second_page, lang, admin.email, totp=True)
    second_page.goto(f"/staff/people/{member.pk}/")
    check_page(second_page, lang)
    second_page.goto("/staff/people/reads/")
    expect(second_page.get_by_role("main").get_by_role("link", name=member.full_name).first).to_be_visible()
    check_page(second_page, lang)
    second_page.goto("/staff/organisation/security/")
    expect(second_page.get_by_role("main").get_by_text(admin.email).first).to_be_visible()
    check_page(second_page, lang)

    # The member sees who looked, and everything held about them.
    assert member.user is not None
    open_site(page, lang)
    sign_in(page, lang, member.user.email, totp=False)
    page.goto("/me/")
    expect(page.locator("#who-has-looked")).to_be_visible()
    expect(page.get_by_role("main").get_by_text(admin.email).first).to_be_visible()
    check_page(page, lang)
    page.goto("/me/held/")
    expect(page).to_have_url(at(r"/me/held/"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("main").get_by_text(member.full_name).first).to_be_visible()
    check_page(page, lang)


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_a_member_erases_their_details_after_reading_what_goes_and_stays(
    page: Page, org_a: Organisation, lang: str
) -> None:
    from withus.people.models import Erasure, Person

    member = make_member(org_a, full_name=f"Erin Erase {lang}")
    assert member.user is not None
    open_site(page, lang)
    sign_in(page, lang, member.user.email, totp=False)
    page.goto("/me/")
    check_page(page, lang)
    page.locator("a[href='/me/erase/']").click()
    expect(page).to_have_url(at(r"/me/erase/"))
    check_page(page, lang)

    # Sent without the box ticked: the error is said, and focus can reach the box.
    page.get_by_role("main").locator("button.button--warning").click()
    expect(page.locator("#error-summary")).to_be_visible()
    check_page(page, lang)
    assert not Erasure.objects.exists()

    page.locator("#id_understood").check()
    page.get_by_role("main").locator("button.button--warning").click()
    expect(page).to_have_url(at(r"/erased/"))
    reference = Erasure.objects.get().reference
    expect(page.get_by_role("main").get_by_text(reference)).to_be_visible()
    check_page(page, lang)
    assert not Person.objects.filter(pk=member.pk).exists()
