from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from withus.accounts.models import Organisation, User
from withus.opportunities.models import Opportunity

_counter = iter(range(1, 10**6))


def make_opportunity(organisation: Organisation, contact: User, **fields: Any) -> Opportunity:
    n = next(_counter)
    values: dict[str, Any] = {
        "title": f"Opportunity {n}",
        "purpose": "To improve a service",
        "intended_outcomes": "A better service",
        "influence": "Can change the leaflet, not the budget",
        "level": 4,
        "application_process": "expression_of_interest",
        "time_commitment": "One day",
        "places": 2,
        "where": "operational",
        "role_offered": "expert_by_experience",
        "status": "published",
        "closes_on": timezone.localdate() + timedelta(days=30),
        "short_code": f"t{n:05d}",
    }
    values.update(fields)
    return Opportunity.objects.create(organisation=organisation, contact=contact, **values)
