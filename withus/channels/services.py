"""Writes of the channels app: an organisation's GOV.UK Notify settings; texts, e-mails and letters
sent through Notify; trying again after a rate limit or a fault; the next channel when a message
cannot be delivered; and the delivery statuses Notify reports.

Never lost: a message is saved in the outbox before Notify is asked, and whatever Notify answers it
either goes (recorded in a ``Delivery``), waits to be tried again, or goes by the next channel the person
accepts (a text: e-mail if they have an address, otherwise a call on the coordinator's call list).
"""

from __future__ import annotations

import hmac
import logging
import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from withus.accounts.models import Organisation, User
from withus.accounts.roles import ADMINISTERING, COORDINATING
from withus.accounts.selectors import require
from withus.core import pdf
from withus.core.audit import acting_as
from withus.people.models import Channel, OutgoingMessage
from withus.people.notify import Sender
from withus.people.outbox import documents, layout
from withus.people.outbox import selectors as outbox_selectors
from withus.people.outbox.selectors import LetterSending

from . import rules, selectors
from .govuk_notify import Notify, NotifyError
from .models import Delivery, NotifySettings

logger = logging.getLogger(__name__)
Status = OutgoingMessage.Status
TEST_TEXT = gettext_lazy("This is a test text from WithUs. If you can read it, texts through GOV.UK Notify work.")


# ---- Settings ------------------------------------------------------------------------------------------


def _check_with_notify(key: str, text_template_id: str, email_template_id: str) -> None:
    """Ask Notify whether the key works and the templates are there; refuse, in plain words, if not."""
    client = Notify(key)
    for field, template_id in (("text_template_id", text_template_id), ("email_template_id", email_template_id)):
        if not template_id:
            continue
        try:
            template = client.template(template_id)
        except NotifyError as error:
            if error.status_code == 403:
                raise ValidationError({"api_key": error.plain}) from error
            if error.status_code in (400, 404):
                raise ValidationError({field: rules.plain_error(400, [{"message": "Template not found"}])}) from error
            raise ValidationError(
                _("WithUs could not check the settings with GOV.UK Notify: %(why)s Nothing was saved; try again.")
                % {"why": error.plain}
            ) from error
        wanted = "sms" if field == "text_template_id" else "email"
        if template.get("type") and template["type"] != wanted:
            raise ValidationError(
                {
                    field: _("This template is not a %(kind)s template in Notify.")
                    % {"kind": _("text message") if wanted == "sms" else _("e-mail")}
                }
            )


@transaction.atomic
def save_settings(
    *,
    actor: User,
    organisation: Organisation,
    enabled: bool,
    text_template_id: str,
    email_template_id: str,
    send_email: bool,
    send_letters: bool,
    api_key: str | None = None,
    callback_token: str | None = None,
    check: bool = True,
) -> NotifySettings:
    """An admin of the organisation sets up GOV.UK Notify. ``api_key`` and ``callback_token`` None keep those stored.

    Refused, with what is wrong by field: a key not written as Notify writes them, a template ID that is
    not one, e-mail through Notify without an e-mail template, turning it on without a key. When it is on,
    the key and templates are checked with Notify first (``check``): a key Notify refuses or a template it
    does not have is said in plain words, and nothing is saved.
    """
    require(actor, organisation, ADMINISTERING)
    current = NotifySettings.objects.select_for_update().filter(organisation=organisation).first()
    current = current or NotifySettings(organisation=organisation, api_key="", callback_token="")
    stored_key, stored_token = str(current.api_key or ""), str(current.callback_token or "")
    key = stored_key if api_key is None or not api_key.strip() else api_key.strip()
    token = stored_token if callback_token is None or not callback_token.strip() else callback_token.strip()
    text_template_id, email_template_id = text_template_id.strip().lower(), email_template_id.strip().lower()
    errors: dict[str, str] = {}
    if key and not rules.key_is_well_formed(key):
        errors["api_key"] = _(
            "Enter the whole API key as GOV.UK Notify shows it: its name, then two long codes, joined by dashes."
        )
    if enabled and not key:
        errors["api_key"] = _("Enter the API key from GOV.UK Notify, or leave Notify turned off.")
    for field, value in (("text_template_id", text_template_id), ("email_template_id", email_template_id)):
        if value and not rules.TEMPLATE_ID.match(value):
            errors[field] = _("Enter the template ID as Notify shows it, like 0f5c6e2a-2f4e-4a7b-9b8e-1c2d3e4f5a6b.")
    if send_email and not email_template_id:
        errors["email_template_id"] = _("Enter the e-mail template's ID to send e-mails through Notify.")
    if token and len(token) < 10:
        errors["callback_token"] = _("The callback token must be at least 10 characters, as Notify asks.")
    if errors:
        raise ValidationError(errors)
    changed = (key, text_template_id, email_template_id) != (
        stored_key,
        current.text_template_id,
        current.email_template_id,
    )
    if enabled and check and (changed or not current.enabled):
        _check_with_notify(key, text_template_id, email_template_id)
    with acting_as(actor):
        current.enabled = enabled
        # The encrypted fields' library has no type hints: they hold str.
        current.api_key = key  # type: ignore[assignment]
        current.callback_token = token  # type: ignore[assignment]
        current.text_template_id = text_template_id
        current.email_template_id = email_template_id
        current.send_email = send_email
        current.send_letters = send_letters
        if changed:
            current.last_error, current.last_error_at = "", None
        current.save()
    # The caller's organisation (the request's) reads the new settings from now on.
    organisation.notify_settings = current
    return current


def _note_error(notify: NotifySettings, error: str) -> None:
    NotifySettings.objects.filter(pk=notify.pk).update(last_error=error[:500], last_error_at=timezone.now())
    notify.last_error, notify.last_error_at = error[:500], timezone.now()


def _note_working(notify: NotifySettings) -> None:
    if notify.last_error:
        NotifySettings.objects.filter(pk=notify.pk).update(last_error="", last_error_at=None)
        notify.last_error, notify.last_error_at = "", None


def send_test_text(*, actor: User, organisation: Organisation, phone_number: str) -> str:
    """An admin sends a test text through the saved settings.

    Returns the notification's id; Notify's refusal is raised in plain words.
    """
    require(actor, organisation, ADMINISTERING)
    notify = selectors.settings_of(organisation)
    if notify is None or not notify.api_key:
        raise ValidationError(_("Save the API key first."))
    if not notify.text_template_id:
        raise ValidationError({"phone_number": _("Save the text message template's ID first.")})
    if not phone_number.strip():
        raise ValidationError({"phone_number": _("Enter the mobile number to send the test text to.")})
    try:
        answer = Notify(notify.api_key).send_text(
            phone_number=phone_number.strip(),
            template_id=notify.text_template_id,
            body=str(TEST_TEXT),
            reference="withus-test",
        )
    except NotifyError as error:
        _note_error(notify, error.plain)
        raise ValidationError(error.plain) from error
    _note_working(notify)
    return str(answer.get("id", ""))


# ---- The hooks people and its outbox ask -----------------------------------------------------------------


def _working(organisation: Organisation | None) -> NotifySettings | None:
    if organisation is None:
        return None
    notify = selectors.settings_of(organisation)
    if notify is None or not notify.enabled or not notify.api_key:
        return None
    return notify


def sender_for(organisation: Organisation, channel: str) -> Sender | None:
    """The Notify sender for this channel when the organisation sends it through Notify (``people.notify``)."""
    notify = _working(organisation)
    if notify is None:
        return None
    if channel == Channel.TEXT and notify.text_template_id:
        return send_text
    if channel == Channel.EMAIL and notify.send_email and notify.email_template_id:
        return send_email
    return None


def letter_sending_for(organisation: Organisation) -> LetterSending | None:
    """Notify's letters, for the outbox, when the organisation sends its letters through Notify."""
    notify = _working(organisation)
    if notify is None or not notify.send_letters:
        return None
    return LetterSending(
        url_name="channels:send_letters",
        button=gettext_lazy("Send these letters through GOV.UK Notify"),
        explanation=gettext_lazy(
            "Your organisation sends letters through GOV.UK Notify: Notify prints and posts them. "
            "Each is marked as done when Notify takes it."
        ),
    )


# ---- Texts and e-mails -------------------------------------------------------------------------------------


def send_text(message: OutgoingMessage, short_text: str, about: str) -> None:
    """Send a waiting text through Notify at once (a ``people.notify.Sender``)."""
    text = short_text or rules.short_text(message.subject, message.body)
    delivery = Delivery.objects.create(
        message=message,
        channel=Delivery.Channel.TEXT,
        reference=f"withus-{message.pk}",
        about=about,
        text=text[: rules.TEXT_LIMIT],
    )
    _try_text(delivery, message)


def _try_text(delivery: Delivery, message: OutgoingMessage) -> None:
    notify = _working(message.organisation)
    now = timezone.now()
    if notify is None or not notify.text_template_id:
        # Notify was turned off while it waited: it stays in the outbox for a coordinator.
        _set(delivery, status=Delivery.Status.REFUSED, error=_("GOV.UK Notify is turned off."), next_try_at=None)
        return
    if not message.person.phone.strip():
        _set(delivery, status=Delivery.Status.REFUSED, error=_("No phone number is held."), next_try_at=None)
        fall_back(delivery)
        return
    delivery.attempts += 1
    try:
        answer = Notify(notify.api_key).send_text(
            phone_number=message.person.phone.strip(),
            template_id=notify.text_template_id,
            body=delivery.text,
            reference=delivery.reference,
        )
    except NotifyError as error:
        _note_error(notify, error.plain)
        if error.try_again and delivery.attempts < rules.MOST_ATTEMPTS:
            _set(
                delivery,
                status=Delivery.Status.QUEUED,
                error=error.plain,
                next_try_at=now + rules.wait_before(delivery.attempts),
            )
            return
        _set(delivery, status=Delivery.Status.REFUSED, error=error.plain, next_try_at=None)
        fall_back(delivery)
        return
    _note_working(notify)
    _set(delivery, status=Delivery.Status.CREATED, provider_id=str(answer.get("id", "")), error="", next_try_at=None)
    OutgoingMessage.objects.filter(pk=message.pk).update(status=Status.DONE, done_at=now)
    message.status, message.done_at = Status.DONE, now


def send_email(message: OutgoingMessage, short_text: str, about: str) -> None:
    """Send an e-mail through Notify (a ``people.notify.Sender``); if Notify will not take it, by Django's backend.

    A rate limit or a fault at Notify, which Notify says may be tried again, keeps it waiting for
    ``retry_due`` (``withus channels retry``), as a text is kept; it is never printed meanwhile.
    """
    delivery = Delivery.objects.create(
        message=message, channel=Delivery.Channel.EMAIL, reference=f"withus-{message.pk}", about=about
    )
    _try_email(delivery, message)


def _try_email(delivery: Delivery, message: OutgoingMessage) -> None:
    notify = _working(message.organisation)
    if notify is None or not (notify.send_email and notify.email_template_id):
        # Notify was turned off while it waited: Django's backend sends it, as without Notify.
        _set(delivery, status=Delivery.Status.REFUSED, error=_("GOV.UK Notify is turned off."), next_try_at=None)
        _by_backend_instead(delivery, message)
        return
    delivery.attempts += 1
    try:
        answer = Notify(notify.api_key).send_email(
            email_address=message.person.email,
            template_id=notify.email_template_id,
            subject=message.subject,
            body=message.body,
            reference=delivery.reference,
        )
    except NotifyError as error:
        _note_error(notify, error.plain)
        if error.try_again and delivery.attempts < rules.MOST_ATTEMPTS:
            _set(
                delivery,
                status=Delivery.Status.QUEUED,
                error=error.plain,
                next_try_at=timezone.now() + rules.wait_before(delivery.attempts),
            )
            return
        _set(delivery, status=Delivery.Status.REFUSED, error=error.plain, next_try_at=None)
        _by_backend_instead(delivery, message)
        return
    _note_working(notify)
    _set(delivery, status=Delivery.Status.CREATED, provider_id=str(answer.get("id", "")), error="", next_try_at=None)
    OutgoingMessage.objects.filter(pk=message.pk).update(status=Status.SENT)
    message.status = Status.SENT


def _by_backend_instead(delivery: Delivery, message: OutgoingMessage) -> None:
    _email_by_backend(message)
    Delivery.objects.filter(pk=delivery.pk).update(fell_back_at=timezone.now())


def _set(delivery: Delivery, **fields: Any) -> None:
    fields.setdefault("status_at", timezone.now())
    fields["attempts"] = delivery.attempts
    for name, value in fields.items():
        setattr(delivery, name, value)
    Delivery.objects.filter(pk=delivery.pk).update(**fields)


def _email_by_backend(message: OutgoingMessage) -> bool:
    """E-mail the message through Django's mail backend, as WithUs does without Notify."""
    try:
        send_mail(message.subject, message.body, None, [message.person.email])
    except OSError:
        logger.exception("Could not e-mail person %s", message.person_id)
        OutgoingMessage.objects.filter(pk=message.pk).update(status=Status.FAILED, channel=Channel.EMAIL)
        message.status, message.channel = Status.FAILED, Channel.EMAIL
        return False
    OutgoingMessage.objects.filter(pk=message.pk).update(status=Status.SENT, channel=Channel.EMAIL, done_at=None)
    message.status, message.channel, message.done_at = Status.SENT, Channel.EMAIL, None
    return True


def _to_call_list(message: OutgoingMessage) -> None:
    OutgoingMessage.objects.filter(pk=message.pk).update(status=Status.TO_CALL, channel=Channel.PHONE, done_at=None)
    message.status, message.channel, message.done_at = Status.TO_CALL, Channel.PHONE, None


@transaction.atomic
def fall_back(delivery: Delivery) -> OutgoingMessage:
    """Send a message Notify could not deliver by the next channel the person accepts, once.

    A text goes by e-mail when the person has an e-mail address (and the e-mail works), otherwise onto
    the coordinator's call list. An e-mail Notify could not deliver is a call if they have a phone, else
    a letter. A letter goes back to the print batch, unless it came back from the address: then it is a call
    if they have a phone, else an e-mail if they have an address, and the person's page says to check it.
    """
    locked = Delivery.objects.select_for_update().get(pk=delivery.pk)
    message = OutgoingMessage.objects.select_related("person").get(pk=delivery.message_id)
    if locked.fell_back_at is not None:
        return message
    now = timezone.now()
    Delivery.objects.filter(pk=delivery.pk).update(fell_back_at=now)
    delivery.fell_back_at = now
    person = message.person
    if delivery.channel == Delivery.Channel.TEXT:
        if not (person.email and _email_by_backend(message)):
            _to_call_list(message)
    elif delivery.channel == Delivery.Channel.EMAIL:
        if person.phone.strip():
            _to_call_list(message)
        else:
            OutgoingMessage.objects.filter(pk=message.pk).update(
                status=Status.TO_PRINT, channel=Channel.POST, own_batch="", done_at=None
            )
            message.status, message.channel, message.own_batch, message.done_at = (
                Status.TO_PRINT,
                Channel.POST,
                "",
                None,
            )
    elif delivery.status == Delivery.Status.RETURNED and person.phone.strip():
        # Printing it again would send it back to the same address: a call reaches them, and checks it.
        _to_call_list(message)
    elif delivery.status == Delivery.Status.RETURNED and person.email and _email_by_backend(message):
        pass
    else:
        OutgoingMessage.objects.filter(pk=message.pk).update(status=Status.TO_PRINT, done_at=None, done_by=None)
        message.status, message.done_at = Status.TO_PRINT, None
    return message


def retry_due(*, now: datetime | None = None) -> dict[str, int]:
    """Try again the texts and e-mails a rate limit or a fault at Notify held up, whose time has come.

    A text a coordinator dealt with meanwhile (no longer waiting) is let go. Each in its own transaction,
    so one failure does not hold up the rest. Returns how many went, waited again, or went another way.
    """
    now = now or timezone.now()
    counts = {"sent": 0, "waiting": 0, "other_channel": 0, "let_go": 0}
    for pk in list(selectors.to_try_again(now).values_list("pk", flat=True)):
        with transaction.atomic():
            delivery = (
                Delivery.objects.select_for_update(of=("self",))
                .select_related("message", "message__person", "message__organisation")
                .filter(pk=pk, status=Delivery.Status.QUEUED)
                .first()
            )
            if delivery is None:
                continue
            message = delivery.message
            by_email = delivery.channel == Delivery.Channel.EMAIL
            if message.status != (Status.TO_EMAIL if by_email else Status.TO_TEXT):
                _set(delivery, status=Delivery.Status.REFUSED, error=_("Dealt with in the outbox."), next_try_at=None)
                counts["let_go"] += 1
                continue
            if by_email:
                _try_email(delivery, message)
            else:
                _try_text(delivery, message)
            if delivery.status == Delivery.Status.CREATED:
                counts["sent"] += 1
            elif delivery.status == Delivery.Status.QUEUED:
                counts["waiting"] += 1
            else:
                counts["other_channel"] += 1
    return counts


# ---- Letters -----------------------------------------------------------------------------------------------


@transaction.atomic
def send_letters(
    *, actor: User | None, organisation: Organisation, message_ids: Sequence[int]
) -> tuple[int, list[str]]:
    """Send these waiting letters to Notify's precompiled letter endpoint instead of printing them.

    Each letter is its own PDF (the outbox's letter, in the reader's language and format). A letter that
    does not fit Notify's letter specification (``layout.problems``: an address of too few lines, text
    outside the printable area) is not sent. A letter Notify takes is marked as done; one it refuses, or one
    not sent, stays in the print batch. Returns how many went and, in plain
    words, what went wrong with the others. ``actor`` None is the server's operator.
    """
    if actor is not None:
        require(actor, organisation, COORDINATING)
    notify = _working(organisation)
    if notify is None or not notify.send_letters:
        raise ValidationError(_("This organisation does not send letters through GOV.UK Notify."))
    letters = list(
        outbox_selectors.waiting(organisation, "letters")
        .select_for_update(of=("self",))
        .filter(pk__in=list(message_ids))
        .select_related("organisation")
    )
    client = Notify(notify.api_key)
    sent, problems = 0, []
    for message in letters:
        laid_out = documents.letters_document([message])
        misfits = layout.problems(laid_out)
        if misfits:
            # Notify would refuse it: it stays in the print batch, with what to put right.
            problems.append(
                _("The letter to %(name)s was not sent: %(problem)s")
                % {"name": message.person.display_name, "problem": " ".join(misfits)}
            )
            continue
        delivery = Delivery.objects.create(
            message=message, channel=Delivery.Channel.LETTER, reference=f"withus-{message.pk}", attempts=1
        )
        try:
            answer = client.send_letter(reference=delivery.reference, pdf=pdf.write_pdf(laid_out))
        except NotifyError as error:
            _note_error(notify, error.plain)
            status = Delivery.Status.QUEUED if error.try_again else Delivery.Status.REFUSED
            _set(delivery, status=status, error=error.plain)
            problems.append(error.plain)
            if error.status_code == 403 or error.try_again:
                break  # the next would fare no better
            continue
        _set(delivery, status=Delivery.Status.ACCEPTED, provider_id=str(answer.get("id", "")), error="")
        now = timezone.now()
        OutgoingMessage.objects.filter(pk=message.pk).update(status=Status.DONE, done_at=now, done_by=actor)
        sent += 1
    if sent:
        _note_working(notify)
    return sent, list(dict.fromkeys(problems))


# ---- Delivery statuses -----------------------------------------------------------------------------------


@transaction.atomic
def record_status(*, delivery: Delivery, status: str, at: datetime | None = None) -> Delivery:
    """Notify says how a message is doing: keep it, and send a message it could not deliver another way."""
    status = status.strip().lower()[:30]
    if not status or status == delivery.status:
        return delivery
    if rules.delivered(delivery.status):
        return delivery  # delivered stays delivered, whatever arrives late
    _set(delivery, status=status, status_at=at or timezone.now())
    if rules.not_delivered(status):
        fall_back(delivery)
    return delivery


def callback_url(organisation: Organisation) -> str:
    from django.conf import settings

    return settings.SITE_URL.rstrip("/") + reverse("channels:callback", args=[organisation.slug])


def token_matches(organisation: Organisation | None, given: str) -> bool:
    """Whether the callback's bearer token is the organisation's, compared in constant time."""
    notify = selectors.settings_of(organisation) if organisation is not None else None
    expected = notify.callback_token if notify is not None and notify.callback_token else ""
    # Compared even when there is nothing to compare with, so the time taken tells nothing.
    matches = hmac.compare_digest(given.encode(), (expected or secrets.token_urlsafe(24)).encode())
    return bool(expected) and matches


def receive_callback(*, organisation: Organisation, payload: dict[str, Any]) -> Delivery | None:
    """Notify's callback about one notification (id, reference, to, status, ...): the delivery it updated, if ours."""
    notification_id = str(payload.get("id", ""))
    if not notification_id:
        return None
    delivery = (
        Delivery.objects.filter(provider_id=notification_id, message__organisation=organisation).order_by("-pk").first()
    )
    if delivery is None:
        return None
    when = None
    for name in ("completed_at", "sent_at", "created_at"):
        if payload.get(name):
            try:
                when = parse_datetime(str(payload[name]))
            except ValueError:  # well formed but no such time ("2026-13-40T...")
                when = None
            if when is not None:
                break
    return record_status(delivery=delivery, status=str(payload.get("status", "")), at=when)


def poll(*, organisation: Organisation | None = None) -> dict[str, int]:
    """Ask Notify how each message on its way is doing (``withus channels poll``): counts asked, changed, failed."""
    counts = {"asked": 0, "changed": 0, "could_not_ask": 0}
    deliveries = selectors.on_their_way()
    if organisation is not None:
        deliveries = deliveries.filter(message__organisation=organisation)
    clients: dict[int, Notify | None] = {}
    for delivery in deliveries:
        org = delivery.message.organisation
        if org is None:
            continue
        if org.pk not in clients:
            notify = _working(org)
            try:
                clients[org.pk] = Notify(notify.api_key) if notify is not None else None
            except NotifyError:
                clients[org.pk] = None
        client = clients[org.pk]
        if client is None:
            continue
        counts["asked"] += 1
        try:
            answer = client.notification(delivery.provider_id)
        except NotifyError:
            counts["could_not_ask"] += 1
            continue
        before = delivery.status
        record_status(delivery=delivery, status=str(answer.get("status", "")))
        counts["changed"] += delivery.status != before
    return counts
