"""Cash floats: repaying small expenses in cash on the day (withus/rewards/cash/ and its pages)."""

from __future__ import annotations

import re
import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections
from django.utils import timezone

from tests.conftest import make_member, make_staff, member_client, staff_client
from tests.core.dates import date_boxes, shown_date
from tests.meetings.factories import make_session
from tests.rewards.finance.test_services import budget_for, holder_of
from withus.accounts.models import Organisation, Role, User
from withus.meetings.models import Attendance
from withus.people.models import Person
from withus.people.selectors import NotShared
from withus.rewards.cash import selectors as cash_selectors
from withus.rewards.cash import services as cash
from withus.rewards.finance import selectors
from withus.rewards.models import Budget, CashFloat, IncomeLine

D = Decimal
DAY = date(2025, 6, 11)

pytestmark = pytest.mark.django_db


def issued(organisation: Organisation, holder: User, coordinator: User, amount: str = "50.00") -> CashFloat:
    budget = budget_for(organisation, holder)
    return cash.issue_float(
        actor=holder, organisation=organisation, budget=budget, held_by=coordinator, amount=D(amount)
    )


def repay(cash_float: CashFloat, coordinator: User, person: Person, amount: str, **fields: object) -> IncomeLine:
    return cash.repay_in_cash(
        actor=coordinator,
        cash_float=cash_float,
        person=person,
        category=str(fields.pop("category", "public_transport")),
        amount=D(amount),
        activity_date=fields.pop("activity_date", DAY),  # type: ignore[arg-type]
        **fields,  # type: ignore[arg-type]
    )


# ---- The balance never goes below zero ---------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_repayments_racing_never_take_the_balance_below_zero(org_a):
    holder = holder_of(org_a)
    coordinator = make_staff(org_a, Role.COORDINATOR, "coord-a@example.org")
    member = make_member(org_a)
    cash_float = issued(org_a, holder, coordinator, "50.00")

    start = threading.Barrier(5)
    outcomes: list[str] = []
    lock = threading.Lock()

    def press() -> None:
        try:
            start.wait()
            repay(CashFloat.objects.get(pk=cash_float.pk), coordinator, Person.objects.get(pk=member.pk), "20.00")
            result = "repaid"
        except ValidationError as error:
            text = " ".join(error.messages)
            result = "refused" if "There is only £10.00 left in this float." in text else f"other: {text}"
        except Exception as error:  # any other failure is reported by the assertion below
            result = f"error: {error!r}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=press) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["refused"] * 3 + ["repaid"] * 2, outcomes
    assert cash_float.repayments.count() == 2
    assert cash_selectors.balance(cash_float) == D("10.00")


def test_a_repayment_over_the_balance_says_what_is_left(org_a, coordinator_a, member_a):
    cash_float = issued(org_a, holder_of(org_a), coordinator_a, "30.00")
    repay(cash_float, coordinator_a, member_a, "25.50")
    with pytest.raises(ValidationError, match=r"There is only £4\.50 left in this float\."):
        repay(cash_float, coordinator_a, member_a, "4.51")
    repay(cash_float, coordinator_a, member_a, "4.50")
    assert cash_selectors.balance(cash_float) == D("0.00")
    assert cash_selectors.repaid(cash_float) == D("30.00")


# ---- A repayment is spent on the budget and paid for the member -----------------------------------


def test_a_repayment_counts_as_spent_and_the_member_sees_it_paid(org_a, coordinator_a, member_a):
    holder = holder_of(org_a)
    cash_float = issued(org_a, holder, coordinator_a)
    assert selectors.budget_figures(cash_float.budget).spent == D("0.00")

    line = repay(cash_float, coordinator_a, member_a, "12.50", category="parking")

    assert line.kind == IncomeLine.Kind.EXPENSE and line.expense_category == "parking"
    assert line.status == IncomeLine.Status.PAID and line.method == "cash" and line.paid_at is not None
    assert line.budget_id == cash_float.budget_id and line.cash_float_id == cash_float.pk
    assert line.decided_by == coordinator_a
    _allocation, committed, spent, remaining = selectors.budget_figures(cash_float.budget)
    assert (committed, spent, remaining) == (D("0.00"), D("12.50"), D("987.50"))

    page = member_client(member_a).get("/me/payments/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "£12.50" in html and "Parking" in html
    assert f"Paid on {timezone.localdate(line.paid_at):%-d %b %Y}" in html


def test_a_repayment_for_a_session_is_tied_to_the_attendance(org_a, org_b, coordinator_a, member_a):
    cash_float = issued(org_a, holder_of(org_a), coordinator_a)
    session = make_session(org_a, title="Carers' forum")
    attendance = Attendance.objects.create(session=session, person=member_a, status=Attendance.Status.ATTENDED)
    line = repay(cash_float, coordinator_a, member_a, "6.00", session=session)
    assert line.attendance == attendance and line.description == "Carers' forum"

    other = make_session(org_b, title="Elsewhere")
    with pytest.raises(ValidationError) as error:
        repay(cash_float, coordinator_a, member_a, "6.00", session=other)
    assert "session" in error.value.message_dict


# ---- Small amounts only ------------------------------------------------------------------------


@pytest.mark.parametrize("amount", ["100.01", "150.00", "0.00", "-5.00"])
def test_amounts_over_100_pounds_zero_or_negative_are_refused(org_a, coordinator_a, member_a, amount):
    cash_float = issued(org_a, holder_of(org_a), coordinator_a, "500.00")
    with pytest.raises(ValidationError) as error:
        repay(cash_float, coordinator_a, member_a, amount)
    assert "amount" in error.value.message_dict
    assert not IncomeLine.objects.exists()


def test_exactly_100_pounds_is_allowed(org_a, coordinator_a, member_a):
    cash_float = issued(org_a, holder_of(org_a), coordinator_a, "500.00")
    assert repay(cash_float, coordinator_a, member_a, "100.00").amount == D("100.00")


def test_the_page_refuses_an_amount_over_100_pounds_and_keeps_what_was_typed(org_a, coordinator_a, member_a):
    cash_float = issued(org_a, holder_of(org_a), coordinator_a, "500.00")
    response = staff_client(coordinator_a).post(
        f"/staff/payments/floats/{cash_float.pk}/repay/",
        {"person": member_a.pk, "category": "taxi", "amount": "150.00", **date_boxes("activity_date", "2025-06-11")},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "There is a problem" in html and "at most £100.00" in html
    assert 'value="150.00"' in html and shown_date(html, "activity_date") == "11 6 2025"
    assert not IncomeLine.objects.exists()


def test_the_page_repays_and_shows_the_balance(org_a, coordinator_a, member_a):
    cash_float = issued(org_a, holder_of(org_a), coordinator_a, "40.00")
    client = staff_client(coordinator_a)
    response = client.post(
        f"/staff/payments/floats/{cash_float.pk}/repay/",
        {"person": member_a.pk, "category": "subsistence", "amount": "7.25", "activity_date": "2025-06-11"},
    )
    assert response.status_code == 302
    line = IncomeLine.objects.get()
    assert line.amount == D("7.25") and line.cash_float == cash_float and line.status == "paid"
    listing = client.get("/staff/payments/floats/").content.decode()
    assert "£40.00" in listing and "£7.25" in listing and "£32.75" in listing


# ---- Who may repay, issue and close --------------------------------------------------------------


def test_only_the_floats_holder_repays(org_a, coordinator_a, member_a):
    holder = holder_of(org_a)
    cash_float = issued(org_a, holder, coordinator_a)
    other_coordinator = make_staff(org_a, Role.COORDINATOR, "other-coord@example.org")
    admin = make_staff(org_a, Role.ADMIN, "admin-a@example.org")
    for someone in (other_coordinator, admin, holder):
        with pytest.raises(PermissionDenied):
            repay(cash_float, someone, member_a, "5.00")
    response = staff_client(other_coordinator).post(
        f"/staff/payments/floats/{cash_float.pk}/repay/",
        {"person": member_a.pk, "category": "taxi", "amount": "5.00", "activity_date": "2025-06-11"},
    )
    assert response.status_code == 302
    assert not IncomeLine.objects.exists()
    # The holder's own page offers the form; nobody else's does.
    assert (
        "Repay in cash" in staff_client(coordinator_a).get(f"/staff/payments/floats/{cash_float.pk}/").content.decode()
    )
    page = staff_client(other_coordinator).get(f"/staff/payments/floats/{cash_float.pk}/").content.decode()
    assert "Repay in cash" not in page


def test_a_person_not_sharing_with_the_organisation_cannot_be_repaid(org_a, org_b, coordinator_a, member_b):
    cash_float = issued(org_a, holder_of(org_a), coordinator_a)
    with pytest.raises(NotShared, match="does not share their details with this organisation"):
        repay(cash_float, coordinator_a, member_b, "5.00")
    assert not IncomeLine.objects.filter(person=member_b).exists()


def test_a_closed_float_or_closed_budget_repays_nothing(org_a, coordinator_a, member_a):
    holder = holder_of(org_a)
    cash_float = issued(org_a, holder, coordinator_a)
    Budget.objects.filter(pk=cash_float.budget_id).update(closed=True)
    with pytest.raises(ValidationError, match="budget this float is drawn from is closed"):
        repay(cash_float, coordinator_a, member_a, "5.00")
    Budget.objects.filter(pk=cash_float.budget_id).update(closed=False)
    cash.close_float(actor=coordinator_a, cash_float=cash_float, counted_cash=D("50.00"))
    with pytest.raises(ValidationError, match="This float is closed"):
        repay(cash_float, coordinator_a, member_a, "5.00")
    assert not IncomeLine.objects.exists()


def test_a_future_date_is_refused(org_a, coordinator_a, member_a):
    cash_float = issued(org_a, holder_of(org_a), coordinator_a)
    with pytest.raises(ValidationError) as error:
        repay(cash_float, coordinator_a, member_a, "5.00", activity_date=timezone.localdate() + timedelta(days=1))
    assert "activity_date" in error.value.message_dict


@pytest.mark.parametrize("day", [date(2024, 4, 5), date(1900, 1, 1), date(1, 1, 1)])
def test_a_repayment_for_an_activity_before_the_last_tax_year_is_refused(org_a, coordinator_a, member_a, day):
    cash_float = issued(org_a, holder_of(org_a), coordinator_a)
    with pytest.raises(ValidationError) as error:
        repay(cash_float, coordinator_a, member_a, "5.00", activity_date=day)
    assert error.value.message_dict["activity_date"] == [
        "Claims must be for an activity on or after 6 April 2024. Check the date."
    ]
    assert not IncomeLine.objects.exists()
    assert repay(cash_float, coordinator_a, member_a, "5.00", activity_date=date(2024, 4, 6)).status == "paid"


def test_only_the_budget_holder_or_an_admin_issues_and_only_to_a_coordinator(org_a, coordinator_a, member_a):
    holder = holder_of(org_a)
    budget = budget_for(org_a, holder)
    with pytest.raises(PermissionDenied):
        cash.issue_float(actor=coordinator_a, organisation=org_a, budget=budget, held_by=coordinator_a, amount=D("20"))
    other_holder = make_staff(org_a, Role.BUDGET_HOLDER, "other-holder@example.org")
    with pytest.raises(PermissionDenied):
        cash.issue_float(actor=other_holder, organisation=org_a, budget=budget, held_by=coordinator_a, amount=D("20"))
    assert member_a.user is not None
    with pytest.raises(ValidationError) as error:
        cash.issue_float(actor=holder, organisation=org_a, budget=budget, held_by=member_a.user, amount=D("20"))
    assert "held_by" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        cash.issue_float(actor=holder, organisation=org_a, budget=budget, held_by=coordinator_a, amount=D("-1"))
    assert "amount" in error.value.message_dict
    admin = make_staff(org_a, Role.ADMIN, "admin-a@example.org")
    cash_float = cash.issue_float(actor=admin, organisation=org_a, budget=budget, held_by=coordinator_a, amount=D("20"))
    assert cash_float.issued == D("20.00") and cash_selectors.balance(cash_float) == D("20.00")
    assert CashFloat.objects.count() == 1


def test_the_issue_page_for_a_budget_holder(org_a, coordinator_a):
    holder = holder_of(org_a)
    budget = budget_for(org_a, holder)
    client = staff_client(holder)
    response = client.post(
        "/staff/payments/floats/", {"budget": budget.pk, "held_by": coordinator_a.pk, "amount": "abc"}
    )
    assert response.status_code == 422 and "There is a problem" in response.content.decode()
    assert 'value="abc"' in response.content.decode()
    response = client.post(
        "/staff/payments/floats/", {"budget": budget.pk, "held_by": coordinator_a.pk, "amount": "60.00"}
    )
    cash_float = CashFloat.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/staff/payments/floats/{cash_float.pk}/"
    assert cash_float.held_by == coordinator_a and cash_float.budget == budget
    # A coordinator sees the floats but cannot issue one.
    assert (
        staff_client(coordinator_a)
        .post("/staff/payments/floats/", {"budget": budget.pk, "held_by": coordinator_a.pk, "amount": "60.00"})
        .status_code
        == 403
    )
    assert CashFloat.objects.count() == 1


# ---- Closing with the count ----------------------------------------------------------------------


def test_closing_with_a_difference_records_it(org_a, coordinator_a, member_a):
    cash_float = issued(org_a, holder_of(org_a), coordinator_a, "50.00")
    repay(cash_float, coordinator_a, member_a, "12.50")
    closed = cash.close_float(actor=coordinator_a, cash_float=cash_float, counted_cash=D("30.00"))
    closed.refresh_from_db()
    assert closed.closed_at is not None
    assert closed.counted == D("30.00") and closed.difference == D("-7.50")
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(CashFloat), object_id=cash_float.pk
    )
    assert any((e.changes_dict or {}).get("difference", [None, None])[1] == "-7.50" for e in entries)
    closing = [e for e in entries if "difference" in (e.changes_dict or {})]
    assert [e.actor_id for e in closing] == [coordinator_a.pk]
    with pytest.raises(ValidationError, match="already closed"):
        cash.close_float(actor=coordinator_a, cash_float=cash_float, counted_cash=D("37.50"))


def test_closing_on_the_page_with_the_exact_balance_records_no_difference(org_a, coordinator_a, member_a):
    cash_float = issued(org_a, holder_of(org_a), coordinator_a, "50.00")
    repay(cash_float, coordinator_a, member_a, "10.00")
    client = staff_client(coordinator_a)
    assert client.post(f"/staff/payments/floats/{cash_float.pk}/close/", {"counted_cash": ""}).status_code == 422
    response = client.post(f"/staff/payments/floats/{cash_float.pk}/close/", {"counted_cash": "40.00"})
    assert response.status_code == 302
    cash_float.refresh_from_db()
    assert cash_float.counted == D("40.00") and cash_float.difference == D("0.00") and cash_float.closed_at


def test_every_change_is_audited_with_its_actor(org_a, coordinator_a, member_a):
    holder = holder_of(org_a)
    cash_float = issued(org_a, holder, coordinator_a)
    line = repay(cash_float, coordinator_a, member_a, "5.00")
    float_ct = ContentType.objects.get_for_model(CashFloat)
    created = LogEntry.objects.get(content_type=float_ct, object_id=cash_float.pk, action=LogEntry.Action.CREATE)
    assert created.actor == holder
    line_entry = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(IncomeLine), object_id=line.pk, action=LogEntry.Action.CREATE
    )
    assert line_entry.actor == coordinator_a


# ---- Another organisation ------------------------------------------------------------------------


def test_a_coordinator_of_another_organisation_gets_404(org_a, org_b, coordinator_a, coordinator_b, member_a):
    cash_float = issued(org_a, holder_of(org_a), coordinator_a)
    client = staff_client(coordinator_b)
    assert client.get(f"/staff/payments/floats/{cash_float.pk}/").status_code == 404
    assert (
        client.post(
            f"/staff/payments/floats/{cash_float.pk}/repay/",
            {"person": member_a.pk, "category": "taxi", "amount": "5.00", "activity_date": "2025-06-11"},
        ).status_code
        == 404
    )
    assert client.post(f"/staff/payments/floats/{cash_float.pk}/close/", {"counted_cash": "0"}).status_code == 404
    assert f"/staff/payments/floats/{cash_float.pk}/" not in client.get("/staff/payments/floats/").content.decode()
    cash_float.refresh_from_db()
    assert cash_float.closed_at is None and not IncomeLine.objects.exists()


# ---- Receipts: stored under a generated name, served only as an attachment of their real type ------

PDF = b"%PDF-1.7\n" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def receipt_url(line: IncomeLine) -> str:
    return f"/staff/payments/claims/{line.pk}/receipt/"


def test_a_cash_receipt_named_like_a_page_is_kept_and_served_as_the_pdf_it_is(org_a, coordinator_a, member_a, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    holder = holder_of(org_a)
    cash_float = issued(org_a, holder, coordinator_a)
    upload = SimpleUploadedFile("x.html", PDF, content_type="text/html")
    line = repay(cash_float, coordinator_a, member_a, "5.00", receipt=upload)
    assert re.fullmatch(r"receipts/2025/[0-9a-f]{32}\.pdf", line.receipt.name), line.receipt.name
    assert line.receipt_name == "x.html"
    for viewer in (coordinator_a, holder):  # the float's holder, and the holder of its budget
        response = staff_client(viewer).get(receipt_url(line))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == f'attachment; filename="receipt-{line.pk}.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == PDF
    page = staff_client(coordinator_a).get(f"/staff/payments/floats/{cash_float.pk}/").content.decode()
    assert f'href="{receipt_url(line)}"' in page and "x.html" in page


def test_a_receipt_stored_before_under_the_uploaders_name_is_served_by_its_content(
    org_a, coordinator_a, member_a, media
):
    cash_float = issued(org_a, holder_of(org_a), coordinator_a)
    line = repay(cash_float, coordinator_a, member_a, "5.00")
    IncomeLine.objects.filter(pk=line.pk).update(receipt="receipts/2025/x.html")
    (media / "receipts" / "2025").mkdir(parents=True, exist_ok=True)
    (media / "receipts" / "2025" / "x.html").write_bytes(b"<html><script>alert(1)</script></html>")
    response = staff_client(coordinator_a).get(receipt_url(line))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == f'attachment; filename="receipt-{line.pk}"'
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"<html>not a receipt</html>", "JPEG, PNG or HEIC"), (PNG + b"\x00" * (10 * 1024 * 1024), "10 MB")],
)
def test_a_cash_receipt_that_is_not_a_photo_or_pdf_or_is_too_big_is_refused(
    org_a, coordinator_a, member_a, media, content, message
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    cash_float = issued(org_a, holder_of(org_a), coordinator_a)
    with pytest.raises(ValidationError) as refused:
        repay(cash_float, coordinator_a, member_a, "5.00", receipt=SimpleUploadedFile("r.png", content))
    assert message in refused.value.message_dict["receipt"][0]
    assert not IncomeLine.objects.exists()
    assert not [path for path in media.rglob("*") if path.is_file()]


def test_only_who_may_see_the_float_or_the_claim_gets_the_receipt(org_a, org_b, coordinator_a, member_a, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.people.factories import share

    cash_float = issued(org_a, holder_of(org_a), coordinator_a)
    line = repay(cash_float, coordinator_a, member_a, "5.00", receipt=SimpleUploadedFile("r.png", PNG))
    other_coordinator = make_staff(org_a, Role.COORDINATOR, "other-coord@example.org")
    other_holder = make_staff(org_a, Role.BUDGET_HOLDER, "other-holder@example.org")
    assert staff_client(other_coordinator).get(receipt_url(line)).status_code == 404
    assert staff_client(other_holder).get(receipt_url(line)).status_code == 404
    assert member_client(member_a).get(receipt_url(line)).status_code in (302, 403)
    assert staff_client(make_staff(org_b, Role.ADMIN)).get(receipt_url(line)).status_code == 404
    # A member who stops sharing with the organisation takes their receipts with them.
    from withus.people.models import ConsentRecord

    ConsentRecord.objects.filter(person=member_a, organisation=org_a).update(withdrawn_at=timezone.now())
    assert staff_client(coordinator_a).get(receipt_url(line)).status_code == 404
    share(member_a, org_a)
    assert staff_client(coordinator_a).get(receipt_url(line)).status_code == 200
