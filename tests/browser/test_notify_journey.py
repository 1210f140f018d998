"""Texts, reminders and letters through GOV.UK Notify, from the admin's settings to the delivery statuses.

An admin of the organisation opens the GOV.UK Notify settings page from the staff pages, turns
Notify on with a key Notify refuses (refused, in plain words, nothing saved), then with the
service's key, its template IDs and a callback token, and chooses to send letters through
Notify too; the page says a key is saved, ending in its last four characters, and never shows
the key. A coordinator invites a member who chose text messages and one who chose e-mail to a
session and sends the invitations from the session's page; the text goes through Notify at
once, the e-mail by the server's own mail. The reminders service runs on the day before the
session, and the text reminder goes through Notify too. Notify then says the invitation text
could not be delivered (its callback, with the bearer token): the invitation goes by e-mail
instead. The coordinator sends a waiting letter from the outbox through Notify's letter
endpoint (a precompiled PDF). Notify says the reminder text was delivered, and the person's page
and the session's page say so.

Notify is the fake in tests/channels/fake_notify.py (no internet here): it keeps what it was sent.
The admin and the coordinator each use a browser of their own. The journey runs in English and
in Welsh; in Welsh, fields, buttons and links are found by name, id, value or address, and any
Welsh wording checked comes from the compiled catalogues through ``tr()``.

Dates: the browser runs in real time, so the session is a month ahead (the invitations meet the
notice standard); the reminders service is asked what is due on the day before it, as cron would
on that day.
"""

from __future__ import annotations

import base64
import re
from datetime import datetime, time, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
import requests
from django.core import mail
from django.template.defaultfilters import date as date_filter
from django.utils import timezone, translation
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import (
    at,
    by_role_or,
    check_page,
    choice,
    expect_error_summary,
    field,
    nav_link,
    open_site,
    sign_in,
    tr,
)
from tests.channels import conftest as channels_conftest
from tests.channels.conftest import CALLBACK_TOKEN
from tests.channels.fake_notify import API_KEY, EMAIL_TEMPLATE, SECRET, TEXT_TEMPLATE, WRONG_KEY, FakeNotify
from tests.conftest import make_member, make_staff
from tests.meetings.factories import make_session
from withus.accounts.models import Organisation, Role, User
from withus.channels.models import Delivery, NotifySettings
from withus.meetings.models import Session
from withus.meetings.reminders import send_due_reminders
from withus.people.models import OutgoingMessage, Person
from withus.people.notify import notify

pytestmark = pytest.mark.browser

# The channels tests' fake Notify on a free port, with WithUs pointed at it (a fixture, shared).
fake_notify = channels_conftest.fake_notify

PHONE = "07700 900123"
LETTER_SUBJECT = "Your views made a difference"


def main_button(page: Page, lang: str, name: str, selector: str) -> Locator:
    """A button in the main content, by its name in English and by ``selector`` in Welsh."""
    return by_role_or(page, lang, page.get_by_role("main").get_by_role("button", name=name, exact=True), selector)


def expect_status(page: Page, text: str) -> None:
    expect(page.get_by_role("status")).to_have_text(text)


def shown_when(session: Session, lang: str) -> str:
    """The session's start as its messages say it ("When: ..."), in the reader's language."""
    with translation.override(lang):
        return str(date_filter(timezone.localtime(session.starts_at), "l j F Y, H:i"))


def delivery_callback(live_url: str, organisation: Organisation, payload: dict[str, Any], token: str) -> int:
    """Notify posting a delivery status to the organisation's callback address: the answer's status code."""
    response = requests.post(
        f"{live_url}/notify/callback/{organisation.slug}/",
        json=payload,
        headers={"Authorization": f"Bearer {token}"},
        timeout=15,
    )
    return response.status_code


def status_payload(notification: dict[str, Any], status: str) -> dict[str, Any]:
    """Notify's callback body for a text (its documented fields)."""
    now = timezone.now().isoformat().replace("+00:00", "Z")
    return {
        "id": notification["id"],
        "reference": notification.get("reference"),
        "to": notification["phone_number"],
        "status": status,
        "created_at": now,
        "completed_at": now,
        "sent_at": now,
        "notification_type": "sms",
        "template_id": notification["template_id"],
        "template_version": 1,
    }


# ---- The admin ----------------------------------------------------------------------------------


def admin_sets_up_notify(page: Page, lang: str, admin: User, organisation: Organisation) -> None:
    """A key Notify refuses first (said in plain words, nothing saved, the template IDs kept), then the right one."""
    open_site(page, lang)
    sign_in(page, lang, admin.email, totp=True)
    nav_link(page, lang, "GOV.UK Notify", "/staff/organisation/notify/").click()

    settings_url = at(r"/staff/organisation/notify/")
    expect(page).to_have_url(settings_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(tr(lang, "GOV.UK Notify"))
    main = page.get_by_role("main")
    expect(main).to_contain_text(tr(lang, "No API key is saved yet."))
    expect(main).to_contain_text(tr(lang, "Sending through Notify is off."))
    # The address to give Notify for its delivery receipts.
    expect(main.locator("code")).to_have_text(re.compile(rf"/notify/callback/{re.escape(organisation.slug)}/$"))
    check_page(page, lang)

    enabled = field(page, lang, "Send through GOV.UK Notify", "#id_enabled")
    api_key = field(page, lang, "API key (optional)", "#id_api_key")
    text_template = field(page, lang, "Text message template ID (optional)", "#id_text_template_id")
    email_template = field(page, lang, "E-mail template ID (optional)", "#id_email_template_id")
    letters = field(page, lang, "Send letters through Notify instead of printing them", "#id_send_letters")
    token = field(page, lang, "Callback bearer token (optional)", "#id_callback_token")
    save = main_button(page, lang, "Save", "form[action='/staff/organisation/notify/'] button[type=submit]")

    enabled.check()
    api_key.fill(WRONG_KEY)
    text_template.fill(TEXT_TEMPLATE)
    email_template.fill(EMAIL_TEMPLATE)
    letters.check()
    token.fill(CALLBACK_TOKEN)
    save.click()

    expect(page).to_have_url(settings_url)
    expect(page).to_have_title(re.compile("^" + re.escape(tr(lang, "Error:"))))
    expect_error_summary(
        page,
        lang,
        {
            "id_api_key": tr(
                lang,
                "GOV.UK Notify did not accept the API key. Check that you copied the whole key from Notify "
                "(API integration, API keys), that it has not been revoked, and that the server's clock is right.",
            )
        },
    )
    expect(page.locator("#id_api_key")).to_have_attribute("aria-invalid", "true")
    # A secret is never put back into the page; what else was typed is kept.
    expect(page.locator("#id_api_key")).to_have_value("")
    expect(page.locator("#id_callback_token")).to_have_value("")
    expect(page.locator("#id_text_template_id")).to_have_value(TEXT_TEMPLATE)
    expect(page.locator("#id_enabled")).to_be_checked()
    expect(page.locator("#id_send_letters")).to_be_checked()
    assert not NotifySettings.objects.filter(organisation=organisation).exists()
    check_page(page, lang)

    api_key.fill(API_KEY)
    token.fill(CALLBACK_TOKEN)
    save.click()

    expect(page).to_have_url(settings_url)
    expect_status(page, tr(lang, "GOV.UK Notify settings saved."))
    main = page.get_by_role("main")
    ends = API_KEY[-4:]
    expect(main).to_contain_text(tr(lang, "An API key is saved, ending %(end)s.", end=ends))
    expect(main).to_contain_text(tr(lang, "Sending through Notify is on."))
    expect(page.locator("#id_api_key")).to_have_value("")
    expect(page.locator("#id_text_template_id")).to_have_value(TEXT_TEMPLATE)
    expect(page.locator("#id_send_letters")).to_be_checked()
    expect(page.locator("#id_send_email")).not_to_be_checked()
    html = page.content()
    for secret in (API_KEY, SECRET, CALLBACK_TOKEN):
        assert secret not in html, f"the page shows a secret: {secret}"
    check_page(page, lang)

    saved = NotifySettings.objects.get(organisation=organisation)
    assert (saved.enabled, saved.send_letters, saved.send_email) == (True, True, False)
    assert (saved.api_key, saved.callback_token) == (API_KEY, CALLBACK_TOKEN)


# ---- The coordinator ----------------------------------------------------------------------------


def invited_row(page: Page, lang: str, person: Person) -> Locator:
    table = page.get_by_role("table", name=tr(lang, "Invited"), exact=True)
    return table.locator("tbody tr").filter(has_text=person.full_name)


def coordinator_invites_and_sends(
    page: Page, lang: str, coordinator: User, session: Session, shown_title: str, texter: Person, emailer: Person
) -> None:
    """From the sessions list to the session's page: both members found in the register, invited, and sent."""
    open_site(page, lang)
    sign_in(page, lang, coordinator.email, totp=True)
    nav_link(page, lang, "Sessions", "/staff/sessions/").click()
    expect(page).to_have_url(at(r"/staff/sessions/"))
    check_page(page, lang)
    page.get_by_role("main").get_by_role("link", name=shown_title, exact=True).click()

    session_url = at(rf"/staff/sessions/{session.pk}/")
    expect(page).to_have_url(session_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(shown_title)
    check_page(page, lang)
    page.get_by_role("main").locator("details:has(#invite_q) > summary").click()
    page.locator("#invite_q").fill("Price")
    main_button(page, lang, "Find", "form#invite button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"invite_q=Price"))
    check_page(page, lang)
    for person in (texter, emailer):
        choice(
            page, lang, "People to invite (optional)", person.full_name, f"input[name=people][value='{person.pk}']"
        ).check()
    main_button(page, lang, "Add to the list", "form:has(input[name=people]) button[type=submit]").click()

    expect(page).to_have_url(session_url)
    expect_status(page, tr(lang, "Added to the invitation list."))
    expect(page.get_by_role("table", name=tr(lang, "Invited"), exact=True).locator("tbody tr")).to_have_count(2)
    check_page(page, lang)
    assert mail.outbox == []
    main_button(page, lang, "Send invitations", "button[name=what][value=invitations]").click()

    expect(page).to_have_url(session_url)
    expect_status(page, tr(lang, "%(n)s invitations sent. Letters are ready to print.", n="2"))
    # The text went through Notify at once; the e-mail by the server's own mail, as before.
    how = invited_row(page, lang, texter).locator("td").nth(2)
    expect(how).to_contain_text(tr(lang, "Text message"))
    expect(how).to_contain_text(f"{tr(lang, 'Text message')}: {tr(lang, 'Accepted by Notify')}")
    expect(invited_row(page, lang, emailer).locator("td").nth(2)).not_to_contain_text(tr(lang, "Accepted by Notify"))
    check_page(page, lang)


def coordinator_sends_the_letter_through_notify(
    page: Page, lang: str, person: Person, message: OutgoingMessage, fake: FakeNotify
) -> None:
    nav_link(page, lang, "Letters, calls and texts to send", "/staff/outbox/").click()
    expect(page).to_have_url(at(r"/staff/outbox/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(tr(lang, "Letters, calls and texts to send"))
    waiting = page.get_by_role("table", name=tr(lang, "Letters, calls and texts waiting"), exact=True)
    letter = waiting.locator("tbody tr").filter(has=page.locator(f"a[href='/staff/people/{person.pk}/']"))
    expect(letter).to_have_count(1)
    expect(letter).to_contain_text(LETTER_SUBJECT)
    main = page.get_by_role("main")
    expect(main).to_contain_text(
        tr(
            lang,
            "Your organisation sends letters through GOV.UK Notify: Notify prints and posts them. "
            "Each is marked as done when Notify takes it.",
        )
    )
    check_page(page, lang)
    assert fake.of_type("letter") == []
    main_button(
        page,
        lang,
        "Send these letters through GOV.UK Notify",
        "form[action='/staff/outbox/letters/notify/'] button[type=submit]",
    ).click()

    expect(page).to_have_url(at(r"/staff/outbox/"))
    with translation.override(lang):
        took = translation.ngettext(
            "GOV.UK Notify took %(count)d letter to print and post.",
            "GOV.UK Notify took %(count)d letters to print and post.",
            1,
        ) % {"count": 1}
    expect_status(page, took)
    expect(letter).to_have_count(0)
    check_page(page, lang)
    message.refresh_from_db()
    assert message.status == OutgoingMessage.Status.DONE


def coordinator_sees_the_statuses(
    page: Page,
    lang: str,
    session: Session,
    shown_title: str,
    texter: Person,
    invitation_subject: str,
    reminder_subject: str,
) -> None:
    """The texter's page lists each message and how it went; the session's page shows the latest."""
    nav_link(page, lang, "People", "/staff/people/").click()
    expect(page).to_have_url(at(r"/staff/people/"))
    check_page(page, lang)
    by_role_or(
        page,
        lang,
        page.get_by_role("main").get_by_role("link", name=texter.full_name, exact=True),
        f"a[href='/staff/people/{texter.pk}/']",
    ).click()

    expect(page).to_have_url(at(rf"/staff/people/{texter.pk}/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(texter.full_name)
    sent = page.get_by_role(
        "table", name=tr(lang, "Messages sent lately, and how they were delivered"), exact=True
    ).locator("tbody tr")
    notify_name = tr(lang, "GOV.UK Notify")
    text_name = tr(lang, "Text message")
    reminder = sent.filter(has_text=reminder_subject)
    expect(reminder).to_have_count(1)
    expect(reminder.locator("td").nth(3)).to_have_text(f"{text_name} ({notify_name}): {tr(lang, 'Delivered')}")
    invitation = sent.filter(has_text=invitation_subject)
    expect(invitation).to_have_count(1)
    expect(invitation.locator("td").nth(3)).to_have_text(
        f"{text_name} ({notify_name}): {tr(lang, 'Not delivered: wrong number or address')}"
        f" · {tr(lang, 'sent another way')}"
    )
    check_page(page, lang)

    nav_link(page, lang, "Sessions", "/staff/sessions/").click()
    expect(page).to_have_url(at(r"/staff/sessions/"))
    check_page(page, lang)
    page.get_by_role("main").get_by_role("link", name=shown_title, exact=True).click()
    expect(page).to_have_url(at(rf"/staff/sessions/{session.pk}/"))
    expect(invited_row(page, lang, texter).locator("td").nth(2)).to_contain_text(
        f"{text_name}: {tr(lang, 'Delivered')}"
    )
    check_page(page, lang)


# ---- Setup --------------------------------------------------------------------------------------


def make_the_session(organisation: Organisation, coordinator: User, lang: str) -> Session:
    """A month ahead, at 10:30 in Wales: the invitations meet the notice standard."""
    day = timezone.localdate() + timedelta(days=30)
    starts_at = timezone.make_aware(datetime.combine(day, time(10, 30)))
    return make_session(
        organisation,
        contact=coordinator,
        title=f"Carers' forum {lang}",
        title_cy=f"Fforwm gofalwyr {lang}",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
    )


def a_letter_waiting(organisation: Organisation, lang: str) -> tuple[Person, OutgoingMessage]:
    """A member who chose post, with a letter waiting in the outbox (not about a session: those print from it)."""
    person = make_member(
        organisation,
        full_name="Gareth Lloyd",
        preferred_channel="post",
        address="1 Stryd Fawr\nAberystwyth",
        postcode="SY23 1AA",
        prefers_welsh=lang == "cy",
    )
    message = notify(
        person=person,
        subject=LETTER_SUBJECT,
        template="impact/messages/follow_up.txt",
        context={"contribution": SimpleNamespace(pk=1, text="More evening sessions"), "site_url": "https://x.example"},
        organisation=organisation,
    )
    assert message.status == OutgoingMessage.Status.TO_PRINT
    return person, message


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_texts_reminders_and_letters_through_notify(
    page: Page,
    second_page: Page,
    org_a: Organisation,
    lang: str,
    fake_notify: FakeNotify,
    live_server: Any,
) -> None:
    admin_page, staff = page, second_page
    admin = make_staff(org_a, Role.ADMIN, email=f"admin-{lang}@example.org")
    coordinator = make_staff(org_a, Role.COORDINATOR, email=f"coordinator-{lang}@example.org")
    welsh = lang == "cy"
    texter = make_member(org_a, full_name="Tomos Price", preferred_channel="text", phone=PHONE, prefers_welsh=welsh)
    emailer = make_member(org_a, full_name="Eira Price", preferred_channel="email", prefers_welsh=welsh)
    session = make_the_session(org_a, coordinator, lang)
    shown_title = session.title_cy if welsh else session.title

    # 1. The admin sets up Notify.
    admin_sets_up_notify(admin_page, lang, admin, org_a)

    # 2. The invitations: the text through Notify, the e-mail by the server's mail.
    coordinator_invites_and_sends(staff, lang, coordinator, session, shown_title, texter, emailer)
    invitation_subject = tr(lang, "Invitation: %(title)s", title=shown_title)
    reminder_subject = tr(lang, "Reminder: %(title)s", title=shown_title)
    when = shown_when(session, lang)
    (invitation_text,) = fake_notify.of_type("sms")
    assert invitation_text["phone_number"] == PHONE
    assert invitation_text["template_id"] == TEXT_TEMPLATE
    body = invitation_text["personalisation"]["body"]
    assert body.startswith(invitation_subject), body
    assert when in body, (when, body)
    assert fake_notify.of_type("email") == []  # e-mails were not chosen to go through Notify
    assert [m.subject for m in mail.outbox if m.to == [emailer.email]] == [invitation_subject]
    assert not [m for m in mail.outbox if m.to == [texter.email]]

    # The reminder, run on the day before the session as cron would.
    day_before = timezone.make_aware(
        datetime.combine(timezone.localtime(session.starts_at).date() - timedelta(days=1), time(9))
    )
    counts = send_due_reminders(now=day_before)
    assert (counts["session"], counts["failed"]) == (2, 0), counts
    texts = fake_notify.of_type("sms")
    assert len(texts) == 2, texts
    reminder_text = texts[1]
    assert reminder_text["phone_number"] == PHONE
    assert reminder_text["template_id"] == TEXT_TEMPLATE
    body = reminder_text["personalisation"]["body"]
    assert body.startswith(reminder_subject), body
    assert when in body, (when, body)
    assert [m.subject for m in mail.outbox if m.to == [emailer.email]] == [invitation_subject, reminder_subject]

    # 3. Notify says the invitation text could not be delivered: it goes by e-mail instead, once.
    failed = status_payload(invitation_text, "permanent-failure")
    assert delivery_callback(live_server.url, org_a, failed, "not-the-callback-token") == 401
    assert not [m for m in mail.outbox if m.to == [texter.email]]
    assert delivery_callback(live_server.url, org_a, failed, CALLBACK_TOKEN) == 204
    by_email = [m for m in mail.outbox if m.to == [texter.email]]
    assert [m.subject for m in by_email] == [invitation_subject], [m.subject for m in by_email]
    assert when in by_email[0].body
    assert delivery_callback(live_server.url, org_a, failed, CALLBACK_TOKEN) == 204
    assert len([m for m in mail.outbox if m.to == [texter.email]]) == 1  # never twice
    invitation_message = Delivery.objects.get(provider_id=invitation_text["id"]).message
    assert (invitation_message.channel, invitation_message.status) == ("email", OutgoingMessage.Status.SENT)

    # 4. A letter through Notify's letter endpoint.
    letter_person, letter_message = a_letter_waiting(org_a, lang)
    coordinator_sends_the_letter_through_notify(staff, lang, letter_person, letter_message, fake_notify)
    (letter,) = fake_notify.of_type("letter")
    assert letter["reference"] == f"withus-{letter_message.pk}"
    assert base64.b64decode(letter["content"]).startswith(b"%PDF")
    assert Delivery.objects.get(message=letter_message).status == Delivery.Status.ACCEPTED

    # 5. Notify says the reminder text was delivered; the person's page and the session's page say so.
    assert delivery_callback(live_server.url, org_a, status_payload(reminder_text, "delivered"), CALLBACK_TOKEN) == 204
    assert Delivery.objects.get(provider_id=reminder_text["id"]).status == Delivery.Status.DELIVERED
    coordinator_sees_the_statuses(staff, lang, session, shown_title, texter, invitation_subject, reminder_subject)
