"""Training on other apps' pages: the seats whose required training has lapsed, or soon will.

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
