"""The pure rules of "you said, we did": decisions, when an answer is late, when to check again."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _

DEFAULT_ANSWER_WITHIN_DAYS = 28
DEFAULT_FOLLOW_UP_MONTHS = 3
FOLLOW_UP_MONTHS = range(3, 7)  # 001 Appendix 1 §Ending: three to six months after


class Decision(models.TextChoices):
    ADOPTED = "adopted", _("Adopted")
    PARTLY = "partly", _("Partly adopted")
    NOT_ADOPTED = "not_adopted", _("Not adopted")
    PENDING = "pending", _("Still being considered")


def answer_due(recorded_on: date, within_days: int) -> date:
    """The day an answer is due: ``within_days`` after the contribution was recorded."""
    return recorded_on + timedelta(days=within_days)


def is_overdue(*, answered: bool, due_on: date, today: date) -> bool:
    """Late once the due day has passed with no decision ("still being considered" is not a decision)."""
    return not answered and today > due_on


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it is shorter (31 January + 1 = 28/29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def follow_up_due(answered_on: date, months: int) -> date:
    """When the owner is asked what changed; months outside three to six are refused."""
    if months not in FOLLOW_UP_MONTHS:
        raise ValueError("a follow-up comes 3 to 6 months after the answer")
    return add_months(answered_on, months)


def needs_follow_up(decision: str) -> bool:
    """Only what was adopted, in full or in part, has a change to check on."""
    return decision in (Decision.ADOPTED, Decision.PARTLY)


def follow_up_problems(*, changed: bool | None, what_changed: str) -> dict[str, str]:
    """What is wrong with a follow-up's answer: saying something changed means saying what."""
    problems: dict[str, str] = {}
    if changed is None:
        problems["changed"] = str(_("Say whether anything changed."))
    elif changed and not what_changed.strip():
        problems["what_changed"] = str(_("Say what changed. A change cannot be claimed without saying what it was."))
    return problems


def answer_problems(*, decision: str, reason: str, decided_by: str) -> dict[str, str]:
    """What is wrong with an answer: a decision from the list, a reason in words, and who decided."""
    problems: dict[str, str] = {}
    if decision not in Decision.values:
        problems["decision"] = str(_("Choose the decision."))
    if not reason.strip():
        problems["reason"] = str(_("Give the reason for the decision, in plain words."))
    if not decided_by.strip():
        problems["decided_by"] = str(_("Say who decided."))
    return problems
