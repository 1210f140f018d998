"""Support in a real browser, in English and Welsh, with axe on every page: a coordinator names a
member's support contact and records a contact, the member sees it and asks for a call, and the
support contact's digest shows the call; a member whose term ended is thanked and offered a
step-down role, which they accept; a supervision is planned, answered (on the web and by phone),
held, and its notes read and added to by the member."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import (
    _scanned_page,
    at,
    check_page,
    choice,
    expect_error_summary,
    field,
    fill_date,
    nav_link,
    open_site,
    sign_in,
    tr,
)
from tests.conftest import make_member, make_staff
from tests.groups.factories import AppointmentFactory
from withus.accounts.models import Organisation, Role
from withus.support.leaving.models import LeavingOffer
from withus.support.models import CallRequest, Contact, Mentoring, Supervision
from withus.support.planning.models import PlannedSupervision

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


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_a_member_whose_term_ended_is_thanked_and_takes_up_mentoring(
    browser: Browser, live_server: Any, page: Page, second_page: Page, org_a: Organisation, lang: str
) -> None:
    coordinator = make_staff(org_a, Role.COORDINATOR, "carys@example.org")
    leaver = make_member(org_a, full_name="Eirlys Leaver", prefers_welsh=lang == "cy")
    new = make_member(org_a, full_name="Newydd Member")
    assert leaver.user is not None
    seat = AppointmentFactory(person=leaver, group__organisation=org_a, group__name="Partnership Board")
    seat.ended_on = timezone.localdate() - timedelta(days=3)
    seat.save()

    # The coordinator sees whose term ended and offers mentoring: without the new member first (refused, what
    # was typed kept), then properly.
    open_site(page, lang)
    sign_in(page, lang, coordinator.email, totp=True)
    page.goto("/staff/support/leaving/")
    expect(page.get_by_role("main")).to_contain_text("Eirlys Leaver")
    check_page(page, lang)
    page.get_by_role("main").locator(
        f"a[href='/staff/support/people/{leaver.pk}/leaving/?appointment={seat.pk}']"
    ).click()
    expect(page).to_have_url(at(rf"/staff/support/people/{leaver.pk}/leaving/\?appointment={seat.pk}"))
    expect(page.locator("#id_served_as")).to_have_value(re.compile("Partnership Board"))
    check_page(page, lang)
    choice(page, lang, "Step-down role to offer", "Mentor to a new member", "#id_step_down_1").check()
    fill_date(page, lang, "For a mentor: review how it is going on", "review_on", timezone.localdate() + timedelta(60))
    field(page, lang, "A word of thanks (optional)", "#id_message").fill("Diolch o galon")
    page.get_by_role("main").locator("button[type=submit]").click()
    expect_error_summary(page, lang, {"id_new_member": tr(lang, "Choose the new member they would mentor.")})
    expect(page.locator("#id_message")).to_have_value("Diolch o galon")
    check_page(page, lang)
    page.locator("#id_new_member").select_option(str(new.pk))
    page.get_by_role("main").locator("button[type=submit]").click()
    offer = LeavingOffer.objects.get()
    expect(page).to_have_url(at(rf"/staff/support/leaving/{offer.pk}/"))
    expect(page.get_by_role("status")).to_be_visible()
    check_page(page, lang)
    letter = page.request.get(f"{live_server.url}/staff/support/leaving/{offer.pk}/letter.pdf")
    assert letter.headers["content-type"] == "application/pdf"

    # The member reads the thanks on their pages, accepts, and downloads the certificate.
    open_site(second_page, lang)
    sign_in(second_page, lang, leaver.user.email, totp=False)
    nav_link(second_page, lang, "My support", "/me/support/").click()
    check_page(second_page, lang)
    second_page.get_by_role("main").locator(f"a[href='/me/support/leaving/{offer.pk}/']").click()
    expect(second_page).to_have_url(at(rf"/me/support/leaving/{offer.pk}/"))
    expect(second_page.get_by_role("main")).to_contain_text("Newydd Member")
    check_page(second_page, lang)
    second_page.get_by_role("main").locator("button[type=submit]").click()
    expect_error_summary(second_page, lang, {"id_accept_0": tr(lang, "Choose yes or no.")})
    check_page(second_page, lang)
    choice(second_page, lang, "Your answer", "Yes, I accept", "#id_accept_0").check()
    second_page.get_by_role("main").locator("button[type=submit]").click()
    expect(second_page).to_have_url(at(rf"/me/support/leaving/{offer.pk}/"))
    expect(second_page.get_by_role("status")).to_be_visible()
    check_page(second_page, lang)
    pair = Mentoring.objects.get()
    assert (pair.mentor_id, pair.new_member_id) == (leaver.pk, new.pk)
    certificate = second_page.request.get(f"{live_server.url}/me/support/leaving/{offer.pk}/certificate.pdf")
    assert certificate.headers["content-type"] == "application/pdf"


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_a_supervision_is_planned_answered_held_and_its_notes_read_and_added_to_by_the_member(
    page: Page, second_page: Page, org_a: Organisation, lang: str
) -> None:
    supervisor = make_staff(org_a, Role.SUPERVISOR, "cai@example.org")
    supervisor.first_name, supervisor.last_name = "Cai", "Cover"
    supervisor.save()
    member = make_member(org_a, full_name="Alaw Member", prefers_welsh=lang == "cy")
    assert member.user is not None

    # The supervisor plans it: without where first (refused, what was typed kept), then properly.
    open_site(page, lang)
    sign_in(page, lang, supervisor.email, totp=True)
    page.goto(f"/staff/support/people/{member.pk}/")
    check_page(page, lang)
    page.get_by_role("main").locator(f"a[href='/staff/support/people/{member.pk}/plan-supervision/']").click()
    expect(page).to_have_url(at(rf"/staff/support/people/{member.pk}/plan-supervision/"))
    check_page(page, lang)
    day = timezone.localdate() + timedelta(days=3)
    fill_date(page, lang, "When", "starts_at", day, "14:00")
    field(page, lang, "How long (minutes)", "#id_minutes").fill("45")
    page.get_by_role("main").locator("button[type=submit]").click()
    expect_error_summary(page, lang, {"id_where": tr(lang, "Say where it is, or the phone number or video link.")})
    expect(page.locator("#id_minutes")).to_have_value("45")
    check_page(page, lang)
    field(page, lang, "Where, or the phone number or video link", "#id_where").fill("Room 2, Tŷ Gwyn")
    page.get_by_role("main").locator("button[type=submit]").click()
    plan = PlannedSupervision.objects.get()
    expect(page).to_have_url(at(rf"/staff/support/planned/{plan.pk}/"))
    expect(page.get_by_role("status")).to_be_visible()
    check_page(page, lang)
    invitation = plan.invitations.get()

    # The member sees it on their pages and says they cannot come.
    open_site(second_page, lang)
    sign_in(second_page, lang, member.user.email, totp=False)
    nav_link(second_page, lang, "My support", "/me/support/").click()
    check_page(second_page, lang)
    second_page.get_by_role("main").locator(f"a[href='/me/support/planned/{invitation.pk}/']").click()
    expect(second_page.get_by_role("main")).to_contain_text("Room 2, Tŷ Gwyn")
    check_page(second_page, lang)
    choice(second_page, lang, "Can you come?", "No, I cannot come", "#id_coming_1").check()
    second_page.get_by_role("main").locator("button[type=submit]").click()
    expect(second_page.get_by_role("status")).to_be_visible()
    check_page(second_page, lang)

    # Then they ring to say they can after all; the supervisor records what they said.
    page.reload()
    check_page(page, lang)
    page.get_by_role("main").locator(f"a[href='/staff/support/planned/{plan.pk}/answers/{invitation.pk}/']").click()
    check_page(page, lang)
    page.get_by_role("main").locator("button[type=submit]").click()
    expect_error_summary(page, lang, {"id_coming_0": tr(lang, "Say whether they can come.")})
    check_page(page, lang)
    choice(page, lang, "What did they say?", "They can come", "#id_coming_0").check()
    page.get_by_role("main").locator("button[type=submit]").click()
    expect(page).to_have_url(at(rf"/staff/support/planned/{plan.pk}/"))
    expect(page.get_by_role("main")).to_contain_text(tr(lang, "Coming"))
    check_page(page, lang)
    invitation.refresh_from_db()
    assert invitation.answer == "coming"

    # It is held (its time has come), recorded with a note the member reads and adds to.
    PlannedSupervision.objects.filter(pk=plan.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    page.reload()
    check_page(page, lang)
    page.get_by_role("main").locator(f"a[href='/staff/support/planned/{plan.pk}/held/']").click()
    check_page(page, lang)
    field(page, lang, "Note (optional)", "#id_note").fill("Talked through the budget meeting")
    page.get_by_role("main").locator("button[type=submit]").click()
    expect(page).to_have_url(at(rf"/staff/support/planned/{plan.pk}/"))
    expect(page.get_by_role("main")).to_contain_text("Talked through the budget meeting")
    check_page(page, lang)
    held = Supervision.objects.get()
    second_page.goto("/me/support/")
    expect(second_page.get_by_role("main")).to_contain_text("Talked through the budget meeting")
    check_page(second_page, lang)
    second_page.get_by_role("main").locator(f"a[href='/me/support/supervision/{held.pk}/']").click()
    expect(second_page).to_have_url(at(rf"/me/support/supervision/{held.pk}/"))
    check_page(second_page, lang)
    second_page.get_by_role("main").locator("button[type=submit]").click()
    expect_error_summary(second_page, lang, {"id_text": tr(lang, "Write your note.")})
    check_page(second_page, lang)
    field(second_page, lang, "Add to the notes", "#id_text").fill("It helped to say it out loud")
    second_page.get_by_role("main").locator("button[type=submit]").click()
    expect(second_page.get_by_role("status")).to_be_visible()
    expect(second_page.get_by_role("main")).to_contain_text("It helped to say it out loud")
    check_page(second_page, lang)
    page.reload()
    expect(page.get_by_role("main")).to_contain_text("It helped to say it out loud")
    check_page(page, lang)
