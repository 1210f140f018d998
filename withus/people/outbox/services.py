"""Writes of the outbox: a letter printed, a call made, a text sent, recorded once by whom and when."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from withus.accounts.models import Organisation, User
from withus.accounts.roles import COORDINATING
from withus.accounts.selectors import require

from ..models import OutgoingMessage
from . import selectors

ALREADY_DONE = gettext_lazy("Some of these have been done already or are not waiting here. Look at the list again.")


@transaction.atomic
def mark_done(
    *, actor: User | None, organisation: Organisation, message_ids: Sequence[int], at: datetime | None = None
) -> list[OutgoingMessage]:
    """Record that these waiting messages were printed and posted, phoned or texted.

    Only messages still waiting at ``organisation`` are marked; one already done (by someone else a
    moment before) is refused with a message rather than marked twice, and nothing is written.
    ``actor`` None is the server's operator, at the command line (``withus outbox``).
    """
    if actor is not None:
        require(actor, organisation, COORDINATING)
    wanted = list(dict.fromkeys(message_ids))
    if not wanted:
        raise ValidationError({"messages": _("Choose at least one message.")})
    found = list(selectors.waiting(organisation).select_for_update(of=("self",)).filter(pk__in=wanted))
    if len(found) != len(wanted):
        raise ValidationError({"messages": str(ALREADY_DONE)})
    when = at or timezone.now()
    OutgoingMessage.objects.filter(pk__in=[m.pk for m in found]).update(
        status=OutgoingMessage.Status.DONE, done_at=when, done_by=actor
    )
    for message in found:
        message.status, message.done_at, message.done_by = OutgoingMessage.Status.DONE, when, actor
    return found
