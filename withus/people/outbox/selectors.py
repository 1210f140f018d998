"""Reads of the outbox: what an organisation still has to print and post, phone, or text."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from withus.accounts.models import Organisation

from ..models import OutgoingMessage

Status = OutgoingMessage.Status
# What waits for a person at the organisation, by what they do about it.
WAITING = {"letters": Status.TO_PRINT, "calls": Status.TO_CALL, "texts": Status.TO_TEXT}
# Letters in one PDF: a morning's printing, and a file an old office computer opens.
LETTER_BATCH = 200


def waiting(organisation: Organisation, kind: str | None = None) -> QuerySet[OutgoingMessage]:
    """The organisation's messages still to print, phone or text (``kind``: letters, calls or texts), oldest first.

    Letters that a fuller batch of their own prints (``own_batch``: a session's letters, for example)
    are left out, so that nobody is posted the same thing twice.
    """
    statuses = [WAITING[kind]] if kind else list(WAITING.values())
    found = OutgoingMessage.objects.filter(organisation=organisation, status__in=statuses).exclude(
        status=Status.TO_PRINT, own_batch__gt=""
    )
    return found.select_related("person").order_by("created_at", "pk")


def counts(organisation: Organisation) -> dict[str, int]:
    """How many letters, calls and texts wait, in one query."""
    by_status = dict(
        waiting(organisation).order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return {kind: by_status.get(status, 0) for kind, status in WAITING.items()}


def waiting_message(organisation: Organisation, pk: int) -> OutgoingMessage:
    """One waiting message of the organisation's; another organisation's, or one done, is not found."""
    return waiting(organisation).get(pk=pk)


def done_lately(organisation: Organisation, limit: int = 20) -> QuerySet[OutgoingMessage]:
    """The messages most recently printed, phoned or texted, and by whom, newest first."""
    return (
        OutgoingMessage.objects.filter(organisation=organisation, status=Status.DONE, done_at__isnull=False)
        .select_related("person", "done_by")
        .order_by("-done_at", "-pk")[:limit]
    )
