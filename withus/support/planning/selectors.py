"""Reads of planned supervision for the pages, the API and the daily round: a few queries however many."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from withus.accounts.models import Organisation
from withus.accounts.roles import SUPPORTING
from withus.accounts.selectors import require
from withus.people.models import Person

from . import rules
from .models import PlannedSupervision, SupervisionInvitation

# How long after it starts a planned supervision stays on the member's page (then the record takes over).
SHOWN_FOR = timedelta(hours=12)


def _plans(queryset: QuerySet[PlannedSupervision]) -> QuerySet[PlannedSupervision]:
    invitations = SupervisionInvitation.objects.select_related("person").order_by("person__full_name", "pk")
    return queryset.select_related("organisation", "supervisor", "person", "group", "supervision").prefetch_related(
        Prefetch("invitations", queryset=invitations)
    )


def plans_at(actor: Any, organisation: Organisation) -> QuerySet[PlannedSupervision]:
    """The organisation's planned supervisions still to record (planned), soonest first, then the rest newest first."""
    require(actor, organisation, SUPPORTING)
    return _plans(PlannedSupervision.objects.filter(organisation=organisation)).order_by("-status", "starts_at", "pk")


def plan_for_staff(actor: Any, organisation: Organisation, pk: int) -> PlannedSupervision:
    """One of the organisation's planned supervisions; 404 for another organisation's."""
    found = plans_at(actor, organisation).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def invitation_for_staff(actor: Any, organisation: Organisation, plan_pk: int, pk: int) -> SupervisionInvitation:
    """One invitation to one of the organisation's planned supervisions; 404 for another organisation's."""
    plan = plan_for_staff(actor, organisation, plan_pk)
    found = next((i for i in plan.invitations.all() if i.pk == pk), None)
    if found is None:
        raise Http404
    found.plan = plan
    return found


def invitations_of(person: Person, *, now: datetime) -> QuerySet[SupervisionInvitation]:
    """The member's invitations to supervisions still to come (or just begun), and those cancelled lately."""
    return (
        SupervisionInvitation.objects.filter(person=person, plan__starts_at__gt=now - SHOWN_FOR)
        .filter(Q(plan__status=rules.PLANNED) | Q(plan__status=rules.CANCELLED))
        .select_related("plan__organisation", "plan__supervisor", "plan__group")
        .order_by("plan__starts_at", "pk")
    )


def invitation_for_member(person: Person, pk: int) -> SupervisionInvitation:
    """One of the member's own invitations, whatever became of the plan; 404 for anyone else's."""
    found = (
        SupervisionInvitation.objects.filter(person=person, pk=pk)
        .select_related("plan__organisation", "plan__supervisor", "plan__group", "plan__supervision")
        .first()
    )
    if found is None:
        raise Http404
    return found


def reminders_due(*, now: datetime) -> list[SupervisionInvitation]:
    """Invitations whose day-before reminder is due now and not yet sent (``rules.reminder_due``)."""
    soon = (
        SupervisionInvitation.objects.filter(
            reminded_at__isnull=True,
            plan__status=rules.PLANNED,
            plan__starts_at__gt=now,
            plan__starts_at__lt=now + timedelta(days=2),
        )
        .exclude(answer=SupervisionInvitation.Answer.NOT_COMING)
        .select_related("person", "plan__organisation", "plan__supervisor", "plan__group")
    )
    return [
        i
        for i in soon
        if rules.reminder_due(
            status=i.plan.status, answer=i.answer, starts_at=i.plan.starts_at, told_at=i.told_at, now=now
        )
    ]
