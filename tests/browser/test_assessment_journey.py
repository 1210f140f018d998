"""An assessment of the 4PI standards in a real browser, in English and Welsh, with axe on every page: two
members and two staff score blind, the coordinator closes scoring and sees where members and staff disagree,
keeps that disagreement, turns a gap into an action, and the next cycle shows what improved and slipped."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import at, check_page, expect_error_summary, nav_link, open_site, sign_in, tr
from tests.conftest import make_member, make_staff
from withus.accounts.models import Organisation, Role
from withus.assessments import services
from withus.assessments.models import Action, Agreement, Assessment, Framework
from withus.assessments.shipped import ship

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_a_4pi_assessment_scored_blind_disagreement_kept_gaps_to_actions_and_progress(
    live_server: Any, page: Page, second_page: Page, org_a: Organisation, lang: str
) -> None:
    coordinator = make_staff(org_a, Role.COORDINATOR, "carys@example.org")
    supervisor = make_staff(org_a, Role.SUPERVISOR, "sion@example.org")
    alaw = make_member(org_a, full_name="Alaw Member", prefers_welsh=lang == "cy")
    bryn = make_member(org_a, full_name="Bryn Member")
    ship()  # the live server's flush after an earlier test empties the shipped frameworks too
    four_pi = Framework.objects.get(organisation=None, code="4pi")
    items = list(four_pi.items.all())

    # Last year's cycle, agreed: every item part met.
    last = services.open_assessment(
        actor=coordinator,
        organisation=org_a,
        framework=four_pi,
        title="4PI 2025",
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
    )
    services.close_scoring(actor=coordinator, assessment=last)
    for item in items:
        services.agree_score(actor=coordinator, assessment=last, item=item, value=1)

    # The coordinator opens this year's assessment through the home page.
    open_site(page, lang)
    sign_in(page, lang, coordinator.email, totp=True)
    nav_link(page, lang, "Standards and assessments", "/staff/assessments/").click()
    expect(page).to_have_url(at(r"/staff/assessments/"))
    check_page(page, lang)
    page.get_by_role("main").locator("a[href='/staff/assessments/new/']").click()
    check_page(page, lang)
    page.locator(f"input[name=framework][value='{four_pi.pk}']").check()
    page.locator("#id_title").fill("4PI 2026")
    page.get_by_role("main").locator("button[type=submit]").click()
    expect(page.get_by_role("alert")).to_be_visible()
    check_page(page, lang)
    expect(page.locator("#id_title")).to_have_value("4PI 2026")
    for name, day in (("period_start", date(2026, 1, 1)), ("period_end", date(2026, 12, 31))):
        page.locator(f"input[name={name}_day]").fill(str(day.day))
        page.locator(f"input[name={name}_month]").fill(str(day.month))
        page.locator(f"input[name={name}_year]").fill(str(day.year))
    page.get_by_role("main").locator("button[type=submit]").click()
    assessment = Assessment.objects.get(title="4PI 2026")
    expect(page).to_have_url(at(rf"/staff/assessments/{assessment.pk}/"))
    check_page(page, lang)
    for user, side in ((alaw.user, "member"), (bryn.user, "member"), (supervisor, "staff"), (coordinator, "staff")):
        assert user is not None
        services.invite_scorer(actor=coordinator, assessment=assessment, user=user, side=side)

    # The other three score (Bryn low on the first item, staff met on all), blind to each other.
    assert bryn.user is not None
    for user, first in ((bryn.user, 0), (supervisor, 2), (coordinator, 2)):
        for n, item in enumerate(items):
            value = first if n == 0 else 2
            services.record_score(actor=user, assessment=assessment, item=item, value=value, evidence=f"reason {value}")

    # Alaw scores on the web from her home page: nobody else's score shows; a missing score is refused.
    open_site(second_page, lang)
    sign_in(second_page, lang, alaw.email, totp=False)
    nav_link(second_page, lang, "Standards we score together", "/me/assessments/").click()
    check_page(second_page, lang)
    second_page.get_by_role("main").locator(f"a[href='/me/assessments/{assessment.pk}/']").click()
    check_page(second_page, lang)
    expect(second_page.get_by_role("main")).not_to_contain_text("reason 2")
    for item in items[1:]:
        second_page.locator(f"input[name=score_{item.pk}][value='2']").check()
    second_page.locator(f"#id_evidence_{items[0].pk}").fill("Papers came the day before")
    second_page.get_by_role("main").locator("button[type=submit]").click()
    expect_error_summary(
        second_page, lang, {f"id_score_{items[0].pk}_0": tr(lang, "Choose a score for %(code)s.", code=items[0].code)}
    )
    check_page(second_page, lang)
    expect(second_page.locator(f"#id_evidence_{items[0].pk}")).to_have_value("Papers came the day before")
    second_page.locator(f"input[name=score_{items[0].pk}][value='0']").check()
    second_page.get_by_role("main").locator("button[type=submit]").click()
    check_page(second_page, lang)

    # The coordinator closes scoring: the first item shows members' and staff's scores and their disagreement.
    page.reload()
    check_page(page, lang)
    expect(page.get_by_role("main")).not_to_contain_text("Papers came the day before")
    page.get_by_role("main").locator(f"form[action='/staff/assessments/{assessment.pk}/close/'] button").click()
    check_page(page, lang)
    main = page.get_by_role("main")
    expect(main).to_contain_text("Papers came the day before")
    expect(main.get_by_text(tr(lang, "Members and staff disagree"))).to_have_count(1)

    # The disagreement stays, kept in both sides' words.
    main.locator(f"a[href='/staff/assessments/{assessment.pk}/items/{items[0].pk}/agree/']").click()
    check_page(page, lang)
    page.locator("input[name=value][value='']").check()
    page.locator("#id_note").fill("Members: not met, papers late. Staff: met, the policy says a week.")
    page.get_by_role("main").locator("button[type=submit]").click()
    check_page(page, lang)
    assert Agreement.objects.get(assessment=assessment, item=items[0]).disagreement_kept

    # The gap becomes an action with an owner, a due date and how it will be monitored.
    page.get_by_role("main").locator(
        f"a[href='/staff/assessments/{assessment.pk}/items/{items[0].pk}/action/']"
    ).click()
    check_page(page, lang)
    page.locator("#id_description").fill("Send papers a week ahead")
    page.locator("#id_owner").select_option(str(coordinator.pk))
    page.locator("input[name=due_on_day]").fill("1")
    page.locator("input[name=due_on_month]").fill("3")
    page.locator("input[name=due_on_year]").fill("2099")
    page.locator("#id_monitoring").fill("Checked at every meeting")
    page.get_by_role("main").locator("button[type=submit]").click()
    check_page(page, lang)
    assert Action.objects.get(assessment=assessment).monitoring == "Checked at every meeting"

    # Agreed scores for the rest: progress against last year shows item by item and per standard.
    assessment.refresh_from_db()
    services.agree_score(actor=coordinator, assessment=assessment, item=items[1], value=2)
    services.agree_score(actor=coordinator, assessment=assessment, item=items[2], value=0)
    page.reload()
    check_page(page, lang)
    progress = page.get_by_role("table", name=tr(lang, "Progress item by item"))
    expect(progress.locator("tr", has_text=items[1].code)).to_contain_text(tr(lang, "Improved"))
    expect(progress.locator("tr", has_text=items[2].code)).to_contain_text(tr(lang, "Slipped"))
