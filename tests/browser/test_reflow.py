"""Every page the journeys visit works at 320 CSS pixels wide with no sideways scrolling (WCAG 1.4.10 Reflow).

The demo's data fills the pages (tables with rows, offers, sessions, claims); each page is
opened as the person who uses it, in English and in Welsh, scanned with axe, and fails if
the document is wider than the window, naming the elements that stick out.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import Page

from tests.browser.conftest import axe_check
from tests.conftest import take_second_step
from withus.accounts.models import Organisation, User
from withus.demo.management.commands.demo import DEMO_DOMAIN
from withus.meetings.models import Session
from withus.opportunities.models import Application, Opportunity
from withus.people.models import Person
from withus.rewards.models import IncomeLine
from withus.support.models import DevelopmentGoal, Supervision, SupervisionGroup

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}

# The elements wider than the window, innermost first: those with no child that sticks out too.
FIND_OVERFLOW = """() => {
  const root = document.documentElement;
  if (root.scrollWidth <= root.clientWidth) return null;
  const width = root.clientWidth;
  const sticksOut = (el) => el.getBoundingClientRect().right > width + 0.5;
  const describe = (el) => {
    let name = el.tagName.toLowerCase();
    if (el.id) name += '#' + el.id;
    if (el.classList.length) name += '.' + Array.from(el.classList).join('.');
    const text = (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 60);
    return name + ' (right edge ' + Math.round(el.getBoundingClientRect().right) + 'px) "' + text + '"';
  };
  const culprits = Array.from(document.body.querySelectorAll('*'))
    .filter((el) => sticksOut(el) && !Array.from(el.children).some(sticksOut));
  return {scrollWidth: root.scrollWidth, clientWidth: width, elements: culprits.slice(0, 8).map(describe)};
}"""


def signed_in_cookie(user: User, *, staff: bool) -> str:
    client = Client()
    client.force_login(user)
    if staff:
        take_second_step(client, user)
    return client.cookies["sessionid"].value


def demo_user(local: str) -> User:
    return User.objects.get(email=f"{local}@{DEMO_DOMAIN}")


def member_pages(member: Person) -> list[str]:
    opportunity = Opportunity.objects.filter(status=Opportunity.Status.PUBLISHED).order_by("pk").first()
    assert opportunity is not None, "the demo has no published opportunity"
    pages = [
        "/",
        "/opportunities/",
        f"/opportunities/{opportunity.short_code}/",
        f"/opportunities/{opportunity.short_code}/respond/",
        "/me/",
        "/me/details/about/",
        "/me/details/contact/",
        "/me/details/needs/",
        "/me/held/",
        "/me/share/",
        "/me/applications/",
        "/me/sessions/",
        "/me/benefits/",
        "/me/payments/",
        "/me/payments/reward/",
        "/me/payments/expenses/new/",
        "/me/support/",
        "/me/support/call/",
        "/me/support/check-ins/",
        "/me/support/plan/",
        "/me/support/plan/new/",
    ]
    claim = IncomeLine.objects.filter(person=member, kind=IncomeLine.Kind.EXPENSE).first()
    if claim is not None:
        pages.append(f"/me/payments/expenses/{claim.pk}/")
    offer = IncomeLine.objects.filter(person=member, status=IncomeLine.Status.OFFERED).first()
    if offer is not None:
        pages.append(f"/me/benefits/offers/{offer.pk}/")
    supervision = Supervision.objects.filter(person=member).first()
    if supervision is not None:
        pages.append(f"/me/support/supervision/{supervision.pk}/")
    goal = DevelopmentGoal.objects.filter(person=member).first()
    if goal is not None:
        pages.append(f"/me/support/plan/{goal.pk}/")
    return pages


def coordinator_pages() -> list[str]:
    opportunity = Opportunity.objects.filter(organisation__slug="afon-health-board").order_by("pk").first()
    application = Application.objects.filter(opportunity__organisation__slug="afon-health-board").first()
    session = Session.objects.filter(organisation__slug="afon-health-board").order_by("pk").first()
    afon = Organisation.objects.get(slug="afon-health-board")
    person = Person.objects.sharing_with(afon).order_by("pk").first()
    assert opportunity and application and session and person, (
        "the demo lacks an opportunity, application, session or person"
    )
    pages = [
        "/staff/opportunities/",
        "/staff/opportunities/new/",
        f"/staff/opportunities/{opportunity.pk}/",
        "/staff/opportunities/groups/",
        f"/staff/applications/{application.pk}/",
        f"/staff/applications/{application.pk}/appoint/",
        "/staff/people/",
        "/staff/people/new/",
        f"/staff/people/{person.pk}/",
        f"/staff/people/{person.pk}/offer/",
        "/staff/sessions/",
        "/staff/sessions/new/",
        "/staff/sessions/venues/",
        f"/staff/sessions/{session.pk}/",
        f"/staff/sessions/{session.pk}/attendance/",
        f"/staff/sessions/{session.pk}/after/",
        "/staff/payments/claims/",
        "/staff/opportunities/dashboard/",
        "/staff/support/",
        f"/staff/support/people/{person.pk}/",
        f"/staff/support/people/{person.pk}/assign/",
        f"/staff/support/people/{person.pk}/contact/",
        f"/staff/support/people/{person.pk}/supervision/",
        "/staff/support/handover/",
        "/staff/support/digest/",
        "/staff/support/groups/",
        "/staff/support/mentoring/",
    ]
    group = SupervisionGroup.objects.filter(organisation=afon).first()
    if group is not None:
        pages.append(f"/staff/support/groups/{group.pk}/")
    return pages


ADMIN_PAGES = ["/staff/people/reads/", "/staff/organisation/security/", "/staff/organisation/"]
BUDGET_HOLDER_PAGES = ["/staff/payments/approvals/", "/staff/payments/budgets/", "/staff/payments/batches/"]
SIGNED_OUT_PAGES = ["/", "/opportunities/", "/accounts/login/", "/accounts/signup/"]


def assert_reflows(page: Page, paths: list[str], problems: list[str]) -> None:
    for path in paths:
        response = page.goto(path)
        if response is None or response.status != 200:
            problems.append(f"{path} answered {response and response.status}")
        axe_check(page)
        overflow: dict[str, Any] | None = page.evaluate(FIND_OVERFLOW)
        if overflow:
            problems.append(
                f"{path} is {overflow['scrollWidth']}px wide in a {overflow['clientWidth']}px window:\n    "
                + "\n    ".join(overflow["elements"])
            )


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_every_page_the_journeys_visit_fits_a_320_pixel_screen(page: Page, live_server: Any, lang: str) -> None:
    call_command("demo", quiet=True)
    page.set_viewport_size(NARROW)
    language = {"name": "withus_language", "value": lang, "url": live_server.url}
    problems: list[str] = []

    page.context.add_cookies([language])
    assert_reflows(page, SIGNED_OUT_PAGES, problems)

    member = Person.objects.get(user__email=f"member@{DEMO_DOMAIN}")
    assert member.user is not None
    for user, staff, paths in [
        (member.user, False, member_pages(member)),
        (demo_user("coordinator"), True, coordinator_pages()),
        (demo_user("budget"), True, BUDGET_HOLDER_PAGES),
        (demo_user("admin"), True, ADMIN_PAGES),
        # The member's support page as the safeguarding lead reads it, safeguarding note and all.
        (demo_user("safeguarding"), True, [f"/staff/support/people/{member.pk}/"]),
    ]:
        page.context.clear_cookies()
        session = {"name": "sessionid", "value": signed_in_cookie(user, staff=staff), "url": live_server.url}
        page.context.add_cookies([language, session])
        assert_reflows(page, paths, problems)

    assert not problems, "pages that scroll sideways at 320px:\n" + "\n".join(problems)
