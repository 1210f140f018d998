"""Texts, e-mails and letters through GOV.UK Notify (a fake of it: tests/channels/fake_notify.py), trying again
after a rate limit, the next channel when a text fails, and the delivery statuses Notify reports."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tests.channels.conftest import CALLBACK_TOKEN
from tests.channels.fake_notify import TEXT_TEMPLATE, FakeNotify
from tests.conftest import make_member, staff_client
from tests.meetings.factories import london, make_venue
from withus.accounts.models import Organisation
from withus.channels import rules, services
from withus.channels.models import Delivery, NotifySettings
from withus.meetings import services as meeting_services
from withus.meetings.reminders import send_due_reminders
from withus.people.models import OutgoingMessage
from withus.people.notify import notify

pytestmark = pytest.mark.django_db
Status = OutgoingMessage.Status


def texter(organisation: Organisation, email: str = "", **fields: object):
    person = make_member(organisation, preferred_channel="text", phone="07700 900123", **fields)
    person.email = email
    person.save(update_fields=["email"])
    return person


def tell(person, organisation: Organisation) -> OutgoingMessage:
    return notify(
        person=person,
        subject="Your fee is on its way",
        template="impact/messages/follow_up.txt",
        context={"contribution": SimpleNamespace(pk=1, text="More evening sessions"), "site_url": "https://x.example"},
        organisation=organisation,
    )


# ---- Sending -------------------------------------------------------------------------------------------------


def test_a_member_who_chose_text_gets_a_session_invitation_and_a_reminder_by_text(
    org_a, coordinator_a, notify_a, fake_notify: FakeNotify
):
    person = texter(org_a)
    start = london(2030, 6, 12, 10, 30)
    session = meeting_services.plan_session(
        actor=coordinator_a,
        organisation=org_a,
        fields={
            "title": "Carers' forum",
            "starts_at": start,
            "ends_at": start + timedelta(hours=2),
            "venue": make_venue(org_a),
            "kind": "meeting",
        },
        agenda=["Welcome"],
    )
    meeting_services.invite(actor=coordinator_a, session=session, people=[person])

    meeting_services.send_invitations(actor=coordinator_a, session=session, now=start - timedelta(days=14))

    texts = fake_notify.of_type("sms")
    assert len(texts) == 1
    assert texts[0]["phone_number"] == "07700 900123"
    assert texts[0]["template_id"] == TEXT_TEMPLATE
    body = texts[0]["personalisation"]["body"]
    assert body.startswith("Invitation: Carers' forum") and len(body) <= rules.TEXT_LIMIT
    message = OutgoingMessage.objects.get(person=person)
    assert message.status == Status.DONE  # not left in the outbox for a coordinator
    delivery = Delivery.objects.get(message=message)
    assert (delivery.provider, delivery.provider_id, delivery.status) == ("notify", texts[0]["id"], "created")
    assert delivery.about == f"session:{session.pk}"

    send_due_reminders(now=london(2030, 6, 11, 9, 0))

    texts = fake_notify.of_type("sms")
    assert len(texts) == 2
    assert texts[1]["personalisation"]["body"].startswith("Reminder: Carers' forum")
    # The session's page says how the invitation and reminder were delivered.
    page = staff_client(coordinator_a).get(f"/staff/sessions/{session.pk}/")
    assert "Accepted by Notify" in page.content.decode()


def test_a_short_text_is_the_subject_and_first_lines_within_notifys_limit():
    body = "\n\n".join(f"Line {n} " + "word " * 30 for n in range(20))
    text = rules.short_text("Invitation: Forum", body)
    assert text.startswith("Invitation: Forum\nLine 0")
    assert len(text) <= rules.TEXT_LIMIT and text.endswith("…")
    assert rules.short_text("Hi", "One\n\nTwo") == "Hi\nOne\nTwo"


def test_without_notify_texts_wait_in_the_outbox_as_before(org_a, fake_notify: FakeNotify):
    person = texter(org_a)
    message = tell(person, org_a)
    assert message.status == Status.TO_TEXT
    assert fake_notify.received == []
    assert not Delivery.objects.exists()


def test_e_mail_goes_through_notify_when_the_organisation_chooses_it(org_a, notify_a, fake_notify: FakeNotify):
    person = make_member(org_a, preferred_channel="email")
    message = tell(person, org_a)
    assert fake_notify.received == [] and len(mail.outbox) == 1  # not chosen: Django's mail backend

    NotifySettings.objects.filter(pk=notify_a.pk).update(send_email=True)
    org_a.refresh_from_db()
    mail.outbox.clear()
    message = tell(person, Organisation.objects.get(pk=org_a.pk))

    emails = fake_notify.of_type("email")
    assert len(emails) == 1 and mail.outbox == []
    assert emails[0]["email_address"] == person.email
    assert emails[0]["personalisation"]["subject"] == "Your fee is on its way"
    assert message.status == Status.SENT
    assert Delivery.objects.get(message=message).channel == "email"


def test_a_rate_limit_keeps_an_e_mail_waiting_for_notify_never_printed_and_a_retry_sends_it(
    org_a, notify_a, fake_notify: FakeNotify
):
    from withus.people.outbox import selectors as outbox_selectors

    NotifySettings.objects.filter(pk=notify_a.pk).update(send_email=True)
    person = make_member(org_a, preferred_channel="email")
    fake_notify.fail_next = [429]
    message = tell(person, Organisation.objects.get(pk=org_a.pk))

    message.refresh_from_db()
    delivery = Delivery.objects.get(message=message)
    assert message.status == Status.TO_EMAIL and mail.outbox == [] and fake_notify.of_type("email") == []
    assert (delivery.status, delivery.attempts) == ("queued", 1)
    assert not outbox_selectors.waiting(org_a).exists()  # nobody prints it meanwhile
    fake_notify.fail_next = [500]
    assert services.retry_due(now=timezone.now() + timedelta(minutes=6))["waiting"] == 1
    Delivery.objects.filter(pk=delivery.pk).update(next_try_at=timezone.now())
    assert services.retry_due(now=timezone.now())["sent"] == 1
    delivery.refresh_from_db()
    message.refresh_from_db()
    assert (delivery.status, delivery.attempts, message.status) == ("created", 3, Status.SENT)
    assert len(fake_notify.of_type("email")) == 1 and mail.outbox == []


def test_an_e_mail_waiting_for_notify_goes_by_the_server_s_mail_when_notify_gives_up_or_is_turned_off(
    org_a, notify_a, fake_notify: FakeNotify
):
    NotifySettings.objects.filter(pk=notify_a.pk).update(send_email=True)
    person = make_member(org_a, preferred_channel="email")
    fake_notify.fail_next = [429]
    message = tell(person, Organisation.objects.get(pk=org_a.pk))
    NotifySettings.objects.filter(pk=notify_a.pk).update(send_email=False)
    Delivery.objects.filter(message=message).update(next_try_at=timezone.now())
    assert services.retry_due(now=timezone.now())["other_channel"] == 1
    message.refresh_from_db()
    assert message.status == Status.SENT and [m.to for m in mail.outbox] == [[person.email]]
    assert Delivery.objects.get(message=message).fell_back_at is not None
    # Retried again later, nothing is sent twice.
    assert services.retry_due(now=timezone.now() + timedelta(days=1)) == {
        "sent": 0,
        "waiting": 0,
        "other_channel": 0,
        "let_go": 0,
    }
    assert len(mail.outbox) == 1


# ---- Failure and the next channel -------------------------------------------------------------------------


def test_a_text_notify_refuses_goes_by_e_mail(org_a, notify_a, fake_notify: FakeNotify):
    person = texter(org_a, email="texter@example.org")
    NotifySettings.objects.filter(pk=notify_a.pk).update(text_template_id="00000000-0000-4000-8000-000000000000")
    message = tell(person, Organisation.objects.get(pk=org_a.pk))

    message.refresh_from_db()
    assert (message.status, message.channel) == (Status.SENT, "email")
    assert [m.to for m in mail.outbox] == [["texter@example.org"]]
    delivery = Delivery.objects.get(message=message)
    assert delivery.status == "refused" and "no template with this ID" in delivery.error
    assert delivery.fell_back_at is not None
    assert "no template" in NotifySettings.objects.get(pk=notify_a.pk).last_error


def test_a_text_that_fails_with_no_e_mail_address_goes_on_the_call_list(org_a, notify_a, fake_notify: FakeNotify):
    person = texter(org_a)
    fake_notify.fail_next = [400]
    message = tell(person, org_a)
    message.refresh_from_db()
    assert (message.status, message.channel) == (Status.TO_CALL, "phone")
    assert mail.outbox == []


def test_a_later_permanent_failure_sends_the_message_by_e_mail_once(org_a, notify_a, fake_notify: FakeNotify):
    person = texter(org_a, email="texter@example.org")
    message = tell(person, org_a)
    delivery = Delivery.objects.get(message=message)
    fake_notify.statuses[delivery.provider_id] = "permanent-failure"

    out = StringIO()
    call_command("channels", "poll", stdout=out)

    assert "1 asked, 1 changed" in out.getvalue()
    delivery.refresh_from_db()
    message.refresh_from_db()
    assert delivery.status == "permanent-failure"
    assert (message.status, message.channel) == (Status.SENT, "email")
    assert len(mail.outbox) == 1
    services.record_status(delivery=delivery, status="technical-failure")
    assert len(mail.outbox) == 1  # never twice


def test_a_rate_limit_keeps_the_text_queued_and_a_retry_sends_it(org_a, notify_a, fake_notify: FakeNotify):
    person = texter(org_a, email="texter@example.org")
    fake_notify.fail_next = [429]
    message = tell(person, org_a)

    message.refresh_from_db()
    delivery = Delivery.objects.get(message=message)
    assert message.status == Status.TO_TEXT  # still waiting: nothing lost, nothing sent another way
    assert delivery.status == "queued" and delivery.attempts == 1
    assert "too many messages" in delivery.error
    assert fake_notify.of_type("sms") == [] and mail.outbox == []

    assert services.retry_due(now=timezone.now())["sent"] == 0  # not yet time
    fake_notify.fail_next = [500]
    assert services.retry_due(now=timezone.now() + timedelta(minutes=6))["waiting"] == 1
    out = StringIO()
    Delivery.objects.filter(pk=delivery.pk).update(next_try_at=timezone.now())
    call_command("channels", "retry", stdout=out)

    assert out.getvalue().startswith("1 sent")
    delivery.refresh_from_db()
    message.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("created", 3)
    assert message.status == Status.DONE
    assert len(fake_notify.of_type("sms")) == 1


def test_a_text_dealt_with_in_the_outbox_is_not_retried(org_a, notify_a, fake_notify: FakeNotify):
    person = texter(org_a)
    fake_notify.fail_next = [503]
    message = tell(person, org_a)
    OutgoingMessage.objects.filter(pk=message.pk).update(status=Status.DONE)
    counts = services.retry_due(now=timezone.now() + timedelta(hours=1))
    assert counts["let_go"] == 1 and fake_notify.of_type("sms") == []


# ---- Letters -------------------------------------------------------------------------------------------------


def test_letters_go_through_notifys_letter_endpoint_when_the_organisation_chooses_it(
    org_a, coordinator_a, notify_a, fake_notify: FakeNotify
):
    person = make_member(org_a, preferred_channel="post", address="1 High Street\nCardiff", postcode="CF10 1AA")
    message = tell(person, org_a)
    assert message.status == Status.TO_PRINT
    client = staff_client(coordinator_a)
    assert "Send these letters through GOV.UK Notify" not in client.get("/staff/outbox/").content.decode()

    NotifySettings.objects.filter(pk=notify_a.pk).update(send_letters=True)
    page = client.get("/staff/outbox/").content.decode()
    assert "Send these letters through GOV.UK Notify" in page
    response = client.post("/staff/outbox/letters/notify/", {"upto": message.pk}, follow=True)

    letters = fake_notify.of_type("letter")
    assert len(letters) == 1
    assert letters[0]["reference"] == f"withus-{message.pk}"
    import base64

    assert base64.b64decode(letters[0]["content"]).startswith(b"%PDF")
    message.refresh_from_db()
    assert message.status == Status.DONE and message.done_by == coordinator_a
    assert Delivery.objects.get(message=message).status == "accepted"
    assert "GOV.UK Notify took 1 letter" in response.content.decode()


def test_a_returned_letter_becomes_a_call_and_the_person_page_says_to_check_the_address(
    org_a, coordinator_a, notify_a, fake_notify: FakeNotify
):
    person = make_member(
        org_a, preferred_channel="post", address="1 High Street", postcode="CF10 1AA", phone="07700 900456"
    )
    no_phone = make_member(org_a, preferred_channel="post", address="2 High Street", postcode="CF10 1AA", phone="")
    messages = [tell(person, org_a), tell(no_phone, org_a)]
    NotifySettings.objects.filter(pk=notify_a.pk).update(send_letters=True)
    fresh = Organisation.objects.get(pk=org_a.pk)  # org_a keeps the settings it read before
    sent, problems = services.send_letters(
        actor=coordinator_a, organisation=fresh, message_ids=[m.pk for m in messages]
    )
    assert sent == 2 and problems == []
    for message in messages:
        delivery = Delivery.objects.get(message=message)
        assert callback(org_a, {"id": delivery.provider_id, "status": "returned-letter"}).status_code == 204
        assert callback(org_a, {"id": delivery.provider_id, "status": "returned-letter"}).status_code == 204
        message.refresh_from_db()
    assert (messages[0].status, messages[0].channel) == (Status.TO_CALL, "phone")
    assert (messages[1].status, messages[1].channel) == (Status.SENT, "email")  # no phone: by e-mail
    assert [m.to for m in mail.outbox] == [[no_phone.email]]
    page = staff_client(coordinator_a).get(f"/staff/people/{person.pk}/").content.decode()
    assert "Letter returned: check their postal address" in page
    assert OutgoingMessage.objects.filter(person=person).count() == 1  # the same message, never twice


def test_without_the_flag_letters_are_still_printed(org_a, coordinator_a, notify_a, fake_notify: FakeNotify):
    person = make_member(org_a, preferred_channel="post", address="1 High Street", postcode="CF10 1AA")
    message = tell(person, org_a)
    response = staff_client(coordinator_a).post("/staff/outbox/letters/notify/", {"upto": message.pk}, follow=True)
    assert "does not send letters through GOV.UK Notify" in response.content.decode()
    message.refresh_from_db()
    assert message.status == Status.TO_PRINT and fake_notify.received == []


# ---- Callbacks -------------------------------------------------------------------------------------------------


def callback(organisation: Organisation, payload: dict[str, object], token: str = CALLBACK_TOKEN):
    return Client().post(
        f"/notify/callback/{organisation.slug}/",
        json.dumps(payload),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def test_the_callback_updates_the_delivery_status(org_a, coordinator_a, notify_a, fake_notify: FakeNotify):
    person = texter(org_a)
    message = tell(person, org_a)
    delivery = Delivery.objects.get(message=message)
    payload = {
        "id": delivery.provider_id,
        "reference": delivery.reference,
        "to": "07700900123",
        "status": "delivered",
        "created_at": "2030-06-01T10:00:00.000000Z",
        "completed_at": "2030-06-01T10:00:05.000000Z",
        "sent_at": "2030-06-01T10:00:01.000000Z",
        "notification_type": "sms",
        "template_id": TEXT_TEMPLATE,
        "template_version": 1,
    }
    assert callback(org_a, payload).status_code == 204
    delivery.refresh_from_db()
    assert delivery.status == "delivered"
    assert delivery.status_at.year == 2030
    page = staff_client(coordinator_a).get(f"/staff/people/{person.pk}/").content.decode()
    assert "Delivered" in page


def test_the_callback_refuses_a_wrong_token(org_a, org_b, notify_a, fake_notify: FakeNotify):
    message = tell(texter(org_a), org_a)
    delivery = Delivery.objects.get(message=message)
    payload = {"id": delivery.provider_id, "status": "permanent-failure"}
    assert callback(org_a, payload, token="not-the-token").status_code == 401
    assert callback(org_b, payload).status_code == 401  # another organisation's address, which has no token
    no_header = Client().post(f"/notify/callback/{org_a.slug}/", json.dumps(payload), content_type="application/json")
    assert no_header.status_code == 401
    delivery.refresh_from_db()
    assert delivery.status == "created"


def test_a_letter_that_does_not_fit_notifys_layout_is_not_sent_and_stays_to_print(
    org_a, coordinator_a, notify_a, fake_notify: FakeNotify
):
    fits = make_member(org_a, preferred_channel="post", address="1 High Street\nCardiff", postcode="CF10 1AA")
    short = make_member(org_a, full_name="Sam Short", preferred_channel="post", address="Flat 2", postcode="")
    messages = [tell(fits, org_a), tell(short, org_a)]
    NotifySettings.objects.filter(pk=notify_a.pk).update(send_letters=True)
    fresh = Organisation.objects.get(pk=org_a.pk)
    sent, problems = services.send_letters(
        actor=coordinator_a, organisation=fresh, message_ids=[m.pk for m in messages]
    )
    assert sent == 1 and len(fake_notify.of_type("letter")) == 1
    assert len(problems) == 1 and "Sam Short" in problems[0] and "3 to 7" in problems[0]
    messages[1].refresh_from_db()
    assert messages[1].status == Status.TO_PRINT and not Delivery.objects.filter(message=messages[1]).exists()
