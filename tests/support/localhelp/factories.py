from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from withus.accounts.models import Organisation
from withus.support.localhelp.models import HelpEntry


def make_entry(organisation: Organisation, **fields: Any) -> HelpEntry:
    values: dict[str, Any] = {
        "kind": "welfare_rights",
        "name": "Citizens Advice Aberafon",
        "name_cy": "Cyngor ar Bopeth Aberafon",
        "phone": "0800 702 2020",
        "opening_hours": "Monday to Friday, 9am to 5pm",
        "opening_hours_cy": "Dydd Llun i ddydd Gwener, 9yb i 5yp",
        "languages": "English and Welsh",
        "reviewed_on": timezone.localdate(),
    }
    values.update(fields)
    return HelpEntry.objects.create(organisation=organisation, **values)


def days_ago(n: int) -> date:
    from datetime import timedelta

    return timezone.localdate() - timedelta(days=n)
