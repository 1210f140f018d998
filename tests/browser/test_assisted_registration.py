"""A coordinator registers someone who does not use computers, then changes their details for them.

The journey runs in English and in Welsh. In Welsh, fields and links are found by their
name, id or address so the test does not hang on the wording of translations; the English
run finds them by label and role, which also checks that they are labelled as they should be.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import (
    PASSWORD,
    at,
    check_page,
    choice,
    current_totp_code,
    field,
    nav_link,
    switch_language,
    tr,
)
from tests.conftest import make_staff

pytestmark = pytest.mark.browser

TEXT = {
    "en": {"sign_in_link": "Sign in", "sign_in": "Sign in", "problem": "There is a problem", "register": "Register"},
    "cy": {
        "sign_in_link": "Mewngofnodi",
        "sign_in": "Mewngofnodi",
        "problem": "Mae problem wedi codi",
        "register": "Cofrestru",
    },
}


def done_on_behalf_rows(page: Page, lang: str) -> Locator:
    """Rows of the table of what coordinators did for the person, found by its caption."""
    table = page.get_by_role("table", name=tr(lang, "Done on their behalf"), exact=True)
    return table.locator("tbody tr")


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_coordinator_registers_someone_and_acts_for_them(page: Page, org_a, lang: str) -> None:
    t = TEXT[lang]
    coordinator = make_staff(org_a, email=f"coordinator-{lang}@example.org")
    name = "Gwilym Morgan" if lang == "cy" else "Gareth Evans"
    address = "3 Heol y Frenhines\nAberystwyth"

    page.goto("/")
    check_page(page, "en")
    if lang == "cy":
        switch_language(page, "cy")
    page.get_by_role("banner").get_by_role("link", name=t["sign_in_link"], exact=True).click()

    expect(page).to_have_url(at(r"/accounts/login/"))
    check_page(page, lang)
    field(page, lang, "E-mail address", "#id_login").fill(coordinator.email)
    field(page, lang, "Password", "#id_password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name=t["sign_in"], exact=True).click()

    # Staff must pass the second step: the code from their authenticator app.
    expect(page).to_have_url(at(r"/accounts/2fa/authenticate/"))
    check_page(page, lang)
    field(page, lang, "Code", "#id_code").fill(current_totp_code())
    page.get_by_role("main").get_by_role("button", name=t["sign_in"], exact=True).click()

    expect(page).to_have_url(at(r"/"))
    check_page(page, lang)
    nav_link(page, lang, "People", "/staff/people/").click()

    expect(page).to_have_url(at(r"/staff/people/"))
    check_page(page, lang)
    register = page.get_by_role("main").locator("a[href='/staff/people/new/']")
    if lang == "en":
        register = page.get_by_role("link", name="Register someone who does not use computers", exact=True)
    register.click()

    expect(page).to_have_url(at(r"/staff/people/new/"))
    check_page(page, lang)
    # First go: everything but the two consent boxes.
    field(page, lang, "Full name", "#id_full_name").fill(name)
    choice(page, lang, "Which describes them?", "Carer", "input[name=perspective][value=carer]").check()
    choice(page, lang, "How should we contact them?", "Post", "input[name=preferred_channel][value=post]").check()
    field(page, lang, "Postal address (optional)", "#id_address").fill(address)
    field(page, lang, "Postcode (optional)", "#id_postcode").fill("SY23 2AX")
    choice(
        page, lang, "How did the person give their consent?", "In person", "input[name=how][value=in_person]"
    ).check()
    register_button = page.get_by_role("main").get_by_role("button", name=t["register"], exact=True)
    register_button.click()

    expect(page).to_have_url(at(r"/staff/people/new/"))
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading", name=t["problem"])).to_be_visible()
    expect(summary.locator("a[href='#id_keep_details']")).to_have_count(1)
    expect(summary.locator("a[href='#id_act_on_behalf']")).to_have_count(1)
    expect(page.locator("#id_full_name")).to_have_value(name)
    expect(page.locator("#id_address")).to_have_value(address)
    expect(page.locator("#id_postcode")).to_have_value("SY23 2AX")
    expect(page.locator("input[name=perspective][value=carer]")).to_be_checked()
    expect(page.locator("input[name=preferred_channel][value=post]")).to_be_checked()
    expect(page.locator("input[name=how][value=in_person]")).to_be_checked()
    expect(page.locator("#id_does_not_use_computers")).to_be_checked()
    check_page(page, lang)

    field(
        page, lang, "The person agrees that we keep their details so they can be involved", "#id_keep_details"
    ).check()
    field(page, lang, "The person agrees that our coordinators act for them on WithUs", "#id_act_on_behalf").check()
    register_button.click()

    # The person's page: their name, and the registration recorded as done on their behalf.
    expect(page).to_have_url(at(r"/staff/people/\d+/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_role("status")).to_have_text(
        tr(lang, "%(name)s is registered. You can now fill in the rest of their details with them.", name=name)
    )
    expect(page.get_by_role("heading", name=tr(lang, "Done on their behalf"), exact=True)).to_be_visible()
    rows = done_on_behalf_rows(page, lang)
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(tr(lang, "Registered you and recorded your consent"))
    expect(rows.first).to_contain_text(coordinator.email)
    main = page.get_by_role("main")
    expect(main).to_contain_text("3 Heol y Frenhines")
    expect(main).to_contain_text("SY23 2AX")
    expect(main).to_contain_text(tr(lang, "In person"))
    check_page(page, lang)
    person_url = page.url

    change_needs = page.get_by_role("main").locator("a[href$='/details/needs/']")
    if lang == "en":
        change_needs = page.get_by_role("link", name="Change What you need to take part", exact=True)
    change_needs.click()

    expect(page).to_have_url(at(r"/staff/people/\d+/details/needs/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(tr(lang, "What you need to take part"))
    expect(page.get_by_role("main")).to_contain_text(tr(lang, "For %(name)s", name=name))
    check_page(page, lang)
    field(page, lang, "I need a hearing loop", "#id_needs_hearing_loop").check()
    field(page, lang, "Other adjustments that help you (optional)", "#id_reasonable_adjustments").fill(
        "Read the agenda aloud at the start."
    )
    save = page.get_by_role("main").locator("form button[type=submit]")
    if lang == "en":
        save = page.get_by_role("main").get_by_role("button", name="Save", exact=True)
    save.click()

    expect(page).to_have_url(person_url)
    expect(page.get_by_role("status")).to_have_text(
        tr(lang, "Saved for %(name)s. This is recorded as done on their behalf.", name=name)
    )
    expect(main).to_contain_text("Read the agenda aloud at the start.")
    expect(main).to_contain_text(tr(lang, "hearing loop"))
    rows = done_on_behalf_rows(page, lang)
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text(tr(lang, "Changed your details"))
    expect(rows.first).to_contain_text(tr(lang, "What you need to take part"))
    expect(rows.first).to_contain_text(coordinator.email)
    check_page(page, lang)
