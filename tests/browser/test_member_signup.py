"""A member joins on their own: sign up, verify the e-mail, sign in, fill in the profile in steps.

The journey runs in English and in Welsh. In Welsh, fields are found by their name or id so
the test does not hang on the wording of translations; the English run finds them by their
labels, which also checks that each field is labelled as it should be.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from tests.browser.conftest import PASSWORD, at, check_page, choice, field, switch_language, tr

pytestmark = pytest.mark.browser

TEXT = {
    "en": {
        "join": "Join WithUs",
        "sign_up": "Create an account",
        "problem": "There is a problem",
        "sign_in": "Sign in",
        "save_continue": "Save and continue",
        "my_details": "My details",
    },
    "cy": {
        "join": "Ymuno â WithUs",
        "sign_up": "Creu cyfrif",
        "problem": "Mae problem wedi codi",
        "sign_in": "Mewngofnodi",
        "save_continue": "Cadw a pharhau",
        "my_details": "Fy manylion",
    },
}

CONFIRM_LINK = re.compile(r"https?://\S+/accounts/confirm-email/[^\s/]+/")


def save_and_continue(page: Page, lang: str, next_slug: str) -> None:
    page.get_by_role("button", name=TEXT[lang]["save_continue"], exact=True).click()
    expect(page).to_have_url(at(f"/me/details/{next_slug}/"))
    check_page(page, lang)


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_member_signs_up_and_fills_in_their_profile(page: Page, org_a, org_b, lang: str) -> None:
    t = TEXT[lang]
    name = "Rhiannon Prys" if lang == "cy" else "Robin Hughes"
    email = f"member-{lang}@example.org"

    page.goto("/")
    check_page(page, "en")
    if lang == "cy":
        switch_language(page, "cy")
    join = page.get_by_role("main").get_by_role("link", name=t["join"], exact=True)
    expect(join).to_be_visible()

    join.click()
    expect(page).to_have_url(at("/accounts/signup/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(t["sign_up"])
    check_page(page, lang)

    # First go: a mistyped e-mail and the consent box left unticked.
    field(page, lang, "Your name", "#id_full_name").fill(name)
    field(page, lang, "Email", "#id_email").fill("robin-at-example.org")
    field(page, lang, "Password", "#id_password1").fill(PASSWORD)
    choice(page, lang, "Which describes you?", "Carer", "input[name=perspective][value=carer]").check()
    choice(
        page, lang, "Who can see your details?", "Organisation A", f"#id_organisations input[value='{org_a.pk}']"
    ).check()
    sign_up = page.get_by_role("main").get_by_role("button", name=t["sign_up"], exact=True)
    sign_up.click()

    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading", name=t["problem"])).to_be_visible()
    expect(summary.locator("a[href='#id_keep_details']")).to_have_count(1)
    expect(summary.locator("a[href='#id_email']")).to_have_count(1)
    expect(page.locator("#id_full_name")).to_have_value(name)
    expect(page.locator("#id_email")).to_have_value("robin-at-example.org")
    expect(page.locator("input[name=perspective][value=carer]")).to_be_checked()
    expect(page.locator(f"#id_organisations input[value='{org_a.pk}']")).to_be_checked()
    expect(page.locator("#id_keep_details")).to_have_attribute("aria-invalid", "true")
    check_page(page, lang)
    assert mail.outbox == []

    # Second go: put it right. The password is never sent back to the browser, so it is typed again.
    field(page, lang, "Email", "#id_email").fill(email)
    field(page, lang, "Password", "#id_password1").fill(PASSWORD)
    field(
        page, lang, "I agree that WithUs keeps my details so that I can be involved", "input[name=keep_details]"
    ).check()
    sign_up.click()
    expect(page).to_have_url(at("/accounts/confirm-email/"))
    check_page(page, lang)

    sent = [m for m in mail.outbox if email in m.to]
    assert len(sent) == 1, [m.to for m in mail.outbox]
    link = CONFIRM_LINK.search(sent[0].body)
    assert link, sent[0].body
    page.goto(link.group(0))
    check_page(page, lang)
    confirm = page.get_by_role("main").locator("form button[type=submit]")
    if lang == "en":
        confirm = page.get_by_role("main").get_by_role("button", name="Confirm", exact=True)
    confirm.click()

    expect(page).to_have_url(at("/accounts/login/"))
    check_page(page, lang)
    field(page, lang, "E-mail address", "#id_login").fill(email)
    field(page, lang, "Password", "#id_password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name=t["sign_in"], exact=True).click()

    # Home offers to carry on with the profile, from its first step.
    expect(page).to_have_url(at("/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    check_page(page, lang)
    carry_on = page.get_by_role("main").locator("a[href='/me/details/about/']")
    expect(carry_on).to_have_text(tr(lang, "Carry on: %(title)s", title=tr(lang, "About you")))
    carry_on.click()

    expect(page).to_have_url(at("/me/details/about/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(tr(lang, "About you"))
    check_page(page, lang)
    expect(field(page, lang, "Full name", "#id_full_name")).to_have_value(name)
    field(page, lang, "What you like to be called (optional)", "#id_preferred_name").fill("Rhi")
    field(page, lang, "Pronouns (optional)", "#id_pronouns").fill("she/her")
    field(page, lang, "Phone number (optional)", "#id_phone").fill("029 2000 0001")
    field(page, lang, "Postcode (optional)", "#id_postcode").fill("CF10 1AA")
    field(page, lang, "Local authority area (optional)", "#id_local_authority").select_option("cardiff")
    save_and_continue(page, lang, "experience")

    expect(page.get_by_role("heading", level=1)).to_have_text(tr(lang, "Your experience"))
    expect(page.locator("input[name=perspective][value=carer]")).to_be_checked()
    choice(
        page, lang, "Is that now or in the past?", "In the past", "input[name=experience_timing][value=past]"
    ).check()
    field(page, lang, "Anything else about your experience (optional)", "#id_experience_notes").fill(
        "I cared for my brother for ten years."
    )
    save_and_continue(page, lang, "skills")

    field(page, lang, "I can usually take part in the evenings", "#id_available_evenings").check()
    field(page, lang, "Anything else about when you can take part (optional)", "#id_availability_notes").fill(
        "Not on Thursdays."
    )
    later = page.locator("button[name=save_later]")
    if lang == "en":
        later = page.get_by_role("button", name="Save and come back later", exact=True)
    later.click()

    # Saved so far and shown on "My details"; home offers the next unfinished step.
    expect(page).to_have_url(at("/me/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(t["my_details"])
    expect(page.get_by_role("status")).to_have_text(tr(lang, "Saved. You can come back and carry on at any time."))
    expect(page.get_by_role("main")).to_contain_text("Not on Thursdays.")
    check_page(page, lang)
    page.get_by_role("link", name="WithUs", exact=True).click()
    expect(page).to_have_url(at("/"))
    check_page(page, lang)
    carry_on = page.get_by_role("main").locator("a[href='/me/details/contact/']")
    expect(carry_on).to_have_text(tr(lang, "Carry on: %(title)s", title=tr(lang, "How we contact you")))
    carry_on.click()

    expect(page).to_have_url(at("/me/details/contact/"))
    check_page(page, lang)
    expect(page.locator("input[name=preferred_channel][value=email]")).to_be_checked()
    field(page, lang, "Send me papers in large print", "#id_needs_large_print").check()
    save_and_continue(page, lang, "needs")

    field(page, lang, "I need a step-free venue", "#id_needs_step_free").check()
    field(page, lang, "Food and drink needs (optional)", "#id_dietary_needs").fill("Vegetarian")
    save_and_continue(page, lang, "wellbeing")

    field(page, lang, "What helps when I am unwell (optional)", "#id_what_helps").fill("A quiet room and a walk.")
    save_and_continue(page, lang, "equality")

    # Equality monitoring is optional: the last step saves with nothing ticked.
    page.get_by_role("button", name=t["save_continue"], exact=True).click()

    expect(page).to_have_url(at("/me/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(t["my_details"])
    expect(page.get_by_role("status")).to_have_text(tr(lang, "Your details have been saved."))
    main = page.get_by_role("main")
    for shown in (
        f"{name} (Rhi)",
        "she/her",
        email,
        "029 2000 0001",
        "CF10 1AA",
        "Not on Thursdays.",
        "Vegetarian",
        "A quiet room and a walk.",
    ):
        expect(main).to_contain_text(shown)
    for shown in (
        tr(lang, "Cardiff"),
        f"{tr(lang, 'Carer')} ({tr(lang, 'In the past').lower()})",
        tr(lang, "Evenings"),
        tr(lang, "large print"),
        tr(lang, "step-free venue"),
    ):
        expect(main).to_contain_text(shown)
    check_page(page, lang)

    # Every step is done, so home no longer offers to carry on.
    page.get_by_role("link", name="WithUs", exact=True).click()
    expect(page).to_have_url(at("/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rhi")
    expect(page.get_by_role("main").locator("a[href^='/me/details/']")).to_have_count(0)
    check_page(page, lang)
