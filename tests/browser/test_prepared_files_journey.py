"""A coordinator has a batch of letters and a long people list made in the background, in English and Welsh.

From the outbox they ask for the letters' PDF; the file's page shows it waiting with a progress bar and a
link to look again; the task worker lays the letters out; the page then offers the PDF and "I have posted
these letters", which empties the outbox. From the people list they ask for the list as XLSX, with its
filter kept, and download it when it is ready. Every page is checked with axe.
"""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import at, by_role_or, check_page, choice, nav_link, open_site, sign_in
from tests.conftest import make_member, make_staff, run_worker
from withus.accounts.models import Organisation, Role
from withus.people.models import Channel, OutgoingMessage, Person

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_a_coordinator_has_letters_and_the_people_list_made_in_the_background(
    page: Page, org_a: Organisation, lang: str, settings: object, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    coordinator = make_staff(org_a, Role.COORDINATOR, f"coord-{lang}@example.org")
    posted = make_member(
        org_a, full_name="Siân Post", preferred_channel=Channel.POST, address="3 Heol y Nant", postcode="SY23 1AA"
    )
    for n in range(3):
        OutgoingMessage.objects.create(
            person=posted,
            organisation=org_a,
            channel=Channel.POST,
            status=OutgoingMessage.Status.TO_PRINT,
            subject=f"Letter {n}",
            body="We meet on Tuesday.",
        )
    make_member(org_a, full_name="Rhys Away", status=Person.Status.STEPPED_OUT)

    open_site(page, lang)
    sign_in(page, lang, coordinator.email, totp=True)
    page.goto("/staff/outbox/")
    check_page(page, lang)
    by_role_or(
        page,
        lang,
        page.get_by_role("button", name="Prepare the PDF in the background", exact=True),
        "form[action='/staff/files/letters/'] button",
    ).click()
    expect(page).to_have_url(at(r"/staff/files/\d+/"))
    check_page(page, lang)
    expect(page.locator("progress")).to_have_count(1)
    run_worker()
    look_again = page.get_by_role("main").locator("p a[href^='/staff/files/']").last
    look_again.click()
    check_page(page, lang)
    expect(page.locator("progress")).to_have_count(0)
    with page.expect_download() as downloading:
        page.locator("#download").click()
    assert Path(downloading.value.path()).read_bytes().startswith(b"%PDF")
    page.get_by_role("main").locator("form[action='/staff/outbox/done/'] button").click()
    expect(page).to_have_url(at("/staff/outbox/"))
    check_page(page, lang)
    assert not OutgoingMessage.objects.filter(status=OutgoingMessage.Status.TO_PRINT).exists()

    page.goto("/staff/people/?status=stepped_out")
    check_page(page, lang)
    by_role_or(
        page,
        lang,
        page.get_by_role("link", name="A long list? Prepare it in the background", exact=True),
        "a[href^='/staff/files/people/']",
    ).click()
    expect(page).to_have_url(at(r"/staff/files/people/\?status=stepped_out"))
    check_page(page, lang)
    # Without a choice the page says what is wrong and keeps the filter.
    page.get_by_role("main").locator("button[type=submit]").click()
    check_page(page, lang)
    expect(page.locator("#error-summary")).to_be_visible()
    choice(
        page,
        lang,
        "Which kind of file",
        "XLSX, for Excel or LibreOffice: dates and numbers typed",
        "input[name=file_format][value=xlsx]",
    ).check()
    page.get_by_role("main").locator("button[type=submit]").click()
    expect(page).to_have_url(at(r"/staff/files/\d+/"))
    check_page(page, lang)
    run_worker()
    page.reload()
    check_page(page, lang)
    with page.expect_download() as downloading:
        page.locator("#download").click()
    sheet = openpyxl.load_workbook(io.BytesIO(Path(downloading.value.path()).read_bytes()), read_only=True).active
    assert sheet is not None
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == ["Rhys Away"]

    nav_link(page, lang, "Files prepared for you", "/staff/files/").click()
    expect(page).to_have_url(at("/staff/files/"))
    check_page(page, lang)
    expect(page.get_by_role("main").locator("tbody tr")).to_have_count(2)
    page.goto("/staff/sessions/attendance/")
    check_page(page, lang)
    page.get_by_role("main").locator("a[href='/staff/files/attendance/']").click()
    expect(page).to_have_url(at("/staff/files/attendance/"))
    check_page(page, lang)
