"""Reads: presence (who is involved, against the population served), reports, versions and comments.

Every figure about people is plain data (a "table": a title, column headings and rows),
held back through ``rules.held_back`` before it leaves here, so that the page, the chart,
the CSV, the PDF and the API show exactly the same thing.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import models
from django.db.models import Count, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from withus.accounts.models import Organisation
from withus.accounts.selectors import small_number_threshold
from withus.meetings import selectors as meeting_selectors
from withus.meetings.models import Attendance
from withus.opportunities.models import Level, RoleOffered, Where
from withus.people.models import EqualityMonitoring, LocalAuthority, Person, Perspective
from withus.rewards.statements.selectors import tax_year_bounds, tax_year_label

from . import rules
from .models import AnnualReport, PopulationFigure, Version

Table = dict[str, Any]
NOT_ENTERED = "–"  # no population figure entered (None is kept for a count held back)


def year_label(year: int) -> str:
    return tax_year_label(year)


def year_days(year: int) -> tuple[date, date]:
    """The report's year: the tax year starting 6 April ``year``, as on members' statements (first and last day)."""
    return tax_year_bounds(year)


def year_times(year: int) -> tuple[datetime, datetime]:
    first, last = year_days(year)
    zone = timezone.get_default_timezone()
    return (
        timezone.make_aware(datetime.combine(first, time.min), zone),
        timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min), zone),
    )


def equality_categories() -> list[tuple[str, str]]:
    """Every equality category a population figure may give: ("ethnicity:asian", "Ethnic group: Asian, ...")."""
    found = []
    for question in EqualityMonitoring.ANSWERS:
        field = EqualityMonitoring._meta.get_field(question)
        assert isinstance(field, models.Field)
        for value, label in field.choices or []:
            if value != "prefer_not_to_say":
                found.append((f"{question}:{value}", f"{str(field.verbose_name).capitalize()}: {label}"))
    return found


def population_of(organisation: Organisation) -> QuerySet[PopulationFigure]:
    return PopulationFigure.objects.filter(organisation=organisation)


def _table(key: str, title: str, first: str, columns: list[str], rows: list[list[Any]], **extra: Any) -> Table:
    return {"key": key, "title": title, "columns": [first, *columns], "rows": rows, **extra}


def presence(organisation: Organisation, year: int) -> dict[str, Any]:
    """Who took part in the year, and how, against the population served; small numbers held back.

    A constant number of queries whatever the number of people: everything is grouped in the
    database except the equality answers, which are encrypted and so counted here.
    """
    small = small_number_threshold(organisation)
    start, end = year_times(year)

    def shown(count: int) -> int | None:
        return rules.held_back(count, small)

    attended = Attendance.objects.filter(
        session__organisation=organisation,
        session__starts_at__gte=start,
        session__starts_at__lt=end,
        status=Attendance.Status.ATTENDED,
    )
    per_person = dict(attended.values_list("person_id").annotate(n=Count("pk")).order_by())
    people = list(
        Person.objects.filter(pk__in=list(per_person)).values("pk", "local_authority", "perspective", "created_at")
    )
    involved = len(people)
    tables: list[Table] = []

    levels = meeting_selectors.attendance_by_level(organisation, start=start, end=end)
    by_level = {row.level: row for row in levels}
    tables.append(
        _table(
            "levels",
            _("people involved by pathway level"),
            _("Pathway level"),
            [_("People"), _("Times they took part")],
            [
                [
                    str(label),
                    shown(by_level[level].people if level in by_level else 0),
                    shown(by_level[level].attended if level in by_level else 0),
                ]
                for level, label in [*Level.choices, (None, _("Not for an opportunity"))]
                if level is not None or None in by_level
            ],
            chart=True,
        )
    )

    def grouped(field: str, choices: list[tuple[str, Any]], key: str, title: str, first: str) -> Table:
        counts = dict(
            attended.exclude(**{f"session__opportunity__{field}": None})
            .values_list(f"session__opportunity__{field}")
            .annotate(n=Count("person_id", distinct=True))
            .order_by()
        )
        return _table(
            key,
            title,
            first,
            [_("People")],
            [[str(label), shown(counts.get(value, 0))] for value, label in choices],
            chart=True,
        )

    tables.append(grouped("role_offered", RoleOffered.choices, "roles", _("people involved by role"), _("Role")))
    tables.append(grouped("where", Where.choices, "places", _("people involved by place of involvement"), _("Where")))
    tag_counts = (
        attended.exclude(session__opportunity__tags=None)
        .values_list("session__opportunity__tags__name")
        .annotate(n=Count("person_id", distinct=True))
        .order_by("session__opportunity__tags__name")
    )
    tables.append(
        _table(
            "topics",
            _("people involved by topic or service"),
            _("Topic or service"),
            [_("People")],
            [[name, shown(n)] for name, n in tag_counts],
        )
    )

    figures = list(population_of(organisation))
    totals = {f.area: f for f in figures if not f.category}
    by_area = Counter(p["local_authority"] or "" for p in people)
    area_rows: list[list[Any]] = []
    for value, label in LocalAuthority.choices:
        if by_area.get(value) or value in totals:
            count = shown(by_area.get(value, 0))
            figure = totals.get(value)
            if figure is None:
                area_rows.append([str(label), count, NOT_ENTERED, NOT_ENTERED if count is not None else None])
            else:
                area_rows.append([str(label), count, figure.people, rules.per_ten_thousand(count, figure.people)])
    if by_area.get(""):
        area_rows.append([_("Area not given"), shown(by_area[""]), NOT_ENTERED, NOT_ENTERED])
    sources = sorted({f"{f.source} ({f.year})" for f in figures})
    tables.append(
        _table(
            "areas",
            _("people involved by area, against the population served"),
            _("Area"),
            [_("People involved"), _("Population"), _("Involved per 10,000 people")],
            area_rows,
            sources=sources,
        )
    )

    perspectives = Counter(p["perspective"] for p in people)
    tables.append(
        _table(
            "perspectives",
            _("carers and service users involved"),
            _("Lived experience"),
            [_("People")],
            [[str(label), shown(perspectives.get(value, 0))] for value, label in Perspective.choices],
            chart=True,
        )
    )

    first_day = start
    new = sum(1 for p in people if p["created_at"] >= first_day)
    tables.append(
        _table(
            "tenure",
            _("new and long-standing members involved"),
            _("Members"),
            [_("People")],
            [[_("Joined this year"), shown(new)], [_("Joined before this year"), shown(involved - new)]],
            chart=True,
        )
    )

    most, share = rules.concentration(per_person.values())
    tables.append(
        _table(
            "concentration",
            _("how concentrated involvement is"),
            _("Measure"),
            [_("Figure")],
            [
                [_("Times people took part"), shown(sum(per_person.values()))],
                [_("The most involved people (a fifth of those involved)"), shown(most)],
                [_("Their share of all the times people took part (%)"), share if shown(most) is not None else None],
            ],
        )
    )

    answers: dict[str, Counter[str]] = defaultdict(Counter)
    for record in EqualityMonitoring.objects.filter(person_id__in=list(per_person)):
        for question in EqualityMonitoring.ANSWERS:
            answers[question][getattr(record, question) or ""] += 1
    population_by_category: Counter[str] = Counter()
    for f in figures:
        if f.category:
            population_by_category[f.category] += f.people
    population_total = sum(f.people for f in totals.values())
    equality_rows = []
    for category, label in equality_categories():
        question, value = category.split(":", 1)
        count = shown(answers[question].get(value, 0))
        part = round(100 * count / involved, 1) if count is not None and involved else None
        pop = population_by_category.get(category)
        pop_share = round(100 * pop / population_total, 1) if pop and population_total else NOT_ENTERED
        equality_rows.append([label, count, part, pop_share])
    tables.append(
        _table(
            "equality",
            _("equality monitoring of those involved, against the population served"),
            _("Category"),
            [_("People"), _("Share of those involved (%)"), _("Share of the population (%)")],
            equality_rows,
        )
    )
    return {
        "year": year,
        "year_label": year_label(year),
        "small_number": small,
        "held_back": rules.held_back_text(small),
        "involved": shown(involved),
        "tables": tables,
    }


# ---- Reports -----------------------------------------------------------------------------


def reports_of(organisation: Organisation) -> QuerySet[AnnualReport]:
    return AnnualReport.objects.filter(organisation=organisation).prefetch_related("versions")


def _sensible(*numbers: int) -> None:
    """A year or version number from an address that no column could hold is simply not found."""
    if any(not 0 < n < 32768 for n in numbers):
        raise Http404


def report_for_staff(organisation: Organisation, year: int) -> AnnualReport:
    _sensible(year)
    return get_object_or_404(AnnualReport, organisation=organisation, year=year)


def invited_reports(person: Person) -> QuerySet[AnnualReport]:
    return AnnualReport.objects.filter(invited=person).select_related("organisation")


def invited_report(person: Person, pk: int) -> AnnualReport:
    if not 0 < pk < 2**31:
        raise Http404
    return get_object_or_404(invited_reports(person), pk=pk)


def published_versions(organisation: Organisation) -> QuerySet[Version]:
    return (
        Version.objects.filter(report__organisation=organisation)
        .select_related("report")
        .order_by("-report__year", "-number")
    )


def published_version(organisation: Organisation, year: int, number: int | None = None) -> Version:
    _sensible(year, 1 if number is None else number)
    versions = Version.objects.filter(report__organisation=organisation, report__year=year).select_related(
        "report__organisation"
    )
    if number is not None:
        return get_object_or_404(versions, number=number)
    found = versions.order_by("-number").first()
    if found is None:
        raise Http404
    return found
