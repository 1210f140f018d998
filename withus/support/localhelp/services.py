"""Every write about the directory of local help."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from withus.accounts.models import Organisation, User
from withus.accounts.roles import COORDINATING
from withus.accounts.selectors import require
from withus.core.audit import acting_as

from . import rules
from .models import HelpEntry

ENTRY_FIELDS = {
    "kind",
    "name",
    "name_cy",
    "description",
    "description_cy",
    "opening_hours",
    "opening_hours_cy",
    "languages",
    "languages_cy",
    "phone",
    "text_number",
    "email",
    "website",
    "address",
    "reviewed_on",
}


@transaction.atomic
def save_entry(
    *,
    actor: User,
    organisation: Organisation,
    fields: dict[str, Any],
    entry: HelpEntry | None = None,
    today: date | None = None,
) -> HelpEntry:
    """Add an entry to the directory, or change one. Saving it with a check date records who checked it."""
    require(actor, organisation, COORDINATING)
    if entry is not None and entry.organisation_id != organisation.pk:
        raise PermissionDenied
    unknown = set(fields) - ENTRY_FIELDS
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    entry = entry or HelpEntry(organisation=organisation)
    for name, value in fields.items():
        setattr(entry, name, value if value is not None else "")
    if fields.get("reviewed_on") == "":
        entry.reviewed_on = None  # type: ignore[assignment]
    problems = rules.entry_problems(
        name=entry.name,
        reviewed_on=entry.reviewed_on,
        today=today or timezone.localdate(),
        phone=entry.phone,
        text_number=entry.text_number,
        email=entry.email,
        website=entry.website,
        address=entry.address,
    )
    if problems:
        raise ValidationError(problems)
    with acting_as(actor):
        entry.reviewed_by = actor
        entry.full_clean()
        entry.save()
    return entry


@transaction.atomic
def mark_checked(*, actor: User, entry: HelpEntry, today: date | None = None) -> HelpEntry:
    """The details were checked and are still right: the entry is current for another year."""
    require(actor, entry.organisation, COORDINATING)
    with acting_as(actor):
        entry.reviewed_on = today or timezone.localdate()
        entry.reviewed_by = actor
        entry.save(update_fields=["reviewed_on", "reviewed_by"])
    return entry


@transaction.atomic
def remove_entry(*, actor: User, entry: HelpEntry) -> None:
    require(actor, entry.organisation, COORDINATING)
    with acting_as(actor):
        entry.delete()
