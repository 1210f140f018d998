"""Rules about people's records, as pure functions the forms, API and services share."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils.translation import gettext as _

# A DBS certificate is usually treated as current for three years; we flag one
# older than that so the coordinator can talk about renewing it.
DBS_RENEWAL_AFTER = timedelta(days=3 * 365)


def certificate_date_problem(checked_on: date | None, *, today: date) -> str | None:
    """A certificate cannot be dated in the future."""
    if checked_on is not None and checked_on > today:
        return _("The date of the certificate must be today or in the past.")
    return None


def dbs_needs_renewing(checked_on: date | None, *, today: date) -> bool:
    return checked_on is not None and today - checked_on > DBS_RENEWAL_AFTER


def step_out_date_problem(until: date | None, *, today: date) -> str | None:
    """A return date, when given, must be after today."""
    if until is not None and until <= today:
        return _("The date you plan to come back must be in the future.")
    return None


def can_see_wellbeing_plan(
    *, visible_to: str, viewer_is_person: bool, viewer_coordinates_shared_organisation: bool
) -> bool:
    """Only the person, and coordinators only if the person has said so."""
    if viewer_is_person:
        return True
    return visible_to == "coordinators" and viewer_coordinates_shared_organisation
