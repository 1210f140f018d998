"""Reads of the directory of local help, for staff pages, members, other apps' pages and the API."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from withus.accounts.models import Organisation
from withus.accounts.roles import SEEING_WORK
from withus.accounts.selectors import has_role
from withus.people import selectors as people_selectors
from withus.people.models import Person

from . import rules
from .models import HelpEntry, HelpKind


def entries_for_staff(user: Any, organisation: Organisation) -> QuerySet[HelpEntry]:
    if not has_role(user, organisation, *SEEING_WORK):
        raise PermissionDenied
    return HelpEntry.objects.filter(organisation=organisation)


def entry_for_staff(user: Any, organisation: Organisation, pk: int) -> HelpEntry:
    try:
        return entries_for_staff(user, organisation).get(pk=pk)
    except HelpEntry.DoesNotExist:
        raise Http404 from None


def stale(entries: Iterable[HelpEntry], *, today: date | None = None) -> list[HelpEntry]:
    """The entries not checked for a year or more: the coordinator is asked to check them."""
    today = today or timezone.localdate()
    return [e for e in entries if rules.is_stale(e.reviewed_on, today=today)]


def help_for(organisation: Organisation, kinds: Iterable[str]) -> QuerySet[HelpEntry]:
    """The organisation's help of these kinds, to show beside something it is relevant to (one query).

    For example ``help_for(organisation, ["welfare_rights"])`` beside a benefits warning, or
    ``["advocacy", "mediation"]`` beside a concern, ``["crisis"]`` beside a request for a call.
    """
    wanted = [k for k in kinds if k in HelpKind.values]
    return HelpEntry.objects.filter(organisation=organisation, kind__in=wanted).order_by("kind", "name", "pk")


def directory_for(person: Person) -> QuerySet[HelpEntry]:
    """Every entry of every organisation the person shares their details with (one query)."""
    return (
        HelpEntry.objects.filter(organisation__in=people_selectors.organisations_shared_with(person).values("pk"))
        .select_related("organisation")
        .order_by("organisation__name", "kind", "name", "pk")
    )


def by_kind(entries: Iterable[HelpEntry]) -> list[tuple[str, list[HelpEntry]]]:
    """Entries grouped under each kind's label, in the kinds' order."""
    grouped: dict[str, list[HelpEntry]] = {}
    for entry in entries:
        grouped.setdefault(entry.kind, []).append(entry)
    return [(str(label), grouped[value]) for value, label in HelpKind.choices if value in grouped]
