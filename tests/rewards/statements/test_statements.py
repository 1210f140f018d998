"""Reward choice, statements by tax year, thanks and the record for a CV (C5)."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, cast
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.accounts.factories import UserFactory
from tests.conftest import make_member, make_staff, member_client, staff_client
from tests.people.factories import share
from withus.accounts.models import Organisation, Role, User
from withus.core import pdf
from withus.groups.models import Appointment, Group
from withus.meetings.models import Attendance, Session
from withus.people.models import AssistedAction, Person
from withus.rewards.models import IncomeLine, RewardPreference, Thanks
from withus.rewards.statements import documents, selectors, services

pytestmark = pytest.mark.django_db
D = Decimal
LONDON = ZoneInfo("Europe/London")
UTC = ZoneInfo("UTC")
Y2025 = date(2025, 4, 6)


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def streamed(response: Any) -> str:
    """A streamed file's text: it must stream, never be built whole."""
    assert response.streaming
    return b"".join(response.streaming_content).decode()


def paid(
    person: Person,
    organisation: Organisation,
    amount: str,
    paid_at: datetime | None,
    *,
    kind: str = "fee",
    description: str = "Panel",
    status: str = "paid",
    activity_date: date = date(2025, 6, 1),
    **fields: Any,
) -> IncomeLine:
    return IncomeLine.objects.create(
        person=person,
        organisation=organisation,
        kind=kind,
        description=description,
        amount=D(amount),
        activity_date=activity_date,
        status=status,
        paid_at=paid_at,
        **fields,
    )


def descriptions(lines: list[selectors.StatementLine]) -> list[str]:
    return [line.description for line in lines]


class PdfText:
    """The text laid out in the PDFs rendered during a test (as tests/opportunities/test_leaflets.py reads it)."""

    def __init__(self) -> None:
        self.documents: list[Any] = []

    def text(self) -> str:
        from weasyprint.formatting_structure.boxes import TextBox

        assert self.documents, "no PDF was rendered"
        words = [
            box.text
            for page in self.documents[-1].pages
            for box in page._page_box.descendants()
            if isinstance(box, TextBox)
        ]
        return re.sub(r"\s+", " ", " ".join(words))


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> PdfText:
    spy = PdfText()
    real = pdf.document

    def recording(source: str, base_url: str) -> Any:
        document = real(source, base_url)
        spy.documents.append(document)
        return document

    monkeypatch.setattr(pdf, "document", recording)
    return spy


# ---- Statements ---------------------------------------------------------------------------------


def test_a_line_falls_in_the_tax_year_of_the_day_it_was_paid_in_wales(org_a: Organisation, member_a: Person) -> None:
    # Spring 2026: 6 April starts at 23:00 UTC on 5 April (summer time).
    paid(member_a, org_a, "10.00", datetime(2025, 4, 5, 22, 59, tzinfo=UTC), description="last minute of 2024/25")
    paid(member_a, org_a, "20.00", datetime(2025, 4, 5, 23, 0, tzinfo=UTC), description="first minute of 2025/26")
    paid(member_a, org_a, "30.00", datetime(2026, 4, 5, 22, 30, tzinfo=UTC), description="5 April 2026, 23:30")
    paid(member_a, org_a, "40.00", datetime(2026, 4, 5, 23, 30, tzinfo=UTC), description="6 April 2026, 00:30")
    # The activity date does not decide: paid in 2025/26 for an activity in 2024/25.
    paid(
        member_a,
        org_a,
        "50.00",
        datetime(2025, 5, 1, 12, 0, tzinfo=LONDON),
        description="March activity, paid in May",
        activity_date=date(2025, 3, 20),
    )

    assert descriptions(selectors.statement(member_a, date(2024, 4, 6)).payments) == ["last minute of 2024/25"]
    this_year = selectors.statement(member_a, Y2025)
    assert descriptions(this_year.payments) == [
        "first minute of 2025/26",
        "March activity, paid in May",
        "5 April 2026, 23:30",
    ]
    assert (this_year.start, this_year.end, this_year.label) == (date(2025, 4, 6), date(2026, 4, 5), "2025/26")
    assert [line.paid_on for line in this_year.payments] == [date(2025, 4, 6), date(2025, 5, 1), date(2026, 4, 5)]
    assert descriptions(selectors.statement(member_a, date(2026, 4, 6)).payments) == ["6 April 2026, 00:30"]


def test_a_tax_year_starts_on_6_april(member_a: Person) -> None:
    with pytest.raises(ValueError):
        selectors.statement(member_a, date(2025, 4, 5))


def test_fees_and_expenses_are_kept_apart_and_totals_add_up(
    org_a: Organisation, org_b: Organisation, member_a: Person
) -> None:
    share(member_a, org_b)
    at = datetime(2025, 7, 1, 12, 0, tzinfo=LONDON)
    paid(member_a, org_a, "0.10", at, description="Fee A1")
    paid(member_a, org_a, "0.20", at, description="Voucher A", kind="voucher")
    paid(member_a, org_b, "1234.50", at, description="Fee B")
    paid(member_a, org_a, "12.40", at, description="Train A", kind="expense", expense_category="public_transport")
    paid(member_a, org_b, "3.35", at, description="Parking B", kind="expense", expense_category="parking")
    # Not paid to the person, or not paid yet: never on a statement.
    paid(member_a, org_a, "99.00", at, description="Donated", kind="donation")
    paid(member_a, org_a, "77.00", None, description="Approved, not paid", status="approved")
    paid(member_a, org_a, "66.00", None, description="Claimed expense", status="submitted", kind="expense")
    paid(make_member(org_a), org_a, "55.00", at, description="Someone else's fee")

    s = selectors.statement(member_a, Y2025)

    assert descriptions(s.payments) == ["Fee A1", "Voucher A", "Fee B"]
    assert descriptions(s.expenses) == ["Train A", "Parking B"]
    assert s.payments_total == sum((line.amount for line in s.payments), D("0")) == D("1234.80")
    assert s.expenses_total == sum((line.amount for line in s.expenses), D("0")) == D("15.75")
    assert all(isinstance(v, Decimal) for v in (s.payments_total, s.expenses_total))
    by_org = {t.organisation: (t.payments, t.expenses) for t in s.by_organisation}
    assert by_org == {"Organisation A": (D("0.30"), D("12.40")), "Organisation B": (D("1234.50"), D("3.35"))}
    assert sum((t.payments for t in s.by_organisation), D("0")) == s.payments_total
    assert sum((t.expenses for t in s.by_organisation), D("0")) == s.expenses_total
    assert s.expenses[0].category == "Public transport"
    assert s.trading_allowance == D("1000.00")


def test_the_members_csv_writes_formula_like_descriptions_as_text(org_a: Organisation, member_a: Person) -> None:
    at = datetime(2025, 7, 1, 12, 0, tzinfo=LONDON)
    paid(member_a, org_a, "60.00", at, description="=cmd|' /C calc'!A0", hours=D("4"))

    rows = list(csv.DictReader(io.StringIO("".join(documents.statement_csv(member_a, Y2025)))))

    assert rows[0]["description"] == "'=cmd|' /C calc'!A0"
    assert rows[0]["amount"] == "60.00"


def test_the_csv_parses_and_its_totals_match_the_lines(org_a: Organisation, member_a: Person) -> None:
    at = datetime(2025, 7, 1, 12, 0, tzinfo=LONDON)
    paid(member_a, org_a, "60.00", at, description='Panel, "annual" review', hours=D("4"), method="bank_transfer")
    paid(member_a, org_a, "15.00", at, description="Survey", kind="voucher")
    paid(member_a, org_a, "12.40", at, description="Train", kind="expense", expense_category="public_transport")

    rows = list(csv.DictReader(io.StringIO("".join(documents.statement_csv(member_a, Y2025)))))

    assert list(rows[0]) == documents.CSV_COLUMNS
    lines = [r for r in rows if r["section"] in ("payment", "expense")]
    assert [(r["section"], r["kind"], r["description"], r["amount"]) for r in lines] == [
        ("payment", "fee", 'Panel, "annual" review', "60.00"),
        ("payment", "voucher", "Survey", "15.00"),
        ("expense", "expense", "Train", "12.40"),
    ]
    assert lines[0]["paid_on"] == "2025-07-01" and lines[0]["hours"] == "4.00"
    assert lines[0]["paid_by"] == "Bank transfer"
    totals = {r["kind"]: D(r["amount"]) for r in rows if r["section"] == "total"}
    assert totals == {"payments": D("75.00"), "expenses": D("12.40")}
    for kind, section in (("payments", "payment"), ("expenses", "expense")):
        assert totals[kind] == sum((D(r["amount"]) for r in lines if r["section"] == section), D("0"))
    organisation_rows = [
        (r["organisation"], r["kind"], r["amount"]) for r in rows if r["section"] == "organisation_total"
    ]
    assert organisation_rows == [("Organisation A", "payments", "75.00"), ("Organisation A", "expenses", "12.40")]


def test_the_statement_pdf_has_the_totals_and_the_trading_allowance(
    org_a: Organisation, member_a: Person, rendered: PdfText
) -> None:
    at = datetime(2025, 7, 1, 12, 0, tzinfo=LONDON)
    paid(member_a, org_a, "1234.50", at, description="Consultancy")
    paid(member_a, org_a, "12.40", at, description="Train", kind="expense")

    response = member_client(member_a).get("/me/payments/statement/2025.pdf")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="statement-2025-26.pdf"'
    assert response.content.startswith(b"%PDF-")
    words = rendered.text()
    assert "Statement for the tax year 2025/26" in words
    assert "Total fees and vouchers £1,234.50" in words
    assert "Total expenses £12.40" in words
    assert "Fees and vouchers paid this tax year: £1,234.50" in words
    assert "The trading allowance is £1,000.00 a year" in words
    assert "not advice" in words and "Ask HMRC or an adviser" in words


def test_the_statement_is_in_the_members_language_and_print_size(org_a: Organisation) -> None:
    member = make_member(org_a, full_name="Gwen", prefers_welsh=True, needs_large_print=True)
    page = documents.statement_html(selectors.statement(member, Y2025))
    assert '<html lang="cy">' in page
    assert 'class="document large-print"' in page
    plain = make_member(org_a)
    page = documents.statement_html(selectors.statement(plain, Y2025))
    assert '<html lang="en">' in page and '<article class="document">' in page


def test_a_year_with_nothing_gives_an_empty_statement(member_a: Person, rendered: PdfText) -> None:
    client = member_client(member_a)
    response = client.get("/me/payments/statement/2019.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(streamed(response))))
    assert [(r["section"], r["kind"], r["amount"]) for r in rows] == [
        ("total", "payments", "0.00"),
        ("total", "expenses", "0.00"),
    ]
    response = client.get("/me/payments/statement/2019.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert "No fees or vouchers were paid in this tax year." in rendered.text()


def test_only_the_members_own_statement_can_be_had(org_a: Organisation, member_a: Person, member_b: Person) -> None:
    at = datetime(2025, 7, 1, 12, 0, tzinfo=LONDON)
    paid(member_a, org_a, "60.00", at, description="Alaw's panel")

    # Member B asks for the same year: they get their own (empty) statement, never Alaw's.
    response = member_client(member_b).get("/me/payments/statement/2025.csv")
    assert response.status_code == 200 and "Alaw's panel" not in streamed(response)
    assert "Alaw's panel" in streamed(member_client(member_a).get("/me/payments/statement/2025.csv"))

    # Signed in without a member profile (a member of staff, say): there is no statement to have.
    no_profile = Client()
    no_profile.force_login(cast(User, UserFactory()))
    for path in ("/me/payments/statement/2025.csv", "/me/payments/statement/2025.pdf", "/me/record.pdf"):
        assert no_profile.get(path).status_code == 404
        assert Client().get(path).status_code == 302  # to the sign-in page
    assert member_client(member_a).get("/me/payments/statement/1999.pdf").status_code == 404


# ---- The payments page --------------------------------------------------------------------------


def test_the_payments_page_shows_every_line_with_its_state(
    org_a: Organisation, member_a: Person, time_machine: Any
) -> None:
    time_machine.move_to(datetime(2025, 9, 1, 12, 0, tzinfo=LONDON))
    paid(member_a, org_a, "60.00", None, description="Board meeting", status="offered")
    paid(member_a, org_a, "61.00", None, description="Focus group", status="accepted")
    paid(member_a, org_a, "8.20", None, description="Bus fare", status="submitted", kind="expense")
    paid(member_a, org_a, "62.00", None, description="Panel", status="approved")
    paid(
        member_a, org_a, "9.99", None, description="Taxi", status="returned", kind="expense", return_reason="No receipt"
    )
    paid(member_a, org_a, "63.00", datetime(2024, 5, 2, 12, 0, tzinfo=LONDON), description="Workshop")
    paid(make_member(org_a), org_a, "64.00", None, description="Someone else's")

    page = text(member_client(member_a).get("/me/payments/"))

    for description, state in [
        ("Board meeting", "Offered"),
        ("Focus group", "Accepted"),
        ("Bus fare", "Claimed, waiting for approval"),
        ("Panel", "Approved"),
        ("Taxi", "Returned with a question"),
        ("Workshop", "Paid on 2 May 2024"),
    ]:
        row = re.search(
            rf"<tr>\s*<td[^>]*>[^<]*</td>\s*<td[^>]*>[^<]*</td>\s*<td[^>]*>{description}.*?</tr>", page, re.DOTALL
        )
        assert row is not None, description
        assert state in row.group(0), description
    assert "Why: No receipt" in page
    assert "Someone else's" not in page
    # Statements for this tax year and for the year something was paid in.
    assert 'href="/me/payments/statement/2025.pdf"' in page and 'href="/me/payments/statement/2024.csv"' in page
    assert 'href="/me/payments/statement/2023.pdf"' not in page
    assert "HMRC trading allowance is £1,000.00 a year" in page and "not advice" in page


def test_the_benefits_page_links_to_payments_and_statements(member_a: Person) -> None:
    assert 'href="/me/payments/"' in text(member_client(member_a).get("/me/benefits/"))


# ---- Reward choice ------------------------------------------------------------------------------


BANK = {"method": "bank_transfer", "account_name": "A Member", "sort_code": "40-11-62", "account_number": "3192 6819"}


def raw_bank_columns(person: Person) -> tuple[str, str, str]:
    table = RewardPreference._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT account_name, sort_code, account_number FROM {table} WHERE person_id = %s", [person.pk])
        row = cursor.fetchone()
    return tuple(str(v) for v in row)  # type: ignore[return-value]


def test_bank_details_are_encrypted_at_rest_and_masked_on_the_page(member_a: Person) -> None:
    client = member_client(member_a)
    page = text(client.get("/me/payments/reward/"))
    assert "Vouchers count as income" in page
    assert "never split into a paid part and a voluntary part" in page
    assert "can be different for each activity" in page

    response = client.post("/me/payments/reward/", BANK)

    assert response.status_code == 302 and response["Location"] == "/me/payments/"
    preference = RewardPreference.objects.get(person=member_a)
    assert (preference.method, preference.sort_code, preference.account_number) == (
        "bank_transfer",
        "401162",
        "31926819",
    )
    raw = " ".join(raw_bank_columns(member_a))
    assert "401162" not in raw and "31926819" not in raw and "A Member" not in raw

    page = text(client.get("/me/payments/reward/"))
    assert "sort code ••-••-62, account number ••••••19" in page
    for typed in ("31926819", "401162", "40-11-62", "3192 6819", "A Member"):
        assert typed not in page

    # Saving again with the boxes left empty keeps the details.
    assert client.post("/me/payments/reward/", {"method": "bank_transfer"}).status_code == 302
    assert RewardPreference.objects.get(person=member_a).account_number == "31926819"


@pytest.mark.parametrize(
    ("sort_code", "account_number", "bad_field", "message"),
    [
        ("40-11-6", "31926819", "sort_code", "Give a sort code of 6 numbers, like 30-90-12."),
        ("40-11-6A", "31926819", "sort_code", "Give a sort code of 6 numbers, like 30-90-12."),
        ("40-11-62", "3192681", "account_number", "Give an account number of 8 numbers, like 00733445."),
        ("40-11-62", "319268190", "account_number", "Give an account number of 8 numbers, like 00733445."),
    ],
)
def test_an_invalid_sort_code_or_account_number_is_refused_and_what_was_typed_is_kept(
    member_a: Person, sort_code: str, account_number: str, bad_field: str, message: str
) -> None:
    response = member_client(member_a).post(
        "/me/payments/reward/", {**BANK, "sort_code": sort_code, "account_number": account_number}
    )

    assert response.status_code == 200
    page = text(response)
    assert 'class="error-summary"' in page and message in page
    assert re.search(rf'<input[^>]*name="{bad_field}"[^>]*aria-invalid="true"', page)
    assert re.search(rf'<input[^>]*name="sort_code"[^>]*value="{re.escape(sort_code)}"', page)
    assert re.search(rf'<input[^>]*name="account_number"[^>]*value="{re.escape(account_number)}"', page)
    assert re.search(r'<input[^>]*name="account_name"[^>]*value="A Member"', page)
    assert not RewardPreference.objects.exists()


def test_a_donation_needs_a_charity_and_drops_the_bank_details(member_a: Person) -> None:
    client = member_client(member_a)
    client.post("/me/payments/reward/", BANK)

    response = client.post("/me/payments/reward/", {"method": "donation"})
    assert response.status_code == 200 and "Give the name of the charity to donate to." in text(response)
    assert RewardPreference.objects.get(person=member_a).account_number == "31926819"

    assert client.post("/me/payments/reward/", {"method": "donation", "charity_name": "Mind Cymru"}).status_code == 302
    preference = RewardPreference.objects.get(person=member_a)
    assert (preference.method, preference.charity_name) == ("donation", "Mind Cymru")
    assert (preference.account_name, preference.sort_code, preference.account_number) == (None, None, None)
    assert "Mind Cymru" in text(client.get("/me/payments/"))


def test_paying_the_group_needs_the_groups_name(member_a: Person) -> None:
    assert member_a.user is not None
    with pytest.raises(ValidationError) as error:
        services.set_reward_preference(actor=member_a.user, person=member_a, fields={"method": "pay_group"})
    assert "group_name" in error.value.message_dict
    preference = services.set_reward_preference(
        actor=member_a.user, person=member_a, fields={"method": "pay_group", "group_name": "Hafan Peer Group"}
    )
    assert preference.group_name == "Hafan Peer Group"


def test_a_coordinator_sets_the_reward_only_with_consent_to_act(
    org_a: Organisation, coordinator_a: User, member_a: Person
) -> None:
    fields = {"method": "voucher"}
    with pytest.raises(PermissionDenied):
        services.set_reward_preference(actor=coordinator_a, person=member_a, fields=fields, organisation=org_a)
    assert not RewardPreference.objects.exists()

    assisted = make_member()
    share(assisted, org_a, act_on_behalf=True)
    services.set_reward_preference(actor=coordinator_a, person=assisted, fields=fields, organisation=org_a)
    assert RewardPreference.objects.get(person=assisted).method == "voucher"
    assert AssistedAction.objects.filter(person=assisted, actor=coordinator_a, detail="reward").exists()


# ---- Recognition --------------------------------------------------------------------------------


def test_a_coordinator_records_thanks_and_the_member_sees_it(
    org_a: Organisation, coordinator_a: User, member_a: Person
) -> None:
    client = staff_client(coordinator_a)
    assert f'href="/staff/people/{member_a.pk}/thanks/"' in text(client.get(f"/staff/people/{member_a.pk}/"))

    empty = client.post(
        f"/staff/people/{member_a.pk}/thanks/", {"contribution": "Reviewing the leaflet", "message": ""}
    )
    assert empty.status_code == 200 and "Write your message of thanks." in text(empty)
    assert "Reviewing the leaflet" in text(empty)  # kept
    assert not Thanks.objects.exists()

    response = client.post(
        f"/staff/people/{member_a.pk}/thanks/",
        {"contribution": "Reviewing the leaflet", "message": "Your changes made it much clearer."},
    )

    assert response.status_code == 302
    thanks = Thanks.objects.get()
    assert (thanks.person, thanks.organisation, thanks.given_by) == (member_a, org_a, coordinator_a)
    page = text(member_client(member_a).get("/me/payments/"))
    assert "Reviewing the leaflet" in page and "Your changes made it much clearer." in page
    assert "From Organisation A" in page


def test_only_coordinators_of_an_organisation_the_person_shares_with_can_thank(
    org_a: Organisation, org_b: Organisation, coordinator_b: User, member_a: Person
) -> None:
    data = {"contribution": "Chairing", "message": "Thank you"}
    assert staff_client(coordinator_b).post(f"/staff/people/{member_a.pk}/thanks/", data).status_code == 404
    supervisor = make_staff(org_a, Role.SUPERVISOR)
    assert staff_client(supervisor).post(f"/staff/people/{member_a.pk}/thanks/", data).status_code == 403
    assert member_client(member_a).post(f"/staff/people/{member_a.pk}/thanks/", data).status_code == 403
    with pytest.raises(PermissionDenied):
        services.give_thanks(
            actor=coordinator_b, organisation=org_b, person=member_a, contribution="Chairing", message="Thanks"
        )
    assert not Thanks.objects.exists()


def test_the_record_for_a_cv_lists_roles_sessions_and_thanks(
    org_a: Organisation, coordinator_a: User, member_a: Person, rendered: PdfText
) -> None:
    board = Group.objects.create(organisation=org_a, name="Partnership Board", kind="board")
    Appointment.objects.create(
        person=member_a, group=board, seat="chair", term_start=date(2024, 1, 10), planned_end=date(2026, 1, 9)
    )
    start = datetime(2025, 3, 4, 10, 30, tzinfo=LONDON)
    for day, minutes in ((0, None), (7, 90), (14, None)):
        session = Session.objects.create(
            organisation=org_a,
            title=f"Board {day}",
            starts_at=start + timedelta(days=day),
            ends_at=start + timedelta(days=day, hours=2),
            contact=coordinator_a,
        )
        Attendance.objects.create(session=session, person=member_a, status="attended", minutes_present=minutes)
    absent = Session.objects.create(
        organisation=org_a, title="Missed", starts_at=start, ends_at=start + timedelta(hours=2), contact=coordinator_a
    )
    Attendance.objects.create(session=absent, person=member_a, status="apologies")
    services.give_thanks(
        actor=coordinator_a,
        organisation=org_a,
        person=member_a,
        contribution="Chairing the board",
        message="Calm and fair.",
    )

    assert selectors.sessions_by_year(member_a) == [selectors.YearOfSessions(2025, 3, D("5.50"))]
    response = member_client(member_a).get("/me/record.pdf")

    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    words = rendered.text()
    assert "Partnership Board" in words and "Chair" in words and "From 10 January 2024" in words
    assert "2025 3 5.5" in words
    assert "Chairing the board" in words and "Calm and fair." in words
    assert "No training completed yet." in words


def test_the_payments_page_takes_the_same_queries_however_many_lines(
    org_a: Organisation, org_b: Organisation, coordinator_a: User, member_a: Person
) -> None:
    from django.db import connection as db
    from django.test.utils import CaptureQueriesContext

    share(member_a, org_b)
    client = member_client(member_a)

    def queries() -> int:
        with CaptureQueriesContext(db) as captured:
            assert client.get("/me/payments/").status_code == 200
        return len(captured)

    paid(member_a, org_a, "10.00", datetime(2025, 7, 1, 12, 0, tzinfo=LONDON))
    services.give_thanks(actor=coordinator_a, organisation=org_a, person=member_a, contribution="A", message="B")
    before = queries()
    for n in range(6):
        organisation = org_a if n % 2 else org_b
        paid(member_a, organisation, "10.00", datetime(2020 + n, 7, 1, 12, 0, tzinfo=LONDON), kind="expense")
        paid(member_a, organisation, "10.00", None, status="returned", return_reason="Why")
        services.give_thanks(actor=coordinator_a, organisation=org_a, person=member_a, contribution="C", message="D")
    assert queries() == before


# ---- One trading allowance figure -----------------------------------------------------------------


def test_the_benefits_page_statements_and_api_give_one_trading_allowance_figure(
    org_a: Organisation, member_a: Person, time_machine: Any
) -> None:
    from tests.api.helpers import member_api

    time_machine.move_to(datetime(2025, 6, 2, 12, tzinfo=LONDON))
    # The panel was in the tax year 2024/25 but paid in 2025/26: it is income of 2025/26.
    paid(member_a, org_a, "100.00", datetime(2025, 4, 8, 10, tzinfo=LONDON), activity_date=date(2025, 3, 20))
    paid(member_a, org_a, "50.00", datetime(2025, 5, 3, 10, tzinfo=LONDON), activity_date=date(2025, 5, 1))
    # Done in 2025/26 but not paid yet: not income yet.
    paid(member_a, org_a, "70.00", None, activity_date=date(2025, 5, 20), status="approved")

    assert selectors.trading_allowance(member_a, date(2025, 6, 2)).used == D("150.00")
    client = member_client(member_a)
    benefits = text(client.get("/me/benefits/"))
    assert "You have been paid £150.00 in fees and vouchers on WithUs in this tax year" in benefits
    payments = text(client.get("/me/payments/"))
    assert "Fees and vouchers paid to you this tax year (2025/26): £150.00." in payments
    statement = documents.statement_html(selectors.statement(member_a, Y2025))
    assert "Fees and vouchers paid this tax year: £150.00." in html.unescape(statement)
    body = member_api(member_a, org_a).get("/api/me/statements/2025").json()
    assert body["trading_allowance_used"] == "150.00" and body["payments_total"] == "150.00"
    # The year before holds none of it.
    assert selectors.trading_allowance(member_a, date(2025, 3, 31)).used == D("0.00")


def test_the_csv_is_the_statement_the_page_shows_streamed_in_the_same_queries_however_long(
    org_a: Organisation, org_b: Organisation, member_a: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(documents, "STREAM_PIECE", 1)
    at = datetime(2025, 7, 1, 12, 0, tzinfo=LONDON)

    def queries() -> tuple[int, int, list[str]]:
        pieces = documents.statement_csv(member_a, Y2025)
        with CaptureQueriesContext(connection) as first:
            header_and_first_line = next(pieces)
        with CaptureQueriesContext(connection) as rest:
            text = header_and_first_line + "".join(pieces)
        return len(first.captured_queries), len(first.captured_queries) + len(rest.captured_queries), [text]

    for i in range(3):
        paid(member_a, org_a if i % 2 else org_b, "10.00", at + timedelta(hours=i), description=f"Panel {i}")
    paid(member_a, org_a, "4.60", at, kind="expense", description="Bus", expense_category="public_transport")
    small_first, small, [small_text] = queries()
    for i in range(3):
        paid(member_a, org_a if i % 2 else org_b, "10.00", at + timedelta(days=1, hours=i), description=f"More {i}")
    large_first, large, [large_text] = queries()
    # The first piece goes out once the first query starts giving rows; then one query for the expenses.
    assert small_first == large_first == 1
    assert small == large == 2

    statement = selectors.statement(member_a, Y2025)
    rows = list(csv.DictReader(io.StringIO(large_text)))
    lines = [r for r in rows if r["section"] in ("payment", "expense")]
    assert [r["description"] for r in lines] == [ln.description for ln in (*statement.payments, *statement.expenses)]
    by_org = {(r["organisation"], r["kind"]): r["amount"] for r in rows if r["section"] == "organisation_total"}
    assert by_org == {
        **{(t.organisation, "payments"): f"{t.payments:.2f}" for t in statement.by_organisation},
        **{(t.organisation, "expenses"): f"{t.expenses:.2f}" for t in statement.by_organisation},
    }
    totals = {r["kind"]: r["amount"] for r in rows if r["section"] == "total"}
    assert totals == {"payments": f"{statement.payments_total:.2f}", "expenses": f"{statement.expenses_total:.2f}"}
    assert small_text != large_text
