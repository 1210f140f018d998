"""Training on other apps' pages: the seats whose required training has lapsed, or soon will, and the
courses an opportunity needs.

A template tag, so that the groups page (an app below this one) can show it without importing it.
"""

from __future__ import annotations

from typing import Any

from django import template

from withus.support.training import selectors
from withus.support.training.selectors import SeatAtRisk

register = template.Library()


@register.simple_tag
def training_at_risk(groups: Any) -> dict[int, list[SeatAtRisk]]:
    """Every at-risk seat in the organisation of ``groups`` (a fixed number of queries)."""
    first = next(iter(groups), None)
    if first is None:
        return {}
    return selectors.seats_at_risk(first.organisation)


@register.simple_tag
def seat_at_risk(at_risk: dict[int, list[SeatAtRisk]], appointment: Any) -> list[SeatAtRisk]:
    return at_risk.get(appointment.pk, [])


@register.simple_tag
def courses_needed(opportunity: Any) -> list[tuple[Any, Any]]:
    """The catalogue's courses an opportunity needs (its own and its group's seats'), each with the soonest
    session that runs it, if one is planned (two queries; none more however many courses)."""
    courses = selectors.required_courses(opportunity, opportunity.group)
    runs = selectors.next_runs([c.pk for c in courses]) if courses else {}
    return [(course, runs.get(course.pk)) for course in courses]


@register.simple_tag
def training_record(person: Any) -> list[dict[str, Any]]:
    """The person's training for their record of involvement (rendered in their language), with the
    address of each certificate of attendance."""
    from django.conf import settings
    from django.urls import reverse
    from django.utils.translation import get_language

    language = get_language() or "en"
    return [
        {
            "course": str(line.course),
            "organisation": line.course.organisation.display_name(language),
            "completed_on": line.completed_on,
            "expires_on": line.expires_on,
            "current": line.current,
            "how": line.how,
            "certificate": (
                settings.SITE_URL + reverse("meetings:certificate", args=[line.attendance_id])
                if line.attendance_id
                else ""
            ),
        }
        for line in selectors.record_of(person)
    ]
