"""You said, we did, in a real browser, in English and Welsh, with axe on every page: a coordinator records a
minority view at a session, the decision-maker answers it "partly adopted" with a reason and an action, one
contributor is told by e-mail and another by letter, months later the owner says what changed, and the public
page shows it all."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
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
from tests.meetings.factories import SessionFactory
from withus.accounts.models import Organisation, Role
from withus.impact.contributions import services
from withus.impact.contributions.models import Contribution
from withus.meetings.models import Session
from withus.people.models import OutgoingMessage

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_a_minority_view_is_answered_told_by_email_and_letter_checked_again_and_published(
    request: pytest.FixtureRequest,
    browser: Browser,
    live_server: Any,
    page: Page,
    second_page: Page,
    org_a: Organisation,
    lang: str,
) -> None:
    coordinator = make_staff(org_a, Role.COORDINATOR, "carys@example.org")
    decider = make_staff(org_a, Role.DECISION_MAKER, "dafydd@example.org")
    decider.first_name, decider.last_name = "Dafydd", "Decider"
    decider.save()
    by_email = make_member(org_a, full_name="Alaw Email", prefers_welsh=lang == "cy")
    by_post = make_member(
        org_a, full_name="Bryn Post", preferred_channel="post", address="1 Heol Fawr", postcode="SY23 1AA"
    )
    session = SessionFactory(organisation=org_a, contact=coordinator, status=Session.Status.HELD, title="Carers' forum")

    # The coordinator records a minority view: first with nothing said (refused, the choices kept), then properly.
    open_site(page, lang)
    sign_in(page, lang, coordinator.email, totp=True)
    nav_link(page, lang, "You said, we did", "/staff/impact/").click()
    expect(page).to_have_url(at(r"/staff/impact/"))
    check_page(page, lang)
    page.get_by_role("main").locator("a[href='/staff/impact/record/']").click()
    expect(page).to_have_url(at(r"/staff/impact/record/"))
    check_page(page, lang)
    page.locator("#id_session").select_option(str(session.pk))
    page.locator("#id_minority_view").check()
    page.get_by_role("main").locator("button[type=submit]").click()
    expect_error_summary(
        page,
        lang,
        {
            "id_text": tr(lang, "Write what was said or asked."),
            "id_perspective_0": tr(lang, "Choose the contributors' perspective."),
        },
    )
    expect(page.locator("#id_session")).to_have_value(str(session.pk))
    expect(page.locator("#id_minority_view")).to_be_checked()
    check_page(page, lang)
    field(page, lang, "What was said or asked", "#id_text").fill("Keep the paper letters: not everyone is online.")
    for person in (by_email, by_post):
        page.locator(f"input[name=contributors][value='{person.pk}']").check()
        page.locator(f"input[name=publish][value='{person.pk}']").check()
    page.locator("#id_perspective_0").check()
    page.locator("#id_decision_maker").select_option(str(decider.pk))
    page.get_by_role("main").locator("button[type=submit]").click()
    contribution = Contribution.objects.get()
    expect(page).to_have_url(at(rf"/impact/contributions/{contribution.pk}/"))
    expect(page.get_by_role("main")).to_contain_text(tr(lang, "Minority view"))
    check_page(page, lang)
    assert contribution.minority_view

    # The decision-maker answers: without a reason (refused), then partly adopted with a reason and an action.
    mail.outbox.clear()
    open_site(second_page, lang)
    sign_in(second_page, lang, decider.email, totp=True)
    second_page.goto(f"/staff/impact/contributions/{contribution.pk}/answer/")
    check_page(second_page, lang)
    second_page.locator("#id_decision_1").check()
    second_page.get_by_role("main").locator("button[type=submit]").click()
    expect_error_summary(
        second_page, lang, {"id_reason": tr(lang, "Give the reason for the decision, in plain words.")}
    )
    expect(second_page.locator("#id_decision_1")).to_be_checked()
    check_page(second_page, lang)
    field(second_page, lang, "Why, in plain words", "#id_reason").fill("Letters stay, and will be shorter.")
    field(second_page, lang, "An action that will be taken (optional)", "#id_action_text").fill("Rewrite the letter")
    field(second_page, lang, "Who owns the action", "#id_action_owner_name").fill("Carys")
    due = timezone.localdate() + timedelta(days=30)
    second_page.locator("#id_action_due_on_day").fill(str(due.day))
    second_page.locator("#id_action_due_on_month").fill(str(due.month))
    second_page.locator("#id_action_due_on_year").fill(str(due.year))
    second_page.get_by_role("main").locator("button[type=submit]").click()
    expect(second_page).to_have_url(at(rf"/impact/contributions/{contribution.pk}/"))
    main = second_page.get_by_role("main")
    expect(main).to_contain_text(tr(lang, "Partly adopted"))
    expect(main).to_contain_text("Rewrite the letter")
    check_page(second_page, lang)
    assert [m.to for m in mail.outbox] == [[by_email.email]]
    letter = OutgoingMessage.objects.filter(person=by_post).order_by("-pk").first()
    assert letter is not None and letter.status == OutgoingMessage.Status.TO_PRINT
    assert "Letters stay, and will be shorter." in letter.body

    # Months later the daily round asks what changed; a change claimed without saying what is refused.
    assert services.daily_round(today=date.today() + timedelta(days=100)).follow_ups_asked == 1
    second_page.goto(f"/staff/impact/contributions/{contribution.pk}/follow-up/")
    check_page(second_page, lang)
    second_page.locator("#id_changed_0").check()
    second_page.get_by_role("main").locator("button[type=submit]").click()
    expect_error_summary(
        second_page,
        lang,
        {"id_what_changed": tr(lang, "Say what changed. A change cannot be claimed without saying what it was.")},
    )
    check_page(second_page, lang)
    field(second_page, lang, "What changed", "#id_what_changed").fill("The letter is now one page long.")
    second_page.get_by_role("main").locator("button[type=submit]").click()
    expect(second_page).to_have_url(at(rf"/impact/contributions/{contribution.pk}/"))
    expect(second_page.get_by_role("main")).to_contain_text("The letter is now one page long.")
    check_page(second_page, lang)

    # Anyone, signed in or not, reads it on the public page; nobody is named, as nobody agreed to be.
    with _scanned_page(request, browser, live_server.url) as third:
        open_site(third, lang)
        third.goto(f"/you-said-we-did/{org_a.slug}/")
        public = third.get_by_role("main")
        expect(public).to_contain_text("Keep the paper letters")
        expect(public).to_contain_text("The letter is now one page long.")
        expect(public).not_to_contain_text("Alaw Email")
        check_page(third, lang)
