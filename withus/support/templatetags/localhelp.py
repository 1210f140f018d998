"""Local help on other apps' pages (a benefits warning, a concern, a request for a call).

A template tag, so that apps this one sits above can show it without importing it:
``{% load localhelp %}{% help_for organisation "welfare_rights" as help %}`` then
``{% include "support/localhelp/_help.html" with entries=help %}``.
"""

from __future__ import annotations

from typing import Any

from django import template

from withus.support.localhelp import selectors
from withus.support.localhelp.models import HelpEntry

register = template.Library()


@register.simple_tag(takes_context=True)
def help_for(context: Any, organisation: Any, *kinds: str) -> list[HelpEntry]:
    """The organisation's help of these kinds; read once per page however many times it is shown."""
    if organisation is None:
        return []
    request = context.get("request")
    cache: dict[tuple[int, tuple[str, ...]], list[HelpEntry]] = {}
    if request is not None:
        cache = request.__dict__.setdefault("_local_help", {})
    key = (organisation.pk, tuple(sorted(kinds)))
    if key not in cache:
        cache[key] = list(selectors.help_for(organisation, kinds))
    return cache[key]
