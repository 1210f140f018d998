"""Writes: population figures, drafting, narrative, comments and publishing."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from withus.accounts.models import Organisation, User
from withus.accounts.roles import ADMINISTERING, COORDINATING
from withus.accounts.selectors import require
from withus.impact.stories import services as story_services
from withus.impact.stories.models import Story
from withus.impact.stories.rules import Place
from withus.people import selectors as people_selectors
from withus.people.models import Person

from . import rules, selectors
from .models import AnnualReport, Comment, Narrative, PopulationFigure, Version
from .sections import all_sections

LANGUAGES = ("en", "cy")


@transaction.atomic
def enter_population(
    *,
    actor: User,
    organisation: Organisation,
    area: str,
    category: str,
    people: int | None,
    source: str,
    year: int | None,
) -> PopulationFigure:
    """Enter (or correct) one population figure; refused without a source, or when it does not add up."""
    require(actor, organisation, ADMINISTERING)
    figures = list(selectors.population_of(organisation).select_for_update().filter(area=area))
    total = next((f.people for f in figures if not f.category), None)
    question = category.split(":", 1)[0] if category else ""
    others = {f.category: f.people for f in figures if f.category.startswith(question + ":") and f.category != category}
    problems = rules.population_problems(
        area_total=total,
        category=category,
        people=people,
        source=source,
        year=year,
        others_same_question=others if category else {},
        categories={c for c, _label in selectors.equality_categories()},
        this_year=timezone.localdate().year,
    )
    if not category and people is not None and "people" not in problems:
        sums: dict[str, int] = {}
        for f in figures:
            if f.category:
                q = f.category.split(":", 1)[0]
                sums[q] = sums.get(q, 0) + f.people
        if sums and max(sums.values()) > people:
            problems["people"] = _(
                "The area's equality figures already add up to %(sum)s: the total cannot be smaller."
            ) % {"sum": max(sums.values())}
    if problems:
        raise ValidationError(problems)
    assert people is not None and year is not None
    found, _created = PopulationFigure.objects.update_or_create(
        organisation=organisation,
        area=area,
        category=category,
        defaults={"people": people, "source": source.strip(), "year": year, "entered_at": timezone.now()},
    )
    return found


def draft(*, actor: User, organisation: Organisation, year: int) -> AnnualReport:
    """Start the year's report (or return the one started): every section is drafted from the records."""
    require(actor, organisation, COORDINATING)
    if not 2000 <= year <= timezone.localdate().year + 1:
        raise ValidationError({"year": _("Choose a year from 2000 to next year.")})
    report, _created = AnnualReport.objects.get_or_create(organisation=organisation, year=year)
    for section in all_sections():
        Narrative.objects.get_or_create(report=report, section=section.key)
    return report


def write_narrative(*, actor: User, report: AnnualReport, section: str, text: str, text_cy: str) -> Narrative:
    require(actor, report.organisation, COORDINATING)
    if section not in {s.key for s in all_sections()}:
        raise ValidationError({"section": _("The report has no such section.")})
    narrative, _created = Narrative.objects.update_or_create(
        report=report, section=section, defaults={"text": text.strip(), "text_cy": text_cy.strip()}
    )
    return narrative


def invite(*, actor: User, report: AnnualReport, person: Person) -> None:
    """Ask a member to comment on the draft; only someone who shares their details with the organisation."""
    require(actor, report.organisation, COORDINATING)
    person = people_selectors.person_sharing_with(report.organisation, person)
    report.invited.add(person)


def comment(*, author: User, report: AnnualReport, section: str, text: str, reply_to: Comment | None = None) -> Comment:
    """A comment on one section, from an invited member or a coordinator (who may reply to it)."""
    person = people_selectors.own_person(author)
    invited = person is not None and report.invited.filter(pk=person.pk).exists()
    if not invited:
        require(author, report.organisation, COORDINATING)
    if section not in {s.key for s in all_sections()}:
        raise ValidationError({"section": _("The report has no such section.")})
    if reply_to is not None and (reply_to.report_id != report.pk or reply_to.section != section):
        raise PermissionDenied
    if not text.strip():
        raise ValidationError({"text": _("Write your comment.")})
    return Comment.objects.create(
        report=report,
        section=section,
        author=author,
        person=person if invited else None,
        reply_to=reply_to,
        text=text.strip(),
    )


def empty_sections(report: AnnualReport) -> list[str]:
    """The sections with no narrative in English or in Welsh: a report with one cannot be published."""
    written = {n.section: n for n in report.narratives.all()}
    return [
        str(s.title)
        for s in all_sections()
        if s.key not in written or not written[s.key].text or not written[s.key].text_cy
    ]


def snapshot(report: AnnualReport) -> dict[str, Any]:
    """Every section's data and narrative, in English and in Welsh, as it stands now."""
    written = {n.section: n for n in report.narratives.all()}
    frozen: dict[str, Any] = {"year": report.year, "languages": {}}
    for language in LANGUAGES:
        with translation.override(language):
            sections = []
            for section in all_sections():
                narrative = written.get(section.key)
                text = "" if narrative is None else (narrative.text_cy if language == "cy" else narrative.text)
                sections.append(
                    {
                        "key": section.key,
                        "title": str(section.title),
                        "template": section.template,
                        "narrative": text,
                        "data": section.data(report.organisation, report.year),
                    }
                )
            frozen["languages"][language] = {
                "organisation": report.organisation.name_cy
                if language == "cy" and report.organisation.name_cy
                else report.organisation.name,
                "year_label": selectors.year_label(report.year),
                "sections": sections,
            }
    return frozen


@transaction.atomic
def publish(*, actor: User, report: AnnualReport) -> Version:
    """Freeze the report as a new version at its stable address; earlier versions stay readable.

    Each story shown is a use of it: logged through the stories service, which refuses any use
    its consent does not allow (and such a story is left out).
    """
    require(actor, report.organisation, COORDINATING)
    empty = empty_sections(report)
    if empty:
        raise ValidationError(
            {
                "sections": _("Write every section in English and Welsh before publishing: %(list)s.")
                % {"list": ", ".join(empty)}
            }
        )
    frozen = snapshot(report)
    today = timezone.localdate()
    used: set[int] = set()
    for language in LANGUAGES:
        for section in frozen["languages"][language]["sections"]:
            for story in section["data"].get("stories", []):
                used.add(story["id"])
    refused: set[int] = set()
    for story in Story.objects.filter(pk__in=used, organisation=report.organisation):
        try:
            story_services.use_story(
                actor=actor,
                story=story,
                place=Place.ANNUAL_REPORT,
                used_on=today,
                note=_("Annual report %(year)s") % {"year": selectors.year_label(report.year)},
            )
        except ValidationError:
            refused.add(story.pk)
    refused |= used - set(
        Story.objects.filter(pk__in=used, organisation=report.organisation).values_list("pk", flat=True)
    )
    if refused:
        for language in LANGUAGES:
            for section in frozen["languages"][language]["sections"]:
                if "stories" in section["data"]:
                    section["data"]["stories"] = [s for s in section["data"]["stories"] if s["id"] not in refused]
    last = report.versions.order_by("-number").values_list("number", flat=True).first() or 0
    return Version.objects.create(report=report, number=last + 1, snapshot=frozen, published_by=actor)
