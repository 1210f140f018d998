"""What makes a seat's term sensible, as pure functions (001 §Terms of office)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _


def appointment_problems(
    *, person_id: int, term_start: date, planned_end: date, review_on: date | None, deputy_id: int | None
) -> dict[str, str]:
    """What is wrong with a seat's term and deputy, by field; empty when nothing is."""
    problems: dict[str, str] = {}
    if planned_end <= term_start:
        problems["planned_end"] = _("The term must end after it starts.")
    if review_on and not term_start <= review_on <= planned_end:
        problems["review_on"] = _("The review date must fall within the term.")
    if deputy_id is not None and deputy_id == person_id:
        problems["deputy"] = _("A person cannot be their own deputy.")
    return problems


def end_problem(*, term_start: date, ended_on: date) -> str | None:
    if ended_on < term_start:
        return _("The end date cannot be before the term started.")
    return None
