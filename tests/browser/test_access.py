"""An anonymous visitor who opens a private page is sent to sign in, in their own language."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import at, check_page, switch_language

pytestmark = pytest.mark.browser

SIGN_IN = {"en": "Sign in", "cy": "Mewngofnodi"}


@pytest.mark.parametrize("lang", ["en", "cy"])
@pytest.mark.parametrize("path", ["/staff/people/", "/me/"])
def test_anonymous_visitor_is_asked_to_sign_in(page: Page, path: str, lang: str) -> None:
    page.goto("/")
    check_page(page, "en")
    if lang == "cy":
        switch_language(page, "cy")

    response = page.goto(path)
    assert response is not None and response.ok
    # Sent to the sign-in page, which brings them back to where they were going.
    expect(page).to_have_url(at(rf"/accounts/login/\?next={path}"))
    expect(page.get_by_role("heading", level=1)).to_have_text(SIGN_IN[lang])
    expect(page.get_by_role("main").get_by_role("button", name=SIGN_IN[lang], exact=True)).to_be_visible()
    expect(page.locator("#id_password")).to_be_visible()
    check_page(page, lang)


PAGE_NOT_FOUND = {"en": "Page not found", "cy": "Heb ddod o hyd i'r dudalen"}


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_a_page_that_is_not_there_is_in_the_sites_layout_and_language(page: Page, lang: str) -> None:
    page.goto("/")
    check_page(page, "en")
    if lang == "cy":
        switch_language(page, "cy")

    response = page.goto("/no-such-page/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text(PAGE_NOT_FOUND[lang])
    expect(page).to_have_title(f"{PAGE_NOT_FOUND[lang]} – WithUs")
    expect(page.get_by_role("banner")).to_be_visible()
    expect(page.get_by_role("contentinfo")).to_be_visible()
    check_page(page, lang)
    # The way on from it: the home page, in the same language.
    page.get_by_role("main").get_by_role("link").first.click()
    expect(page).to_have_url(at("/"))
    check_page(page, lang)
