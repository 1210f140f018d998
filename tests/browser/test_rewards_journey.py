"""A fee from offer to statement, with the benefits guard on the way.

The member chooses to be paid by bank transfer and tells WithUs they get Carer's Allowance,
shared with the organisation. The coordinator offers a fee that would take the week's
earnings over the Carer's Allowance earnings limit; both see the guard's warning. The member
asks for a lower fee that would pay for only part of the activity (refused, saying why and
what they can choose instead), then chooses to take part for fewer hours. The coordinator
records that the member attended. The member claims their mileage with a receipt. The
coordinator sends the fee and the claim to the budget, the budget holder approves both,
batches them for bank transfer, exports the payment file and marks the batch paid. The
member sees it paid and downloads the statement.

Staff (the coordinator, then the budget holder, who signs in after the coordinator signs
out) and the member each use a browser of their own. The journey runs in English and in
Welsh; in Welsh, fields, buttons and links are found by name, id, value or address, and any
Welsh wording checked comes from the compiled catalogues through ``tr()``.

Dates: the browser runs in real time and the server runs in this process, so nothing is
time-travelled. The offer is for today, and setup adds a Carer's Allowance row covering the
whole tax year this week falls in (the shipped rows end in April 2026), with its source.
"""

from __future__ import annotations

import csv
import io
import re
import struct
import zlib
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone, translation
from openpyxl import load_workbook
from playwright.sync_api import Locator, Page, expect
from pytest_django.fixtures import SettingsWrapper

from tests.browser.conftest import (
    at,
    by_role_or,
    check_page,
    choice,
    expect_error_summary,
    field,
    fill_date,
    nav_link,
    open_site,
    sign_in,
    tr,
)
from tests.conftest import make_member, make_staff
from tests.core.xlsx import assert_money, assert_text, records, sheet_of
from tests.meetings.factories import make_invitation, make_session
from withus.accounts.models import Organisation, Role, User
from withus.meetings.models import Attendance, Session
from withus.people.models import Person
from withus.rewards import reference, rules
from withus.rewards.models import BenefitLimit, Budget, IncomeLine, MileageRate

pytestmark = pytest.mark.browser

SORT_CODE, ACCOUNT_NUMBER = "30-90-12", "00733445"
MILES, PASSENGERS = "24", "1"
# 24 miles at 45p, and 5p a mile for the passenger (HMRC rates).
MILEAGE = Decimal("12.00")
FEE_ACCEPTED = Decimal("150.00")


def png_bytes() -> bytes:
    """A real one-pixel white PNG: a photo of a receipt, as far as the type check is concerned."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def answer_name(description: str) -> re.Pattern[str]:
    """The "Send my answer" button's name, which ends with the offer's description (hidden text, for screen readers)."""
    return re.compile(rf"^Send my answer\s*:\s*{re.escape(description)}$")


def main_button(page: Page, lang: str, name: str, selector: str) -> Locator:
    """A button in the main content, by its name in English and by ``selector`` in Welsh."""
    return by_role_or(page, lang, page.get_by_role("main").get_by_role("button", name=name, exact=True), selector)


def expect_status(page: Page, text: str) -> None:
    expect(page.get_by_role("status")).to_have_text(text)


def expect_error_title(page: Page, lang: str) -> None:
    expect(page).to_have_title(re.compile("^" + re.escape(tr(lang, "Error:"))))


def pounds(amount: Decimal | str) -> str:
    return f"{Decimal(amount):.2f}"


# ---- The member ---------------------------------------------------------------------------------


def member_chooses_bank_transfer(page: Page, lang: str, member: Person) -> None:
    """Bank details mistyped first (refused, nothing saved), then right."""
    open_site(page, lang)
    assert member.user is not None
    sign_in(page, lang, member.user.email, totp=False)
    nav_link(page, lang, "My payments", "/me/payments/").click()
    expect(page).to_have_url(at(r"/me/payments/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(tr(lang, "Payments and statements"))
    expect(page.get_by_role("main")).to_contain_text(tr(lang, "You have not told us yet how you want to be rewarded."))
    check_page(page, lang)
    by_role_or(
        page,
        lang,
        page.get_by_role("main").get_by_role("link", name="Change how you want to be rewarded", exact=True),
        "a[href='/me/payments/reward/']",
    ).click()

    expect(page).to_have_url(at(r"/me/payments/reward/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(tr(lang, "How you want to be rewarded"))
    check_page(page, lang)
    choice(
        page,
        lang,
        "How do you want to be rewarded, usually?",
        "Bank transfer",
        "input[name=method][value=bank_transfer]",
    ).check()
    field(page, lang, "Name on the account (optional)", "#id_account_name").fill(member.full_name)
    sort_code = field(page, lang, "Sort code (optional)", "#id_sort_code")
    account_number = field(page, lang, "Account number (optional)", "#id_account_number")
    sort_code.fill("30-90-1")
    account_number.fill("0073344")
    save = main_button(page, lang, "Save", "form button[type=submit]")
    save.click()

    expect(page).to_have_url(at(r"/me/payments/reward/"))
    expect_error_title(page, lang)
    expect_error_summary(
        page,
        lang,
        {
            "id_sort_code": tr(lang, "Give a sort code of 6 numbers, like 30-90-12."),
            "id_account_number": tr(lang, "Give an account number of 8 numbers, like 00733445."),
        },
    )
    expect(page.locator("#id_sort_code")).to_have_attribute("aria-invalid", "true")
    check_page(page, lang)
    sort_code.fill(SORT_CODE)
    account_number.fill(ACCOUNT_NUMBER)
    # Bank details are never put back into the page, so the name is typed again.
    field(page, lang, "Name on the account (optional)", "#id_account_name").fill(member.full_name)
    save.click()

    expect(page).to_have_url(at(r"/me/payments/"))
    expect_status(page, tr(lang, "Thank you. We have saved how you want to be rewarded."))
    usually = page.get_by_role("main").locator(".summary-list__row", has_text=tr(lang, "Usually"))
    expect(usually.locator("dd")).to_have_text(tr(lang, "Bank transfer"))
    check_page(page, lang)


def member_declares_carers_allowance(page: Page, lang: str, organisation: Organisation) -> None:
    """Sent without choosing a benefit first, then Carer's Allowance, shared with the organisation."""
    nav_link(page, lang, "Benefits", "/me/benefits/").click()
    expect(page).to_have_url(at(r"/me/benefits/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(tr(lang, "Benefits and payments"))
    expect(page.get_by_role("main")).to_contain_text(tr(lang, "You have not told us about any benefits."))
    check_page(page, lang)
    tell_us = main_button(page, lang, "Tell us", "form[action='/me/benefits/'] button[type=submit]")
    tell_us.click()

    expect(page).to_have_url(at(r"/me/benefits/"))
    expect_error_title(page, lang)
    expect_error_summary(page, lang, {"id_benefit_0": tr(lang, "Choose the benefit you get.")})
    check_page(page, lang)
    choice(
        page, lang, "Which benefit do you get?", "Carer's Allowance", "input[name=benefit][value=carers_allowance]"
    ).check()
    choice(
        page,
        lang,
        "Which organisations may take this into account? (optional)",
        organisation.name,
        f"input[name=share_with][value='{organisation.pk}']",
    ).check()
    tell_us.click()

    expect(page).to_have_url(at(r"/me/benefits/"))
    expect_status(page, tr(lang, "Thank you. We will check offers against this benefit's limits for you."))
    benefit = page.get_by_role("heading", level=3, name=tr(lang, "Carer's Allowance"), exact=True)
    # What the member receives and what is counted are separate sections of the page, one card each.
    received = page.get_by_role("region", name=tr(lang, "What you receive"), exact=True)
    card = received.locator(".summary-card").filter(has=benefit)
    expect(card).to_have_count(1)
    expect(card.locator(".summary-list__row", has_text=tr(lang, "Shared with")).locator("dd")).to_have_text(
        organisation.name
    )
    counted = page.get_by_role("region", name=tr(lang, "What is counted this period"), exact=True)
    card = counted.locator(".summary-card").filter(has=benefit)
    expect(card).to_have_count(1)
    # The guard's view of this week: nothing counted yet, against the figure with its source.
    expect(card).to_contain_text(
        tr(
            lang,
            "Counted so far: £%(amount)s in fees and vouchers (offered, accepted or paid).",
            amount="0.00",
        )
    )
    expect(card).to_contain_text(
        tr(lang, "%(label)s: £%(amount)s", label=tr(lang, "Carer's Allowance earnings limit"), amount="196.00")
    )
    check_page(page, lang)


def member_sees_warning_and_accepts_fewer_hours(page: Page, lang: str, description: str) -> None:
    """The warning names the limit and how far over; fewer hours without a number, a lower fee that would split
    the activity (refused, saying why and what is allowed), then three hours of taking part."""
    nav_link(page, lang, "Benefits", "/me/benefits/").click()
    expect(page).to_have_url(at(r"/me/benefits/"))
    offer = (
        page.get_by_role("main")
        .locator("section.card")
        .filter(has=page.get_by_role("heading", level=3, name=description, exact=True))
    )
    expect(offer).to_have_count(1)
    expect(offer).to_contain_text(tr(lang, "A fee of £%(amount)s", amount="200.00"))
    expect(offer.locator("p.warning").first).to_have_text(tr(lang, "This offer could affect your benefits."))
    expect(offer).to_contain_text(
        tr(
            lang,
            "That is £%(over)s over the %(label)s of £%(amount)s.",
            over="4.00",
            label=tr(lang, "Carer's Allowance earnings limit"),
            amount="196.00",
        )
    )
    expect(offer.get_by_role("heading", name=tr(lang, "What you could do"), exact=True)).to_be_visible()
    check_page(page, lang)
    action = offer.locator("form").get_attribute("action")
    assert action and re.fullmatch(r"/me/benefits/offers/\d+/", action), action
    line_pk = action.split("/")[-2]
    prefix = f"offer-{line_pk}"

    fewer = choice(
        page,
        lang,
        "What would you like to do?",
        "Take part for fewer hours",
        f"input[name='{prefix}-choice'][value=fewer_hours]",
    )
    send = by_role_or(
        page,
        lang,
        offer.get_by_role("button", name=answer_name(description)),
        f"form[action='{action}'] button[type=submit]",
    )
    # First go: fewer hours, but not how many.
    fewer.check()
    send.click()

    expect(page).to_have_url(at(action))
    expect_error_title(page, lang)
    expect(page.get_by_role("heading", level=1)).to_have_text(tr(lang, "Answer an offer"))
    expect_error_summary(
        page, lang, {f"id_{prefix}-hours": tr(lang, "Give the number of hours you will take part for.")}
    )
    expect(page.locator(f"#id_{prefix}-hours")).to_have_attribute("aria-invalid", "true")
    # The warning is still there to read.
    expect(page.get_by_role("main")).to_contain_text(tr(lang, "This offer could affect your benefits."))
    check_page(page, lang)
    expect(page.locator(f"input[name='{prefix}-choice'][value=fewer_hours]")).to_be_checked()
    send_again = by_role_or(
        page,
        lang,
        page.get_by_role("main").get_by_role("button", name=answer_name(description)),
        "form button[type=submit]",
    )

    # Second go: a lower fee that would pay for only part of the four hours, refused with why and what is allowed.
    rate = reference.real_living_wage_on(timezone.localdate())
    assert rate is not None
    least = rules.lowest_fee(Decimal("4"), rate[0])
    expect(page.get_by_role("main")).to_contain_text(
        tr(lang, "At least £%(least)s: every paid hour must be paid at least the hourly minimum.", least=str(least))
    )
    choice(
        page, lang, "What would you like to do?", "A lower fee", f"input[name='{prefix}-choice'][value=lower_fee]"
    ).check()
    field(page, lang, "If you choose a lower fee: how much, in pounds? (optional)", f"#id_{prefix}-amount").fill(
        "40.00"
    )
    send_again.click()

    expect(page).to_have_url(at(action))
    expect_error_title(page, lang)
    with translation.override(lang):
        reason = translation.ngettext(
            "£%(asked)s is less than £%(least)s, the least a fee for %(hours)s hour can be (£%(rate)s an hour, "
            "%(what)s). A lower fee than that would pay for only part of the activity.",
            "£%(asked)s is less than £%(least)s, the least a fee for %(hours)s hours can be (£%(rate)s an hour, "
            "%(what)s). A lower fee than that would pay for only part of the activity.",
            4,
        ) % {
            "asked": "40.00",
            "least": str(least),
            "hours": "4",
            "rate": str(rate[0]),
            "what": tr(lang, "the Real Living Wage"),
        }
    refused = tr(
        lang,
        "%(reason)s One activity cannot be split into a paid part and a voluntary part. Instead you can take part "
        "for fewer hours, give the fee to a charity, have expenses only, or decline the fee for the whole activity.",
        reason=reason,
    )
    expect_error_summary(page, lang, {f"id_{prefix}-amount": refused})
    expect(page.locator(f"#id_{prefix}-amount")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(f"#id_{prefix}-amount")).to_have_value("40.00")
    expect(page.locator(f"input[name='{prefix}-choice'][value=lower_fee]")).to_be_checked()
    check_page(page, lang)

    # Third go: take part for three of the four hours, every one of them paid.
    choice(
        page,
        lang,
        "What would you like to do?",
        "Take part for fewer hours",
        f"input[name='{prefix}-choice'][value=fewer_hours]",
    ).check()
    field(
        page,
        lang,
        "If you choose fewer hours: how many hours will you take part for? (optional)",
        f"#id_{prefix}-hours",
    ).fill("3")
    send_again.click()

    expect(page).to_have_url(at(r"/me/benefits/"))
    # The fee now says what is offered: three hours of taking part, £150.00.
    changed = tr(
        lang,
        "%(what)s: taking part for %(hours)s h, £%(amount)s (first offered for %(offered)s h)",
        what=description,
        hours="3",
        amount="150.00",
        offered="4",
    )
    expect_status(
        page, tr(lang, "You have accepted %(amount)s for %(description)s.", amount="£150.00", description=changed)
    )
    expect(page.get_by_role("main").locator("section.card")).to_have_count(0)
    # £150.00 is now counted this week, within the limit.
    expect(page.get_by_role("main")).to_contain_text(
        tr(
            lang,
            "Counted so far: £%(amount)s in fees and vouchers (offered, accepted or paid).",
            amount="150.00",
        )
    )
    check_page(page, lang)


def member_claims_mileage(page: Page, lang: str, organisation: Organisation, tmp_path: Path) -> None:
    """A receipt that is not an image or PDF first (refused, the answers kept), then a real PNG."""
    today = timezone.localdate()
    page.goto("/me/payments/expenses/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text(tr(lang, "Claim expenses"))
    check_page(page, lang)
    not_a_receipt = tmp_path / "receipt.png"
    not_a_receipt.write_text("This is not a picture of a receipt.")
    receipt = tmp_path / "fuel-receipt.png"
    receipt.write_bytes(png_bytes())

    choice(page, lang, "What is the expense for?", "Mileage from home", "input[name=category][value=mileage]").check()
    field(page, lang, "Miles, there and back", "#id_miles").fill(MILES)
    field(page, lang, "Passengers you took (optional)", "#id_passengers").fill(PASSENGERS)
    fill_date(page, lang, "Date of the activity", "activity_date", today)
    choice(
        page,
        lang,
        "Which organisation is this claim for?",
        organisation.name,
        f"input[name=organisation][value='{organisation.pk}']",
    ).check()
    field(page, lang, "Receipt", "#id_receipt").set_input_files(not_a_receipt)
    send = main_button(page, lang, "Send the claim", "form button[type=submit]")
    send.click()

    expect(page).to_have_url(at(r"/me/payments/expenses/new/"))
    expect_error_title(page, lang)
    expect_error_summary(
        page, lang, {"id_receipt": tr(lang, "The receipt must be a photo (JPEG, PNG or HEIC) or a PDF.")}
    )
    expect(page.locator("#id_miles")).to_have_value(MILES)
    expect(page.locator("#receipt-again")).to_be_visible()
    check_page(page, lang)
    field(page, lang, "Receipt", "#id_receipt").set_input_files(receipt)
    send.click()

    expect(page).to_have_url(at(r"/me/payments/expenses/\d+/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(tr(lang, "Your expense claim"))
    expect_status(page, tr(lang, "Your claim has been sent. We will tell you when it is approved."))
    summary = page.get_by_role("main").locator(".summary-list")
    expect(summary.locator(".summary-list__row", has_text=tr(lang, "Amount")).locator("dd")).to_have_text(
        f"£{pounds(MILEAGE)}"
    )
    # The name it was sent with is shown beside it; it is stored under a generated one.
    sent_as = tr(lang, "sent as “%(file)s”", file=receipt.name)
    expect(summary.locator(".summary-list__row", has_text=tr(lang, "Receipt")).locator("dd")).to_have_text(
        f"{tr(lang, 'Attached')} ({sent_as})"
    )
    expect(summary.locator(".tag")).to_have_text(tr(lang, "Claimed, waiting for approval"))
    check_page(page, lang)


def member_sees_paid_and_downloads_statement(page: Page, lang: str, description: str) -> None:
    nav_link(page, lang, "My payments", "/me/payments/").click()
    expect(page).to_have_url(at(r"/me/payments/"))
    rows = page.get_by_role("table", name=tr(lang, "Your offers, claims and payments"), exact=True).locator("tbody tr")
    expect(rows).to_have_count(2)
    fee = rows.filter(has_text=description)
    expect(fee.locator("td").nth(4)).to_have_text(f"£{pounds(FEE_ACCEPTED)}")
    expect(fee.locator("td").nth(5)).to_contain_text(tr(lang, "Paid"))
    mileage = rows.filter(has_text=f"£{pounds(MILEAGE)}")
    expect(mileage.locator("td").nth(5)).to_contain_text(tr(lang, "Paid"))
    start = rules.tax_year(timezone.localdate())[0]
    label = f"{start.year}/{(start.year + 1) % 100:02d}"
    expect(page.get_by_role("main")).to_contain_text(
        tr(
            lang,
            "Fees and vouchers paid to you this tax year (%(label)s): £%(total)s.",
            label=label,
            total=pounds(FEE_ACCEPTED),
        )
    )
    check_page(page, lang)

    # The statement is a PDF, not a page to scan: fetched with the browser's cookies, not opened.
    pdf_link = by_role_or(
        page,
        lang,
        page.get_by_role("main").get_by_role("link", name=f"PDF statement for {label}", exact=True),
        f"a[href='/me/payments/statement/{start.year}.pdf']",
    )
    href = pdf_link.get_attribute("href")
    assert href == f"/me/payments/statement/{start.year}.pdf", href
    response = page.request.get(href)
    assert response.ok, response.status
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")
    # The same statement as a spreadsheet says what the PDF shows: the totals paid this tax year.
    sheet = page.request.get(f"/me/payments/statement/{start.year}.csv")
    assert sheet.ok, sheet.status
    totals = {
        row["kind"]: row["amount"] for row in csv.DictReader(io.StringIO(sheet.text())) if row["section"] == "total"
    }
    assert totals == {"payments": pounds(FEE_ACCEPTED), "expenses": pounds(MILEAGE)}, totals
    # And as an Excel workbook, downloaded from its link: the dates are dates and the amounts are money.
    excel_link = by_role_or(
        page,
        lang,
        page.get_by_role("main").get_by_role("link", name=f"Excel spreadsheet statement for {label}", exact=True),
        f"a[href='/me/payments/statement/{start.year}.xlsx']",
    )
    with page.expect_download() as downloading:
        excel_link.click()
    statement = sheet_of(Path(downloading.value.path()).read_bytes())
    assert [c.value for c in statement[1]] == [
        "section",
        "paid_on",
        "activity_date",
        "organisation",
        "kind",
        "description",
        "expense_category",
        "hours",
        "amount",
        "paid_by",
        "funded_by",
    ]
    paid_rows = [row for row in records(statement) if row["section"].value in ("payment", "expense")]
    assert len(paid_rows) == 2, [[c.value for c in row.values()] for row in paid_rows]
    today = timezone.localdate()
    for row in paid_rows:
        for name in ("paid_on", "activity_date"):
            cell = row[name]
            assert cell.is_date and cell.number_format == "yyyy-mm-dd", (name, cell.value, cell.number_format)
            shown = cell.value.date() if isinstance(cell.value, datetime) else cell.value
            assert shown == today, (name, cell.value)
    assert sorted(f"{row['amount'].value:.2f}" for row in paid_rows) == sorted([pounds(FEE_ACCEPTED), pounds(MILEAGE)])
    for row in paid_rows:
        assert_money(row["amount"], f"{row['amount'].value:.2f}")
    # The download left the page as it was.
    expect(page).to_have_url(at(r"/me/payments/"))


# ---- The coordinator ----------------------------------------------------------------------------


def coordinator_offers_a_fee(page: Page, lang: str, coordinator: User, member: Person, description: str) -> None:
    """An absurd amount first (refused, the rest kept), then £200 for 4 hours today; the guard's view follows."""
    open_site(page, lang)
    sign_in(page, lang, coordinator.email, totp=True)
    person_url = f"/staff/people/{member.pk}/"
    page.goto(person_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(member.full_name)
    check_page(page, lang)
    by_role_or(
        page,
        lang,
        page.get_by_role("main").get_by_role("link", name="Offer a fee or voucher", exact=True),
        f"a[href='{person_url}offer/']",
    ).click()

    expect(page).to_have_url(at(rf"{person_url}offer/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(tr(lang, "Offer a fee or voucher"))
    check_page(page, lang)
    expect(page.locator("input[name=kind][value=fee]")).to_be_checked()
    field(page, lang, "What is it for?", "#id_description").fill(description)
    amount = field(page, lang, "Amount in pounds", "#id_amount")
    amount.fill("6000")
    field(page, lang, "Paid hours", "#id_hours").fill("4")
    fill_date(page, lang, "Date of the activity", "activity_date", timezone.localdate())
    make = main_button(page, lang, "Make the offer", "form button[type=submit]")
    make.click()

    expect(page).to_have_url(at(rf"{person_url}offer/"))
    expect_error_title(page, lang)
    expect_error_summary(page, lang, {"id_amount": tr(lang, "Give an amount from £0 to £%(max)s.", max="5000.00")})
    expect(page.locator("#id_description")).to_have_value(description)
    check_page(page, lang)
    amount.fill("200.00")
    make.click()

    expect(page).to_have_url(at(rf"{person_url}offers/\d+/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(tr(lang, "Offer made"))
    expect_status(page, tr(lang, "The offer is made. %(name)s will see it on WithUs.", name=member.display_name))
    # The member shares Carer's Allowance with this organisation, so the coordinator sees the guard's view too.
    card = (
        page.get_by_role("main")
        .locator(".summary-card")
        .filter(has=page.get_by_role("heading", level=3, name=tr(lang, "Carer's Allowance"), exact=True))
    )
    expect(card).to_have_count(1)
    expect(card).to_contain_text("£200.00")
    expect(card.locator("p.warning")).to_have_text(
        tr(lang, "£%(over)s over the %(label)s.", over="4.00", label=tr(lang, "Carer's Allowance earnings limit"))
    )
    check_page(page, lang)


def coordinator_records_attendance(page: Page, lang: str, member: Person, day: Session) -> None:
    page.goto(f"/staff/sessions/{day.pk}/attendance/")
    expect(page.get_by_role("heading", level=1)).to_have_text(tr(lang, "Attendance"))
    expect(page.get_by_role("main")).to_contain_text(tr(lang, "Nobody recorded yet."))
    check_page(page, lang)
    field(page, lang, "Person", "#id_person").select_option(value=str(member.pk))
    choice(page, lang, "Attendance", "Attended", "input[name=status][value=attended]").check()
    main_button(page, lang, "Save", "form:has(#id_person) button[type=submit]").click()

    expect(page).to_have_url(at(rf"/staff/sessions/{day.pk}/attendance/"))
    expect_status(page, tr(lang, "Attendance recorded."))
    rows = page.get_by_role("table", name=tr(lang, "Attendance"), exact=True).locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(member.full_name)
    expect(rows.first.locator("td").nth(1)).to_have_text(tr(lang, "Attended"))
    check_page(page, lang)


def coordinator_sends_claims_for_approval(page: Page, lang: str, member: Person, budget: Budget) -> None:
    """The accepted fee and the mileage claim, each sent to the budget (and so to its holder)."""
    nav_link(page, lang, "Payments", "/staff/payments/budgets/").click()
    expect(page).to_have_url(at(r"/staff/payments/budgets/"))
    check_page(page, lang)
    nav = page.get_by_role("navigation", name=tr(lang, "Payments"), exact=True)
    nav.locator("a[href='/staff/payments/claims/']").click()

    expect(page).to_have_url(at(r"/staff/payments/claims/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(tr(lang, "Claims to send for approval"))
    rows = page.get_by_role("table", name=tr(lang, "Claims to send for approval"), exact=True).locator("tbody tr")
    expect(rows).to_have_count(2)
    check_page(page, lang)
    holder = str(budget.holder)
    for amount in (FEE_ACCEPTED, MILEAGE):
        row = rows.filter(has_text=f"£{pounds(amount)}")
        expect(row).to_contain_text(member.full_name)
        expect(row.locator("select[name=budget]")).to_have_value(str(budget.pk))
        row.locator("button[type=submit]").click()

        expect(page).to_have_url(at(r"/staff/payments/claims/"))
        expect_status(page, tr(lang, "Sent to %(holder)s for approval.", holder=holder))
        check_page(page, lang)
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_text(tr(lang, "Nothing is waiting."))


def sign_out(page: Page, lang: str) -> None:
    banner = page.get_by_role("banner")
    if lang == "en":
        banner.get_by_role("button", name="Sign out", exact=True).click()
    else:
        banner.locator("form[action='/accounts/logout/'] button").click()
    expect(page).to_have_url(at(r"/"))
    expect(page.get_by_role("banner").locator("form[action='/accounts/logout/']")).to_have_count(0)
    check_page(page, lang)


# ---- The budget holder --------------------------------------------------------------------------


def holder_approves(page: Page, lang: str, holder: User, member: Person) -> None:
    sign_in(page, lang, holder.email, totp=True)
    page.goto("/staff/payments/approvals/")
    expect(page.get_by_role("heading", level=1)).to_have_text(tr(lang, "Claims to approve"))
    claims = page.get_by_role("main").locator("section.summary-card")
    expect(claims).to_have_count(2)
    check_page(page, lang)

    mileage = claims.filter(has_text=f"£{pounds(MILEAGE)}")
    receipt = mileage.locator("a[href$='/receipt/']")
    href = receipt.get_attribute("href")
    assert href, "the mileage claim has no receipt link"
    # The receipt is an image, not a page: fetched with the holder's cookies, not opened.
    response = page.request.get(href)
    assert response.ok, response.status
    assert response.headers["content-type"] == "image/png"
    assert response.body() == png_bytes()

    for amount in (FEE_ACCEPTED, MILEAGE):
        claim = claims.filter(
            has=page.get_by_role("heading", level=2, name=f"{member.full_name}: £{pounds(amount)}", exact=True)
        )
        expect(claim).to_have_count(1)
        by_role_or(
            page,
            lang,
            claim.get_by_role("button", name=f"Approve {member.full_name}'s claim", exact=True),
            f"#{claim.get_attribute('id')} form[action$='/approve/'] button",
        ).click()

        expect(page).to_have_url(at(r"/staff/payments/approvals/"))
        with translation.override(lang):
            description = IncomeLine.objects.get(person=member, amount=amount).shown_description
        expect_status(page, tr(lang, "Approved: %(what)s for %(name)s.", what=description, name=member.full_name))
        check_page(page, lang)
    expect(page.get_by_role("main")).to_contain_text(tr(lang, "No claims are waiting for you."))


def holder_batches_exports_and_marks_paid(page: Page, lang: str, member: Person) -> None:
    total = FEE_ACCEPTED + MILEAGE
    nav = page.get_by_role("navigation", name=tr(lang, "Payments"), exact=True)
    nav.locator("a[href='/staff/payments/batches/']").click()

    expect(page).to_have_url(at(r"/staff/payments/batches/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(tr(lang, "Payment batches"))
    ready = page.get_by_role("table", name=tr(lang, "Approved claims by payment method"), exact=True)
    expect(ready.locator("tbody tr")).to_have_count(1)
    expect(ready.locator("tbody tr td")).to_have_text([tr(lang, "Bank transfer"), "2", f"£{pounds(total)}"])
    check_page(page, lang)
    choice(page, lang, "Payment method", "Bank transfer", "input[name=method][value=bank_transfer]").check()
    main_button(page, lang, "Make a batch", "form:has(input[name=method]) button[type=submit]").click()

    expect(page).to_have_url(at(r"/staff/payments/batches/"))
    status = page.get_by_role("status")
    expect(status).to_have_text(re.compile(".+"))
    batch_id = re.search(r"\d+", status.inner_text())
    assert batch_id, status.inner_text()
    batch = batch_id.group(0)
    expect_status(page, tr(lang, "Batch %(id)s made: %(total)s.", id=batch, total=f"£{pounds(total)}"))
    batches = page.get_by_role("table", name=tr(lang, "Batches"), exact=True).locator("tbody tr")
    expect(batches).to_have_count(1)
    expect(batches.first.locator("td").nth(4)).to_contain_text(tr(lang, "Open"))
    check_page(page, lang)

    # The payment file downloads; the page stays as it was.
    export = by_role_or(
        page,
        lang,
        page.get_by_role("button", name=f"Export the payment file for batch {batch}", exact=True),
        f"form[action='/staff/payments/batches/{batch}/export/'] button:not([name='format'])",
    )
    with page.expect_download() as downloading:
        export.click()
    download = downloading.value
    assert download.suggested_filename.endswith(f"-batch-{batch}-bank_transfer.csv"), download.suggested_filename
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert len(rows) == 1, rows
    (row,) = rows
    assert row["payee_name"] == member.full_name, row
    assert row["sort_code"] == SORT_CODE.replace("-", ""), row
    assert row["account_number"] == ACCOUNT_NUMBER, row
    # The fee and the mileage, paid to the member together.
    assert row["amount"] == pounds(total) == pounds(FEE_ACCEPTED + MILEAGE), row
    assert len(row["line_ids"].split()) == 2, row
    assert row["copy"] == "", row

    page.reload()
    expect(batches.first.locator("td").nth(4)).to_contain_text(tr(lang, "Exported"))
    check_page(page, lang)
    # The same file again as an Excel workbook: only a copy now, with the amount a number and the name text.
    workbook_copy = by_role_or(
        page,
        lang,
        page.get_by_role("button", name=f"Download a copy of batch {batch}'s file as an Excel spreadsheet", exact=True),
        f"form[action='/staff/payments/batches/{batch}/export/'] button[name='format'][value='xlsx']",
    )
    with page.expect_download() as downloading:
        workbook_copy.click()
    book = downloading.value
    assert book.suggested_filename.endswith(f"-batch-{batch}-bank_transfer-COPY.xlsx"), book.suggested_filename
    sheet = load_workbook(io.BytesIO(Path(book.path()).read_bytes())).worksheets[0]
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    cells = dict(zip(header, sheet[2], strict=False))
    assert (cells["payee_name"].value, cells["payee_name"].data_type) == (member.full_name, "s")
    assert cells["amount"].data_type == "n" and cells["amount"].number_format == "0.00"
    assert f"{cells['amount'].value:.2f}" == pounds(total)
    assert cells["copy"].value == "COPY"
    page.reload()
    expect(batches.first.locator("td").nth(4)).to_contain_text(tr(lang, "Exported"))
    check_page(page, lang)
    by_role_or(
        page,
        lang,
        page.get_by_role("main").get_by_role("link", name=f"Mark batch {batch} paid", exact=True),
        f"a[href='/staff/payments/batches/{batch}/paid/']",
    ).click()

    expect(page).to_have_url(at(rf"/staff/payments/batches/{batch}/paid/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(tr(lang, "Mark batch %(id)s paid", id=batch))
    expect(page.get_by_role("main").locator(".summary-list")).to_contain_text(f"£{pounds(total)}")
    check_page(page, lang)
    main_button(page, lang, "Yes, the batch has been paid", "form button[type=submit]").click()

    expect(page).to_have_url(at(r"/staff/payments/batches/"))
    expect_status(page, tr(lang, "Batch %(id)s recorded as paid.", id=batch))
    expect(batches.first.locator("td").nth(4)).to_contain_text(tr(lang, "Paid"))
    expect(page.get_by_role("main")).to_contain_text(tr(lang, "No approved claims are waiting."))
    check_page(page, lang)


def holder_downloads_the_budgets(page: Page, lang: str, budget: Budget) -> None:
    """The budgets page, and its table as an Excel workbook: the paid batch is spent, and the money is numbers."""
    total = FEE_ACCEPTED + MILEAGE
    nav = page.get_by_role("navigation", name=tr(lang, "Payments"), exact=True)
    nav.locator("a[href='/staff/payments/budgets/']").click()

    expect(page).to_have_url(at(r"/staff/payments/budgets/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(tr(lang, "Budgets"))
    row = (
        page.get_by_role("table", name=tr(lang, "Your organisation's budgets"), exact=True)
        .locator("tbody tr")
        .filter(has_text=budget.name)
    )
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(5)).to_have_text(f"£{pounds(total)}")
    check_page(page, lang)
    download_link = by_role_or(
        page,
        lang,
        page.get_by_role("main").get_by_role("link", name="Download the budgets (Excel spreadsheet)", exact=True),
        "a[href='/staff/payments/budgets.xlsx']",
    )
    with page.expect_download() as downloading:
        download_link.click()
    book = downloading.value
    assert book.suggested_filename == f"withus-{budget.organisation.slug}-budgets-{timezone.localdate()}.xlsx", (
        book.suggested_filename
    )
    # A bold header row, frozen so that it stays in view (sheet_of checks both).
    sheet = sheet_of(Path(book.path()).read_bytes())
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == [
        "budget",
        "group",
        "holder",
        "funded_by",
        "allocation",
        "committed",
        "spent",
        "remaining",
        "state",
    ]
    (cells,) = records(sheet)
    assert_text(cells["budget"], budget.name)
    assert_text(cells["holder"], str(budget.holder))
    assert cells["group"].value in (None, ""), cells["group"].value
    for name, amount in (
        ("allocation", budget.allocation),
        ("committed", Decimal("0.00")),
        ("spent", total),
        ("remaining", budget.allocation - total),
    ):
        assert isinstance(cells[name].value, int | float | Decimal), (name, cells[name].value)
        assert_money(cells[name], pounds(amount))
    assert_text(cells["state"], "open")
    # The download left the page as it was.
    expect(page).to_have_url(at(r"/staff/payments/budgets/"))


# ---- Setup --------------------------------------------------------------------------------------


def make_reference_figures() -> None:
    """A Carer's Allowance row covering this tax year, and the HMRC mileage rate (the live server's flush drops rows
    the migrations loaded)."""
    week_start = rules.benefit_week(timezone.localdate())[0]
    BenefitLimit.objects.create(
        rule=BenefitLimit.Rule.CARERS_ALLOWANCE,
        period="week",
        amount=Decimal("196.00"),
        valid_from=rules.tax_year(week_start)[0],
        source="DWP, Benefit and pension rates (figure for the browser journey)",
    )
    if not MileageRate.objects.exists():
        MileageRate.objects.create(
            first_10000_pence=Decimal("45.00"),
            after_pence=Decimal("25.00"),
            passenger_pence=Decimal("5.00"),
            valid_from=rules.tax_year(week_start)[0] - timedelta(days=3650),
            source="HMRC approved mileage allowance payments",
        )


def make_the_session(organisation: Organisation, coordinator: User, member: Person, lang: str) -> Session:
    """Today's session, over already, the member invited: the coordinator records that they came."""
    now = timezone.localtime()
    day = make_session(
        organisation,
        contact=coordinator,
        title=f"Crisis team panel {lang}",
        title_cy=f"Panel y tîm argyfwng {lang}",
        starts_at=now - timedelta(hours=4, minutes=30),
        ends_at=now - timedelta(minutes=30),
    )
    make_invitation(day, member)
    return day


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_fee_guarded_claimed_approved_paid_and_on_the_statement(
    page: Page, second_page: Page, org_a: Organisation, lang: str, settings: SettingsWrapper, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    staff, member_page = page, second_page
    coordinator = make_staff(org_a, Role.COORDINATOR, email=f"coordinator-{lang}@example.org")
    holder = make_staff(org_a, Role.BUDGET_HOLDER, email=f"budget-holder-{lang}@example.org")
    holder.first_name, holder.last_name = "Gwen", "Price"
    holder.save()
    budget = Budget.objects.create(
        organisation=org_a, name="Crisis care panel", allocation=Decimal("1500.00"), holder=holder
    )
    member = make_member(org_a, full_name="Siân Roberts" if lang == "cy" else "Sam Roberts", prefers_welsh=lang == "cy")
    make_reference_figures()
    day = make_the_session(org_a, coordinator, member, lang)
    description = f"Crisis team panel {lang}, 4 hours"

    member_chooses_bank_transfer(member_page, lang, member)
    member_declares_carers_allowance(member_page, lang, org_a)

    coordinator_offers_a_fee(staff, lang, coordinator, member, description)
    member_sees_warning_and_accepts_fewer_hours(member_page, lang, description)
    line = IncomeLine.objects.get(person=member, kind=IncomeLine.Kind.FEE)
    assert (line.status, line.amount, line.hours) == (IncomeLine.Status.ACCEPTED, FEE_ACCEPTED, Decimal("3.00"))
    assert line.guard_choices.get().choice == "fewer_hours"

    coordinator_records_attendance(staff, lang, member, day)
    assert Attendance.objects.get(session=day, person=member).status == Attendance.Status.ATTENDED
    member_claims_mileage(member_page, lang, org_a, tmp_path)

    coordinator_sends_claims_for_approval(staff, lang, member, budget)
    sign_out(staff, lang)
    holder_approves(staff, lang, holder, member)
    holder_batches_exports_and_marks_paid(staff, lang, member)
    holder_downloads_the_budgets(staff, lang, budget)

    member_sees_paid_and_downloads_statement(member_page, lang, description)
