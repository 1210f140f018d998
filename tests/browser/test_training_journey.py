"""A course run as a session, and a panel seat refused until it is done, in a real browser.

The coordinator finds the course in the catalogue, runs it as a session already planned,
is refused when appointing a selected member to the interview panel (the page says which
training is missing and when the next course runs), records the member's attendance at the
course and then appoints them. Every page is scanned with axe, in English and in Welsh.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.conftest import at, check_page, choice, field, fill_date, open_site, sign_in, tr
from tests.conftest import make_member, make_staff
from tests.meetings.factories import make_invitation, make_session
from tests.opportunities.factories import make_opportunity
from tests.support.training.factories import make_course, run_course
from withus.accounts.models import Organisation, Role
from withus.groups.models import Appointment, Group
from withus.opportunities import services as opportunity_services
from withus.support.training.models import CourseSession, RequiredTraining

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_a_panel_seat_is_refused_until_the_course_run_as_a_session_is_done(
    page: Page, org_a: Organisation, lang: str
) -> None:
    coordinator = make_staff(org_a, Role.COORDINATOR, email=f"training-{lang}@example.org")
    panel = Group.objects.create(
        organisation=org_a, name="Interview panel", name_cy="Panel cyfweld", kind=Group.Kind.PANEL
    )
    course = make_course(org_a, title="Recruitment panel training", title_cy="Hyfforddiant paneli recriwtio")
    RequiredTraining.objects.create(course=course, group=panel)
    shown_course = course.title_cy if lang == "cy" else course.title
    now = timezone.localtime()
    held = make_session(
        org_a,
        coordinator,
        title="Panel training, this week",
        title_cy="Hyfforddiant panel, yr wythnos hon",
        starts_at=now - timedelta(days=1),
        status="held",
    )
    next_run = run_course(course, coordinator, now + timedelta(days=40), title="Panel training, next", title_cy="Nesaf")
    member = make_member(org_a, full_name="Gwen Price")
    make_invitation(held, member)
    opportunity = make_opportunity(org_a, coordinator, application_process="none", group=panel)
    application = opportunity_services.respond(actor=member.user, person=member, opportunity=opportunity)
    opportunity_services.move_application(actor=coordinator, application=application, status="selected")

    open_site(page, lang)
    sign_in(page, lang, coordinator.email, totp=True)

    # The catalogue, and the course run as the session already planned.
    page.goto("/staff/training/")
    expect(page.get_by_role("heading", level=1)).to_have_text(tr(lang, "Training"))
    check_page(page, lang)
    page.get_by_role("main").get_by_role("link", name=shown_course, exact=True).click()
    expect(page).to_have_url(at(rf"/staff/training/{course.pk}/"))
    check_page(page, lang)
    field(page, lang, "The session that runs this course", "#id_session").select_option(value=str(held.pk))
    page.locator(f"form[action='/staff/training/{course.pk}/sessions/'] button[type=submit]").click()
    expect(page).to_have_url(at(rf"/staff/training/{course.pk}/"))
    expect(page.get_by_role("status")).to_have_text(
        tr(lang, "The session runs this course: attending it completes the course.")
    )
    check_page(page, lang)
    assert CourseSession.objects.filter(course=course, session=held).exists()

    # Appointing before the course is done: refused, saying what is missing and when it next runs.
    appoint_url = f"/staff/applications/{application.pk}/appoint/"
    page.goto(appoint_url)
    missing = tr(lang, "This role needs the training “%(course)s”, and it is not done.", course=shown_course)
    warning = page.get_by_role("main").locator("p.warning")
    expect(warning).to_contain_text(missing)
    next_date = timezone.localtime(next_run.starts_at).strftime("%-d")
    expect(warning).to_contain_text(next_date)
    check_page(page, lang)
    today = timezone.localdate()
    fill_date(page, lang, "Term starts", "term_start", today)
    fill_date(page, lang, "Term planned to end", "planned_end", today + timedelta(days=3 * 365))
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(at(appoint_url))
    expect(page.get_by_role("alert")).to_contain_text(missing)
    check_page(page, lang)
    assert not Appointment.objects.exists()

    # The member attended the course session: recorded on the day's attendance page.
    page.goto(f"/staff/sessions/{held.pk}/attendance/")
    check_page(page, lang)
    field(page, lang, "Person", "#id_person").select_option(value=str(member.pk))
    choice(page, lang, "Attendance", "Attended", "input[name=status][value=attended]").check()
    choice(page, lang, "Role", "Member", "input[name=role][value=member]").check()
    page.locator("main form:has(#id_person) button[type=submit]").click()
    expect(page.get_by_role("status")).to_have_text(tr(lang, "Attendance recorded."))
    check_page(page, lang)

    # The course shows them as having done it, and the seat can now be taken up.
    page.goto(f"/staff/training/{course.pk}/")
    expect(page.get_by_role("table", name=tr(lang, "Who has done it"), exact=True)).to_contain_text("Gwen Price")
    check_page(page, lang)
    page.goto(appoint_url)
    expect(page.get_by_role("main").locator("p.warning")).to_have_count(0)
    check_page(page, lang)
    fill_date(page, lang, "Term starts", "term_start", today)
    fill_date(page, lang, "Term planned to end", "planned_end", today + timedelta(days=3 * 365))
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(at(rf"/staff/opportunities/{opportunity.pk}/"))
    check_page(page, lang)
    assert Appointment.objects.get().group == panel
