"""Pure rules of training: what a course must say, when a completion counts, when it expires."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Long enough to book a place on the next course before the old one lapses.
WARN_DAYS_BEFORE_EXPIRY = 42
LONGEST_COURSE_HOURS = Decimal("500")
LONGEST_REFRESH_MONTHS = 120


@dataclass(frozen=True)
class Suggestion:
    topic: str
    title: object  # a lazy translation: the English and Welsh titles are both taken from it
    length_hours: Decimal
    refresh_months: int | None


# The list 001 §Training recommends, shipped for an organisation to add and change.
SUGGESTED_COURSES = (
    Suggestion("co_production", gettext_lazy("Co-production: working together as equals"), Decimal("3"), None),
    Suggestion("peer_supervision", gettext_lazy("Peer supervision"), Decimal("3"), None),
    Suggestion("report_writing", gettext_lazy("Writing reports, policies and strategies"), Decimal("3"), None),
    Suggestion("safeguarding", gettext_lazy("Safeguarding adults and children"), Decimal("3"), 36),
    Suggestion("scrutiny", gettext_lazy("Scrutiny: asking the questions that matter"), Decimal("2"), None),
    Suggestion("assurance", gettext_lazy("How assurance works"), Decimal("2"), None),
    Suggestion("risk", gettext_lazy("Managing risk at an organisational level"), Decimal("2"), None),
    Suggestion("delivering_training", gettext_lazy("Delivering training"), Decimal("6"), None),
    Suggestion("conflicts_of_interest", gettext_lazy("Managing conflicts of interest"), Decimal("1.5"), 24),
    Suggestion(
        "nolan_principles", gettext_lazy("The Nolan principles and citizen centred governance"), Decimal("1.5"), None
    ),
    Suggestion("diversity_and_inclusion", gettext_lazy("Diversity and inclusion"), Decimal("3"), 36),
    Suggestion("evaluation_and_research", gettext_lazy("Evaluation and opinion research skills"), Decimal("3"), None),
    Suggestion("recruitment", gettext_lazy("Recruitment panel training"), Decimal("3"), 24),
)


def suggestion(topic: str) -> Suggestion | None:
    return next((s for s in SUGGESTED_COURSES if s.topic == topic), None)


def course_problems(*, title: str, length_hours: Decimal | None, refresh_months: int | None) -> dict[str, str]:
    """What is wrong with a course as described: it needs a title and a length; a refresh period is optional."""
    problems: dict[str, str] = {}
    if not title.strip():
        problems["title"] = _("Give the course a title.")
    if length_hours is None:
        problems["length_hours"] = _("Say how long the course is, in hours.")
    elif not Decimal("0") < length_hours <= LONGEST_COURSE_HOURS:
        problems["length_hours"] = _("Give a length from 0.5 to %(n)s hours.") % {"n": LONGEST_COURSE_HOURS}
    elif length_hours != length_hours.quantize(Decimal("0.1")):
        problems["length_hours"] = _("Give the length to the nearest tenth of an hour, for example 2.5.")
    if refresh_months is not None and not 1 <= refresh_months <= LONGEST_REFRESH_MONTHS:
        problems["refresh_months"] = _("Give a refresh period from 1 to %(n)s months, or leave it empty.") % {
            "n": LONGEST_REFRESH_MONTHS
        }
    return problems


def completion_date_problem(completed_on: date, *, today: date) -> str | None:
    """A completion cannot be in the future."""
    if completed_on > today:
        return _("The date completed cannot be in the future.")
    return None


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later; the last day of the month when that month is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def expires_on(completed_on: date, refresh_months: int | None) -> date | None:
    """The first day a completion no longer counts: ``refresh_months`` after it; never without a refresh period."""
    if refresh_months is None:
        return None
    return add_months(completed_on, refresh_months)


def is_current(completed_on: date, refresh_months: int | None, *, today: date) -> bool:
    ends = expires_on(completed_on, refresh_months)
    return completed_on <= today and (ends is None or today < ends)


def latest(completions: Iterable[date]) -> date | None:
    """The completion that counts: the most recent (a refresher renews the course)."""
    return max(completions, default=None)


def expiring_soon(ends: date | None, *, today: date, warn_days: int = WARN_DAYS_BEFORE_EXPIRY) -> bool:
    """Whether a completion ending on ``ends`` is still current but ends within ``warn_days``."""
    return ends is not None and today < ends <= today + timedelta(days=warn_days)
