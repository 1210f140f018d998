"""Preparation on the meetings pages: a session's briefing and meet-and-greet for staff, and what
a member is offered on their sessions page.

Template tags, so that the meetings pages (an app below this one) show them without importing it.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from withus.people.models import Person
from withus.support.preparation import selectors
from withus.support.preparation.selectors import Offer

register = template.Library()


@register.inclusion_tag("support/preparation/_staff_summary.html")
def session_preparation(session: Any, can_edit: bool = False) -> dict[str, Any]:
    """The session's briefing and meet-and-greet, and how many said yes (a fixed number of queries)."""
    return {"found": selectors.session_preparation(session), "can_edit": can_edit}


@register.simple_tag
def preparation_offers(person: Person | None) -> dict[int, list[Offer]]:
    """What the member is offered for their sessions still to come, by session id (a fixed number of queries)."""
    if not isinstance(person, Person):
        return {}
    by_session: dict[int, list[Offer]] = {}
    for offer in selectors.offers_to(person, now=timezone.now()):
        by_session.setdefault(offer.preparation.session_id, []).append(offer)
    return by_session


@register.filter
def offers_of(by_session: dict[int, list[Offer]], session_id: int) -> list[Offer]:
    return by_session.get(session_id, [])
