"""Writes of the outbox: a letter printed, a call made, a text sent, recorded once by whom and when;
and each try at a call, with how it went (``rules`` says which outcomes finish it)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from withus.accounts.models import Organisation, User
from withus.accounts.roles import COORDINATING
from withus.accounts.selectors import require

from .. import services as people_services
from ..models import CallAttempt, Channel, OutgoingMessage, SensitiveRead
from . import rules, selectors

ALREADY_DONE = gettext_lazy("Some of these have been done already or are not waiting here. Look at the list again.")
CALL_NOT_WAITING = gettext_lazy(
    "This call has been recorded as done already, or is not waiting here. Nothing was recorded. Look at the list again."
)
NOTE_LENGTH = CallAttempt._meta.get_field("note").max_length or 500


def record_contacts_shown(
    *,
    reader: User | None,
    organisation: Organisation,
    shown: Iterable[OutgoingMessage],
    via: str = SensitiveRead.Via.EXPORT,
) -> int:
    """Record that ``reader`` saw the address or phone number each of ``shown`` goes to: once per person,
    whether the messages were printed as letters, written to a file or listed on the command line."""
    people = {message.person_id: message.person for message in shown}
    return people_services.record_reads(
        reader=reader, organisation=organisation, people=people.values(), what=[SensitiveRead.What.CONTACT], via=via
    )


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


def _waiting_calls_locked(organisation: Organisation, message_ids: Sequence[int]) -> list[OutgoingMessage]:
    """These calls, locked, if every one still waits at ``organisation``; else refused with nothing written."""
    wanted = list(dict.fromkeys(message_ids))
    if not wanted:
        raise ValidationError({"messages": _("Choose at least one message.")})
    found = list(selectors.waiting(organisation, "calls").select_for_update(of=("self",)).filter(pk__in=wanted))
    if len(found) != len(wanted):
        raise ValidationError({"messages": str(CALL_NOT_WAITING)})
    return found


@transaction.atomic
def record_call(
    *,
    actor: User | None,
    organisation: Organisation,
    message_ids: Sequence[int],
    outcome: str,
    note: str = "",
    try_after: datetime | None = None,
    at: datetime | None = None,
) -> list[OutgoingMessage]:
    """Record one call to a person about these waiting messages (those shown together), and how it went.

    Each message gets the attempt. Reached or a message left (``rules.finishes``) finishes them, done by
    ``actor``; no answer or "try again later" leaves them on the call list, and ``try_after`` (kept only
    with "try again later") is when to call again. If any of them is no longer waiting (another
    coordinator finished it a moment before), nothing is written. ``actor`` None is the server's operator.
    """
    if actor is not None:
        require(actor, organisation, COORDINATING)
    if outcome not in CallAttempt.Outcome.values:
        raise ValidationError({"outcome": _("Choose what happened when you called.")})
    note = note.strip()
    if len(note) > NOTE_LENGTH:
        raise ValidationError({"note": _("The note must be %(limit)d characters or fewer.") % {"limit": NOTE_LENGTH}})
    found = _waiting_calls_locked(organisation, message_ids)
    if len({m.person_id for m in found}) > 1:
        raise ValidationError({"messages": _("A call is to one person: record each person's call on its own.")})
    when = at or timezone.now()
    later = try_after if outcome == CallAttempt.Outcome.TRY_AGAIN else None
    CallAttempt.objects.bulk_create(
        [CallAttempt(message=m, outcome=outcome, note=note, try_after=later, at=when, by=actor) for m in found]
    )
    if rules.finishes(outcome):
        OutgoingMessage.objects.filter(pk__in=[m.pk for m in found]).update(
            status=OutgoingMessage.Status.DONE, done_at=when, done_by=actor
        )
        for message in found:
            message.status, message.done_at, message.done_by = OutgoingMessage.Status.DONE, when, actor
    return found


@transaction.atomic
def send_as_letter(
    *, actor: User | None, organisation: Organisation, message_ids: Sequence[int]
) -> list[OutgoingMessage]:
    """Turn waiting calls into letters to print and post, for someone the phone does not reach.

    The attempts stay with each message; it joins the letters in the outbox (printed from its own
    text, so any fuller batch it was meant for is let go). Refused, with nothing changed, if one is not
    waiting here or its person has no postal address held.
    """
    if actor is not None:
        require(actor, organisation, COORDINATING)
    found = _waiting_calls_locked(organisation, message_ids)
    unaddressed = sorted({m.person.display_name for m in found if not m.person.address.strip()})
    if unaddressed:
        raise ValidationError(
            {"messages": _("No postal address is held for %(names)s.") % {"names": ", ".join(unaddressed)}}
        )
    OutgoingMessage.objects.filter(pk__in=[m.pk for m in found]).update(
        status=OutgoingMessage.Status.TO_PRINT, channel=Channel.POST, own_batch=""
    )
    for message in found:
        message.status, message.channel, message.own_batch = OutgoingMessage.Status.TO_PRINT, Channel.POST, ""
    return found
