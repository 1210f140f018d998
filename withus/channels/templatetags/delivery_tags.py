"""How messages were delivered, on the person's page and a session's invited list: ``{% load delivery_tags %}``."""

from __future__ import annotations

from typing import Any

from django import template

from withus.accounts.models import Organisation
from withus.people.models import Person

from .. import selectors
from ..models import Delivery

register = template.Library()


@register.inclusion_tag("channels/_recent_messages.html")
def recent_messages(person: Person, organisation: Organisation) -> dict[str, Any]:
    """The organisation's latest messages to the person, with how each was delivered (two queries)."""
    return {"sent": selectors.recent_messages(person, organisation)}


@register.simple_tag
def session_deliveries(session: Any) -> dict[int, Delivery]:
    """The latest delivery of each invited person's messages about the session, by person id (one query)."""
    return selectors.about_deliveries(f"session:{session.pk}", session.organisation)


@register.filter
def delivery_of(deliveries: dict[int, Delivery], person_id: int | None) -> Delivery | None:
    return deliveries.get(person_id) if person_id is not None else None
