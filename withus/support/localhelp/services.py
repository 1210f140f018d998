"""Every write about the directory of local help."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from withus.accounts.models import Organisation, User
from withus.accounts.roles import COORDINATING
from withus.accounts.selectors import require
from withus.core.audit import acting_as
from withus.meetings.reminders import staff_language
from withus.support.selectors import coordinators_of

from . import rules
from .models import HelpEntry, StaleWarning

STALE_SUBJECT = gettext_lazy("Local help to check: %(count)s entries not checked for a year")

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


def tell_about_stale(*, today: date | None = None) -> int:
    """The daily round: e-mail each organisation's coordinators the entries that have gone a year unchecked.

    Each entry is in one e-mail per year it stays unchecked, however often this runs (the
    unique ``StaleWarning`` row is written in the same transaction as the e-mail is sent).
    Returns how many entries were told about.
    """
    today = today or timezone.localdate()
    told = 0
    candidates = HelpEntry.objects.filter(reviewed_on__lte=today - timedelta(days=365)).select_related("organisation")
    by_organisation: dict[int, list[tuple[HelpEntry, date]]] = {}
    for entry in candidates.order_by("organisation_id", "kind", "name", "pk"):
        began = rules.stale_year_began(entry.reviewed_on, today=today)
        if began is not None:
            by_organisation.setdefault(entry.organisation_id, []).append((entry, began))
    for items in by_organisation.values():
        organisation = items[0][0].organisation
        with transaction.atomic():
            fresh = [
                entry for entry, began in items if StaleWarning.objects.get_or_create(entry=entry, stale_from=began)[1]
            ]
            if not fresh:
                continue
            for coordinator in coordinators_of(organisation):
                if not coordinator.email:
                    continue
                with translation.override(staff_language(coordinator.email)):
                    body = render_to_string(
                        "support/localhelp/messages/stale.txt",
                        {
                            "recipient": coordinator,
                            "organisation": organisation,
                            "entries": [(e, rules.review_due(e.reviewed_on)) for e in fresh],
                            "site_url": settings.SITE_URL,
                        },
                    ).strip()
                    subject = str(STALE_SUBJECT) % {"count": len(fresh)}
                send_mail(subject, body, None, [coordinator.email])
            told += len(fresh)
    return told
