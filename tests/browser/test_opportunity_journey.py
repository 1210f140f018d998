"""An opportunity from start to finish: a coordinator drafts and publishes it, a member responds,
the coordinator selects them and appoints them to a seat, and the member sees the role they hold.
A member responding to an organisation they do not share their details with is asked first.

The coordinator and the member each use a browser of their own (separate cookies and sessions).
The journey runs in English and in Welsh. In Welsh, fields, buttons and links are found by their
name, id, value or address so the test does not hang on the wording of translations; the English
run finds them by label and role, which also checks that they are labelled as they should be.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    at,
    by_role_or,
    check_page,
    choice,
    expect_date,
    expect_error_summary,
    field,
    fill_date,
    nav_link,
    open_site,
    sign_in,
    tr,
)
from tests.conftest import make_member, make_staff
from tests.opportunities.factories import make_opportunity
from withus.accounts.models import Organisation, Role, User
from withus.opportunities import services
from withus.opportunities.models import Draw, Opportunity
from withus.people.models import Person

pytestmark = pytest.mark.browser


def years_later(day: date, years: int) -> date:
    """The same day ``years`` later (28 February when the day is 29 February and the year is not a leap year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def coordinator_drafts_and_publishes(page: Page, lang: str, coordinator: User, today: date, title: str) -> str:
    """The coordinator drafts the opportunity, putting a first go right, and publishes it. Returns its staff address."""
    open_site(page, lang)
    sign_in(page, lang, coordinator.email, totp=True)

    nav_link(page, lang, "Manage opportunities", "/staff/opportunities/").click()
    expect(page).to_have_url(at(r"/staff/opportunities/"))
    check_page(page, lang)
    by_role_or(
        page,
        lang,
        page.get_by_role("link", name="New opportunity", exact=True),
        "a[href='/staff/opportunities/new/']",
    ).click()

    expect(page).to_have_url(at(r"/staff/opportunities/new/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(tr(lang, "New opportunity"))
    check_page(page, lang)
    # The coordinator is the contact unless they choose someone else.
    expect(field(page, lang, "Contact person", "#id_contact")).to_have_value(str(coordinator.pk))

    # First go: a closing date that has passed, no places, and much left out.
    field(page, lang, "Title", "#id_title").fill(title)
    field(page, lang, "Places", "#id_places").fill("0")
    fill_date(page, lang, "Closing date (optional)", "closes_on", today - timedelta(days=1))
    save = by_role_or(
        page, lang, page.get_by_role("main").get_by_role("button", name="Save", exact=True), "form button[type=submit]"
    )
    save.click()

    expect(page).to_have_url(at(r"/staff/opportunities/new/"))
    expect(page).to_have_title(re.compile("^" + re.escape(tr(lang, "Error:"))))
    expect_error_summary(
        page,
        lang,
        {
            "id_closes_on_day": tr(lang, "The closing date must be today or later."),
            "id_places": tr(lang, "An opportunity needs at least one place."),
            "id_purpose": tr(lang, "Say what the opportunity is for."),
            "id_level_0": tr(lang, "Choose a level on the engagement pathway."),
        },
    )
    expect(page.locator("#id_title")).to_have_value(title)
    expect(page.locator("#id_places")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_closes_on_day")).to_have_attribute("aria-invalid", "true")
    expect_date(page, "closes_on", today - timedelta(days=1))
    check_page(page, lang)

    # Second go: everything it needs.
    field(page, lang, "Title in Welsh (optional)", "#id_title_cy").fill(f"{title} (Cymraeg)")
    field(page, lang, "Purpose", "#id_purpose").fill("To shape the new crisis service with people who have used it.")
    field(page, lang, "Intended outcomes", "#id_intended_outcomes").fill("A crisis service people trust.")
    field(page, lang, "What influence it has, and its limits", "#id_influence").fill(
        "The panel decides the service's priorities; the budget is already set."
    )
    choice(page, lang, "Level on the engagement pathway", "Influencing", "input[name=level][value='4']").check()
    choice(page, lang, "Where", "In person", "input[name=location][value=in_person]").check()
    field(page, lang, "Venue or online platform (optional)", "#id_venue").fill("Canolfan y Dref, Aberystwyth")
    choice(page, lang, "Reward", "A fee for your time, and expenses", "input[name=reward][value=fee]").check()
    field(page, lang, "Places", "#id_places").fill("2")
    choice(page, lang, "Where the involvement happens", "Strategic", "input[name=where][value=strategic]").check()
    choice(
        page, lang, "Role offered", "Expert by experience", "input[name=role_offered][value=expert_by_experience]"
    ).check()
    fill_date(page, lang, "Closing date (optional)", "closes_on", today + timedelta(days=30))
    save.click()

    # The opportunity's staff page: saved as a draft, ready to publish.
    expect(page).to_have_url(at(r"/staff/opportunities/\d+/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_role("status")).to_have_text(tr(lang, "Saved as a draft. Publish it when it is ready."))
    check_page(page, lang)
    staff_url = page.url
    by_role_or(
        page,
        lang,
        page.get_by_role("main").get_by_role("button", name="Publish", exact=True),
        "button[name=status][value=published]",
    ).click()

    expect(page).to_have_url(staff_url)
    expect(page.get_by_role("status")).to_have_text(
        tr(lang, "The opportunity is now: %(status)s.", status=tr(lang, "Open"))
    )
    expect(page.get_by_role("main").locator("button[name=status][value=published]")).to_have_count(0)
    check_page(page, lang)
    return staff_url


def member_responds(page: Page, lang: str, member: Person, title: str, shown_title: str) -> None:
    """The member finds the opportunity on the public board, leaves the reason out at first, then sends it."""
    open_site(page, lang)
    assert member.user is not None
    sign_in(page, lang, member.user.email, totp=False)

    nav_link(page, lang, "Opportunities", "/opportunities/").click()
    expect(page).to_have_url(at(r"/opportunities/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(tr(lang, "Opportunities to get involved"))
    check_page(page, lang)
    field(page, lang, "Search (optional)", "#id_q").fill(title)
    by_role_or(
        page, lang, page.get_by_role("main").get_by_role("button", name="Search", exact=True), "form.filters button"
    ).click()

    expect(page).to_have_url(at(r"/opportunities/\?.*q=.*"))
    results = page.get_by_role("main").locator(".card-list .card")
    expect(results).to_have_count(1)
    check_page(page, lang)
    # Members reading in Welsh see the Welsh title.
    results.first.get_by_role("link", name=shown_title, exact=True).click()

    expect(page).to_have_url(at(r"/opportunities/[a-z0-9]+/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(shown_title)
    expect(page.get_by_role("main")).to_contain_text("Canolfan y Dref, Aberystwyth")
    check_page(page, lang)
    by_role_or(
        page,
        lang,
        page.get_by_role("main").get_by_role("link", name="Express your interest", exact=True),
        "a[href$='/respond/']",
    ).click()

    expect(page).to_have_url(at(r"/opportunities/[a-z0-9]+/respond/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(tr(lang, "Express your interest"))
    check_page(page, lang)
    send = by_role_or(
        page, lang, page.get_by_role("main").get_by_role("button", name="Send", exact=True), "button[name=send]"
    )
    # First go: sent without saying why.
    send.click()

    expect(page).to_have_url(at(r"/opportunities/[a-z0-9]+/respond/"))
    expect_error_summary(page, lang, {"id_why": tr(lang, "Tell us in a few words why you are interested.")})
    expect(page.locator("#id_why")).to_have_attribute("aria-invalid", "true")
    check_page(page, lang)
    # The field is needed to send, but its label says "(optional)" (it may be left empty in a saved draft),
    # so the English run finds it by the start of its label.
    why = page.get_by_label("Why are you interested?") if lang == "en" else page.locator("#id_why")
    why.fill("I used the crisis team last year and want to help make it better.")
    send.click()

    expect(page).to_have_url(at(r"/me/applications/"))
    expect(page.get_by_role("status")).to_have_text(tr(lang, "Thank you. Your response has been sent."))
    rows = page.get_by_role("table", name=tr(lang, "My applications"), exact=True).locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(shown_title)
    expect(rows.first.locator("td").nth(1)).to_contain_text(tr(lang, "Received"))
    check_page(page, lang)


def coordinator_adds_a_group(page: Page, lang: str, group_name: str, group_name_cy: str) -> None:
    page.goto("/staff/opportunities/groups/")
    expect(page.get_by_role("heading", level=1)).to_have_text(tr(lang, "Groups and appointments"))
    expect(page.get_by_role("main")).to_contain_text(tr(lang, "No groups yet."))
    check_page(page, lang)
    field(page, lang, "Name", "#id_name").fill(group_name)
    field(page, lang, "Name in Welsh (optional)", "#id_name_cy").fill(group_name_cy)
    choice(page, lang, "Kind", "Board", "input[name=kind][value=board]").check()
    field(page, lang, "Makes decisions", "#id_makes_decisions").check()
    by_role_or(
        page,
        lang,
        page.get_by_role("main").get_by_role("button", name="Add group", exact=True),
        "form button[type=submit]",
    ).click()

    expect(page).to_have_url(at(r"/staff/opportunities/groups/"))
    expect(page.get_by_role("status")).to_have_text(tr(lang, "Group added."))
    shown = group_name_cy if lang == "cy" else group_name
    expect(page.get_by_role("heading", level=2, name=shown)).to_contain_text(tr(lang, "makes decisions"))
    expect(page.get_by_role("main")).to_contain_text(tr(lang, "Nobody appointed yet."))
    check_page(page, lang)


def coordinator_selects_and_appoints(
    page: Page, lang: str, staff_url: str, member: Person, today: date, group_name: str
) -> None:
    page.goto(staff_url)
    check_page(page, lang)
    responses = page.get_by_role("table", name=tr(lang, "Responses"), exact=True).locator("tbody tr")
    expect(responses).to_have_count(1)
    expect(responses.first).to_contain_text(tr(lang, "Received"))
    responses.first.get_by_role("link", name=member.full_name, exact=True).click()

    expect(page).to_have_url(at(r"/staff/applications/\d+/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(member.full_name)
    expect(page.get_by_role("main")).to_contain_text("I used the crisis team last year")
    check_page(page, lang)
    application_url = page.url
    choice(page, lang, "Move to", "Selected", "input[name=status][value=selected]").check()
    by_role_or(
        page,
        lang,
        page.get_by_role("main").get_by_role("button", name="Save", exact=True),
        "form:has(input[name=status]) button[type=submit]",
    ).click()

    expect(page).to_have_url(application_url)
    expect(page.get_by_role("status")).to_have_text(
        tr(lang, "Application moved to: %(status)s.", status=tr(lang, "Selected"))
    )
    check_page(page, lang)
    by_role_or(
        page,
        lang,
        page.get_by_role("main").get_by_role("link", name="Appoint to a seat", exact=True),
        "a[href$='/appoint/']",
    ).click()

    expect(page).to_have_url(at(r"/staff/applications/\d+/appoint/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(tr(lang, "Appoint %(name)s", name=member.full_name))
    check_page(page, lang)
    field(page, lang, "Group", "#id_group").select_option(label=group_name)
    choice(page, lang, "Seat", "Member", "input[name=seat][value=member]").check()
    fill_date(page, lang, "Term starts", "term_start", today)
    fill_date(page, lang, "Term planned to end", "planned_end", years_later(today, 3))
    by_role_or(
        page,
        lang,
        page.get_by_role("main").get_by_role("button", name="Appoint", exact=True),
        "form button[type=submit]",
    ).click()

    # Back on the opportunity's staff page.
    expect(page).to_have_url(staff_url)
    expect(page.get_by_role("status")).to_have_text(tr(lang, "%(name)s is appointed.", name=member.display_name))
    expect(responses.first).to_contain_text(tr(lang, "Selected"))
    check_page(page, lang)


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_coordinator_publishes_member_responds_and_is_appointed(
    page: Page, second_page: Page, org_a: Organisation, lang: str
) -> None:
    staff, member_page = page, second_page
    coordinator = make_staff(org_a, Role.COORDINATOR, email=f"coordinator-{lang}@example.org")
    member = make_member(org_a, full_name="Siân Roberts" if lang == "cy" else "Sam Roberts")
    today = timezone.localdate()
    title = f"Crisis service panel {lang}"
    shown_title = f"{title} (Cymraeg)" if lang == "cy" else title
    group_name, group_name_cy = "Crisis Care Board", "Bwrdd Gofal Argyfwng"

    staff_url = coordinator_drafts_and_publishes(staff, lang, coordinator, today, title)
    member_responds(member_page, lang, member, title, shown_title)

    coordinator_adds_a_group(staff, lang, group_name, group_name_cy)
    coordinator_selects_and_appoints(
        staff, lang, staff_url, member, today, group_name_cy if lang == "cy" else group_name
    )
    staff.goto("/staff/opportunities/groups/")
    shown_group = group_name_cy if lang == "cy" else group_name
    expect(staff.get_by_role("heading", level=2, name=shown_group)).to_be_visible()
    appointed = staff.get_by_role("main").locator("ul li", has_text=member.full_name)
    expect(appointed).to_have_count(1)
    expect(appointed).to_contain_text(tr(lang, "Member"))
    expect(staff.get_by_role("main")).not_to_contain_text(tr(lang, "Nobody appointed yet."))
    check_page(staff, lang)

    # The member sees the decision, and the role they now hold.
    nav_link(member_page, lang, "My applications", "/me/applications/").click()
    expect(member_page).to_have_url(at(r"/me/applications/"))
    rows = member_page.get_by_role("table", name=tr(lang, "My applications"), exact=True).locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("td").nth(1)).to_contain_text(tr(lang, "Selected"))
    expect(member_page.get_by_role("heading", name=tr(lang, "Roles you hold"), exact=True)).to_be_visible()
    expect(member_page.get_by_role("main").locator("ul li")).to_contain_text(f"{tr(lang, 'Member')}, {shown_group}:")
    check_page(member_page, lang)


def member_is_asked_to_share_declines_then_agrees(
    page: Page, lang: str, member: Person, opportunity: Opportunity, organisation: Organisation
) -> None:
    """A member who shares only with A responds to B's opportunity: asked first; no sends nothing, yes goes on."""
    open_site(page, lang)
    assert member.user is not None
    sign_in(page, lang, member.user.email, totp=False)
    shown_title = opportunity.title_cy if lang == "cy" else opportunity.title
    names = {"organisation": organisation.name}

    def ask() -> None:
        page.goto(f"/opportunities/{opportunity.short_code}/")
        expect(page.get_by_role("heading", level=1)).to_have_text(shown_title)
        check_page(page, lang)
        by_role_or(
            page,
            lang,
            page.get_by_role("main").get_by_role("link", name="Express your interest", exact=True),
            "a[href$='/respond/']",
        ).click()
        expect(page).to_have_url(at(rf"/opportunities/{opportunity.short_code}/respond/share/"))
        expect(page.get_by_role("heading", level=1)).to_have_text(
            tr(lang, "Before you respond: share your details with %(organisation)s?", **names)
        )
        check_page(page, lang)

    question = tr(lang, "Do you want to share your details with %(organisation)s?", **names)
    carry_on = by_role_or(
        page, lang, page.get_by_role("main").get_by_role("button", name="Continue", exact=True), "form button"
    )

    ask()
    # Nothing chosen: asked again, with the error next to the question.
    carry_on.click()
    expect_error_summary(
        page,
        lang,
        {
            "id_share_0": tr(
                lang, "Choose yes to share your details with %(organisation)s, or no to stop here.", **names
            )
        },
    )
    check_page(page, lang)
    choice(
        page, lang, question, tr(lang, "No, do not share my details. I will not respond"), "input[name=share][value=no]"
    ).check()
    carry_on.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(tr(lang, "You have not responded"))
    expect(page.get_by_role("main")).to_contain_text(
        tr(
            lang,
            "Nothing has been sent to %(organisation)s. They cannot see your details, and you have not responded "
            "to this opportunity.",
            **names,
        )
    )
    check_page(page, lang)

    ask()
    choice(
        page,
        lang,
        question,
        tr(lang, "Yes, share my details with %(organisation)s and go on to respond", **names),
        "input[name=share][value=yes]",
    ).check()
    carry_on.click()
    expect(page).to_have_url(at(rf"/opportunities/{opportunity.short_code}/respond/"))
    expect(page.get_by_role("status")).to_have_text(
        tr(lang, "You now share your details with %(org)s.", org=names["organisation"])
    )
    check_page(page, lang)
    why = page.get_by_label("Why are you interested?") if lang == "en" else page.locator("#id_why")
    why.fill("I care for my mother and know what carers need.")
    by_role_or(
        page, lang, page.get_by_role("main").get_by_role("button", name="Send", exact=True), "button[name=send]"
    ).click()
    expect(page).to_have_url(at(r"/me/applications/"))
    expect(page.get_by_role("status")).to_have_text(tr(lang, "Thank you. Your response has been sent."))
    check_page(page, lang)


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_responding_to_an_organisation_not_shared_with_asks_first(
    page: Page, second_page: Page, org_a: Organisation, org_b: Organisation, lang: str
) -> None:
    member_page, staff = page, second_page
    coordinator_b = make_staff(org_b, Role.COORDINATOR, email=f"coordinator-b-{lang}@example.org")
    member = make_member(org_a, full_name="Eleri Price" if lang == "cy" else "Ellie Price")
    opportunity = make_opportunity(
        org_b, coordinator_b, title=f"Carers forum {lang}", title_cy=f"Fforwm gofalwyr {lang}"
    )

    member_is_asked_to_share_declines_then_agrees(member_page, lang, member, opportunity, org_b)

    # B's coordinator now sees the response, and can open it.
    open_site(staff, lang)
    sign_in(staff, lang, coordinator_b.email, totp=True)
    staff.goto(f"/staff/opportunities/{opportunity.pk}/")
    check_page(staff, lang)
    responses = staff.get_by_role("table", name=tr(lang, "Responses"), exact=True).locator("tbody tr")
    expect(responses).to_have_count(1)
    responses.first.get_by_role("link", name=member.full_name, exact=True).click()
    expect(staff).to_have_url(at(r"/staff/applications/\d+/"))
    expect(staff.get_by_role("heading", level=1)).to_have_text(member.full_name)
    expect(staff.get_by_role("main")).to_contain_text("I care for my mother")
    check_page(staff, lang)


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_a_coordinator_makes_a_fair_draw_and_checks_it(page: Page, org_a: Organisation, lang: str) -> None:
    coordinator = make_staff(org_a, Role.COORDINATOR, email=f"coordinator-draw-{lang}@example.org")
    opportunity = make_opportunity(
        org_a, coordinator, title=f"Popular panel {lang}", places=1, application_process="none"
    )
    for i in range(3):
        member = make_member(org_a, full_name=f"Hopeful Member {i}")
        assert member.user is not None
        services.respond(actor=member.user, person=member, opportunity=opportunity)

    open_site(page, lang)
    sign_in(page, lang, coordinator.email, totp=True)
    page.goto(f"/staff/opportunities/{opportunity.pk}/draw/")
    check_page(page, lang)
    field(page, lang, "Places to draw", "#id_places").fill("1")
    by_role_or(
        page, lang, page.get_by_role("main").get_by_role("button", name="Draw", exact=True), "form button[type=submit]"
    ).click()

    expect(page).to_have_url(at(r"/staff/draws/\d+/"))
    record = Draw.objects.get()
    expect(page.get_by_role("status")).to_have_text(
        tr(lang, "Draw made. Its seed is %(seed)s: anyone can repeat it.", seed=record.seed)
    )
    check_page(page, lang)
    by_role_or(
        page,
        lang,
        page.get_by_role("main").get_by_role("button", name="Check this draw", exact=True),
        "form[method=get] button",
    ).click()

    # A form that sends nothing but its address: the browser adds an empty query.
    expect(page).to_have_url(at(rf"/staff/draws/{record.pk}/check/\??"))
    expect(page.get_by_role("main")).to_contain_text(tr(lang, "The result matches."))
    check_page(page, lang)
