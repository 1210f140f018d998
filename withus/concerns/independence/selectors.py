"""Reads of the independence risk register, and the risks the records show by themselves.

The groups, rewards and support models are looked up by name (``apps.get_model``): the
groups app calls into concerns (protection from retaliation), so concerns must not import it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from withus.accounts.models import Organisation, User
from withus.accounts.roles import SEEING_WORK
from withus.accounts.selectors import has_role

from . import rules
from .models import IndependenceRisk


def register(user: Any, organisation: Organisation) -> QuerySet[IndependenceRisk]:
    """The organisation's open risks, soonest review first, for staff who see its work."""
    if not has_role(user, organisation, *SEEING_WORK):
        raise PermissionDenied
    return IndependenceRisk.objects.filter(organisation=organisation, closed_on__isnull=True).select_related("owner")


def overdue(organisation: Organisation) -> QuerySet[IndependenceRisk]:
    return IndependenceRisk.objects.filter(
        organisation=organisation, closed_on__isnull=True, review_on__lt=timezone.localdate()
    )


@dataclass
class Finding:
    """A risk the records show: its key, kind and a title in English and Welsh."""

    key: str
    kind: str
    title: str
    title_cy: str


def _both(make: Any) -> tuple[str, str]:
    with override("en"):
        english = str(make())
    with override("cy"):
        welsh = str(make())
    return english, welsh


def findings(organisation: Organisation) -> list[Finding]:
    """Risks the records show now (a fixed number of queries):

    - someone approves payments to representatives they are the support contact or supervisor of;
    - a group relies on a single representative.
    """
    appointment = apps.get_model("groups", "Appointment")
    income_line = apps.get_model("rewards", "IncomeLine")
    assignment = apps.get_model("support", "SupportAssignment")
    today = timezone.localdate()
    seats = appointment.objects.filter(
        group__organisation=organisation, speaks_for__isnull=False, ended_on__isnull=True, planned_end__gte=today
    )
    representatives = seats.values("person")
    supported = set(
        assignment.objects.filter(
            organisation=organisation, ended_at__isnull=True, person__in=representatives
        ).values_list("staff_id", "person_id")
    )
    approved = set(
        income_line.objects.filter(
            organisation=organisation,
            person__in=representatives,
            status__in=["approved", "paid"],
            decided_by__isnull=False,
        ).values_list("decided_by_id", "person_id")
    )
    both: dict[int, int] = {}
    for staff_id, _person_id in supported & approved:
        both[staff_id] = both.get(staff_id, 0) + 1
    found: list[Finding] = []
    for staff in User.objects.filter(pk__in=both).order_by("email", "pk"):
        name, count = str(staff), both[staff.pk]
        title, title_cy = _both(
            lambda name=name, count=count: _("%(name)s approves payments to representatives they support (%(count)s).")
            % {"name": name, "count": count}
        )
        found.append(Finding(rules.finding_key("support_approves", staff.pk), "support_approves", title, title_cy))
    single = (
        seats.values("speaks_for", "speaks_for__name", "speaks_for__name_cy")
        .annotate(people=Count("person", distinct=True))
        .filter(people=1)
        .order_by("speaks_for__name", "speaks_for")
    )
    for row in single:
        with override("en"):
            title = _("%(group)s relies on a single representative.") % {"group": row["speaks_for__name"]}
        with override("cy"):
            welsh_name = row["speaks_for__name_cy"] or row["speaks_for__name"]
            title_cy = _("%(group)s relies on a single representative.") % {"group": welsh_name}
        key = rules.finding_key("single_representative", row["speaks_for"])
        found.append(Finding(key, "single_representative", title, title_cy))
    return found
