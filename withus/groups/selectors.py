"""Reads of groups and who holds their seats, shared by pages, API, meetings and reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Min, Prefetch, Q, QuerySet
from django.utils import timezone

from withus.accounts.models import Organisation
from withus.accounts.roles import SEEING_WORK
from withus.accounts.selectors import has_role
from withus.people.models import Person

from .models import Appointment, Group, ReportBack


def groups_of(organisation: Organisation) -> QuerySet[Group]:
    """The organisation's groups, each with the seats held now (``current_appointments``) and who holds them."""
    current = Appointment.objects.filter(ended_on__isnull=True).select_related("person")
    return Group.objects.filter(organisation=organisation).prefetch_related(
        Prefetch("appointments", queryset=current, to_attr="current_appointments")
    )


def current_appointments(user: Any, organisation: Organisation) -> QuerySet[Appointment]:
    """Seats held now in the organisation's groups, if the user may see them."""
    if not has_role(user, organisation, *SEEING_WORK):
        raise PermissionDenied
    return (
        Appointment.objects.filter(group__organisation=organisation, ended_on__isnull=True)
        .select_related("person", "group")
        .order_by("planned_end", "group__name", "person__full_name", "pk")
    )


def seats_held_by(person: Person) -> QuerySet[Appointment]:
    """The seats a person holds now, in any organisation's groups: for their own pages."""
    return person.appointments.filter(ended_on__isnull=True).select_related("group")


def serving_on(group: Group, *, today: date | None = None) -> list[Appointment]:
    """Appointments whose term runs today and has not ended, with each person and their deputy."""
    today = today or timezone.localdate()
    return list(
        Appointment.objects.filter(
            group=group, ended_on__isnull=True, term_start__lte=today, planned_end__gte=today
        ).select_related("person", "deputy")
    )


def appointments_involving(person: Person) -> QuerySet[Appointment]:
    """Every appointment the person holds, or is the deputy or buddy on, ended ones included."""
    return (
        Appointment.objects.filter(Q(person=person) | Q(deputy=person) | Q(buddy=person))
        .select_related("group__organisation", "person", "deputy", "buddy")
        .order_by("term_start", "pk")
    )


def report_backs_by(person: Person) -> QuerySet[ReportBack]:
    return ReportBack.objects.filter(person=person).select_related("session").order_by("reported_on", "pk")


# ---- Succession and balance ---------------------------------------------------------------------


@dataclass
class SuccessionWarning:
    appointment: Appointment | None
    group: Group
    kind: str  # "term_ending" or "whole_team"


def succession_warnings(
    organisation: Organisation, *, today: date, months: int = 6, limit: int | None = None
) -> list[SuccessionWarning]:
    """Terms ending within six months (the first ``limit`` of them), then groups whose whole team
    would leave together (001 §Terms of office).

    Read in a fixed number of queries, and never every appointment: at national scale a
    dashboard shows the soonest terms and says how many more there are
    (``terms_ending_count``).
    """
    horizon = today + timedelta(days=round(months * 30.44))
    current = Appointment.objects.filter(
        group__organisation=organisation, ended_on__isnull=True, planned_end__gte=today
    )
    ending = current.filter(planned_end__lte=horizon).select_related("person", "group").order_by("planned_end", "pk")
    warnings = [SuccessionWarning(a, a.group, "term_ending") for a in (ending[:limit] if limit else ending)]
    window = horizon - today
    spans = current.values("group").annotate(people=Count("pk"), first=Min("planned_end"), last=Max("planned_end"))
    together = [s["group"] for s in spans if s["people"] > 1 and s["last"] - s["first"] <= window]
    # Everyone's term ends inside one six-month window: the group would lose its whole team at once.
    for group in Group.objects.filter(pk__in=together).order_by("name", "pk"):
        warnings.append(SuccessionWarning(None, group, "whole_team"))
    return warnings


def terms_ending_count(organisation: Organisation, *, today: date, months: int = 6) -> int:
    horizon = today + timedelta(days=round(months * 30.44))
    return Appointment.objects.filter(
        group__organisation=organisation, ended_on__isnull=True, planned_end__gte=today, planned_end__lte=horizon
    ).count()


def single_voice_groups(organisation: Organisation) -> list[tuple[Group, int, int]]:
    """Groups relying on a single service user or a single carer (never one person alone, 001 §Numbers)."""
    groups = Group.objects.filter(organisation=organisation).annotate(
        service_users=Count(
            "appointments",
            filter=Q(
                appointments__ended_on__isnull=True, appointments__person__perspective__in=["service_user", "both"]
            ),
        ),
        carers=Count(
            "appointments",
            filter=Q(appointments__ended_on__isnull=True, appointments__person__perspective__in=["carer", "both"]),
        ),
    )
    return [(g, g.service_users, g.carers) for g in groups if g.service_users == 1 or g.carers == 1]
