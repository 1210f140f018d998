"""Independence of voice in a real browser, in English and Welsh, with axe on every page: a group ballot
run, closed by its observers and recounted from the published list; a representative gathers views
and reports back."""

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
from tests.groups.factories import AppointmentFactory, GroupFactory
from tests.meetings.factories import make_session
from withus.accounts.models import Organisation, Role
from withus.groups import services
from withus.groups.models import CastBallot, ReportBack, RepresentativeView

pytestmark = pytest.mark.browser


def _sign_out(page: Page) -> None:
    page.get_by_role("navigation", name="Main").locator("form[action='/accounts/logout/'] button").click()
    expect(page).to_have_url(at(r"/"))


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_a_ballot_is_run_closed_by_the_observers_and_recounted_from_the_published_list(
    request: pytest.FixtureRequest,
    browser: Browser,
    live_server: Any,
    page: Page,
    second_page: Page,
    org_a: Organisation,
    lang: str,
) -> None:
    coordinator = make_staff(org_a, Role.COORDINATOR, "carys@example.org")
    group = GroupFactory(organisation=org_a, name="Hafan service user group", kind="network")
    people = [
        make_member(org_a, full_name=name, prefers_welsh=lang == "cy")
        for name in ("Alaw", "Bedwyr", "Cai", "Dilys", "Elin")
    ]
    for person in people:
        AppointmentFactory(group=group, person=person)
    ballot = services.create_ballot(
        actor=coordinator,
        group=group,
        question="Who goes to the national conference?",
        options=["Alaw", "Bedwyr"],
        first_observer=people[0],
        second_observer=people[1],
    )
    services.open_ballot(actor=coordinator, ballot=ballot)
    for person in people[2:]:
        services.vote(actor=person.user, ballot=ballot, option_id=ballot.options.get(label="Bedwyr").pk)

    # Alaw votes: first without choosing (refused, nothing written), then for herself, and keeps her receipt.
    open_site(page, lang)
    assert people[0].user is not None
    sign_in(page, lang, people[0].user.email, totp=False)
    nav_link(page, lang, "My groups", "/me/representatives/").click()
    check_page(page, lang)
    page.get_by_role("main").locator("a[href='/me/ballots/']").click()
    check_page(page, lang)
    page.get_by_role("main").locator(f"a[href='/me/ballots/{ballot.pk}/']").click()
    expect(page).to_have_url(at(rf"/me/ballots/{ballot.pk}/"))
    check_page(page, lang)
    page.get_by_role("main").locator("button[type=submit]").click()
    expect_error_summary(page, lang, {"id_option_0": tr(lang, "Choose one of the answers.")})
    check_page(page, lang)
    assert CastBallot.objects.filter(ballot=ballot).count() == 3
    page.get_by_role("main").locator("input[name=option]").first.check()
    page.get_by_role("main").locator("button[type=submit]").click()
    receipt = page.locator("#receipt").inner_text()
    assert receipt
    check_page(page, lang)

    # The coordinator closes voting.
    open_site(second_page, lang)
    sign_in(second_page, lang, coordinator.email, totp=True)
    second_page.goto(f"/staff/ballots/{ballot.pk}/")
    check_page(second_page, lang)
    second_page.get_by_role("main").locator("input[name=action][value=close] + button").click()
    expect(second_page.get_by_role("main")).to_contain_text(
        tr(lang, "Waiting for both observers to confirm the close.")
    )
    check_page(second_page, lang)

    # Both observers confirm; then the result and every vote are published.
    page.reload()
    check_page(page, lang)
    page.get_by_role("main").locator("input[name=action][value=confirm] + button").click()
    expect(page.get_by_role("main")).to_contain_text(
        tr(lang, "You have confirmed the close. The result is published when the other observer confirms too.")
    )
    check_page(page, lang)
    with _scanned_page(request, browser, live_server.url) as third:
        open_site(third, lang)
        assert people[1].user is not None
        sign_in(third, lang, people[1].user.email, totp=False)
        third.goto(f"/me/ballots/{ballot.pk}/")
        third.get_by_role("main").locator("input[name=action][value=confirm] + button").click()
        check_page(third, lang)

    # Alaw recounts from the published list and finds her receipt.
    page.reload()
    main = page.get_by_role("main")
    tables = main.locator("table")
    result_rows = tables.nth(0).locator("tbody tr")
    expect(result_rows).to_have_count(2)
    listed = [row.locator("td").nth(1).inner_text() for row in tables.nth(1).locator("tbody tr").all()]
    assert sorted(listed) == ["Alaw", "Bedwyr", "Bedwyr", "Bedwyr"]
    shown = {row.locator("th").inner_text(): int(row.locator("td").inner_text()) for row in result_rows.all()}
    assert shown == {"Alaw": listed.count("Alaw"), "Bedwyr": listed.count("Bedwyr")}
    check_page(page, lang)
    field(page, lang, "Your receipt", "#id_receipt").fill(receipt.lower())
    main.locator("form[method=get] button").click()
    expect(page.get_by_role("status")).to_contain_text("“Alaw”")
    check_page(page, lang)


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_a_representative_gathers_views_and_reports_back(
    page: Page, second_page: Page, org_a: Organisation, lang: str
) -> None:
    coordinator = make_staff(org_a, Role.COORDINATOR)
    board = GroupFactory(organisation=org_a, name="Partnership board", kind="board")
    local = GroupFactory(organisation=org_a, name="Hafan service user group", kind="network")
    rep = make_member(org_a, full_name="Rhian Rep", prefers_welsh=lang == "cy")
    member = make_member(org_a, full_name="Alaw Member", prefers_welsh=lang == "cy")
    for person in (rep, member):
        AppointmentFactory(group=local, person=person)
    seat = AppointmentFactory(group=board, person=rep)
    services.set_speaks_for(actor=coordinator, appointment=seat, speaks_for=local)
    session = make_session(org_a, group=board, title="Board meeting in May")

    # A member of the group sends a view for the meeting: first empty (refused), then properly.
    open_site(page, lang)
    assert member.user is not None and rep.user is not None
    sign_in(page, lang, member.user.email, totp=False)
    nav_link(page, lang, "My groups", "/me/representatives/").click()
    check_page(page, lang)
    page.get_by_role("main").locator(f"a[href='/me/representatives/{seat.pk}/']").click()
    expect(page).to_have_url(at(rf"/me/representatives/{seat.pk}/"))
    check_page(page, lang)
    page.locator("#id_session").select_option(str(session.pk))
    page.locator("input[name=action][value=view] ~ button").click()
    expect_error_summary(page, lang, {"id_text": tr(lang, "Write your view for your representative.")})
    expect(page.locator("#id_session")).to_have_value(str(session.pk))
    check_page(page, lang)
    field(page, lang, "Your view", "#id_text").fill("Ask about crisis beds")
    page.locator("input[name=action][value=view] ~ button").click()
    expect(page.get_by_role("main")).to_contain_text("Ask about crisis beds")
    check_page(page, lang)
    view = RepresentativeView.objects.get()

    # The representative marks it raised, with what came of it, and reports back.
    open_site(second_page, lang)
    sign_in(second_page, lang, rep.user.email, totp=False)
    second_page.goto(f"/me/representatives/{seat.pk}/")
    check_page(second_page, lang)
    second_page.locator(f"#id_v{view.pk}-raised_0").check()
    second_page.locator(f"input[name=view][value='{view.pk}'] ~ button").click()
    expect_error_summary(
        second_page, lang, {f"id_v{view.pk}-outcome": tr(lang, "Say what came of it, even if the answer was to wait.")}
    )
    check_page(second_page, lang)
    second_page.locator(f"#id_v{view.pk}-outcome").fill("Two more beds from June")
    second_page.locator(f"input[name=view][value='{view.pk}'] ~ button").click()
    expect(second_page.get_by_role("main")).to_contain_text("Two more beds from June")
    check_page(second_page, lang)
    second_page.locator("#id_report-session").select_option(str(session.pk))
    field(second_page, lang, "What you report back", "#id_report-summary").fill("The board agreed the beds")
    second_page.locator("input[name=action][value=report] ~ button").click()
    expect(second_page.get_by_role("main")).to_contain_text("The board agreed the beds")
    check_page(second_page, lang)
    assert ReportBack.objects.get().session == session

    # The member reads what came of their view and the report-back.
    page.reload()
    expect(page.get_by_role("main")).to_contain_text("Two more beds from June")
    expect(page.get_by_role("main")).to_contain_text("The board agreed the beds")
    check_page(page, lang)
