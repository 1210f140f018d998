"""The sections other apps add to the annual report: standards (assessments) and concerns."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from weasyprint.formatting_structure.boxes import TextBox

from tests.assessments.helpers import Scored, open_4pi, score_all
from tests.concerns.factories import raise_one
from tests.reports.test_annual_report import write_everything
from withus.accounts.models import Organisation, User
from withus.assessments import services as assessment_services
from withus.assessments.models import Agreement, Assessment
from withus.core import pdf
from withus.reports import documents, sections, services

pytestmark = pytest.mark.django_db

YEAR = 2026  # the report's year: 6 April 2026 to 5 April 2027


def cycle(organisation: Organisation, coordinator: User, year: int, agreed: dict[str, int | None]) -> Scored:
    """A 4PI cycle closed on 1 June ``year``: items in ``agreed`` as given (None: disagreement kept), the rest met."""
    scored = open_4pi(organisation, coordinator, year=year)
    score_all(scored, members=0, staff=2)
    assessment_services.close_scoring(actor=coordinator, assessment=scored.assessment)
    Assessment.objects.filter(pk=scored.assessment.pk).update(
        closed_at=timezone.make_aware(datetime(year, 6, 1, 12, 0))
    )
    scored.assessment.refresh_from_db()
    for item in scored.items:
        value = agreed.get(item.code, 2)
        assessment_services.agree_score(
            actor=coordinator,
            assessment=scored.assessment,
            item=item,
            value=value,
            note="Members say papers still come late; staff say not." if value is None else "",
        )
    return scored


def two_cycles(organisation: Organisation, coordinator: User) -> Scored:
    cycle(organisation, coordinator, 2025, {"PR1": 1, "PR4": 0})
    now = cycle(organisation, coordinator, 2026, {"PR2": 1, "PR3": None, "PR4": 0})
    pr4 = next(i for i in now.items if i.code == "PR4")
    assessment_services.create_action(
        actor=coordinator,
        assessment=now.assessment,
        item=pr4,
        description="Anti-racism training for every panel chair",
        owner=coordinator,
        due_on=date(2030, 1, 1),
        monitoring="Reported to the involvement group each quarter",
    )
    return now


def table(data: dict[str, Any], suffix: str) -> dict[str, Any]:
    """The table keyed ``suffix`` (or, in the standards section, "standards_<id>" then ``suffix``)."""
    (found,) = [t for t in data["tables"] if t["key"] == suffix or re.fullmatch(rf"standards_\d+{suffix}", t["key"])]
    return found


def test_both_sections_are_registered_after_the_reports_own() -> None:
    keys = [s.key for s in sections.all_sections()]
    assert keys[-2:] == ["standards", "concerns"]
    standards, concerns = sections.get("standards"), sections.get("concerns")
    assert standards is not None and concerns is not None
    assert (standards.order, concerns.order) == (60, 70)


def test_standards_compares_the_latest_cycle_with_the_one_before(org_a: Organisation, coordinator_a: User) -> None:
    two_cycles(org_a, coordinator_a)
    section = sections.get("standards")
    assert section is not None
    data = section.data(org_a, YEAR)
    assert "6 April 2026" in data["period"] and "5 April 2027" in data["period"]
    assert data["facts"][0][1] == 1  # the 2025 cycle closed before the report's year: only compared with
    counts = {row[0]: row[1:] for row in table(data, "")["rows"]}
    # Principles now: PR1 met, PR2 part met, PR3 a disagreement kept (never averaged), PR4 not met.
    assert counts["Principles"] == [1, 1, 1, 1]
    assert counts["Purpose"][0] > 0 and counts["Purpose"][1:] == [0, 0, 0]
    share = table(data, "_share")
    assert share["chart"] is True and share["columns"][1:] == ["Met this cycle (%)", "Met last cycle (%)"]
    assert dict((r[0], r[1:]) for r in share["rows"])["Principles"] == [25.0, 50.0]
    moved = {row[0]: row[2] for row in table(data, "_moved")["rows"]}
    assert moved == {"PR1": "Improved", "PR2": "Slipped"}
    (kept,) = table(data, "_kept")["rows"]
    assert kept[0] == "PR3" and "papers still come late" in kept[2]
    (action,) = table(data, "_actions")["rows"]
    assert action[0] == "PR4" and action[1] == "Anti-racism training for every panel chair"
    assert action[3] == "1 January 2030" and action[4].startswith("Reported") and action[5] == "Open"


def test_standards_with_no_cycle_in_the_year_says_so(org_a: Organisation, coordinator_a: User) -> None:
    cycle(org_a, coordinator_a, 2025, {})
    section = sections.get("standards")
    assert section is not None
    data = section.data(org_a, YEAR)
    assert data["facts"] == [["Frameworks assessed with members this year", 0]] and data["tables"] == []


def test_concerns_summarises_the_year_with_small_numbers_held_back(org_a: Organisation) -> None:
    for _n in range(5):
        raise_one(org_a, today=date(YEAR, 5, 1))
    raise_one(org_a, today=date(YEAR, 5, 2), kind="complaint")
    raise_one(org_a, today=date(YEAR - 1, 5, 2))  # another year
    section = sections.get("concerns")
    assert section is not None
    data = section.data(org_a, YEAR)
    assert data["period"] == f"Concerns and complaints received from 6 April {YEAR} to 5 April {YEAR + 1}."
    assert "calendar" not in data["period"] and "31 December" not in data["period"]
    facts = dict((label, value) for label, value in data["facts"])
    assert facts["Concerns and complaints received"] == 6
    kinds = dict((r[0], r[1]) for r in table(data, "concerns_kind")["rows"])
    assert kinds == {"A concern": 5, "A complaint": None}
    # The organisation's own threshold is applied on top of the summary's.
    org_a.small_number_threshold = 6
    org_a.save(update_fields=["small_number_threshold"])
    data = section.data(org_a, YEAR)
    kinds = dict((r[0], r[1]) for r in table(data, "concerns_kind")["rows"])
    assert kinds == {"A concern": None, "A complaint": None}
    assert dict((label, value) for label, value in data["facts"])["Concerns and complaints received"] == 6
    assert data["held_back"] == "fewer than 6"


def test_concerns_counts_the_reports_tax_year_not_the_calendar_year(org_a: Organisation) -> None:
    """1 April falls in the tax year before the report's; 10 April in the report's own (6 April to 5 April)."""
    section = sections.get("concerns")
    assert section is not None
    for _n in range(5):
        raise_one(org_a, today=date(YEAR, 4, 1))  # tax year YEAR - 1
    for _n in range(6):
        raise_one(org_a, today=date(YEAR, 4, 10))  # tax year YEAR
    raise_one(org_a, today=date(YEAR, 4, 5), kind="complaint")  # the last day of tax year YEAR - 1
    raise_one(org_a, today=date(YEAR, 4, 6), kind="complaint")  # the first day of tax year YEAR
    raise_one(org_a, today=date(YEAR + 1, 4, 5), kind="complaint")  # the last day of tax year YEAR
    raise_one(org_a, today=date(YEAR + 1, 4, 6))  # tax year YEAR + 1
    this_year = dict((label, value) for label, value in section.data(org_a, YEAR)["facts"])
    year_before = dict((label, value) for label, value in section.data(org_a, YEAR - 1)["facts"])
    assert this_year["Concerns and complaints received"] == 6 + 2
    assert year_before["Concerns and complaints received"] == 5 + 1
    kinds = dict((r[0], r[1]) for r in table(section.data(org_a, YEAR), "concerns_kind")["rows"])
    assert kinds == {"A concern": 6, "A complaint": None}  # two complaints: held back


def test_concerns_period_is_written_in_welsh(org_a: Organisation) -> None:
    section = sections.get("concerns")
    assert section is not None
    with translation.override("cy"):
        period = section.data(org_a, YEAR)["period"]
    assert period == f"Pryderon a chwynion a ddaeth i law rhwng 6 Ebrill {YEAR} a 5 Ebrill {YEAR + 1}."


def test_the_sections_have_welsh_titles_and_figures(org_a: Organisation, coordinator_a: User) -> None:
    two_cycles(org_a, coordinator_a)
    report = services.draft(actor=coordinator_a, organisation=org_a, year=YEAR)
    frozen = services.snapshot(report)
    titles = {s["key"]: s["title"] for s in frozen["languages"]["cy"]["sections"]}
    english = {s["key"]: s["title"] for s in frozen["languages"]["en"]["sections"]}
    assert titles["standards"] == "Safonau a'r cynllun gweithredu"
    assert titles["concerns"] == "Pryderon a chwynion"
    assert english["standards"] == "Standards and the action plan"
    cy = next(s for s in frozen["languages"]["cy"]["sections"] if s["key"] == "standards")
    counts = {row[0]: row[1:] for row in table(cy["data"], "")["rows"]}
    assert counts["Egwyddorion"] == [1, 1, 1, 1]
    with translation.override("cy"):
        assert table(cy["data"], "_moved")["columns"][2] != "Change"


def test_a_published_version_freezes_the_sections(org_a: Organisation, coordinator_a: User) -> None:
    now = two_cycles(org_a, coordinator_a)
    report = services.draft(actor=coordinator_a, organisation=org_a, year=YEAR)
    write_everything(coordinator_a, report)
    version = services.publish(actor=coordinator_a, report=report)
    Agreement.objects.filter(assessment=now.assessment, item__code="PR3").update(value=2, disagreement_kept=False)
    version.refresh_from_db()
    frozen = next(s for s in version.snapshot["languages"]["en"]["sections"] if s["key"] == "standards")
    assert table(frozen["data"], "_kept")["rows"][0][0] == "PR3"
    html = Client().get(reverse("reports:public", args=[org_a.slug, YEAR])).content.decode()
    assert "Standards and the action plan" in html and "Concerns and complaints" in html
    assert "papers still come late" in html and "Anti-racism training for every panel chair" in html
    assert 'id="chart-standards_' in html


def test_the_pdf_holds_both_sections(org_a: Organisation, coordinator_a: User) -> None:
    two_cycles(org_a, coordinator_a)
    report = services.draft(actor=coordinator_a, organisation=org_a, year=YEAR)
    write_everything(coordinator_a, report)
    version = services.publish(actor=coordinator_a, report=report)
    for language, words_expected in (
        ("en", ["Standards and the action plan", "Concerns and complaints", "Anti-racism training"]),
        ("cy", ["Safonau a'r cynllun gweithredu", "Pryderon a chwynion"]),
    ):
        laid_out = pdf.document(documents.version_html(version, language), "http://testserver/")
        words = [b.text for page in laid_out.pages for b in page._page_box.descendants() if isinstance(b, TextBox)]
        text = re.sub(r"\s+", " ", " ".join(words))
        for expected in words_expected:
            assert expected in text, expected
