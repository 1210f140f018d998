"""Reads of leaving well, shared by the pages, the API and the letters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from withus.accounts.models import Organisation
from withus.accounts.roles import SUPPORTING
from withus.accounts.selectors import require
from withus.groups.models import Appointment
from withus.people import selectors as people_selectors
from withus.people.models import Person

from .models import LeavingOffer

# How far back staff are shown those who left or whose term ended and have had no offer.
LOOK_BACK_DAYS = 365


def _offers(queryset: QuerySet[LeavingOffer]) -> QuerySet[LeavingOffer]:
    return queryset.select_related("organisation", "person", "new_member", "group", "offered_by")


def offers_to(person: Person) -> QuerySet[LeavingOffer]:
    """The member's own offers, from every organisation, newest first."""
    return _offers(LeavingOffer.objects.filter(person=person))


def offer_for_member(person: Person, pk: int) -> LeavingOffer:
    """One of the member's own offers; 404 for anyone else's."""
    found = offers_to(person).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def offers_at(actor: Any, organisation: Organisation) -> QuerySet[LeavingOffer]:
    """The organisation's offers to people who still share their details with it, waiting ones first."""
    require(actor, organisation, SUPPORTING)
    shared = people_selectors.people_sharing_with(organisation).values("pk")
    return (
        _offers(LeavingOffer.objects.filter(organisation=organisation, person__in=shared)).order_by(
            "-answer", "-offered_at", "-pk"
        )  # waiting, then declined, then accepted
    )


def offer_for_staff(actor: Any, organisation: Organisation, pk: int) -> LeavingOffer:
    """One of the organisation's offers; 404 for another organisation's, or one to someone no longer sharing."""
    found = offers_at(actor, organisation).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def offers_to_person_at(person: Person, organisation: Organisation) -> QuerySet[LeavingOffer]:
    return _offers(LeavingOffer.objects.filter(person=person, organisation=organisation))


@dataclass(frozen=True)
class ToThank:
    """Someone whose term ended, or who left, in the last year, who has had no offer since."""

    person: Person
    appointment: Appointment | None
    ended_on: date


def to_thank(actor: Any, organisation: Organisation, *, today: date, limit: int = 50) -> list[ToThank]:
    """Seats whose term ended and people who left in the last year, with no offer made since: in three queries."""
    require(actor, organisation, SUPPORTING)
    since = today - timedelta(days=LOOK_BACK_DAYS)
    shared = people_selectors.people_sharing_with(organisation)
    ended = (
        Appointment.objects.filter(
            group__organisation=organisation, ended_on__gte=since, ended_on__lte=today, person__in=shared.values("pk")
        )
        .select_related("person", "group")
        .order_by("-ended_on", "pk")[:limit]
    )
    left = shared.filter(status=Person.Status.LEFT, left_at__date__gte=since).order_by("-left_at", "pk")[:limit]
    rows = [ToThank(a.person, a, a.ended_on) for a in ended if a.ended_on is not None]
    rows += [ToThank(p, None, p.left_at.date()) for p in left if p.left_at is not None]
    offered = set(
        LeavingOffer.objects.filter(
            organisation=organisation, person_id__in={r.person.pk for r in rows}, offered_at__date__gte=since
        ).values_list("person_id", flat=True)
    )
    kept: dict[int, ToThank] = {}
    for row in sorted(rows, key=lambda r: r.ended_on, reverse=True):
        if row.person.pk not in offered:
            kept.setdefault(row.person.pk, row)
    return list(kept.values())[:limit]
