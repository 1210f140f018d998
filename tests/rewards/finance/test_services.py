"""Budgets, claims, approval and payment batches: the services in withus/rewards/finance/."""

from __future__ import annotations

import csv
import io
import threading
from datetime import date
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import connection, connections

from tests.conftest import make_member, make_staff
from tests.people.factories import PersonFactory
from tests.rewards.factories import BudgetFactory, IncomeLineFactory, RewardPreferenceFactory
from withus.accounts.models import Organisation, Role, User
from withus.core import spreadsheets
from withus.people.models import Person
from withus.rewards.finance import documents, selectors, services
from withus.rewards.models import Budget, IncomeLine, PaymentBatch, RewardPreference

D = Decimal
DAY = date(2025, 6, 11)


# ---- Helpers shared with the page and API tests -------------------------------------------------


def holder_of(organisation: Organisation, email: str = "holder@example.org") -> User:
    return make_staff(organisation, Role.BUDGET_HOLDER, email)


def budget_for(organisation: Organisation, holder: User, allocation: str = "1000.00", **fields: Any) -> Budget:
    fields.setdefault("name", "Panel budget")
    return BudgetFactory(organisation=organisation, allocation=D(allocation), holder=holder, **fields)


def bank_details(person: Person, method: str = "bank_transfer") -> RewardPreference:
    return RewardPreferenceFactory(person=person, method=method, sort_code="12-34-56")


def accepted_line(person: Person, organisation: Organisation, amount: str = "60.00", **fields: Any) -> IncomeLine:
    return IncomeLineFactory(person=person, organisation=organisation, amount=D(amount), activity_date=DAY, **fields)


def approved_lines(
    organisation: Organisation, holder: User, budget: Budget, amounts: list[str], method: str = "bank_transfer"
) -> list[IncomeLine]:
    lines = []
    for amount in amounts:
        member = make_member(organisation)
        bank_details(member, method)
        line = accepted_line(member, organisation, amount)
        services.submit_claim(actor=member.user, line=line, budget=budget)
        lines.append(services.approve(actor=holder, line=line))
    return lines


def claim_near_a_limit(org, coordinator, budget, amount: str = "250.00") -> IncomeLine:
    """A carer's accepted fee, claimed this week, against a £196 weekly earnings limit."""
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from withus.rewards.fees import services as fee_services
    from withus.rewards.guard import services as guard_services
    from withus.rewards.models import BenefitLimit

    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    if not BenefitLimit.objects.filter(rule="carers_allowance", source="DWP test row").exists():
        BenefitLimit.objects.create(
            rule="carers_allowance", period="week", amount=Decimal("196.00"), valid_from=monday, source="DWP test row"
        )
    member = make_member(org)
    guard_services.declare_benefit(actor=member.user, person=member, benefit="carers_allowance", share_with=[org])
    offer = fee_services.offer_fee(
        actor=coordinator,
        organisation=org,
        person=member,
        description="Panel",
        amount=Decimal(amount),
        activity_date=monday,
    )
    guard_services.choose(actor=member.user, line=offer, choice="accept")
    return services.submit_claim(actor=coordinator, line=offer, budget=budget)


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# ---- Budgets --------------------------------------------------------------------------------

pytestmark = pytest.mark.django_db


def test_create_budget_checks_who_and_holder(org_a, org_b, coordinator_a, coordinator_b):
    holder = holder_of(org_a)
    with pytest.raises(PermissionDenied):
        services.create_budget(actor=holder, organisation=org_a, name="X", allocation=D("10"), holder=holder)
    with pytest.raises(ValidationError) as error:
        services.create_budget(
            actor=coordinator_a, organisation=org_a, name=" ", allocation=D("-1"), holder=coordinator_a
        )
    assert set(error.value.message_dict) == {"name", "allocation", "holder"}
    budget = services.create_budget(
        actor=coordinator_a, organisation=org_a, name="Panel", allocation=D("500"), holder=holder
    )
    assert budget.allocation == D("500.00") and not budget.closed
    assert LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Budget), object_id=budget.pk, actor=coordinator_a
    ).exists()
    services.close_budget(actor=coordinator_a, budget=budget)
    budget.refresh_from_db()
    assert budget.closed
    with pytest.raises(PermissionDenied):
        services.close_budget(actor=coordinator_b, budget=budget)


def test_budget_figures_sum_exactly(org_a):
    holder = holder_of(org_a)
    budget = budget_for(org_a, holder, "100.00")
    member = make_member(org_a)
    bank_details(member)
    amounts = ["0.10", "0.20", "33.33", "33.33", "0.01"]
    lines = [accepted_line(member, org_a, a, budget=budget) for a in amounts]
    # Two committed (accepted, submitted), then paid through a batch, plus an offered line that never counts.
    services.submit_claim(actor=member.user, line=lines[2], budget=budget)
    services.submit_claim(actor=member.user, line=lines[3], budget=budget)
    services.approve(actor=holder, line=lines[3])
    accepted_line(member, org_a, "999.00", budget=budget, status=IncomeLine.Status.OFFERED)
    figures = selectors.budget_figures(budget)
    assert figures == (D("100.00"), D("66.97"), D("0.00"), D("33.03"))
    batch = services.create_batch(actor=holder, organisation=org_a, method="bank_transfer")
    services.export_batch(actor=holder, batch=batch)
    services.mark_paid(actor=holder, batch=batch)
    allocation, committed, spent, remaining = selectors.budget_figures(budget)
    assert (committed, spent, remaining) == (D("33.64"), D("33.33"), D("33.03"))
    assert all(isinstance(x, Decimal) for x in (allocation, committed, spent, remaining))
    assert selectors.budgets_with_figures(Budget.objects.filter(pk=budget.pk))[0][1] == (
        allocation,
        committed,
        spent,
        remaining,
    )


# ---- Claims and approval --------------------------------------------------------------------


def test_submit_takes_the_method_from_the_preference(org_a):
    holder = holder_of(org_a)
    budget = budget_for(org_a, holder)
    member = make_member(org_a)
    RewardPreference.objects.create(person=member, method="payroll")
    line = services.submit_claim(actor=member.user, line=accepted_line(member, org_a), budget=budget)
    assert (line.status, line.method, line.budget_id) == ("submitted", "payroll", budget.pk)
    assert line.submitted_at is not None
    # A line that already has a method keeps it.
    own = services.submit_claim(actor=member.user, line=accepted_line(member, org_a, method="cheque"), budget=budget)
    assert own.method == "cheque"


def test_claim_on_closed_or_other_organisations_budget_is_refused(org_a, org_b, coordinator_a):
    holder = holder_of(org_a)
    member = make_member(org_a)
    closed = budget_for(org_a, holder, closed=True)
    other = budget_for(org_b, holder_of(org_b, "holder-b@example.org"))
    line = accepted_line(member, org_a)
    with pytest.raises(ValidationError, match="This budget is closed"):
        services.submit_claim(actor=member.user, line=line, budget=closed)
    with pytest.raises(ValidationError) as error:
        services.submit_claim(actor=member.user, line=line, budget=other)
    assert "budget" in error.value.message_dict
    line.refresh_from_db()
    assert line.status == "accepted" and line.budget_id is None
    stranger = make_member(org_a)
    with pytest.raises(PermissionDenied):
        services.submit_claim(actor=stranger.user, line=line, budget=budget_for(org_a, holder))
    # The coordinator may submit it for them.
    assert services.submit_claim(actor=coordinator_a, line=line, budget=budget_for(org_a, holder)).status == "submitted"


def test_nobody_approves_their_own_claim(org_a):
    holder = holder_of(org_a)
    person = PersonFactory(user=holder, email=holder.email)
    budget = budget_for(org_a, holder)
    line = services.submit_claim(actor=holder, line=accepted_line(person, org_a), budget=budget)
    with pytest.raises(PermissionDenied, match="your own claim"):
        services.approve(actor=holder, line=line)
    with pytest.raises(PermissionDenied, match="your own claim"):
        services.return_line(actor=holder, line=line, reason="Mine")
    line.refresh_from_db()
    assert line.status == "submitted" and line.decided_by is None


def test_only_the_budgets_holder_decides(org_a, coordinator_a):
    holder = holder_of(org_a)
    other_holder = holder_of(org_a, "other-holder@example.org")
    admin = make_staff(org_a, Role.ADMIN, "admin@example.org")
    member = make_member(org_a)
    line = services.submit_claim(actor=member.user, line=accepted_line(member, org_a), budget=budget_for(org_a, holder))
    for actor in (other_holder, admin, coordinator_a, member.user):
        with pytest.raises(PermissionDenied):
            services.approve(actor=actor, line=line)
    with pytest.raises(ValidationError) as error:
        services.return_line(actor=holder, line=line, reason="  ")
    assert "reason" in error.value.message_dict
    returned = services.return_line(actor=holder, line=line, reason="Please add the receipt")
    assert (returned.status, returned.return_reason, returned.decided_by) == (
        "returned",
        "Please add the receipt",
        holder,
    )
    with pytest.raises(ValidationError):
        services.approve(actor=holder, line=line)  # returned, not waiting
    services.submit_claim(actor=member.user, line=line, budget=line.budget)
    approved = services.approve(actor=holder, line=line)
    assert approved.status == "approved" and approved.decided_by == holder and approved.return_reason == ""
    entries = LogEntry.objects.get_for_object(line)
    assert entries.filter(actor=holder).count() >= 2


def test_approving_a_paid_or_batched_line_is_refused(org_a):
    holder = holder_of(org_a)
    [line] = approved_lines(org_a, holder, budget_for(org_a, holder), ["25.00"])
    batch = services.create_batch(actor=holder, organisation=org_a, method="bank_transfer")
    # Even forced back to "submitted", a batched line cannot be approved again.
    IncomeLine.objects.filter(pk=line.pk).update(status="submitted")
    with pytest.raises(ValidationError, match="already been paid"):
        services.approve(actor=holder, line=line)
    IncomeLine.objects.filter(pk=line.pk).update(status="approved")
    services.export_batch(actor=holder, batch=batch)
    services.mark_paid(actor=holder, batch=batch)
    with pytest.raises(ValidationError, match="already been paid"):
        services.approve(actor=holder, line=line)
    line.refresh_from_db()
    assert line.status == "paid"


# ---- Batches --------------------------------------------------------------------------------


def test_a_line_is_never_in_two_batches(org_a):
    holder = holder_of(org_a)
    budget = budget_for(org_a, holder)
    lines = approved_lines(org_a, holder, budget, ["10.00", "20.00"])
    approved_lines(org_a, holder, budget, ["5.00"], method="payroll")
    first = services.create_batch(actor=holder, organisation=org_a, method="bank_transfer")
    assert set(first.lines.values_list("pk", flat=True)) == {ln.pk for ln in lines}
    assert selectors.batch_total(first) == D("30.00")
    with pytest.raises(ValidationError, match="no approved claims"):
        services.create_batch(actor=holder, organisation=org_a, method="bank_transfer")
    assert PaymentBatch.objects.count() == 1
    # A batch made by someone else at the same moment: the conditional update notices and nothing is kept.
    more = approved_lines(org_a, holder, budget, ["7.00"])
    real = services.ready_to_batch
    calls: list[int] = []

    def racing(organisation: Any, method: str) -> Any:
        calls.append(1)
        if len(calls) == 2:  # after the check that something is ready, before the lines are gathered
            IncomeLine.objects.filter(pk=more[0].pk).update(batch=first)
        return real(organisation, method)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(services, "ready_to_batch", racing)
        with pytest.raises(ValidationError, match="another batch"):
            services.create_batch(actor=holder, organisation=org_a, method="bank_transfer")
    assert PaymentBatch.objects.count() == 1


def test_batch_needs_a_paying_role_and_a_payable_method(org_a, coordinator_a):
    holder = holder_of(org_a)
    approved_lines(org_a, holder, budget_for(org_a, holder), ["10.00"])
    with pytest.raises(PermissionDenied):
        services.create_batch(actor=coordinator_a, organisation=org_a, method="bank_transfer")
    with pytest.raises(ValidationError) as error:
        services.create_batch(actor=holder, organisation=org_a, method="volunteer")
    assert "method" in error.value.message_dict


def test_export_once_then_only_a_copy(org_a):
    holder = holder_of(org_a)
    lines = approved_lines(org_a, holder, budget_for(org_a, holder), ["10.00", "20.50"])
    batch = services.create_batch(actor=holder, organisation=org_a, method="bank_transfer")
    with pytest.raises(ValidationError, match="not been exported"):
        services.export_batch(actor=holder, batch=batch, copy=True)
    filename, text = export_text(actor=holder, batch=batch)
    assert filename.endswith(f"batch-{batch.pk}-bank_transfer.csv")
    first = rows(text)
    assert [r["amount"] for r in first] == ["10.00", "20.50"]
    assert {r["line_ids"] for r in first} == {str(ln.pk) for ln in lines}
    assert first[0]["sort_code"] == "12-34-56" and first[0]["account_number"] == "12345678"
    assert all(r["copy"] == "" for r in first)
    batch.refresh_from_db()
    assert batch.status == "exported" and batch.exported_at is not None
    exported_at = batch.exported_at
    with pytest.raises(ValidationError, match="already been exported"):
        services.export_batch(actor=holder, batch=batch)
    copy_name, copy_text = export_text(actor=holder, batch=batch, copy=True)
    assert copy_name.endswith("-COPY.csv")
    assert all(r["copy"] == "COPY" for r in rows(copy_text))
    batch.refresh_from_db()
    assert batch.status == "exported" and batch.exported_at == exported_at


def test_payroll_and_other_files(org_a):
    holder = holder_of(org_a)
    budget = budget_for(org_a, holder)
    [line] = approved_lines(org_a, holder, budget, ["12.34"], method="payroll")
    IncomeLine.objects.filter(pk=line.pk).update(description="=HYPERLINK(bad)")
    batch = services.create_batch(actor=holder, organisation=org_a, method="payroll")
    [row] = rows(export_text(actor=holder, batch=batch)[1])
    assert row["line_id"] == str(line.pk) and row["amount"] == "12.34"
    assert row["description"] == "'=HYPERLINK(bad)"
    [line] = approved_lines(org_a, holder, budget, ["5.00"], method="donation")
    RewardPreference.objects.filter(person=line.person).update(charity_name="Mind Cymru")
    batch = services.create_batch(actor=holder, organisation=org_a, method="donation")
    [row] = rows(export_text(actor=holder, batch=batch)[1])
    assert row["pay_to"] == "Mind Cymru" and row["amount"] == "5.00"


def test_missing_bank_details_refuse_the_export(org_a):
    holder = holder_of(org_a)
    [line] = approved_lines(org_a, holder, budget_for(org_a, holder), ["10.00"])
    RewardPreference.objects.filter(person=line.person).update(sort_code="")
    batch = services.create_batch(actor=holder, organisation=org_a, method="bank_transfer")
    with pytest.raises(ValidationError, match="Bank details are missing"):
        services.export_batch(actor=holder, batch=batch)
    batch.refresh_from_db()
    assert batch.status == "open"


def test_of_two_exports_at_once_only_one_is_the_file(org_a, monkeypatch):
    """The file is built before the batch is locked: an export that finishes first wins, the other is refused."""
    holder = holder_of(org_a)
    approved_lines(org_a, holder, budget_for(org_a, holder), ["10.00", "20.00"])
    batch = services.create_batch(actor=holder, organisation=org_a, method="bank_transfer")
    real_file = documents.payment_file

    def exported_meanwhile(*args: Any, **kwargs: Any) -> Any:
        built = real_file(*args, **kwargs)
        monkeypatch.setattr(documents, "payment_file", real_file)
        services.export_batch(actor=holder, batch=batch)[1].close()
        return built

    monkeypatch.setattr(documents, "payment_file", exported_meanwhile)
    with pytest.raises(ValidationError, match="already been exported"):
        services.export_batch(actor=holder, batch=batch)
    batch.refresh_from_db()
    assert batch.status == "exported"
    # One export recorded whose bank details were read; the refused one recorded nothing.
    from withus.people.models import SensitiveRead

    assert SensitiveRead.objects.filter(what=SensitiveRead.What.BANK).count() == 2


def test_interrupted_export_leaves_nothing_marked(org_a, monkeypatch):
    holder = holder_of(org_a)
    approved_lines(org_a, holder, budget_for(org_a, holder), ["10.00", "20.00", "30.00"])
    batch = services.create_batch(actor=holder, organisation=org_a, method="bank_transfer")
    real_writer = spreadsheets.writer

    class Failing:
        def __init__(self, out: StringIO) -> None:
            self.inner = real_writer(out)
            self.written = 0

        def writerow(self, row: list[Any]) -> None:
            self.written += 1
            if self.written == 3:  # the header and one payee are written, then the disk is full
                raise OSError("No space left on device")
            self.inner.writerow(row)

    monkeypatch.setattr(documents.spreadsheets, "writer", Failing)
    with pytest.raises(OSError):
        services.export_batch(actor=holder, batch=batch)
    batch.refresh_from_db()
    assert batch.status == "open" and batch.exported_at is None
    assert not IncomeLine.objects.filter(paid_at__isnull=False).exists()
    assert IncomeLine.objects.filter(batch=batch, status="approved").count() == 3
    monkeypatch.undo()
    assert len(rows(export_text(actor=holder, batch=batch)[1])) == 3


def test_mark_paid_once(org_a, coordinator_a):
    holder = holder_of(org_a)
    lines = approved_lines(org_a, holder, budget_for(org_a, holder), ["10.00", "20.00"])
    batch = services.create_batch(actor=holder, organisation=org_a, method="bank_transfer")
    with pytest.raises(ValidationError, match="Export"):
        services.mark_paid(actor=holder, batch=batch)
    services.export_batch(actor=holder, batch=batch)
    with pytest.raises(PermissionDenied):
        services.mark_paid(actor=coordinator_a, batch=batch)
    paid = services.mark_paid(actor=holder, batch=batch)
    assert (paid.status, paid.paid_by) == ("paid", holder) and paid.paid_at is not None
    for line in lines:
        line.refresh_from_db()
        assert line.status == "paid" and line.paid_at == paid.paid_at
    with pytest.raises(ValidationError, match="already been paid"):
        services.mark_paid(actor=holder, batch=batch)


# ---- Command line ---------------------------------------------------------------------------


def test_cli_batch_export_paid(org_a, tmp_path):
    holder = holder_of(org_a)
    approved_lines(org_a, holder, budget_for(org_a, holder), ["10.00", "2.50"])
    out = StringIO()
    call_command("payments", "batch", "--organisation", "org-a", "--method", "bank_transfer", stdout=out)
    batch = PaymentBatch.objects.get()
    assert out.getvalue().strip() == f"Batch {batch.pk}: 2 line(s), total £12.50"
    with pytest.raises(CommandError, match="no approved claims"):
        call_command("payments", "batch", "--organisation", "org-a", "--method", "bank_transfer")
    with pytest.raises(CommandError, match="No organisation"):
        call_command("payments", "batch", "--organisation", "nope", "--method", "bank_transfer")
    target = tmp_path / "batch.csv"
    call_command("payments", "export", str(batch.pk), "--output", str(target), stderr=StringIO())
    assert len(rows(target.read_text())) == 2
    with pytest.raises(CommandError, match="already been exported"):
        call_command("payments", "export", str(batch.pk), stdout=StringIO())
    out = StringIO()
    call_command("payments", "export", str(batch.pk), "--copy", stdout=out)
    assert {r["copy"] for r in rows(out.getvalue())} == {"COPY"}
    with pytest.raises(CommandError):
        call_command("payments", "paid", str(batch.pk))  # --as is required
    with pytest.raises(CommandError, match="No user"):
        call_command("payments", "paid", str(batch.pk), "--as", "nobody@example.org")
    out = StringIO()
    call_command("payments", "paid", str(batch.pk), "--as", holder.email, stdout=out)
    assert "marked paid" in out.getvalue()
    with pytest.raises(CommandError, match="already been paid"):
        call_command("payments", "paid", str(batch.pk), "--as", holder.email)


# ---- Twenty people press "mark paid" at once --------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_mark_paid_pay_each_line_once(org_a):
    holder = holder_of(org_a)
    lines = approved_lines(org_a, holder, budget_for(org_a, holder), ["10.00", "20.00", "30.00"])
    batch = services.create_batch(actor=holder, organisation=org_a, method="bank_transfer")
    services.export_batch(actor=holder, batch=batch)
    line_ct = ContentType.objects.get_for_model(IncomeLine)
    entries_before = LogEntry.objects.filter(content_type=line_ct).count()

    start = threading.Barrier(20)
    outcomes: list[str] = []
    lock = threading.Lock()

    def press() -> None:
        try:
            start.wait()
            services.mark_paid(actor=holder, batch=PaymentBatch.objects.get(pk=batch.pk))
            result = "paid"
        except ValidationError as error:
            result = "refused" if "already been paid" in " ".join(error.messages) else f"other: {error}"
        except Exception as error:  # any other failure is reported by the assertion below
            result = f"error: {error!r}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=press) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["paid"] + ["refused"] * 19, outcomes
    batch.refresh_from_db()
    assert batch.status == "paid" and batch.paid_by == holder
    for line in lines:
        line.refresh_from_db()
        assert line.status == "paid" and line.paid_at == batch.paid_at
    # Each line was changed to paid exactly once, and the batch once.
    paid_entries = [
        e
        for e in LogEntry.objects.filter(content_type=line_ct, action=LogEntry.Action.UPDATE)
        if (e.changes_dict or {}).get("paid_at", [None, "None"])[1] != "None"
    ]
    assert sorted(int(e.object_pk) for e in paid_entries) == sorted(ln.pk for ln in lines)
    assert LogEntry.objects.filter(content_type=line_ct).count() == entries_before + len(lines)
    batch_entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(PaymentBatch), object_id=batch.pk
    )
    assert sum(1 for e in batch_entries if (e.changes_dict or {}).get("status", [None, None])[1] == "paid") == 1
    assert connection.vendor in ("sqlite", "postgresql")


def export_text(**kwargs: Any) -> tuple[str, str]:
    """The payment file as text, as the bank would open it."""
    filename, file = services.export_batch(**kwargs)
    with file:
        return filename, file.read().decode("utf-8")
