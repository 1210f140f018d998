"""An admin brings the register they kept before into WithUs, in English and in Welsh.

A spreadsheet of 300 people with 10 problem rows is uploaded; its columns are matched (and the
match remembered); the check shows 290 people to add and every problem row with why, and writes
nothing. The admin corrects the file and uploads it again: the remembered match is used, one row
matches someone already registered and is shown side by side, the admin chooses to merge it, and
imports. Then the whole import is undone and the register is as it was.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import at, by_role_or, check_page, choice, field, nav_link, open_site, sign_in, tr
from tests.conftest import make_member, make_staff
from tests.imports.helpers import as_xlsx, good_row
from withus.accounts.models import Organisation, Role
from withus.people.models import Person

pytestmark = pytest.mark.browser

ROWS = 300


def register_rows(*, broken: bool) -> list[list[str]]:
    rows = [good_row(n) for n in range(1, ROWS + 1)]
    if broken:
        for n in (10, 20, 30):
            rows[n][1] = f"person{n:03d}-at-example.org"  # no @
        for n in (40, 50):
            rows[n][6] = "visitor"  # neither a service user nor a carer
        for n in (60, 70):
            rows[n][5] = "NOT A CODE"
        rows[80][1] = rows[79][1]  # the same person twice
        rows[90][1] = rows[89][1]
        rows[100][0] = ""  # no name
    return rows


def upload(page: Page, lang: str, path: Path) -> None:
    field(page, lang, "Your register", "#id_file").set_input_files(path)
    by_role_or(
        page,
        lang,
        page.get_by_role("button", name="Upload and match the columns", exact=True),
        "button[type=submit]",
    ).click()
    expect(page).to_have_url(at(r"/staff/imports/\d+/columns/"))
    check_page(page, lang)


def choose_consent_and_check(page: Page, lang: str, *, remember: str = "") -> None:
    choice(
        page,
        lang,
        "On what lawful basis do you hold these people's details?",
        "Consent: each person agreed to us keeping their details",
        "input[name=lawful_basis][value=consent]",
    ).check()
    if remember:
        field(page, lang, "Remember this mapping as (optional)", "#id_mapping_name").fill(remember)
    by_role_or(
        page, lang, page.get_by_role("button", name="Check every row", exact=True), "button[type=submit]"
    ).click()
    expect(page).to_have_url(at(r"/staff/imports/\d+/"))
    check_page(page, lang)


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_an_admin_maps_checks_fixes_imports_and_undoes_a_register(
    page: Page, org_a: Organisation, lang: str, tmp_path: Path
) -> None:
    admin = make_staff(org_a, Role.ADMIN, f"admin-{lang}@example.org")
    already = make_member(org_a, full_name="Old Name")
    Person.objects.filter(pk=already.pk).update(email="person006@example.org")
    broken, fixed = tmp_path / "register.xlsx", tmp_path / "register-fixed.xlsx"
    broken.write_bytes(as_xlsx(register_rows(broken=True)))
    fixed.write_bytes(as_xlsx(register_rows(broken=False)))

    open_site(page, lang)
    sign_in(page, lang, admin.email, totp=True)
    nav_link(page, lang, "Bring in an existing register", "/staff/imports/").click()
    expect(page).to_have_url(at(r"/staff/imports/"))
    check_page(page, lang)

    # First the file with its problems: the columns are guessed from their names.
    upload(page, lang, broken)
    expect(page.locator("#id_column_0")).to_have_value("full_name")
    expect(page.locator("#id_column_1")).to_have_value("email")
    expect(page.locator("#id_column_3")).to_have_value("address")
    expect(page.locator("#id_column_4")).to_have_value("address")
    # Leaving the name out is refused, saying why, and what was chosen is kept.
    page.locator("#id_column_0").select_option("")
    by_role_or(
        page, lang, page.get_by_role("button", name="Check every row", exact=True), "button[type=submit]"
    ).click()
    expect(page.get_by_role("alert")).to_contain_text(
        tr(lang, "Choose the column that holds %(field)s.", field=tr(lang, "Full name").lower())
    )
    expect(page.locator("#id_column_1")).to_have_value("email")
    check_page(page, lang)
    page.locator("#id_column_0").select_option("full_name")
    choose_consent_and_check(page, lang, remember="Old spreadsheet")

    # The dry run: 290 to add, 10 problems with their reasons, nothing written yet.
    expect(page.locator("#count-added")).to_have_text("289")  # row 7 matches someone registered
    expect(page.locator("#count-problems")).to_have_text("10")
    problems = page.get_by_role("table", name=tr(lang, "Rows with a problem"), exact=True).locator("tbody tr")
    expect(problems).to_have_count(10)
    expect(problems.first).to_contain_text("person010-at-example.org")
    expect(page.get_by_role("main")).to_contain_text(tr(lang, "There is no name."))
    assert Person.objects.count() == 1

    # Corrected, and uploaded again: the remembered match is used.
    page.goto("/staff/imports/")
    check_page(page, lang)
    upload(page, lang, fixed)
    expect(page.get_by_role("main")).to_contain_text("Old spreadsheet")
    choose_consent_and_check(page, lang)
    expect(page.locator("#count-added")).to_have_text("299")
    expect(page.locator("#count-problems")).to_have_text("0")
    # Row 7 has the e-mail address of someone registered: both shown side by side.
    match = page.get_by_role("group", name=tr(lang, "Row %(row)s and %(name)s", row="7", name="Old Name"))
    if lang == "en":
        match = page.get_by_role("group", name="Row 7 and Old Name (same e-mail address)", exact=True)
    expect(match.get_by_role("table")).to_contain_text("Old Name")
    expect(match.get_by_role("table")).to_contain_text("Person 006")
    page.locator("#decision_7_merge").check()
    by_role_or(
        page, lang, page.get_by_role("button", name="Import", exact=True), "button[name=action][value=import]"
    ).click()
    expect(page).to_have_url(at(r"/staff/imports/\d+/"))
    check_page(page, lang)
    expect(page.get_by_role("status")).to_contain_text("299")
    expect(page.locator("#count-added")).to_have_text("299")
    expect(page.locator("#count-updated")).to_have_text("1")
    assert Person.objects.sharing_with(org_a).count() == 300
    already.refresh_from_db()
    assert already.full_name == "Person 006"

    # Undone as a whole: the register is as it was.
    by_role_or(
        page, lang, page.get_by_role("button", name="Undo this import", exact=True), "form[action$='/undo/'] button"
    ).click()
    expect(page).to_have_url(at(r"/staff/imports/\d+/"))
    check_page(page, lang)
    expect(page.get_by_role("main")).to_contain_text(tr(lang, "Undone"))
    assert Person.objects.count() == 1
    already.refresh_from_db()
    assert already.full_name == "Old Name"


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_an_admin_brings_in_past_attendance(page: Page, org_a: Organisation, lang: str, tmp_path: Path) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from tests.imports.helpers import as_csv
    from tests.meetings.factories import make_venue
    from withus.meetings.models import Attendance, Session

    admin = make_staff(org_a, Role.ADMIN, f"admin-{lang}@example.org")
    make_venue(org_a, name="Civic Centre")
    for name in ("Ann Jones", "Bob Evans"):
        make_member(org_a, full_name=name)
    day = (timezone.localdate() - timedelta(days=40)).strftime("%d/%m/%Y")
    rows = [[name, "Carers forum", day, "yes", "Civic Centre"] for name in ("Ann Jones", "Bob Evans", "Eve Nobody")]
    path = tmp_path / "attendance.csv"
    path.write_bytes(as_csv(rows, ["Name", "Meeting", "Date", "Attended", "Venue"]))

    open_site(page, lang)
    sign_in(page, lang, admin.email, totp=True)
    page.goto("/staff/imports/")
    check_page(page, lang)
    choice(
        page,
        lang,
        "What is in the file",
        "Past attendance: who came to which meeting (bring the people in first)",
        "input[name=kind][value=attendance]",
    ).check()
    upload(page, lang, path)
    expect(page.locator("#id_column_1")).to_have_value("session_title")
    expect(page.locator("input[name=lawful_basis]")).to_have_count(0)
    by_role_or(
        page, lang, page.get_by_role("button", name="Check every row", exact=True), "button[type=submit]"
    ).click()
    expect(page).to_have_url(at(r"/staff/imports/\d+/"))
    check_page(page, lang)
    expect(page.locator("#count-added")).to_have_text("2")
    expect(page.locator("#count-sessions")).to_have_text("1")
    expect(page.get_by_role("main")).to_contain_text("Eve Nobody")
    by_role_or(page, lang, page.get_by_role("button", name="Import", exact=True), "button[value=import]").click()
    check_page(page, lang)
    session = Session.objects.get(organisation=org_a)
    assert session.status == Session.Status.HELD
    assert Attendance.objects.filter(session=session).count() == 2
