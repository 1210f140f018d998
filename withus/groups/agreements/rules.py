"""Group agreements' and the code of conduct's rules, as pure functions."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

REVIEW_EVERY = timedelta(days=365)


def review_due(*, adopted_on: date, today: date) -> bool:
    """Ground rules are reviewed with the group at least yearly: due a year after the version was adopted."""
    return today >= adopted_on + REVIEW_EVERY


def text_problems(*, text: str, field: str = "text") -> dict[str, list[str]]:
    if not text.strip():
        return {field: [str(_("Write the text the members are asked to agree to."))]}
    return {}


def how_problems(*, how: str, for_someone_else: bool) -> dict[str, list[str]]:
    """Someone recording another's agreement says how it was given; a member agreeing on WithUs does not."""
    if for_someone_else and how in ("", "self"):
        return {"how": [str(_("Say how the member agreed: on paper, by phone or in person."))]}
    return {}
