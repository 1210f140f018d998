"""A session from planning to certificate.

A coordinator adds an accessible venue, plans a meeting to the standards, invites a member
from the register, and sends the invitation and the papers. The member sees the session and
its papers and says they are coming. On the day of another session (made ready in the test's
setup, so nobody waits a month) the member checks in with the code; the coordinator records
them as chair, then writes the minutes, adds an action and offers debriefs. The member answers
the debrief, asking for a call, and downloads their certificate of attendance.

The coordinator and the member each use a browser of their own. The journey runs in English
and in Welsh; in Welsh, fields, buttons and links are found by name, id, value or address, and
any Welsh wording checked comes from the compiled catalogues through ``tr()``.
"""

from __future__ import annotations

import re
import time
from datetime import date, datetime, timedelta
from datetime import time as dt_time
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import Locator, Page, expect
from pytest_django.fixtures import SettingsWrapper

from tests.browser.conftest import (
    at,
    by_role_or,
    check_page,
    choice,
    date_boxes,
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
from tests.meetings.factories import make_invitation, make_session
from withus.accounts.models import Organisation, Role, User
from withus.meetings.models import Session
from withus.people.models import Person

pytestmark = pytest.mark.browser

CHECK_IN_CODE = "K7QP2M"
VENUE = "Canolfan Gymunedol Penparcau"
PAPER = "Agenda and papers"
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)


def main_button(page: Page, lang: str, name: str, selector: str) -> Locator:
    """A button in the main content, by its name in English and by ``selector`` in Welsh."""
    return by_role_or(page, lang, page.get_by_role("main").get_by_role("button", name=name, exact=True), selector)


def expect_status(page: Page, text: str) -> None:
    expect(page.get_by_role("status")).to_have_text(text)


def standard_state(page: Page, lang: str, standard: str) -> Locator:
    """The "Met?" cell of one standard's row in the session's standards table."""
    table = page.get_by_role("table", name=tr(lang, "Standards"), exact=True)
    return (
        table.locator("tbody tr", has=page.get_by_role("cell", name=tr(lang, standard), exact=True))
        .locator("td")
        .nth(1)
    )


def session_card(page: Page, shown_title: str) -> Locator:
    """A session's card on "My sessions", by its heading (the session's title in the reader's language)."""
    return (
        page.get_by_role("main")
        .locator(".summary-card")
        .filter(has=page.get_by_role("heading", level=3, name=shown_title, exact=True))
    )


# ---- The coordinator ----------------------------------------------------------------------------


def coordinator_adds_a_venue(page: Page, lang: str, coordinator: User) -> None:
    """Without the accessibility answers first (refused, the name kept), then properly."""
    open_site(page, lang)
    sign_in(page, lang, coordinator.email, totp=True)
    nav_link(page, lang, "Sessions", "/staff/sessions/").click()
    expect(page).to_have_url(at(r"/staff/sessions/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(tr(lang, "Sessions"))
    check_page(page, lang)
    by_role_or(
        page, lang, page.get_by_role("main").get_by_role("link", name="Venues", exact=True), "a[href$='/venues/']"
    ).click()

    expect(page).to_have_url(at(r"/staff/sessions/venues/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(tr(lang, "Venues"))
    venues = page.get_by_role("table", name=tr(lang, "Venues"), exact=True).locator("tbody tr")
    expect(venues.filter(has_text=VENUE)).to_have_count(0)
    check_page(page, lang)
    field(page, lang, "Name", "#id_name").fill(VENUE)
    field(page, lang, "Address", "#id_address").fill("Heol Pendinas\nPenparcau\nAberystwyth SY23 1TU")
    add = main_button(page, lang, "Add venue", "form button[type=submit]")
    add.click()

    expect(page).to_have_url(at(r"/staff/sessions/venues/"))
    expect(page).to_have_title(re.compile("^" + re.escape(tr(lang, "Error:"))))
    expect_error_summary(
        page,
        lang,
        {
            "id_step_free_0": tr(lang, "Say whether there is step-free access throughout."),
            "id_public_transport_0": tr(lang, "Say whether there is public transport at the start and end."),
            "id_parking_0": tr(lang, "Say whether there is parking."),
            "id_hearing_loop_0": tr(lang, "Say whether there is a hearing loop."),
        },
    )
    expect(page.locator("#id_name")).to_have_value(VENUE)
    check_page(page, lang)

    yes, no = "[value=yes]", "[value=no]"
    choice(page, lang, "Step-free access throughout", "Yes", f"input[name=step_free]{yes}").check()
    choice(
        page, lang, "Public transport at the start and end of the day", "Yes", f"input[name=public_transport]{yes}"
    ).check()
    choice(page, lang, "Parking, including accessible spaces", "Yes", f"input[name=parking]{yes}").check()
    choice(page, lang, "A hearing loop", "No", f"input[name=hearing_loop]{no}").check()
    add.click()

    expect(page).to_have_url(at(r"/staff/sessions/venues/"))
    expect_status(page, tr(lang, "Venue added."))
    venue = venues.filter(has_text=VENUE)
    expect(venue).to_have_count(1)
    expect(venue.locator("td").nth(1)).to_have_text(tr(lang, "Yes"))
    expect(venue.locator("td").nth(4)).to_have_text(tr(lang, "No"))
    check_page(page, lang)


def coordinator_plans_a_session(
    page: Page, lang: str, coordinator: User, day: date, title: str, title_cy: str, shown_title: str
) -> str:
    """The end before the start first (refused, the title kept), then properly. Returns the session's address."""
    nav_link(page, lang, "Sessions", "/staff/sessions/").click()
    expect(page).to_have_url(at(r"/staff/sessions/"))
    check_page(page, lang)
    by_role_or(
        page,
        lang,
        page.get_by_role("main").get_by_role("link", name="Plan a session", exact=True),
        "a[href='/staff/sessions/new/']",
    ).click()

    expect(page).to_have_url(at(r"/staff/sessions/new/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(tr(lang, "Plan a session"))
    check_page(page, lang)
    # The coordinator is the contact unless they choose someone else; a meeting with tea and coffee by default.
    expect(field(page, lang, "Contact person", "#id_contact")).to_have_value(str(coordinator.pk))
    expect(choice(page, lang, "Kind", "Meeting", "input[name=kind][value=meeting]")).to_be_checked()

    field(page, lang, "Title", "#id_title").fill(title)
    if lang == "cy":
        page.locator("#id_title_cy").fill(title_cy)
    fill_date(page, lang, "Starts", "starts_at", day, "10:30")
    fill_date(page, lang, "Ends", "ends_at", day, "9:30")
    field(page, lang, "Venue", "#id_venue").select_option(label=VENUE)
    save = main_button(page, lang, "Save", "form button[type=submit]")
    save.click()

    expect(page).to_have_url(at(r"/staff/sessions/new/"))
    expect(page).to_have_title(re.compile("^" + re.escape(tr(lang, "Error:"))))
    expect_error_summary(page, lang, {"id_ends_at_day": tr(lang, "The session must end after it starts.")})
    expect(page.locator("#id_ends_at_day")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_title")).to_have_value(title)
    expect_date(page, "starts_at", day, "10:30")
    expect_date(page, "ends_at", day, "9:30")
    check_page(page, lang)

    date_boxes(page, lang, "Ends", "ends_at", with_time=True)["time"].fill("12:30")
    choice(page, lang, "Kind", "Meeting", "input[name=kind][value=meeting]").check()
    choice(page, lang, "Refreshments", "Tea and coffee", "input[name=refreshments][value=drinks]").check()
    field(page, lang, "Agenda (optional)", "#id_agenda").fill("Welcome and introductions\nThe crisis line")
    save.click()

    expect(page).to_have_url(at(r"/staff/sessions/\d+/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(shown_title)
    expect_status(page, tr(lang, "Session planned. Check the standards, then invite people."))
    expect(standard_state(page, lang, "Involvement on the agenda")).to_have_text(tr(lang, "Met"))
    expect(standard_state(page, lang, "Not too early")).to_have_text(tr(lang, "Met"))
    expect(standard_state(page, lang, "Refreshments")).to_have_text(tr(lang, "Met"))
    expect(standard_state(page, lang, "An accessible venue")).to_have_text(tr(lang, "Met"))
    expect(standard_state(page, lang, "Notice of the session")).to_have_text(tr(lang, "Still to do"))
    expect(standard_state(page, lang, "Papers in time")).to_have_text(tr(lang, "Still to do"))
    check_page(page, lang)
    return page.url


def coordinator_invites_and_sends(
    page: Page, lang: str, member: Person, session_url: str, shown_title: str, day: date
) -> None:
    """Invite the member from the register and send the invitation (e-mail with a calendar file)."""
    # Find the member in the register (a search, so big registers stay quick), then open every folded
    # form on the page, so that the scan sees them too.
    page.get_by_role("main").locator("details:has(#invite_q) > summary").click()
    page.locator("#invite_q").fill(member.full_name)
    main_button(page, lang, "Find", "form#invite button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"invite_q="))
    closed = page.get_by_role("main").locator("details:not([open]) > summary")
    while closed.count():
        closed.first.click()
    expect(page.get_by_role("main").locator("details:not([open])")).to_have_count(0)
    # Both the invitation list and the guest form ask for a role: each radio button is labelled by its own label.
    for role, label in (("member", "Member"), ("deputy", "Deputy"), ("staff", "Staff"), ("other", "Guest")):
        expect(page.locator(f"input[name=role][value={role}]")).to_have_accessible_name(tr(lang, label))
    check_page(page, lang)
    choice(
        page, lang, "People to invite (optional)", member.full_name, f"input[name=people][value='{member.pk}']"
    ).check()
    main_button(page, lang, "Add to the list", "form:has(input[name=people]) button[type=submit]").click()

    expect(page).to_have_url(session_url)
    expect_status(page, tr(lang, "Added to the invitation list."))
    invited = page.get_by_role("table", name=tr(lang, "Invited"), exact=True).locator("tbody tr")
    expect(invited).to_have_count(1)
    expect(invited.first).to_contain_text(member.full_name)
    expect(invited.first).to_contain_text(tr(lang, "No reply yet"))
    check_page(page, lang)
    assert mail.outbox == []
    main_button(page, lang, "Send invitations", "button[name=what][value=invitations]").click()

    expect(page).to_have_url(session_url)
    expect_status(page, tr(lang, "%(n)s invitations sent. Letters are ready to print.", n="1"))
    expect(standard_state(page, lang, "Notice of the session")).to_have_text(tr(lang, "Met"))
    check_page(page, lang)

    assert len(mail.outbox) == 1, [m.subject for m in mail.outbox]
    invitation = mail.outbox[0]
    assert invitation.to == [member.email]
    assert invitation.subject == tr(lang, "Invitation: %(title)s", title=shown_title)
    calendars = [a for a in invitation.attachments if a[0] == "invitation.ics"]
    assert len(calendars) == 1, [a[0] for a in invitation.attachments]
    _name, ics, mimetype = calendars[0]
    assert mimetype.startswith("text/calendar; method=REQUEST")
    # Read the way a calendar app reads it: one event, at the time planned.
    calendar = Calendar.from_ical(ics)
    assert calendar.get("METHOD") == "REQUEST"
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("DTSTART") == timezone.make_aware(datetime.combine(day, dt_time(10, 30)))
    assert event.decoded("DTEND") == timezone.make_aware(datetime.combine(day, dt_time(12, 30)))


def coordinator_uploads_and_sends_papers(page: Page, lang: str, session_url: str, tmp_path: Path) -> None:
    paper = tmp_path / "agenda-and-papers.pdf"
    paper.write_bytes(PDF_BYTES)
    field(page, lang, "Title", "form[action$='/papers/'] #id_title").fill(PAPER)
    field(page, lang, "Document (PDF, Word or ODT)", "#id_file").set_input_files(paper)
    main_button(page, lang, "Upload", "form[action$='/papers/'] button[type=submit]").click()

    expect(page).to_have_url(session_url)
    expect_status(page, tr(lang, "Paper uploaded."))
    check_page(page, lang)
    main_button(page, lang, "Send the papers", "button[name=what][value=papers]").click()

    expect(page).to_have_url(session_url)
    expect_status(page, tr(lang, "Papers sent to %(n)s people by their chosen way.", n="1"))
    expect(standard_state(page, lang, "Papers in time")).to_have_text(tr(lang, "Met"))
    check_page(page, lang)
    assert len(mail.outbox) == 2, [m.subject for m in mail.outbox]
    assert [a[0] for a in mail.outbox[1].attachments] == ["agenda-and-papers.pdf"]


def coordinator_records_the_chair(page: Page, lang: str, member: Person, day_session: Session, day_title: str) -> str:
    """From the sessions list to the day's attendance page: the member checked in, and is recorded as chair."""
    nav_link(page, lang, "Sessions", "/staff/sessions/").click()
    expect(page).to_have_url(at(r"/staff/sessions/"))
    check_page(page, lang)
    detail_url = f"/staff/sessions/{day_session.pk}/"
    # The session's title is the link's name in either language.
    page.get_by_role("main").get_by_role("link", name=day_title, exact=True).click()

    expect(page).to_have_url(at(detail_url))
    check_page(page, lang)
    by_role_or(
        page,
        lang,
        page.get_by_role("main").get_by_role("link", name="On the day: attendance", exact=True),
        "a[href$='/attendance/']",
    ).click()

    expect(page).to_have_url(at(rf"{detail_url}attendance/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(tr(lang, "Attendance"))
    rows = page.get_by_role("table", name=tr(lang, "Attendance"), exact=True).locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(member.full_name)
    expect(rows.first).to_contain_text(tr(lang, "checked in"))
    expect(rows.first.locator("td").nth(1)).to_have_text(tr(lang, "Attended"))
    expect(rows.first.locator("td").nth(2)).to_have_text(tr(lang, "Member"))
    check_page(page, lang)
    field(page, lang, "Person", "#id_person").select_option(value=str(member.pk))
    choice(page, lang, "Attendance", "Attended", "input[name=status][value=attended]").check()
    choice(page, lang, "Role", "Chair", "input[name=role][value=chair]").check()
    main_button(page, lang, "Save", "form:has(#id_person) button[type=submit]").click()

    expect(page).to_have_url(at(rf"{detail_url}attendance/"))
    expect_status(page, tr(lang, "Attendance recorded."))
    expect(rows).to_have_count(1)
    expect(rows.first.locator("td").nth(2)).to_have_text(tr(lang, "Chair"))
    check_page(page, lang)
    return detail_url


def coordinator_follows_up(page: Page, lang: str, member: Person, detail_url: str, due: date) -> None:
    """The "After" page: typed minutes, an action with its owner and due date, and debriefs offered."""
    page.goto(detail_url)
    check_page(page, lang)
    by_role_or(
        page,
        lang,
        page.get_by_role("main").get_by_role("link", name="After: minutes, actions and debriefs", exact=True),
        "a[href$='/after/']",
    ).click()

    after_url = at(rf"{detail_url}after/")
    expect(page).to_have_url(after_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(tr(lang, "After the session"))
    check_page(page, lang)
    minutes = "Present: the group. The crisis line: people asked for a call back within the hour."
    field(page, lang, "Minutes (optional)", "#id_minutes").fill(minutes)
    main_button(page, lang, "Save minutes", "form:has(input[name=form][value=minutes]) button[type=submit]").click()

    expect(page).to_have_url(after_url)
    expect_status(page, tr(lang, "Minutes saved."))
    expect(page.locator("#id_minutes")).to_have_value(minutes)
    check_page(page, lang)
    field(page, lang, "Action", "#id_text").fill("Ask the crisis team about call-back times")
    field(page, lang, "Owner", "#id_owner_name").fill("Nia Rhys")
    field(page, lang, "Owner's e-mail (for reminders) (optional)", "#id_owner_email").fill("nia@example.org")
    fill_date(page, lang, "Due", "due_on", due)
    main_button(page, lang, "Add action", "form:has(input[name=form][value=action]) button[type=submit]").click()

    expect(page).to_have_url(after_url)
    expect_status(page, tr(lang, "Action added. The owner will be reminded."))
    action = page.get_by_role("main").locator("li", has_text="Ask the crisis team about call-back times")
    expect(action).to_contain_text("Nia Rhys")
    check_page(page, lang)
    main_button(
        page,
        lang,
        "Offer a debrief to everyone who attended",
        "form:has(input[name=form][value=debriefs]) button[type=submit]",
    ).click()

    expect(page).to_have_url(after_url)
    expect_status(page, tr(lang, "Debrief offered to %(n)s people.", n="1"))
    expect(page.get_by_role("main").locator("li", has_text=member.full_name)).to_contain_text(tr(lang, "offered"))
    check_page(page, lang)


# ---- The member ---------------------------------------------------------------------------------


def member_opens_my_sessions(page: Page, lang: str) -> None:
    nav_link(page, lang, "My sessions", "/me/sessions/").click()
    expect(page).to_have_url(at(r"/me/sessions/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(tr(lang, "My sessions"))
    check_page(page, lang)


def member_sees_papers_and_replies(page: Page, lang: str, member: Person, shown_title: str) -> None:
    open_site(page, lang)
    assert member.user is not None
    sign_in(page, lang, member.user.email, totp=False)
    member_opens_my_sessions(page, lang)

    card = session_card(page, shown_title)
    expect(card).to_have_count(1)
    expect(card).to_contain_text(VENUE)
    reply = card.locator("dd").nth(2)
    expect(reply).to_have_text(tr(lang, "No reply yet"))
    paper = card.get_by_role("link", name=PAPER, exact=True)
    href = paper.get_attribute("href")
    assert href and re.fullmatch(r"/me/sessions/papers/\d+/", href), href
    download = page.request.get(href)
    assert download.ok, download.status
    assert download.headers["content-type"] == "application/pdf"
    assert download.body() == PDF_BYTES

    by_role_or(
        page,
        lang,
        card.get_by_role("button", name=f"I am coming {shown_title}", exact=True),
        f".summary-card:has(h3:text-is('{shown_title}')) button[name=coming][value=yes]",
    ).click()
    expect(page).to_have_url(at(r"/me/sessions/"))
    expect_status(page, tr(lang, "Thank you for letting us know."))
    expect(reply).to_have_text(tr(lang, "Coming"))
    check_page(page, lang)


def member_checks_in(page: Page, lang: str, day_title: str) -> None:
    """A wrong code first (refused, the code kept), then the right one."""
    member_opens_my_sessions(page, lang)
    code = field(page, lang, "Check-in code", "#id_code")
    check_in = main_button(page, lang, "Check in", "form:has(#id_code) button[type=submit]")
    code.fill("ZZ9ZZ9")
    check_in.click()

    expect(page).to_have_url(at(r"/me/sessions/"))
    expect(page).to_have_title(re.compile("^" + re.escape(tr(lang, "Error:"))))
    expect_error_summary(
        page, lang, {"id_code": tr(lang, "That code is not right. Check it with the person running the session.")}
    )
    expect(page.locator("#id_code")).to_have_value("ZZ9ZZ9")
    expect(page.locator("#id_code")).to_have_attribute("aria-invalid", "true")
    check_page(page, lang)
    code.fill(CHECK_IN_CODE)
    check_in.click()

    expect(page).to_have_url(at(r"/me/sessions/"))
    expect_status(page, tr(lang, "You are checked in. Welcome!"))
    attended = page.get_by_role("main").locator("ul li", has_text=day_title)
    expect(attended).to_have_count(1)
    check_page(page, lang)


def member_answers_debrief_and_gets_certificate(page: Page, lang: str, day_title: str) -> None:
    member_opens_my_sessions(page, lang)
    prompt = page.get_by_role("main").locator("p.inset", has_text=day_title)
    expect(prompt).to_have_count(1)
    by_role_or(page, lang, prompt.get_by_role("link", name="Tell us", exact=True), "a[href^='/me/debriefs/']").click()

    expect(page).to_have_url(at(r"/me/debriefs/\d+/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(tr(lang, "How did it go?"))
    check_page(page, lang)
    choice(
        page, lang, "How are you after the meeting? (optional)", "Not so good", "input[name=feeling][value=not_good]"
    ).check()
    field(page, lang, "Anything you want to tell us (optional)", "#id_comments").fill(
        "It was a hard subject to talk about."
    )
    field(page, lang, "I would like someone to contact me", "#id_wants_call").check()
    main_button(page, lang, "Send", "form button[type=submit]").click()

    expect(page).to_have_url(at(r"/me/sessions/"))
    expect_status(page, tr(lang, "Thank you. Someone will contact you soon, the way you prefer."))
    expect(page.get_by_role("main").locator("p.inset")).to_have_count(0)
    check_page(page, lang)

    # The certificate is a PDF, not a page to scan: fetched with the browser's cookies, not opened.
    attended = page.get_by_role("main").locator("ul li", has_text=day_title)
    certificate = by_role_or(
        page,
        lang,
        attended.get_by_role("link", name=f"Certificate of attendance (PDF) {day_title}", exact=True),
        "a[href$='/certificate.pdf']",
    )
    href = certificate.get_attribute("href")
    assert href and re.fullmatch(r"/me/attendance/\d+/certificate\.pdf", href), href
    response = page.request.get(href)
    assert response.ok, response.status
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")


def make_the_day(organisation: Organisation, coordinator: User, member: Person, lang: str) -> Session:
    """A session happening now, the member invited to it: the day without waiting for it.

    Members can check in only on the session's own day, so the session never starts the day
    before, and a run that would reach midnight before the check-in waits for the new day.
    """
    now = timezone.localtime()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if midnight + timedelta(days=1) - now < timedelta(minutes=3):
        time.sleep((midnight + timedelta(days=1) - now).total_seconds() + 1)
        return make_the_day(organisation, coordinator, member, lang)
    day = make_session(
        organisation,
        contact=coordinator,
        title=f"Carers' reference group {lang}",
        title_cy=f"Grŵp cyfeirio gofalwyr {lang}",
        starts_at=max(now - timedelta(minutes=5), midnight),
        ends_at=now + timedelta(hours=2),
        check_in_code=CHECK_IN_CODE,
    )
    make_invitation(day, member, sent_at=now - timedelta(days=20))
    return day


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_session_from_planning_to_certificate(
    page: Page, second_page: Page, org_a: Organisation, lang: str, settings: SettingsWrapper, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    staff, member_page = page, second_page
    coordinator = make_staff(org_a, Role.COORDINATOR, email=f"coordinator-{lang}@example.org")
    member = make_member(
        org_a,
        full_name="Siân Roberts" if lang == "cy" else "Sam Roberts",
        preferred_channel="email",
        prefers_welsh=lang == "cy",
    )
    day_session = make_the_day(org_a, coordinator, member, lang)
    day_title = day_session.title_cy if lang == "cy" else day_session.title
    today = timezone.localdate()
    title, title_cy = f"Crisis line panel {lang}", f"Panel y llinell argyfwng {lang}"
    shown_title = title_cy if lang == "cy" else title

    # Planning, a month ahead.
    coordinator_adds_a_venue(staff, lang, coordinator)
    planned_day = today + timedelta(days=30)
    session_url = coordinator_plans_a_session(staff, lang, coordinator, planned_day, title, title_cy, shown_title)
    coordinator_invites_and_sends(staff, lang, member, session_url, shown_title, planned_day)
    coordinator_uploads_and_sends_papers(staff, lang, session_url, tmp_path)
    member_sees_papers_and_replies(member_page, lang, member, shown_title)

    # The coordinator sees the reply.
    staff.goto(session_url)
    invited = staff.get_by_role("table", name=tr(lang, "Invited"), exact=True).locator("tbody tr")
    expect(invited.first.locator("td").nth(3)).to_have_text(tr(lang, "Coming"))
    check_page(staff, lang)

    # On the day, and after.
    member_checks_in(member_page, lang, day_title)
    detail_url = coordinator_records_the_chair(staff, lang, member, day_session, day_title)
    coordinator_follows_up(staff, lang, member, detail_url, today + timedelta(days=14))
    assert len(mail.outbox) == 3, [m.subject for m in mail.outbox]
    debrief = mail.outbox[2]
    assert debrief.to == [member.email]
    assert debrief.subject == tr(lang, "How did it go? %(title)s", title=day_title)

    member_answers_debrief_and_gets_certificate(member_page, lang, day_title)

    # The coordinator is told the member asked to be contacted.
    nav_link(staff, lang, "Sessions", "/staff/sessions/").click()
    expect(staff).to_have_url(at(r"/staff/sessions/"))
    follow_ups = staff.get_by_role("main").locator("ul li", has_text=member.full_name)
    expect(follow_ups).to_have_count(1)
    expect(follow_ups).to_contain_text(day_title)
    check_page(staff, lang)
