"""When a supervision may be planned, answered, recorded as held and reminded: pure rules.

The day-before reminder is the one sessions use (``meetings.reminders.session_reminder_due``):
by local dates in Europe/London, on the day before (or on the day itself if that was missed),
never on the day the member was last told of it.
"""

from __future__ import annotations

from datetime import datetime

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from withus.meetings.reminders import session_reminder_due

PLANNED, CANCELLED, HELD = "planned", "cancelled", "held"
# A supervision is at least a quarter of an hour and at most a working day.
SHORTEST_MINUTES, LONGEST_MINUTES = 15, 480


def plan_problems(*, starts_at: datetime | None, minutes: int | None, where: str, now: datetime) -> dict[str, Promise]:
    """What is wrong with a supervision's time, length and place, by field; empty when nothing is."""
    problems: dict[str, Promise] = {}
    if starts_at is None:
        problems["starts_at"] = _("Enter the date and time.")
    elif starts_at <= now:
        problems["starts_at"] = _("Choose a date and time that has not passed.")
    if minutes is None:
        problems["minutes"] = _("Enter how long it is, in minutes.")
    elif not SHORTEST_MINUTES <= minutes <= LONGEST_MINUTES:
        problems["minutes"] = _("A supervision lasts from 15 minutes to 8 hours (480 minutes).")
    if not where.strip():
        problems["where"] = _("Say where it is, or the phone number or video link.")
    return problems


def change_refusal(*, status: str) -> Promise | None:
    """Why a plan can no longer be moved or cancelled, or None."""
    if status == CANCELLED:
        return _("This supervision was cancelled.")
    if status == HELD:
        return _("This supervision has been held.")
    return None


def answer_refusal(*, status: str, starts_at: datetime, now: datetime) -> Promise | None:
    """Why a member can no longer say whether they can come, or None: only before it starts."""
    return change_refusal(status=status) or (_("This supervision has started.") if starts_at <= now else None)


def held_refusal(*, status: str, starts_at: datetime, now: datetime) -> Promise | None:
    """Why a plan cannot be recorded as held, or None: not cancelled, not twice, and not before it started."""
    if refused := change_refusal(status=status):
        return refused
    if starts_at > now:
        return _("A supervision is recorded as held once it has started.")
    return None


def reminder_due(*, status: str, answer: str, starts_at: datetime, told_at: datetime | None, now: datetime) -> bool:
    """The day-before reminder is due: still planned, the member has not said they cannot come."""
    if status != PLANNED or answer == "not_coming":
        return False
    return session_reminder_due(starts_at=starts_at, invited_at=told_at, now=now)
