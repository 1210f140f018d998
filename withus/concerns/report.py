"""The annual report's "concerns" section: the year's summary of concerns and complaints, small numbers held back.

Registered from ``ConcernsConfig.ready``; the report imports nothing from here. The figures are
``selectors.summary_in_period``'s, the same selector as the summary page's, counted over the report's tax
year (6 April to 5 April) like every other section; the organisation's own small-number threshold is then
applied on top, so the report never shows a count its other tables would hide.
"""

from __future__ import annotations

from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from withus.accounts.models import Organisation
from withus.accounts.selectors import small_number_threshold
from withus.reports import rules as report_rules
from withus.reports import selectors as report_selectors
from withus.reports.sections import Section, register

from . import selectors
from .models import Concern


def concerns(organisation: Organisation, year: int) -> dict[str, Any]:
    """The section's data for the report's year (the tax year starting 6 April ``year``)."""
    small = small_number_threshold(organisation)
    first, last = report_selectors.year_days(year)
    summary = selectors.summary_in_period(organisation, first, last)

    def shown(count: int | None) -> int | None:
        return None if count is None else report_rules.held_back(count, small)

    closed = shown(summary.closed)

    def table(key: str, title: str, first: str, counts: dict[str, int | None], labels: Any) -> dict[str, Any]:
        return {
            "key": key,
            "title": title,
            "columns": [first, _("Concerns and complaints")],
            "rows": [[str(label), shown(counts.get(value, 0))] for value, label in labels],
            "chart": True,
        }

    return {
        "period": _("Concerns and complaints received from %(first)s to %(last)s.")
        % {"first": date_format(first, "j F Y"), "last": date_format(last, "j F Y")},
        "held_back": report_rules.held_back_text(small),
        "facts": [
            [_("Concerns and complaints received"), shown(summary.total)],
            [_("Closed"), closed],
            [_("Well founded or partly well founded"), _well_founded(summary.by_outcome, shown)],
            [_("Learning actions agreed"), shown(summary.actions)],
            [
                _("Median working days from receipt to close"),
                summary.median_working_days_to_close if closed is not None else None,
            ],
        ],
        "tables": [
            table(
                "concerns_kind", _("concerns and complaints received"), _("Kind"), summary.by_kind, Concern.Kind.choices
            ),
            table("concerns_about", _("what they were about"), _("About"), summary.by_about, Concern.About.choices),
            table(
                "concerns_outcome",
                _("outcomes of those closed"),
                _("Outcome"),
                summary.by_outcome,
                Concern.Outcome.choices,
            ),
        ],
    }


def _well_founded(by_outcome: dict[str, int | None], shown: Any) -> int | None:
    """Well founded and partly well founded together, held back if either part is (a sum would reveal it)."""
    parts = [by_outcome.get(Concern.Outcome.WELL_FOUNDED), by_outcome.get(Concern.Outcome.PARTLY)]
    if any(p is None for p in parts):
        return None
    return shown(sum(p or 0 for p in parts))  # type: ignore[no-any-return]


def register_section() -> None:
    register(Section("concerns", gettext_lazy("Concerns and complaints"), concerns, order=70))
