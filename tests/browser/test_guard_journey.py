"""The member's own benefits pages warn counting every organisation that pays them, in a real browser."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import at, check_page, open_site, sign_in
from tests.rewards.guard.test_selectors import _esa_week
from withus.accounts.models import Organisation
from withus.rewards.models import BenefitLimit

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_a_member_sharing_with_nobody_is_still_warned_about_their_own_week(
    page: Page, org_a: Organisation, org_b: Organisation, lang: str
) -> None:
    # Paid £150 by A and offered £60 by B in one week on ESA permitted work, benefits shared with nobody:
    # £210 against £195.50 is £14.50 over, and the member is told so on their own pages.
    if not BenefitLimit.objects.filter(rule=BenefitLimit.Rule.ESA_PERMITTED_WORK).exists():
        # The live server's flush drops the rows the migrations loaded: the 2025-26 figure again.
        BenefitLimit.objects.create(
            rule=BenefitLimit.Rule.ESA_PERMITTED_WORK,
            period="week",
            amount=Decimal("195.50"),
            hours_limit=Decimal("16"),
            valid_from=date(2025, 4, 7),
            source="DWP, Benefit and pension rates 2025 to 2026",
        )
    member, _declaration, offer = _esa_week(org_a, org_b, shared_with=[])
    assert member.user is not None
    open_site(page, lang)
    sign_in(page, lang, member.user.email, totp=False)
    page.goto("/me/benefits/")
    expect(page.locator("main p.warning", has_text="£14.50").first).to_be_visible()
    check_page(page, lang)
    page.goto(f"/me/benefits/offers/{offer.pk}/")
    expect(page).to_have_url(at(rf"/me/benefits/offers/{offer.pk}/"))
    expect(page.locator("main p.warning", has_text="£14.50").first).to_be_visible()
    check_page(page, lang)
