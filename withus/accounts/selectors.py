"""Who may do what, in which organisation: the one place roles are read."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from .models import Membership, Organisation, Role, SecurityEvent
from .roles import STAFF, RoleGroup

SESSION_ORGANISATION = "withus_organisation_id"


def memberships_of(user: Any) -> list[Membership]:
    if not getattr(user, "is_authenticated", False):
        return []
    cache = getattr(user, "_withus_memberships", None)
    if cache is None:
        cache = list(Membership.objects.filter(user=user).select_related("organisation"))
        user._withus_memberships = cache
    return cache


def roles_in(user: Any, organisation: Organisation) -> set[str]:
    return {m.role for m in memberships_of(user) if m.organisation_id == organisation.pk}


def has_role(user: Any, organisation: Organisation, *roles: str) -> bool:
    return bool(roles_in(user, organisation) & set(roles))


def require(actor: Any, organisation: Organisation, roles: RoleGroup) -> None:
    """Refuse (``PermissionDenied``) unless ``actor`` holds one of ``roles`` in ``organisation``.

    The one permission check every service makes; ``roles`` is a group from ``roles.py``.
    """
    if not has_role(actor, organisation, *roles):
        raise PermissionDenied


def small_number_threshold(organisation: Organisation) -> int:
    """The organisation's one small-number threshold (5 unless an admin chose another, from 2 to 50).

    Every figure about people reads it from here (survey results and their CSV and PDF, presence,
    the concerns summary, the annual report's sections, the API): a count above nought and below it
    is hidden, so that nobody can be picked out.
    """
    return organisation.small_number_threshold


def is_staff_anywhere(user: Any) -> bool:
    return any(m.role in STAFF for m in memberships_of(user))


def staff_organisations(user: Any) -> list[Organisation]:
    seen: dict[int, Organisation] = {}
    for m in memberships_of(user):
        if m.role in STAFF:
            seen.setdefault(m.organisation_id, m.organisation)
    return list(seen.values())


def current_organisation(request: HttpRequest) -> Organisation | None:
    """The organisation a staff user is working in, chosen from those they are staff of.

    An id in the session that the user no longer holds a staff role in is ignored,
    so a forged or stale value never opens another organisation's data.
    """
    organisations = staff_organisations(request.user)
    if not organisations:
        return None
    wanted = request.session.get(SESSION_ORGANISATION)
    for organisation in organisations:
        if organisation.pk == wanted:
            return organisation
    return organisations[0]


def staff_of(organisation: Organisation) -> list[Membership]:
    return list(
        Membership.objects.filter(organisation=organisation)
        .exclude(role=Role.MEMBER)
        .select_related("user")
        .order_by("user__email", "role")
    )


def security_events_for(organisation: Organisation) -> QuerySet[SecurityEvent]:
    """What the organisation's admin reviews: its own events, and its staff's sign-ins."""
    staff = Membership.objects.filter(organisation=organisation, role__in=STAFF).values("user_id")
    return SecurityEvent.objects.filter(
        Q(organisation=organisation) | Q(organisation__isnull=True, user_id__in=staff)
    ).select_related("user", "organisation")
