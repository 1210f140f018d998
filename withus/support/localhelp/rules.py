"""Pure rules of the directory of local help: what an entry must say, and when it is stale."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from withus.support.training.rules import add_months

# 000 Annex 1's contacts change: each entry is checked at least once a year.
REVIEW_MONTHS = 12


def review_due(reviewed_on: date) -> date:
    """The day an entry becomes stale unless it is checked again."""
    return add_months(reviewed_on, REVIEW_MONTHS)


def is_stale(reviewed_on: date, *, today: date) -> bool:
    return today >= review_due(reviewed_on)


def stale_year_began(reviewed_on: date, *, today: date) -> date | None:
    """Which year of staleness ``today`` falls in, named by the day it began; ``None`` when the entry is current.

    The coordinators are told once per entry for each such year: the day it falls due, and
    again a year on if it has still not been checked.
    """
    if not is_stale(reviewed_on, today=today):
        return None
    years = 1
    while add_months(reviewed_on, REVIEW_MONTHS * (years + 1)) <= today:
        years += 1
    return add_months(reviewed_on, REVIEW_MONTHS * years)


def entry_problems(
    *,
    name: str,
    reviewed_on: date | None,
    today: date,
    phone: str,
    text_number: str,
    email: str,
    website: str,
    address: str,
) -> dict[str, str]:
    """What is wrong with an entry: it needs a name, a way to reach them, and a check date not in the future."""
    problems: dict[str, str] = {}
    if not name.strip():
        problems["name"] = _("Give the name of the service.")
    if not any(value.strip() for value in (phone, text_number, email, website, address)):
        problems["phone"] = _(
            "Give at least one way to reach them: a phone or text number, e-mail, website or address."
        )
    if reviewed_on is None:
        problems["reviewed_on"] = _("Give the date the details were last checked.")
    elif reviewed_on > today:
        problems["reviewed_on"] = _("The date last checked cannot be in the future.")
    return problems
