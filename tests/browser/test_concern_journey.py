"""A concern in a real browser, in English and Welsh, with axe on every page: raised anonymously before
Christmas, followed up by its PIN, acknowledged and answered within the working-day clock across the bank
holidays, referred to mediation, and appealed."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Page, expect

from tests.browser.conftest import at, check_page, expect_error_summary, open_site, sign_in, tr
from tests.conftest import make_staff
from tests.support.localhelp.factories import make_entry
from withus.accounts.models import Organisation, Role
from withus.concerns import selectors
from withus.concerns.models import Concern

pytestmark = pytest.mark.browser
LONDON = ZoneInfo("Europe/London")


def _follow_up(page: Page, lang: str, reference: str, pin: str) -> None:
    page.goto("/concerns/follow-up/")
    check_page(page, lang)
    page.locator("#id_reference").fill(reference)
    page.locator("#id_pin").fill(pin)
    page.get_by_role("main").locator("button[type=submit]").click()
    check_page(page, lang)


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_an_anonymous_concern_is_followed_up_by_pin_answered_in_time_mediated_and_appealed(
    live_server: Any, page: Page, second_page: Page, org_a: Organisation, lang: str
) -> None:
    coordinator = make_staff(org_a, Role.COORDINATOR, "carys@example.org")
    make_entry(org_a, kind="mediation", name="Mid Wales Mediation")
    # Wednesday 23 December 2026: Christmas Day and Boxing Day (a Saturday, so Monday 28 December instead) come
    # before the acknowledgement is due. Later than today, so the browser keeps the session cookies it is sent.
    with time_machine.travel(datetime(2026, 12, 23, 10, 0, tzinfo=LONDON), tick=True) as traveller:
        open_site(page, lang)
        page.goto(f"/concerns/raise/{org_a.slug}/")
        check_page(page, lang)
        page.locator("#id_about_4").check()
        page.locator("#id_anonymous").check()
        page.get_by_role("main").locator("button[type=submit]").click()
        expect_error_summary(page, lang, {"id_text": tr(lang, "Tell us what your concern is about.")})
        expect(page.locator("#id_anonymous")).to_be_checked()
        check_page(page, lang)
        page.locator("#id_text").fill("The papers came the night before the meeting.")
        page.get_by_role("main").locator("button[type=submit]").click()
        check_page(page, lang)
        main = page.get_by_role("main").inner_text()
        concern = Concern.objects.get()
        assert concern.raised_by is None and concern.anonymous
        found = re.search(r"PIN: (\d{8})", main)
        assert found is not None and concern.reference in main
        pin = found.group(1)
        assert selectors.clock_of(concern).acknowledge_by == date(2026, 12, 29)

        # Tuesday 29 December, after the bank holidays: the coordinator acknowledges it, on the last day.
        traveller.move_to(datetime(2026, 12, 29, 9, 30, tzinfo=LONDON))
        open_site(second_page, lang)
        sign_in(second_page, lang, coordinator.email, totp=True)
        second_page.goto("/staff/concerns/")
        check_page(second_page, lang)
        second_page.get_by_role("main").get_by_role("link", name=concern.reference).click()
        expect(second_page).to_have_url(at(rf"/staff/concerns/{concern.pk}/"))
        check_page(second_page, lang)
        second_page.locator("#id_move-stage_0").check()
        second_page.locator("#id_move-told").fill("Thank you: we are looking into it.")
        second_page.locator("form[action$='/move/'] button[type=submit]").click()
        check_page(second_page, lang)
        concern.refresh_from_db()
        assert concern.stage == "acknowledged"

        # The person reads the acknowledgement with their PIN, and answers.
        _follow_up(page, lang, concern.reference, pin)
        expect(page.get_by_role("main")).to_contain_text("Thank you: we are looking into it.")
        page.locator("#id_text").fill("It was the partnership board.")
        page.locator("form:has(input[value='message']) button[type=submit]").click()
        check_page(page, lang)
        expect(page.get_by_role("main")).to_contain_text("It was the partnership board.")

        # Mediation, then the response, well inside the 30 working days.
        traveller.move_to(datetime(2027, 1, 8, 11, 0, tzinfo=LONDON))
        second_page.goto("/")  # a staff sign-in lasts a working day: sign in again
        check_page(second_page, lang)
        sign_in(second_page, lang, coordinator.email, totp=True)
        second_page.goto(f"/staff/concerns/{concern.pk}/")
        check_page(second_page, lang)
        second_page.locator("#id_mediation-service_0").check()
        second_page.locator("#id_mediation-told").fill("We suggest independent mediation.")
        second_page.locator("form[action$='/mediation/'] button[type=submit]").click()
        check_page(second_page, lang)
        second_page.locator("#id_move-stage_1").check()  # from mediation: the response
        second_page.locator("#id_move-told").fill("Papers will go out a week ahead.")
        second_page.locator("form[action$='/move/'] button[type=submit]").click()
        check_page(second_page, lang)
        concern.refresh_from_db()
        assert concern.stage == "response" and concern.mediator is not None
        respond_by = selectors.clock_of(concern).respond_by
        assert respond_by is not None and date(2027, 1, 8) <= respond_by

        # The person reads the response, which names the ombudsman, and appeals.
        _follow_up(page, lang, concern.reference, pin)
        expect(page.get_by_role("main")).to_contain_text(tr(lang, "Public Services Ombudsman for Wales"))
        page.locator("#id_grounds").fill("A week is not enough for large print.")
        page.locator("form:has(input[value='appeal']) button[type=submit]").click()
        check_page(page, lang)
        concern.refresh_from_db()
        assert concern.stage == "appeal"


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_a_member_who_complained_keeps_their_seat_until_a_reviewed_reason(
    page: Page, second_page: Page, org_a: Organisation, lang: str
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from tests.browser.conftest import choice, fill_date
    from tests.concerns.factories import raise_one
    from tests.conftest import make_member
    from tests.groups.factories import AppointmentFactory

    coordinator = make_staff(org_a, Role.COORDINATOR, "carys@example.org")
    reviewer = make_staff(org_a, Role.DECISION_MAKER, "dewi@example.org")
    member = make_member(org_a, full_name="Alaw Member", prefers_welsh=lang == "cy")
    seat = AppointmentFactory(person=member, group__organisation=org_a, group__name="Partnership board")
    raise_one(org_a, raised_by=member, text="The board ignored what we said.")
    today = timezone.localdate()

    # The coordinator tries to end the seat early: refused, and told what to do first.
    open_site(page, lang)
    sign_in(page, lang, coordinator.email, totp=True)
    page.goto("/staff/opportunities/groups/")
    check_page(page, lang)
    page.get_by_role("main").locator(f"a[href='/staff/groups/seats/{seat.pk}/end/']").click()
    expect(page).to_have_url(at(rf"/staff/groups/seats/{seat.pk}/end/"))
    check_page(page, lang)
    fill_date(page, lang, "The last day in the seat", "ended_on", today)
    page.get_by_role("main").locator("button[type=submit]").click()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#error-summary")).to_contain_text("Alaw Member")
    check_page(page, lang)
    seat.refresh_from_db()
    assert seat.ended_on is None

    # The reason is recorded: without one first (refused), then properly.
    page.goto("/staff/concerns/decisions/")
    check_page(page, lang)
    choice(page, lang, "The decision", "Alaw Member: Partnership board", "#id_what_0").check()
    page.get_by_role("main").locator("form[novalidate] button[type=submit]").click()
    expect_error_summary(page, lang, {"id_reason": tr(lang, "Give the reason for the decision.")})
    check_page(page, lang)
    page.locator("#id_reason").fill("Missed six meetings in a row without word.")
    page.get_by_role("main").locator("form[novalidate] button[type=submit]").click()
    expect(page.get_by_role("status")).to_be_visible()
    check_page(page, lang)

    # Someone independent reviews it and upholds it; the member is told.
    open_site(second_page, lang)
    sign_in(second_page, lang, reviewer.email, totp=True)
    second_page.goto("/staff/concerns/decisions/")
    check_page(second_page, lang)
    second_page.locator("input[name=upheld][value=yes]").check()
    second_page.locator("textarea[name=note]").fill("Checked the attendance record with the chair.")
    second_page.get_by_role("main").locator("form[action*='/review/'] button[type=submit]").click()
    expect(second_page.get_by_role("status")).to_be_visible()
    check_page(second_page, lang)

    # Now the seat can be ended.
    page.goto(f"/staff/groups/seats/{seat.pk}/end/")
    check_page(page, lang)
    fill_date(page, lang, "The last day in the seat", "ended_on", today)
    page.get_by_role("main").locator("button[type=submit]").click()
    expect(page).to_have_url(at(r"/staff/opportunities/groups/"))
    expect(page.get_by_role("status")).to_be_visible()
    check_page(page, lang)
    seat.refresh_from_db()
    assert seat.ended_on == today
    assert today - timedelta(days=1) < seat.ended_on
