"""The rules of scoring, as pure functions: where members and staff disagree, what is a gap, what moved."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

Direction = Literal["improved", "slipped", "same", "unknown"]


def disagree(member_values: Iterable[int], staff_values: Iterable[int]) -> bool:
    """Whether any member's score and any staff score of an item differ by a step or more.

    Members' and staff's views are compared across the sides, never averaged: one member who
    scored lower than every member of staff is a disagreement, however the others scored.
    """
    members = set(member_values)
    staff = set(staff_values)
    return any(abs(m - s) >= 1 for m in members for s in staff)


def is_gap(value: int | None, top: int) -> bool:
    """An item is a gap when its score is below the top of the scale ("met")."""
    return value is not None and value < top


def direction(before: int | None, after: int | None) -> Direction:
    """How an item moved from one cycle to the next."""
    if before is None or after is None:
        return "unknown"
    if after > before:
        return "improved"
    if after < before:
        return "slipped"
    return "same"


def review_overdue(last_reviewed_days_ago: int | None, every_days: int = 365) -> bool:
    """A strategy is reviewed at least yearly: overdue when never reviewed or reviewed too long ago."""
    return last_reviewed_days_ago is None or last_reviewed_days_ago > every_days
