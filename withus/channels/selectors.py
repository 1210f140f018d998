"""Reads of the channels app: an organisation's Notify settings, and how messages were delivered."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from withus.accounts.models import Organisation
from withus.people.models import OutgoingMessage, Person

from .models import Delivery, NotifySettings


def settings_of(organisation: Organisation) -> NotifySettings | None:
    """The organisation's Notify settings, or None before an admin sets them.

    Read through the organisation's own accessor, which keeps the answer (found or not) on that
    object: a loop sending to many people through one organisation asks the database once.
    """
    try:
        return organisation.notify_settings
    except NotifySettings.DoesNotExist:
        return None


def last_four(secret: str) -> str:
    """What is shown of a stored secret: its last four characters, or nothing when there is none."""
    return secret.strip()[-4:] if secret.strip() else ""


def latest_deliveries(message_ids: Iterable[int]) -> dict[int, Delivery]:
    """The most recent delivery of each of these messages, by message id, in one query."""
    found: dict[int, Delivery] = {}
    for delivery in Delivery.objects.filter(message_id__in=list(message_ids)).order_by(
        "message_id", "-created_at", "-pk"
    ):
        found.setdefault(delivery.message_id, delivery)
    return found


def recent_messages(person: Person, organisation: Organisation, limit: int = 10) -> list[OutgoingMessage]:
    """The organisation's latest messages to a person, each with ``latest_delivery`` (or None): two queries."""
    messages = list(
        OutgoingMessage.objects.filter(person=person, organisation=organisation).order_by("-created_at", "-pk")[:limit]
    )
    deliveries = latest_deliveries(m.pk for m in messages)
    for message in messages:
        message.latest_delivery = deliveries.get(message.pk)  # type: ignore[attr-defined]
    return messages


def about_deliveries(about: str, organisation: Organisation) -> dict[int, Delivery]:
    """The latest delivery of messages about ``about`` ("session:12"), by person id, in one query."""
    found: dict[int, Delivery] = {}
    rows = (
        Delivery.objects.filter(about=about, message__organisation=organisation)
        .select_related("message")
        .order_by("-created_at", "-pk")
    )
    for delivery in rows:
        found.setdefault(delivery.message.person_id, delivery)
    return found


def to_try_again(now: object) -> QuerySet[Delivery]:
    """Texts and e-mails held up by a rate limit or a fault at Notify whose time to try again has come, oldest first."""
    return (
        Delivery.objects.filter(status=Delivery.Status.QUEUED, next_try_at__lte=now, fell_back_at__isnull=True)
        .select_related("message", "message__person", "message__organisation")
        .order_by("next_try_at", "pk")
    )


def on_their_way() -> QuerySet[Delivery]:
    """Messages Notify accepted and has not yet said were delivered or not: to ask it about."""
    from . import rules

    return (
        Delivery.objects.filter(status__in=rules.ON_ITS_WAY, provider_id__gt="", fell_back_at__isnull=True)
        .select_related("message", "message__organisation")
        .order_by("created_at", "pk")
    )
