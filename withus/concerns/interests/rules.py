"""The register of interests' rules, as pure functions: what is current, what touches an agenda item,
when a review is due, and what a declaration needs."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

REVIEW_EVERY = timedelta(days=365)


def is_current(*, ends_on: date | None, superseded: bool, today: date) -> bool:
    """A declaration counts until the day it ends (included), unless a later version replaced it."""
    return not superseded and (ends_on is None or ends_on >= today)


def touches(body: str, texts: Iterable[str]) -> bool:
    """Whether the declared body's name appears in any of ``texts`` (an item's title in either language),
    ignoring case. A body of fewer than three letters touches nothing: "NHS" does, "A" would touch all."""
    needle = " ".join(body.split()).casefold()
    if len(needle) < 3:
        return False
    return any(needle in " ".join(text.split()).casefold() for text in texts if text)


def review_due_on(reviewed_on: date) -> date:
    """A year after its holder last said it is still right."""
    return reviewed_on + REVIEW_EVERY


def declaration_problems(
    *, body: str, starts_on: date | None, ends_on: date | None, today: date
) -> dict[str, list[str]]:
    """What is wrong with a declaration, field by field (nothing when it can be kept)."""
    problems: dict[str, list[str]] = {}
    if not body.strip():
        problems["body"] = [str(_("Say which body or person the interest concerns."))]
    if starts_on is not None and starts_on > today:
        problems["starts_on"] = [str(_("Give a date that is not in the future: declare an interest once you have it."))]
    if starts_on is not None and ends_on is not None and ends_on < starts_on:
        problems["ends_on"] = [str(_("Give an end date on or after the date it started."))]
    return problems
