"""Tell a person something through the channel they chose (C1 communication preference)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import Promise

from .models import OutgoingMessage

logger = logging.getLogger(__name__)

WAITING_STATUS = {
    "post": OutgoingMessage.Status.TO_PRINT,
    "phone": OutgoingMessage.Status.TO_CALL,
    "text": OutgoingMessage.Status.TO_TEXT,
}

# A sender that delivers a saved message itself (GOV.UK Notify, in ``withus.channels``), given the
# message, a short text version of it for a text message ("" for the provider to make one from the
# subject and the first lines) and what it is about ("session:12"), and
# leaving the message's status as it goes. It never loses the message: what it cannot send, it leaves
# waiting in the outbox or hands to the next channel the person accepts.
Sender = Callable[[OutgoingMessage, str, str], None]
# Apps that send by a provider register a finder here: given the organisation and the channel, it
# answers the sender to use, or None for the default (Django's mail backend, or the outbox). People
# sits below them and cannot import them (``withus.channels.apps`` registers GOV.UK Notify).
SENDER_FINDERS: list[Callable[[Any, str], Sender | None]] = []


def sender_for(organisation: Any, channel: str) -> Sender | None:
    """The provider that sends ``channel`` for ``organisation`` now, if one does."""
    if organisation is None:
        return None
    for finder in SENDER_FINDERS:
        sender = finder(organisation, channel)
        if sender is not None:
            return sender
    return None


def hand_to_provider(message: OutgoingMessage, *, short_text: str = "", about: str = "") -> bool:
    """Send a message just saved through the organisation's provider for its channel, if it has one.

    True when a provider took it. A provider that fails unexpectedly leaves the message as it was saved
    (waiting in the outbox, or "could not send"), so that it is never lost.
    """
    sender = sender_for(message.organisation, message.channel)
    if sender is None:
        return False
    try:
        sender(message, short_text, about)
    except Exception:
        logger.exception("The provider could not take message %s; it stays as it was", message.pk)
    return True


def notify(
    *,
    person: Any,
    subject: str | Promise,
    template: str,
    context: dict[str, Any],
    organisation: Any = None,
    own_batch: str = "",
    text_template: str = "",
    about: str = "",
) -> OutgoingMessage:
    """Render a message in the person's language and send or queue it by their channel.

    E-mail goes now through Django's mail backend; other channels wait for a coordinator in
    the organisation's outbox (``people.outbox``), which prints letters from this text unless
    ``own_batch`` names the batch that prints a fuller letter for it. The message is rendered
    in Welsh when the person asked for Welsh.

    When the organisation sends a channel through a provider (GOV.UK Notify, ``withus.channels``),
    the provider sends it instead: a text gets ``text_template`` rendered as its short version (or,
    without one, the subject and the first lines of the message).
    """
    language = "cy" if person.prefers_welsh else "en"
    with translation.override(language):
        body = render_to_string(template, {"person": person, **context}).strip()
        subject_text = str(subject)
        short_text = render_to_string(text_template, {"person": person, **context}).strip() if text_template else ""
    channel = person.preferred_channel
    sender = sender_for(organisation, channel) if channel in ("email", "text") else None
    if sender is not None and channel == "email" and not person.email:
        sender = None
    if sender is not None:
        # Saved first, waiting, so that whatever happens to the provider the message is kept.
        status = OutgoingMessage.Status.TO_EMAIL if channel == "email" else WAITING_STATUS[channel]
    elif channel == "email" and person.email:
        try:
            send_mail(subject_text, body, None, [person.email])
            status = OutgoingMessage.Status.SENT
        except OSError:
            logger.exception("Could not e-mail person %s", person.pk)
            status = OutgoingMessage.Status.FAILED
    else:
        status = WAITING_STATUS.get(channel, OutgoingMessage.Status.TO_PRINT)
    message = OutgoingMessage.objects.create(
        person=person,
        organisation=organisation,
        channel=channel,
        subject=subject_text,
        body=body,
        status=status,
        own_batch=own_batch,
    )
    if sender is not None:
        hand_to_provider(message, short_text=short_text, about=about)
    return message
