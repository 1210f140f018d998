from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from weasyprint.formatting_structure.boxes import TextBox

from tests.conftest import make_member, member_client, staff_client
from tests.meetings.factories import AttendanceFactory, SessionFactory, london
from tests.opportunities.factories import OpportunityFactory
from tests.opportunities.test_leaflets import pdf_streams
from withus.accounts.models import Organisation, User
from withus.core import pdf
from withus.impact.stories.models import Story, StoryUse
from withus.people.models import Person
from withus.reports import documents, sections, services
from withus.reports.models import AnnualReport, Version

pytestmark = pytest.mark.django_db

YEAR = 2026


def involve(organisation: Organisation, people: int, level: int = 2) -> None:
    opportunity = OpportunityFactory(organisation=organisation, level=level)
    session = SessionFactory(organisation=organisation, opportunity=opportunity, starts_at=london(2026, 6, 12, 10, 30))
    for _n in range(people):
        AttendanceFactory(session=session, person=make_member(organisation))


def write_everything(coordinator: User, report: AnnualReport) -> None:
    for section in sections.all_sections():
        services.write_narrative(
            actor=coordinator,
            report=report,
            section=section.key,
            text=f"About {section.key} this year.",
            text_cy=f"Am {section.key} eleni.",
        )


def story(organisation: Organisation, person: Person, places: list[str], **fields: Any) -> Story:
    values: dict[str, Any] = {"title": "Finding my voice", "summary": "How I came to chair.", **fields}
    return Story.objects.create(
        organisation=organisation, person=person, places=places, until=date(2030, 1, 1), **values
    )


def test_a_report_with_an_empty_section_cannot_be_published(org_a: Organisation, coordinator_a: User) -> None:
    report = services.draft(actor=coordinator_a, organisation=org_a, year=YEAR)
    services.write_narrative(actor=coordinator_a, report=report, section="reach", text="Reach.", text_cy="")
    with pytest.raises(ValidationError) as refused:
        services.publish(actor=coordinator_a, report=report)
    assert "Reach and diversity" in refused.value.messages[0]
    assert not Version.objects.exists()


def test_publishing_freezes_a_version_and_later_edits_make_a_new_one(org_a: Organisation, coordinator_a: User) -> None:
    involve(org_a, 6)
    report = services.draft(actor=coordinator_a, organisation=org_a, year=YEAR)
    write_everything(coordinator_a, report)
    first = services.publish(actor=coordinator_a, report=report)
    involve(org_a, 3, level=4)
    services.write_narrative(actor=coordinator_a, report=report, section="reach", text="Changed.", text_cy="Newid.")
    second = services.publish(actor=coordinator_a, report=report)
    assert (first.number, second.number) == (1, 2)
    client = Client()
    old = client.get(reverse("reports:public_version", args=[org_a.slug, YEAR, 1])).content.decode()
    assert "About reach this year." in old and "Changed." not in old
    assert "A newer version is published." in old
    latest = client.get(reverse("reports:public", args=[org_a.slug, YEAR])).content.decode()
    assert "Changed." in latest
    assert 'role="img"' in latest


def test_the_public_report_is_in_welsh_for_a_welsh_reader(org_a: Organisation, coordinator_a: User) -> None:
    report = services.draft(actor=coordinator_a, organisation=org_a, year=YEAR)
    write_everything(coordinator_a, report)
    services.publish(actor=coordinator_a, report=report)
    client = Client()
    client.cookies["django_language"] = "cy"
    html = client.get(reverse("reports:public", args=[org_a.slug, YEAR]), HTTP_ACCEPT_LANGUAGE="cy").content.decode()
    assert "Am reach eleni." in html


def test_nothing_is_public_before_it_is_published(org_a: Organisation, coordinator_a: User) -> None:
    services.draft(actor=coordinator_a, organisation=org_a, year=YEAR)
    assert Client().get(reverse("reports:public", args=[org_a.slug, YEAR])).status_code == 404
    assert Client().get(reverse("reports:public_version", args=[org_a.slug, YEAR, 1])).status_code == 404


def test_the_pdf_is_tagged_and_holds_the_narrative_and_the_tables(org_a: Organisation, coordinator_a: User) -> None:
    involve(org_a, 6)
    report = services.draft(actor=coordinator_a, organisation=org_a, year=YEAR)
    write_everything(coordinator_a, report)
    version = services.publish(actor=coordinator_a, report=report)
    laid_out = pdf.document(documents.version_html(version, "en"), "http://testserver/")
    words = [b.text for page in laid_out.pages for b in page._page_box.descendants() if isinstance(b, TextBox)]
    text = re.sub(r"\s+", " ", " ".join(words))
    assert "annual engagement report 2026/27" in text
    assert "About activity this year." in text
    assert "Consulted 6 6" in text
    body = Client().get(reverse("reports:public_pdf", args=[org_a.slug, YEAR, 1])).content
    inflated = body + pdf_streams(body)
    assert body.startswith(b"%PDF")
    assert b"/StructTreeRoot" in inflated and b"/Lang (en)" in inflated


def test_the_tables_export_as_csv_with_small_numbers_held_back(org_a: Organisation, coordinator_a: User) -> None:
    involve(org_a, 6)
    involve(org_a, 2, level=5)
    report = services.draft(actor=coordinator_a, organisation=org_a, year=YEAR)
    write_everything(coordinator_a, report)
    services.publish(actor=coordinator_a, report=report)
    lines = Client().get(reverse("reports:public_csv", args=[org_a.slug, YEAR, 1])).content.decode().splitlines()
    assert "Consulted,6,6" in lines
    assert "Co-producing,,2" not in lines and any(line.startswith("Co-producing,,") for line in lines)


def test_only_stories_agreed_for_the_annual_report_appear_and_each_use_is_logged(
    org_a: Organisation, coordinator_a: User
) -> None:
    member = make_member(org_a, full_name="Ceri Jones")
    agreed = story(org_a, member, ["annual_report"], named=True)
    story(org_a, member, ["website"], title="Only for the website")
    report = services.draft(actor=coordinator_a, organisation=org_a, year=YEAR)
    write_everything(coordinator_a, report)
    services.publish(actor=coordinator_a, report=report)
    html = Client().get(reverse("reports:public", args=[org_a.slug, YEAR])).content.decode()
    assert "Finding my voice" in html and "Ceri Jones" in html
    assert "Only for the website" not in html
    assert list(StoryUse.objects.values_list("story_id", "place")) == [(agreed.pk, "annual_report")]


def test_an_invited_member_comments_on_a_section_and_a_coordinator_replies(
    org_a: Organisation, coordinator_a: User, member_a: Person
) -> None:
    report = services.draft(actor=coordinator_a, organisation=org_a, year=YEAR)
    client = member_client(member_a)
    assert client.get(reverse("reports:me_report", args=[report.pk])).status_code == 404
    services.invite(actor=coordinator_a, report=report, person=member_a)
    page = client.get(reverse("reports:me_report", args=[report.pk]))
    assert "Reach and diversity" in page.content.decode()
    client.post(reverse("reports:me_comment", args=[report.pk, "reach"]), {"text": "Say more about carers."})
    (said,) = report.comments.all()
    assert (said.section, said.person, said.text) == ("reach", member_a, "Say more about carers.")
    staff_client(coordinator_a).post(
        reverse("reports:staff_comment", args=[YEAR, "reach"]), {"text": "Added a line.", "reply_to": said.pk}
    )
    assert [r.text for r in said.replies.all()] == ["Added a line."]
    html = client.get(reverse("reports:me_report", args=[report.pk])).content.decode()
    assert "Say more about carers." in html and "Added a line." in html


def test_a_member_not_invited_cannot_comment(org_a: Organisation, coordinator_a: User, member_a: Person) -> None:
    report = services.draft(actor=coordinator_a, organisation=org_a, year=YEAR)
    assert member_a.user is not None
    with pytest.raises(PermissionDenied):
        services.comment(author=member_a.user, report=report, section="reach", text="Hello")


def test_the_commands_draft_and_publish(org_a: Organisation, coordinator_a: User, capsys: Any) -> None:
    call_command("report", "draft", "--organisation", org_a.slug, "--year", str(YEAR), "--as", coordinator_a.email)
    report = AnnualReport.objects.get(organisation=org_a, year=YEAR)
    with pytest.raises(Exception, match="Write every section"):
        call_command(
            "report", "publish", "--organisation", org_a.slug, "--year", str(YEAR), "--as", coordinator_a.email
        )
    write_everything(coordinator_a, report)
    call_command("report", "publish", "--organisation", org_a.slug, "--year", str(YEAR), "--as", coordinator_a.email)
    assert report.versions.count() == 1
    assert f"/annual-report/{org_a.slug}/{YEAR}/v1/" in capsys.readouterr().out


def test_another_app_adds_a_section_without_the_report_knowing_it(
    org_a: Organisation, coordinator_a: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sections, "SECTIONS", dict(sections.SECTIONS))
    sections.register(
        sections.Section(
            "partnerships", "Standards progress", lambda o, y: {"facts": [["Standards met", 7]], "tables": []}
        )
    )
    report = services.draft(actor=coordinator_a, organisation=org_a, year=YEAR)
    assert "Standards progress" in services.empty_sections(report)
    html = staff_client(coordinator_a).get(reverse("reports:staff_report", args=[YEAR])).content.decode()
    assert "Standards progress" in html and "Standards met" in html
