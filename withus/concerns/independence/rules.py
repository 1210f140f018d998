"""The independence risk register's rules, as pure functions."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils.translation import gettext as _

# 001 asks for the register to be "regularly reviewed": at least once a year.
LONGEST_BETWEEN_REVIEWS = timedelta(days=366)


def score(*, likelihood: int, impact: int) -> int:
    return likelihood * impact


def rating(*, likelihood: int, impact: int) -> str:
    """high (15 and over), medium (8 to 14) or low, on the usual five-by-five matrix."""
    value = score(likelihood=likelihood, impact=impact)
    return "high" if value >= 15 else "medium" if value >= 8 else "low"


def risk_problems(
    *, title: str, likelihood: int | None, impact: int | None, review_on: date | None, today: date
) -> dict[str, str]:
    """What is wrong with a risk as entered or reviewed, by field."""
    problems: dict[str, str] = {}
    if not title.strip():
        problems["title"] = _("Say what the risk is.")
    for field, value in (("likelihood", likelihood), ("impact", impact)):
        if value is None or not 1 <= value <= 5:
            problems[field] = _("Give a number from 1 to 5.")
    if review_on is None:
        problems["review_on"] = _("Give the date of the next review.")
    elif review_on < today:
        problems["review_on"] = _("The next review cannot be in the past.")
    elif review_on - today > LONGEST_BETWEEN_REVIEWS:
        problems["review_on"] = _("Review it at least once a year: choose a date within the next twelve months.")
    return problems


def is_overdue(*, review_on: date, today: date) -> bool:
    return review_on < today


def finding_key(kind: str, subject_id: int) -> str:
    """The key that names one finding from the records, so that flagging again never adds it twice."""
    return f"{kind}:{subject_id}"
