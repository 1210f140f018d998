"""``{% small_numbers_note %}``: which small-number threshold a page's figures obey, and where it is changed.

Every page that shows counts of people (survey and evaluation results, presence, the concerns
summary) says the same sentence, read from the one selector, with a link for the organisation's
admin to the one place it is set.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest

from withus.accounts.models import Organisation
from withus.accounts.roles import ADMINISTERING
from withus.accounts.selectors import current_organisation, has_role, small_number_threshold

register = template.Library()


def _organisation(context: template.Context) -> tuple[HttpRequest | None, Organisation | None]:
    request = context.get("request")
    return request, (current_organisation(request) if request is not None else None)


@register.simple_tag(takes_context=True)
def current_small_number_threshold(context: template.Context) -> int | None:
    """The threshold of the organisation the staff member works in: ``{% current_small_number_threshold as n %}``."""
    _request, organisation = _organisation(context)
    return None if organisation is None else small_number_threshold(organisation)


@register.inclusion_tag("includes/small_numbers.html", takes_context=True)
def small_numbers_note(context: template.Context) -> dict[str, Any]:
    request, organisation = _organisation(context)
    if request is None or organisation is None:
        return {"threshold": None}
    return {
        "threshold": small_number_threshold(organisation),
        "can_change_threshold": has_role(request.user, organisation, *ADMINISTERING),
    }
