"""Tell a person something through the channel they chose (C1 communication preference)."""

from __future__ import annotations

import logging
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


def notify(
    *,
    person: Any,
    subject: str | Promise,
    template: str,
    context: dict[str, Any],
    organisation: Any = None,
    own_batch: str = "",
) -> OutgoingMessage:
    """Render a message in the person's language and send or queue it by their channel.

    E-mail goes now through Django's mail backend; other channels wait for a coordinator in
    the organisation's outbox (``people.outbox``), which prints letters from this text unless
    ``own_batch`` names the batch that prints a fuller letter for it. The message is rendered
    in Welsh when the person asked for Welsh.
    """
    language = "cy" if person.prefers_welsh else "en"
    with translation.override(language):
        body = render_to_string(template, {"person": person, **context}).strip()
        subject_text = str(subject)
    channel = person.preferred_channel
    if channel == "email" and person.email:
        try:
            send_mail(subject_text, body, None, [person.email])
            status = OutgoingMessage.Status.SENT
        except OSError:
            logger.exception("Could not e-mail person %s", person.pk)
            status = OutgoingMessage.Status.FAILED
    else:
        status = WAITING_STATUS.get(channel, OutgoingMessage.Status.TO_PRINT)
    return OutgoingMessage.objects.create(
        person=person,
        organisation=organisation,
        channel=channel,
        subject=subject_text,
        body=body,
        status=status,
        own_batch=own_batch,
    )
