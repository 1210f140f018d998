"""Rules about people's records, as pure functions the forms, API and services share."""

from __future__ import annotations

import calendar
from collections.abc import Container
from datetime import date, timedelta

from django.utils.translation import gettext as _

from withus.core.working_days import next_working_day

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


def subject_access_deadline(received: date, bank_holidays: Container[date] = ()) -> date:
    """The day a subject access request must be answered by (UK GDPR Art. 12(3), as the ICO counts it).

    One calendar month from the day the request arrived: the same date next month, or
    the last day of next month when it has no such date (a request on 31 January is due
    on 28 or 29 February). When that day is a weekend or a bank holiday, the next working day.
    """
    year, month = (received.year + 1, 1) if received.month == 12 else (received.year, received.month + 1)
    due = date(year, month, min(received.day, calendar.monthrange(year, month)[1]))
    return next_working_day(due, bank_holidays)
