"""Support shown on other apps' pages, without those apps importing support: who supports a
member (on their details page, and on the staff's page of them), and the staff's weekly
digest (on the staff dashboard)."""

from __future__ import annotations

from typing import Any

from django import template

from withus.accounts.models import Organisation
from withus.accounts.roles import SUPPORTING
from withus.accounts.selectors import has_role
from withus.people.models import Person

from .. import selectors

register = template.Library()


@register.inclusion_tag("support/_my_support_summary.html")
def my_support(person: Person) -> dict[str, Any]:
    return {"support": selectors.my_support(person)}


@register.inclusion_tag("support/_staff_support_summary.html", takes_context=True)
def staff_support(context: template.Context, person: Person, organisation: Organisation) -> dict[str, Any]:
    user = context["request"].user
    if not has_role(user, organisation, *SUPPORTING):
        return {"hidden": True}
    return {"person": person, "current": selectors.current_assignments(person, organisation)}


@register.inclusion_tag("support/_dashboard_digest.html", takes_context=True)
def support_digest(context: template.Context, organisation: Organisation) -> dict[str, Any]:
    user = context["request"].user
    if not has_role(user, organisation, *SUPPORTING):
        return {"hidden": True}
    return {"lines": selectors.digest_for(user, organisation), "organisation": organisation}
