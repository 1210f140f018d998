"""Erasure (UK GDPR Art. 17): everything goes at once except the payment ledger, kept without identity."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.management import CommandError, call_command
from django.db.models import ProtectedError
from django.utils import timezone

from tests.api.helpers import assert_error, member_api
from tests.conftest import make_member, member_client
from tests.meetings.factories import make_attendance, make_invitation, make_session
from tests.rewards.factories import (
    BenefitDeclarationFactory,
    IncomeLineFactory,
    PaymentBatchFactory,
    RewardPreferenceFactory,
)
from withus.accounts.models import SecurityEvent, User
from withus.core import privacy
from withus.meetings.models import Attendance, Invitation
from withus.people import erasure, services
from withus.people.models import ConsentRecord, Erasure, Person, WellbeingPlan
from withus.rewards import rules
from withus.rewards.models import BenefitDeclaration, IncomeLine, PaymentBatch, RewardPreference

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def erasure_log(settings, tmp_path: Path) -> Path:
    settings.WITHUS_ERASURE_LOG = tmp_path / "erasures.jsonl"
    return settings.WITHUS_ERASURE_LOG


def paid_line(person: Person, organisation, *, paid_on: date, amount: str = "60.00") -> IncomeLine:
    batch = PaymentBatchFactory(organisation=organisation, status=PaymentBatch.Status.PAID)
    paid_at = timezone.make_aware(datetime.combine(paid_on, datetime.min.time().replace(hour=12)))
    return IncomeLineFactory(
        person=person,
        organisation=organisation,
        amount=Decimal(amount),
        status=IncomeLine.Status.PAID,
        batch=batch,
        paid_at=paid_at,
        activity_date=paid_on,
    )


def test_a_payment_is_kept_for_six_years_after_the_end_of_its_tax_year() -> None:
    assert rules.ledger_kept_until(date(2026, 5, 10)) == date(2033, 4, 5)
    assert rules.ledger_kept_until(date(2026, 4, 5)) == date(2032, 4, 5)
    assert rules.ledger_kept_until(date(2026, 4, 6)) == date(2033, 4, 5)


def test_someone_never_paid_is_erased_entirely_and_told_by_email(
    org_a, erasure_log: Path, django_capture_on_commit_callbacks
) -> None:
    person = make_member(org_a, full_name="Gwen Erased")
    email = person.email
    user_id = person.user_id
    services.save_wellbeing_plan(
        person=person, actor=person.user, what_helps="Quiet", who_to_contact="", visible_to="only_me"
    )
    session = make_session(org_a)
    make_invitation(session, person)
    make_attendance(session, person)
    person_type = ContentType.objects.get_for_model(Person)
    assert LogEntry.objects.filter(content_type=person_type, object_id=person.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        done = erasure.request_erasure(person=person, via=Erasure.Via.WEB)

    assert done.status == Erasure.Status.DONE and done.person is None
    assert not Person.objects.filter(pk=person.pk).exists()
    assert not User.objects.filter(pk=user_id).exists()
    assert not ConsentRecord.objects.filter(person_id=person.pk).exists()
    assert not WellbeingPlan.objects.filter(person_id=person.pk).exists()
    assert not Invitation.objects.filter(session=session).exists()
    assert not Attendance.objects.filter(session=session).exists()
    assert not LogEntry.objects.filter(content_type=person_type, object_id=person.pk).exists()
    assert not LogEntry.objects.filter(changes_text__icontains="Gwen").exists()
    assert not LogEntry.objects.filter(object_repr__icontains="Gwen").exists()
    # Told by e-mail, before the address went; the record of it holds no identity.
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [email]
    assert done.reference in mail.outbox[0].body
    assert done.confirmation == Erasure.Confirmation.EMAIL and not done.letter_address
    events = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.ERASURE)
    assert events.count() == 2 and all(done.reference in e.detail and "Gwen" not in e.detail for e in events)
    # Written to the log kept apart from the database, without identity.
    entry = json.loads(erasure_log.read_text().splitlines()[0])
    assert entry["reference"] == done.reference and entry["person_number"] == person.pk
    assert "gwen" not in erasure_log.read_text().lower() and email not in erasure_log.read_text()


def test_the_confirmation_is_in_the_persons_language(org_a) -> None:
    person = make_member(org_a, full_name="Dafydd", prefers_welsh=True)
    erasure.request_erasure(person=person, via=Erasure.Via.WEB)
    assert "Annwyl Dafydd" in mail.outbox[0].body


def test_payments_made_stay_as_a_ledger_without_identity(org_a) -> None:
    person = make_member(org_a, full_name="Huw Paid", phone="07700 900123", address="1 Stryd Fawr", postcode="CF10 1AA")
    paid = paid_line(person, org_a, paid_on=date(2026, 5, 10))
    IncomeLineFactory(person=person, organisation=org_a, status=IncomeLine.Status.OFFERED)
    BenefitDeclarationFactory(person=person)
    RewardPreferenceFactory(person=person)

    found = erasure.plan(person)
    assert [(k.count, k.until) for k in found.kept] == [(1, date(2033, 4, 5))]
    done = erasure.request_erasure(person=person, via=Erasure.Via.COMMAND)

    left = Person.objects.get(pk=person.pk)
    assert done.person == left and left.erased_at is not None
    assert left.full_name == done.reference and str(left) == done.reference
    assert (left.email, left.phone, left.address, left.postcode, left.user_id) == ("", "", "", "", None)
    assert left.perspective == "" and left.reasonable_adjustments == "" and not left.tags.exists()
    assert list(IncomeLine.objects.filter(person=left)) == [paid]
    kept = IncomeLine.objects.get(pk=paid.pk)
    assert (kept.amount, kept.batch_id, kept.budget_id) == (paid.amount, paid.batch_id, paid.budget_id)
    assert not BenefitDeclaration.objects.filter(person=left).exists()
    assert not RewardPreference.objects.filter(person=left).exists()
    assert done.ledger_kept_until == date(2033, 4, 5)
    # Subject access now finds nothing that says who they were.
    document = json.dumps(privacy.subject_access(left))
    assert "Huw" not in document and "07700" not in document


def test_a_person_with_payments_can_never_be_deleted_outright(org_a) -> None:
    person = make_member(org_a)
    paid_line(person, org_a, paid_on=date(2026, 5, 10))
    with pytest.raises(ProtectedError):
        person.delete()


def test_money_owed_is_paid_first_unless_given_up(org_a) -> None:
    person = make_member(org_a, full_name="Owed Person")
    owed = IncomeLineFactory(person=person, organisation=org_a, status=IncomeLine.Status.APPROVED)

    waiting = erasure.request_erasure(person=person, via=Erasure.Via.WEB)
    assert waiting.status == Erasure.Status.WAITING
    assert Person.objects.get(pk=person.pk).full_name == "Owed Person"
    assert erasure.purge().erased == 0  # still owed

    owed.status = IncomeLine.Status.PAID
    owed.paid_at = timezone.now()
    owed.save()
    assert erasure.purge().erased == 1
    waiting.refresh_from_db()
    assert waiting.status == Erasure.Status.DONE
    assert Person.objects.get(pk=person.pk).erased_at is not None


def test_giving_up_what_is_owed_erases_at_once(org_a) -> None:
    person = make_member(org_a)
    owed = IncomeLineFactory(person=person, organisation=org_a, status=IncomeLine.Status.APPROVED)
    assert erasure.plan(person).waivable == Decimal("60.00")
    done = erasure.request_erasure(person=person, via=Erasure.Via.API, waive_unpaid=True)
    assert done.status == Erasure.Status.DONE
    assert not IncomeLine.objects.filter(pk=owed.pk).exists()
    assert not Person.objects.filter(pk=person.pk).exists()


def test_a_payment_already_sent_to_the_bank_cannot_be_given_up(org_a) -> None:
    person = make_member(org_a)
    batch = PaymentBatchFactory(organisation=org_a, status=PaymentBatch.Status.EXPORTED)
    IncomeLineFactory(person=person, organisation=org_a, status=IncomeLine.Status.APPROVED, batch=batch)
    found = erasure.plan(person)
    assert found.on_its_way == Decimal("60.00") and found.waivable == 0
    assert erasure.request_erasure(person=person, via=Erasure.Via.WEB, waive_unpaid=True).status == "waiting"


def test_the_ledger_goes_when_its_time_is_up(org_a) -> None:
    person = make_member(org_a)
    line = paid_line(person, org_a, paid_on=date(2019, 6, 1))
    done = erasure.request_erasure(person=person, via=Erasure.Via.WEB)
    assert done.ledger_kept_until == date(2026, 4, 5)
    line_type = ContentType.objects.get_for_model(IncomeLine)

    kept = erasure.purge(date(2026, 4, 5))
    assert sum(kept.ledger_lines.values()) == 0 and Person.objects.filter(pk=person.pk).exists()
    gone = erasure.purge(date(2026, 4, 6))
    assert gone.ledger_lines["rewards"] == 1 and gone.records_removed == 1
    assert not Person.objects.filter(pk=person.pk).exists()
    # Deleting writes the old values to the audit log unless told not to: nothing of the line stays there.
    assert not LogEntry.objects.filter(content_type=line_type, object_id=line.pk).exists()


def test_replay_erases_again_only_the_same_record(org_a, django_capture_on_commit_callbacks) -> None:
    person = make_member(org_a, full_name="Restored Person")
    number, registered = person.pk, person.created_at
    with django_capture_on_commit_callbacks(execute=True):
        erasure.request_erasure(person=person, via=Erasure.Via.WEB)
    assert not Person.objects.filter(pk=number).exists()

    # A backup from before the erasure is restored: the person is back, with the same number and moment.
    Person.objects.create(id=number, created_at=registered, full_name="Restored Person", perspective="carer")
    Erasure.objects.all().delete()
    found = erasure.replay()
    assert len(found.applied) == 1
    assert not Person.objects.filter(pk=number).exists()
    assert Erasure.objects.get().status == Erasure.Status.DONE
    assert len(mail.outbox) == 1  # not told twice

    # Someone new who was given the same number after a restore is left alone.
    Person.objects.create(id=number, full_name="New Person", perspective="carer")
    assert erasure.replay().applied == []
    assert Person.objects.get(pk=number).full_name == "New Person"


def test_the_member_sees_what_goes_and_stays_then_confirms(org_a) -> None:
    person = make_member(org_a, full_name="Web Person")
    paid_line(person, org_a, paid_on=date(2026, 5, 10))
    client = member_client(person)
    page = client.get("/me/erase/").content.decode()
    assert "What goes at once" in page and "5 April 2033" in page

    refused = client.post("/me/erase/", {})
    assert refused.status_code == 200
    assert "Tick the box to say you understand" in refused.content.decode()
    assert Person.objects.get(pk=person.pk).erased_at is None

    response = client.post("/me/erase/", {"understood": "on"}, follow=True)
    reference = Erasure.objects.get().reference
    assert reference in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get("/me/").status_code == 302  # signed out


def test_the_member_chooses_about_money_owed(org_a) -> None:
    person = make_member(org_a)
    IncomeLineFactory(person=person, organisation=org_a, status=IncomeLine.Status.APPROVED)
    client = member_client(person)
    refused = client.post("/me/erase/", {"understood": "on"})
    assert "Choose whether we pay you first" in refused.content.decode()
    response = client.post("/me/erase/", {"understood": "on", "unpaid": "pay_first"}, follow=True)
    assert "as soon as what we owe you has been paid" in response.content.decode()
    assert Erasure.objects.get().status == Erasure.Status.WAITING


def test_the_page_is_in_welsh(org_a) -> None:
    person = make_member(org_a)
    client = member_client(person)
    client.cookies["django_language"] = "cy"
    page = client.get("/me/erase/", headers={"accept-language": "cy"}).content.decode()
    assert "Dileu eich manylion" in page


def test_the_api_says_what_would_happen_and_erases(org_a) -> None:
    person = make_member(org_a)
    paid_line(person, org_a, paid_on=date(2026, 5, 10))
    api = member_api(person, org_a)
    plan = api.get("/api/people/me/erasure").json()
    assert plan["kept"][0]["until"] == "2033-04-05" and plan["owed"] == [] and plan["waiting"] is None

    assert_error(api.post("/api/people/me/erasure", {"confirm": False}), 422, "invalid")
    response = api.post("/api/people/me/erasure", {"confirm": True})
    assert response.status_code == 200
    assert response.json()["status"] == "done"
    assert api.get("/api/people/me/erasure").status_code == 401


def test_the_api_answers_202_while_waiting_for_a_payment(org_a) -> None:
    person = make_member(org_a)
    IncomeLineFactory(person=person, organisation=org_a, status=IncomeLine.Status.APPROVED)
    response = member_api(person, org_a).post("/api/people/me/erasure", {"confirm": True})
    assert response.status_code == 202 and response.json()["status"] == "waiting"


def test_staff_erase_from_a_written_request_on_the_command_line(org_a, tmp_path: Path) -> None:
    person = make_member(org_a, full_name="Post Person", address="2 Heol Las\nAberystwyth", postcode="sy23 1aa")
    Person.objects.filter(pk=person.pk).update(preferred_channel="post")
    out = StringIO()
    call_command("privacy", "erase", str(person.pk), stdout=out)
    assert "Nothing erased" in out.getvalue() and Person.objects.filter(pk=person.pk).exists()

    call_command("privacy", "erase", str(person.pk), "--yes", "--received", "2026-11-20", stdout=out)
    done = Erasure.objects.get()
    assert done.via == Erasure.Via.COMMAND and done.confirmation == Erasure.Confirmation.LETTER
    assert not Person.objects.filter(pk=person.pk).exists() and mail.outbox == []
    assert done.letter_address.splitlines() == ["Post Person", "2 Heol Las", "Aberystwyth", "SY23 1AA"]

    letters = tmp_path / "letters.pdf"
    call_command("privacy", "letters", "--output", str(letters), stdout=out)
    assert letters.read_bytes().startswith(b"%PDF")
    done.refresh_from_db()
    assert done.letter_address == "" and done.letter_printed_at is not None

    with pytest.raises(CommandError, match="No person"):
        call_command("privacy", "erase", str(person.pk), "--yes")


def test_the_ledger_is_picked_out_by_the_database_in_the_same_reads_however_long(org_a) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from withus.rewards import privacy as rewards_privacy

    def erased_with(count: int, paid: date) -> Person:
        person = make_member(org_a)
        for _ in range(count):
            paid_line(person, org_a, paid_on=paid)
        erasure.request_erasure(person=person, via=Erasure.Via.WEB)
        return person

    def purged() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            removed = rewards_privacy.purge(date(2026, 4, 6))
        # The lines are chosen by the database with the date cutoff, a chunk of ids at a time: the
        # reads of the ledger do not grow with it (the audit log writes a row per line deleted).
        reads = [q["sql"] for q in captured.captured_queries if q["sql"].startswith('SELECT "rewards_incomeline"')]
        return removed, len(reads)

    kept = erased_with(3, date(2020, 4, 6))  # the tax year 2020/21: kept to 5 April 2027
    erased_with(2, date(2020, 4, 5))
    few, few_queries = purged()
    erased_with(20, date(2019, 6, 1))
    many, many_queries = purged()
    assert (few, many) == (2, 20) and few_queries == many_queries
    assert IncomeLine.objects.filter(person=kept).count() == 3
