"""Pure rules of presence and the report: holding back small numbers, population figures that add up."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.utils.translation import gettext as _


def held_back(count: int, small_number: int) -> int | None:
    """The count as it may be shown: ``None`` (held back) when it is more than 0 and under ``small_number``.

    Every figure about people goes through here, in charts, tables, exports and the API alike,
    so that nobody in a small group can be picked out.
    """
    return None if 0 < count < small_number else count


def held_back_text(small_number: int) -> str:
    return _("fewer than %(n)s") % {"n": small_number}


def per_ten_thousand(involved: int | None, population: int | None) -> float | None:
    if involved is None or not population:
        return None
    return round(involved * 10000 / population, 1)


def concentration(counts: Iterable[int]) -> tuple[int, float]:
    """How many people (the most involved fifth, at least one) took what share of all attendances (in %)."""
    ordered = sorted(counts, reverse=True)
    total = sum(ordered)
    if not total:
        return 0, 0.0
    fifth = max(1, round(len(ordered) / 5))
    return fifth, round(100 * sum(ordered[:fifth]) / total, 1)


def population_problems(
    *,
    area_total: int | None,
    category: str,
    people: int | None,
    source: str,
    year: int | None,
    others_same_question: Mapping[str, int],
    categories: set[str],
    this_year: int,
) -> dict[str, str]:
    """Why a population figure is refused, by field: no source or year, or categories that do not add up.

    A category's figure needs the area's total first, and the figures of one question's answers
    in an area may not add up to more than the area holds.
    """
    problems: dict[str, str] = {}
    if not source.strip():
        problems["source"] = _("Say where the figure comes from, such as the census or a service's records.")
    if year is None or not 1900 <= year <= this_year:
        problems["year"] = _("Give the year the figure describes, no later than this year.")
    if people is None:
        problems["people"] = _("Give the number of people.")
    if category and category not in categories:
        problems["category"] = _("Choose an equality category from the list.")
    if category and people is not None and "category" not in problems:
        if area_total is None:
            problems["category"] = _("Enter the area's total population first.")
        elif people + sum(others_same_question.values()) > area_total:
            problems["people"] = _(
                "The figures for this question add up to %(sum)s, more than the area's %(total)s people."
            ) % {"sum": people + sum(others_same_question.values()), "total": area_total}
    return problems
