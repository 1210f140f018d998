"""The annual report's "standards" section: each framework's latest cycle against the one before, and its action plan.

Registered from ``AssessmentsConfig.ready``; the report imports nothing from here. The data is plain
JSON (dates written out in the language being drafted) because a published version freezes it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from withus.accounts.models import Organisation
from withus.reports import selectors as report_selectors
from withus.reports.sections import Section, register

from . import selectors

NONE = "–"


def _day(day: date | None) -> str:
    return date_format(day, "j F Y") if day is not None else NONE


def _cycle_tables(cycle: dict[str, Any]) -> list[dict[str, Any]]:
    key = f"standards_{cycle['id']}"
    name = f"{cycle['framework']}: {cycle['title']}"
    standards = cycle["standards"]
    share_columns = [_("Standard"), _("Met this cycle (%)")]
    if cycle["previous"] is not None:
        share_columns.append(_("Met last cycle (%)"))
    tables: list[dict[str, Any]] = [
        {
            "key": key,
            "title": _("%(name)s, items per standard") % {"name": name},
            "columns": [_("Standard"), _("Met"), _("Part met"), _("Not met"), _("Not agreed")],
            "rows": [[s["standard"], s["met"], s["part_met"], s["not_met"], s["not_agreed"]] for s in standards],
        },
        {
            "key": f"{key}_share",
            "title": _("%(name)s, share of items met per standard") % {"name": name},
            "columns": share_columns,
            "rows": [
                [s["standard"], s["share_met"] or 0]
                + ([s["share_met_before"] or 0] if cycle["previous"] is not None else [])
                for s in standards
            ],
            "chart": True,
        },
    ]
    if cycle["previous"] is not None:
        tables.append(
            {
                "key": f"{key}_moved",
                "title": _("%(name)s, what improved and what slipped since %(previous)s")
                % {"name": name, "previous": cycle["previous"]["title"]},
                "columns": [_("Item"), _("Wording"), _("Change")],
                "rows": [[i["code"], i["wording"], _("Improved")] for i in cycle["improved"]]
                + [[i["code"], i["wording"], _("Slipped")] for i in cycle["slipped"]],
            }
        )
    tables.append(
        {
            "key": f"{key}_kept",
            "title": _("%(name)s, disagreements that stayed") % {"name": name},
            "columns": [_("Item"), _("Wording"), _("Why members and staff still differ")],
            "rows": [[k["code"], k["wording"], k["note"] or NONE] for k in cycle["disagreements_kept"]],
        }
    )
    tables.append(
        {
            "key": f"{key}_actions",
            "title": _("%(name)s, the action plan") % {"name": name},
            "columns": [_("Item"), _("Action"), _("Owner"), _("Due"), _("How it is monitored"), _("Status")],
            "rows": [
                [a["item"], a["description"], a["owner"], _day(a["due_on"]), a["monitoring"], a["status"]]
                for a in cycle["actions"]
            ],
        }
    )
    return tables


def standards(organisation: Organisation, year: int) -> dict[str, Any]:
    """The section's data for the report's year (the tax year starting 6 April ``year``)."""
    first, last = report_selectors.year_days(year)
    cycles = selectors.standards_in_period(organisation, first, last)
    facts: list[list[Any]] = [[_("Frameworks assessed with members this year"), len(cycles)]]
    for cycle in cycles:
        facts.append(
            [
                f"{cycle['framework']}: {cycle['title']}",
                _("period %(start)s to %(end)s, closed %(closed)s; compared with %(previous)s")
                % {
                    "start": _day(cycle["period_start"]),
                    "end": _day(cycle["period_end"]),
                    "closed": _day(cycle["closed_on"]),
                    "previous": cycle["previous"]["title"] if cycle["previous"] else _("no earlier cycle"),
                },
            ]
        )
    return {
        "period": _("Assessments whose scoring closed from %(first)s to %(last)s.")
        % {"first": _day(first), "last": _day(last)},
        "facts": facts,
        "tables": [table for cycle in cycles for table in _cycle_tables(cycle)],
    }


def register_section() -> None:
    register(Section("standards", gettext_lazy("Standards and the action plan"), standards, order=60))
