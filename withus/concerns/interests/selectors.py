"""Reads of the register of interests, shared by pages, the API, the CLI and meetings' agendas."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from withus.accounts.models import Organisation, User
from withus.accounts.roles import SEEING_WORK, STAFF
from withus.accounts.selectors import require
from withus.meetings.models import AgendaItem, Invitation, Session
from withus.people import selectors as people_selectors
from withus.people.models import Person

from . import rules
from .models import Interest


def current(interests: QuerySet[Interest], today: date | None = None) -> QuerySet[Interest]:
    """The versions in force on ``today``: not replaced, not yet ended."""
    today = today or timezone.localdate()
    return interests.filter(superseded_at__isnull=True).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))


def held_by(*, person: Person | None = None, user: User | None = None) -> QuerySet[Interest]:
    """Every version a member or a member of staff declared, current and past."""
    if person is not None:
        return Interest.objects.filter(person=person)
    return Interest.objects.filter(user=user)


def history(*, person: Person | None = None, user: User | None = None) -> QuerySet[Interest]:
    """Versions replaced or ended, newest first: the register never forgets what was declared."""
    today = timezone.localdate()
    return (
        held_by(person=person, user=user)
        .filter(Q(superseded_at__isnull=False) | Q(ends_on__lt=today))
        .order_by("-recorded_at", "-pk")
    )


def staff_of(organisation: Organisation) -> QuerySet[User]:
    return User.objects.filter(memberships__organisation=organisation, memberships__role__in=STAFF).distinct()


def register(viewer: Any, organisation: Organisation) -> QuerySet[Interest]:
    """The organisation's register: the current interests of the members who share with it and of its staff."""
    require(viewer, organisation, SEEING_WORK)
    return operator_register(organisation)


def operator_register(organisation: Organisation) -> QuerySet[Interest]:
    """The register as ``register`` reads it, for the server's operator at the command line."""
    people = people_selectors.people_sharing_with(organisation).values("pk")
    staff = staff_of(organisation).values("pk")
    return (
        current(Interest.objects.filter(Q(person__in=people) | Q(user__in=staff)))
        .select_related("person", "user")
        .order_by("body", "pk")
    )


def matching(interests: QuerySet[Interest], words: str) -> QuerySet[Interest]:
    """Declarations whose body, or whose holder's name, contains ``words`` (ignoring case)."""
    return interests.filter(
        Q(body__icontains=words)
        | Q(person__full_name__icontains=words)
        | Q(person__preferred_name__icontains=words)
        | Q(user__first_name__icontains=words)
        | Q(user__last_name__icontains=words)
    )


def review_cutoff(today: date | None = None) -> date:
    """Declarations last reviewed before this day are due their yearly review."""
    return (today or timezone.localdate()) - rules.REVIEW_EVERY


def version_for(
    *, viewer: Any, pk: int, organisation: Organisation | None = None, coordinating: bool = False
) -> Interest:
    """The current version ``viewer`` may change: their own, or (``coordinating``) a member's who shares with
    ``organisation``. Anything else is not found."""
    own = Q(user=viewer) | Q(person__user=viewer)
    if coordinating and organisation is not None:
        own |= Q(person__in=people_selectors.people_sharing_with(organisation).values("pk"))
    found = current(Interest.objects.filter(own)).select_related("person", "user").filter(pk=pk).first()
    if found is None:
        raise Interest.DoesNotExist
    return found


@dataclass
class AgendaInterests:
    """The standing declarations of the people invited to one session.

    ``by_item``: agenda item id -> the declarations whose body its title names. ``everyone``: every
    invited person's current declarations, for the chair.
    """

    by_item: dict[int, list[Interest]] = field(default_factory=dict)
    everyone: list[Interest] = field(default_factory=list)


def for_agendas(sessions: list[Session]) -> dict[int, AgendaInterests]:
    """For each session, the standing declarations touching its items: three queries for any number of
    sessions and people (invitations, agenda items, interests), never one per person."""
    found: dict[int, AgendaInterests] = {s.pk: AgendaInterests() for s in sessions}
    if not sessions:
        return found
    ids = list(found)
    invited = list(Invitation.objects.filter(session_id__in=ids).values_list("session_id", "person_id", "email"))
    people: dict[int, set[int]] = {}
    emails: dict[str, set[int]] = {}
    for session_id, person_id, email in invited:
        if person_id:
            people.setdefault(person_id, set()).add(session_id)
        elif email:
            emails.setdefault(email.casefold(), set()).add(session_id)
    if not people and not emails:
        return found
    staff_emails = Q()
    for email in emails:
        staff_emails |= Q(user__email__iexact=email)
    holders = Q(person_id__in=list(people))
    if emails:
        holders |= staff_emails
    interests = list(current(Interest.objects.filter(holders)).select_related("person", "user").order_by("body", "pk"))
    items: dict[int, list[AgendaItem]] = {}
    for item in AgendaItem.objects.filter(session_id__in=ids).order_by("order", "pk"):
        items.setdefault(item.session_id, []).append(item)
    for interest in interests:
        if interest.person_id is not None:
            sessions_of = people.get(interest.person_id, set())
        else:
            sessions_of = emails.get(interest.user.email.casefold(), set()) if interest.user else set()
        for session_id in sessions_of:
            agenda = found[session_id]
            agenda.everyone.append(interest)
            for item in items.get(session_id, []):
                if rules.touches(interest.body, [item.title, item.title_cy]):
                    agenda.by_item.setdefault(item.pk, []).append(interest)
    return found


def review_due(today: date) -> QuerySet[Interest]:
    """Current declarations whose yearly review date has passed."""
    return current(Interest.objects.all(), today).filter(reviewed_on__lt=review_cutoff(today))
