"""Browser journeys: Playwright drives Debian's chromium against pytest-django's live server.

Every page a journey opens is scanned with axe (WCAG 2.2 A and AA rules); serious and
critical violations fail the test. The ``page`` fixture counts the documents the browser
loads, and a test that leaves a loaded page unscanned fails too, so a new step added to
a journey cannot skip the scan by accident.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from axe_playwright_python.sync_playwright import Axe
from django.core.cache import cache
from django.utils import translation
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

from tests.conftest import TOTP_SECRET

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from
# a thread with a running loop unless told this is deliberate.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "a-good-long-password"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
FAILING_IMPACTS = {"serious", "critical"}

_axe = Axe()


@dataclass
class ScanLog:
    """Which of the documents loaded in a page have been scanned with axe."""

    loaded: list[str] = field(default_factory=list)
    scanned: set[int] = field(default_factory=set)

    def unscanned(self) -> list[str]:
        return [url for number, url in enumerate(self.loaded, start=1) if number not in self.scanned]


_scan_logs: dict[int, ScanLog] = {}


def axe_check(page: Page) -> None:
    """Fail listing every serious or critical WCAG 2.2 A/AA violation on the page as it is now."""
    page.wait_for_load_state("load")
    results = _axe.run(page, options=AXE_OPTIONS)
    log = _scan_logs.get(id(page))
    if log is not None:
        log.scanned.add(len(log.loaded))
    problems = [v for v in results.response["violations"] if v.get("impact") in FAILING_IMPACTS]
    if problems:
        lines = [f"axe found {len(problems)} serious or critical violation(s) on {page.url}:"]
        for violation in problems:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
            for node in violation["nodes"]:
                lines.append(f"    at {', '.join(str(t) for t in node['target'])}: {node['html'][:200]}")
        pytest.fail("\n".join(lines), pytrace=False)


def at(path_pattern: str) -> re.Pattern[str]:
    """The whole address of a page on the live server, from its path (a regular expression)."""
    return re.compile(rf"^https?://[^/]+{path_pattern}$")


def tr(lang: str, message: str, **params: str) -> str:
    """What the server shows for ``message`` in ``lang``, from the same compiled catalogues."""
    with translation.override(lang):
        text = translation.gettext(message)
    return text % params if params else text


def check_page(page: Page, lang: str) -> None:
    """The page is in ``lang`` and passes the accessibility scan."""
    expect(page.locator("html")).to_have_attribute("lang", lang)
    axe_check(page)


def switch_language(page: Page, to: str) -> None:
    """Use the language button in the header (it posts to /i18n/setlang/), then check the page it comes back to."""
    name = {"cy": "Cymraeg", "en": "English"}[to]
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/i18n/setlang/")) as posted:
        page.get_by_role("banner").get_by_role("button", name=name, exact=True).click()
    assert posted.value.status == 302, posted.value.status
    check_page(page, to)


def field(page: Page, lang: str, label: str, selector: str) -> Locator:
    """A field by its label in English, which checks the label too; by name or id in Welsh.

    Welsh runs do not depend on the wording of labels, which translators may still change.
    """
    return page.get_by_label(label, exact=True) if lang == "en" else page.locator(selector)


def choice(page: Page, lang: str, question: str, option: str, selector: str) -> Locator:
    """A radio button or checkbox by its question (the legend) and label in English; by selector in Welsh."""
    if lang == "en":
        return page.get_by_role("group", name=question, exact=True).get_by_label(option, exact=True)
    return page.locator(selector)


DATE_BOXES = {"day": "Day", "month": "Month", "year": "Year", "time": "Time"}


def date_boxes(page: Page, lang: str, legend: str, name: str, *, with_time: bool = False) -> dict[str, Locator]:
    """A date's boxes (and its time's): by the question (the legend) and each box's label in English, by id in Welsh."""
    parts = ["day", "month", "year"] + (["time"] if with_time else [])
    if lang == "en":
        group = page.get_by_role("group", name=legend, exact=True)
        return {part: group.get_by_label(DATE_BOXES[part], exact=True) for part in parts}
    return {part: page.locator(f"#id_{name}_{part}") for part in parts}


def fill_date(page: Page, lang: str, legend: str, name: str, day: date, at_time: str | None = None) -> None:
    """Type a date into its day, month and year boxes, as a person would (``27``, ``3``, ``2026``), and a time."""
    boxes = date_boxes(page, lang, legend, name, with_time=at_time is not None)
    boxes["day"].fill(str(day.day))
    boxes["month"].fill(str(day.month))
    boxes["year"].fill(str(day.year))
    if at_time is not None:
        boxes["time"].fill(at_time)


def expect_date(page: Page, name: str, day: date, at_time: str | None = None) -> None:
    """The date's boxes still hold what was typed."""
    expect(page.locator(f"#id_{name}_day")).to_have_value(str(day.day))
    expect(page.locator(f"#id_{name}_month")).to_have_value(str(day.month))
    expect(page.locator(f"#id_{name}_year")).to_have_value(str(day.year))
    if at_time is not None:
        expect(page.locator(f"#id_{name}_time")).to_have_value(at_time)


def current_totp_code() -> str:
    """The authenticator code for TOTP_SECRET, never one about to expire (allauth allows no drift)."""
    left = 30 - time.time() % 30
    if left < 3:
        time.sleep(left + 0.5)
    return format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30))


# Texts the journeys look for in each language (allauth's sign-in wording comes from its own catalogue).
JOURNEY_TEXT = {
    "en": {"sign_in_link": "Sign in", "sign_in": "Sign in", "problem": "There is a problem"},
    "cy": {"sign_in_link": "Mewngofnodi", "sign_in": "Mewngofnodi", "problem": "Mae problem wedi codi"},
}


def by_role_or(page: Page, lang: str, english: Locator, selector: str) -> Locator:
    """``english`` (found by role and name) in English; ``selector`` within the main content in Welsh."""
    return english if lang == "en" else page.get_by_role("main").locator(selector)


HEADER_LINKS = ("/", "/opportunities/", "/staff/")


def nav_link(page: Page, lang: str, name: str, href: str) -> Locator:
    """A page's link, as a person finds it: in the header, or on their home page through the header.

    The header links to the opportunities, the person's own pages and the staff pages; every
    other page is listed on one of those two home pages. Found by name in English and by
    address in Welsh.
    """
    if href not in HEADER_LINKS:
        home = "/staff/" if href.startswith("/staff/") else "/"
        page.get_by_role("banner").locator(f"nav a[href='{home}']").click()
        expect(page).to_have_url(at(re.escape(home)))
        check_page(page, lang)
        where = page.get_by_role("main")
    else:
        where = page.get_by_role("banner")
    if lang == "en":
        return where.get_by_role("link", name=name, exact=True)
    return where.locator(f"a[href='{href}']")


def open_site(page: Page, lang: str) -> None:
    page.goto("/")
    check_page(page, "en")
    if lang == "cy":
        switch_language(page, "cy")


def sign_in(page: Page, lang: str, email: str, *, totp: bool) -> None:
    """Sign in from the header link; staff also give the code from their authenticator app."""
    t = JOURNEY_TEXT[lang]
    page.get_by_role("banner").get_by_role("link", name=t["sign_in_link"], exact=True).click()
    expect(page).to_have_url(at(r"/accounts/login/"))
    check_page(page, lang)
    field(page, lang, "E-mail address", "#id_login").fill(email)
    field(page, lang, "Password", "#id_password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name=t["sign_in"], exact=True).click()
    if totp:
        expect(page).to_have_url(at(r"/accounts/2fa/authenticate/"))
        check_page(page, lang)
        field(page, lang, "Code", "#id_code").fill(current_totp_code())
        page.get_by_role("main").get_by_role("button", name=t["sign_in"], exact=True).click()
    expect(page).to_have_url(at(r"/"))
    check_page(page, lang)


def expect_error_summary(page: Page, lang: str, errors: dict[str, str]) -> None:
    """The error summary is shown, with each message linking to its field (``errors``: field id → message)."""
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading", name=JOURNEY_TEXT[lang]["problem"])).to_be_visible()
    for field_id, message in errors.items():
        link = summary.locator(f"a[href='#{field_id}']")
        expect(link).to_have_count(1)
        expect(link).to_have_text(message)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    report = yield
    if report.when == "call":
        item.stash[_call_failed] = report.failed
    return report


_call_failed = pytest.StashKey[bool]()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install Debian's browser with `apt-get install chromium`."
        if os.environ.get("WITHUS_REQUIRE_BROWSER") == "1":
            pytest.fail(f"WITHUS_REQUIRE_BROWSER=1 but {message}", pytrace=False)
        pytest.skip(message)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@contextmanager
def _scanned_page(request: pytest.FixtureRequest, browser: Browser, base_url: str) -> Iterator[Page]:
    """A page in a browser context of its own (its own cookies), whose loaded documents must all be scanned."""
    context = browser.new_context(base_url=base_url, locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    log = _scan_logs[id(page)] = ScanLog()
    page.on("load", lambda loaded: log.loaded.append(loaded.url))
    # Anything the Content-Security-Policy blocks (an inline style or script, say) is a failure.
    blocked: list[str] = []
    page.on(
        "console",
        lambda message: blocked.append(f"{page.url}: {message.text}")
        if message.type == "error" and "Content Security Policy" in message.text
        else None,
    )
    try:
        yield page
    finally:
        context.close()
        del _scan_logs[id(page)]
    if not request.node.stash.get(_call_failed, True):
        unscanned = log.unscanned()
        assert not unscanned, f"pages visited but never scanned with axe_check: {unscanned}"
        assert not blocked, "the Content-Security-Policy blocked:\n" + "\n".join(blocked)


@pytest.fixture
def page(request: pytest.FixtureRequest, browser: Browser, live_server: Any) -> Iterator[Page]:
    # Rate limits and used one-time codes live in the database cache, which the
    # live server's flush between tests does not empty.
    cache.clear()
    with _scanned_page(request, browser, live_server.url) as page:
        yield page


@pytest.fixture
def second_page(request: pytest.FixtureRequest, browser: Browser, live_server: Any, page: Page) -> Iterator[Page]:
    """A second person's browser in the same journey: separate cookies and session, scanned like ``page``."""
    with _scanned_page(request, browser, live_server.url) as second:
        yield second
