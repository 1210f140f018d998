"""Audit trail helpers on top of django-auditlog.

Every change to people, roles and consent is logged by auditlog. Two things are
added here: sensitive values are replaced rather than partly shown, and a change
made by a coordinator for someone else carries ``on_behalf_of`` so the log says
whose life it touched and that they did not make it themselves.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from auditlog.context import set_actor
from django.db.models import QuerySet

_on_behalf_of: ContextVar[int | None] = ContextVar("withus_on_behalf_of", default=None)
_reason: ContextVar[str | None] = ContextVar("withus_reason", default=None)

MASK = "[hidden]"


def mask_value(value: Any) -> str:
    """Replace a sensitive value entirely: no partial reveal of health or contact data."""
    return MASK


@contextlib.contextmanager
def on_behalf_of(person_id: int | None) -> Iterator[None]:
    """Mark every audited change inside the block as done for ``person_id``."""
    token = _on_behalf_of.set(person_id)
    try:
        yield
    finally:
        _on_behalf_of.reset(token)


@contextlib.contextmanager
def because(reason: str) -> Iterator[None]:
    """Record ``reason`` with every audited change inside the block (e.g. why a level changed)."""
    token = _reason.set(reason or None)
    try:
        yield
    finally:
        _reason.reset(token)


@contextlib.contextmanager
def acting_as(actor: Any) -> Iterator[None]:
    """Record ``actor`` as the author of changes made outside a web request (API, CLI)."""
    with set_actor(actor):
        yield


class AuditedMixin:
    """Adds who-was-acted-for, and any recorded reason, to auditlog entries of the model."""

    def get_additional_data(self) -> dict[str, Any] | None:
        data: dict[str, Any] = {}
        person_id = _on_behalf_of.get()
        if person_id is not None:
            data["on_behalf_of"] = person_id
        reason = _reason.get()
        if reason:
            data["reason"] = reason
        return data or None


def forget(queryset: QuerySet[Any]) -> int:
    """Remove the audit trail of every object in ``queryset`` (for erasure: the trail holds old values).

    Call it before deleting or stripping the objects; returns how many entries went.
    """
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    primary_keys = list(queryset.values_list("pk", flat=True))
    if not primary_keys:
        return 0
    content_type = ContentType.objects.get_for_model(queryset.model)
    removed: int = LogEntry.objects.filter(content_type=content_type, object_id__in=primary_keys).delete()[0]
    return removed
