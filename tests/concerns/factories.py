from __future__ import annotations

from datetime import date
from typing import Any

from withus.accounts.models import Organisation
from withus.concerns import services
from withus.people.models import Person


def raise_one(
    organisation: Organisation, *, raised_by: Person | None = None, today: date | None = None, **fields: Any
) -> services.Raised:
    values: dict[str, Any] = {"text": "The meeting papers came the night before.", "about": "process"}
    if raised_by is None and not fields.get("anonymous"):
        values.update(raiser_name="Siân Jones", raiser_contact="sian@example.org")
    values.update(fields)
    return services.raise_concern(organisation=organisation, fields=values, raised_by=raised_by, today=today)
