"""The member's download of everything held about them, through every app's privacy module."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.api.helpers import member_api
from tests.conftest import make_member, make_staff, member_client
from tests.opportunities.test_leaflets import pdf_streams
from tests.people.factories import PersonFactory
from withus.accounts.models import ApiToken, Role
from withus.accounts.services import issue_api_token
from withus.core import privacy
from withus.people import documents, selectors, services
from withus.people.models import Person

pytestmark = pytest.mark.django_db


def test_export_contains_everything_but_is_the_persons_own(org_a, coordinator_a, member_a):
    services.save_wellbeing_plan(
        person=member_a, actor=member_a.user, what_helps="Walks", who_to_contact="", visible_to="only_me"
    )
    other = make_member(org_a, full_name="Someone Else")
    services.save_wellbeing_plan(
        person=other, actor=other.user, what_helps="Swimming", who_to_contact="", visible_to="only_me"
    )
    data = privacy.subject_access(member_a)
    assert data["profile"]["full_name"] == member_a.full_name
    assert data["wellbeing_plan"]["what_helps"] == "Walks"
    assert any(c["purpose"] == "share_with_organisation" for c in data["consents"])
    text = json.dumps(data)
    assert "Someone Else" not in text and "Swimming" not in text


def test_every_section_has_a_readable_title_and_field_labels(member_a):
    data = privacy.subject_access(member_a)
    assert data["format"] == privacy.FORMAT
    for key, labels in data["labels"].items():
        assert key in data
        assert labels["title"].strip(), key
    assert data["labels"]["profile"]["fields"]["full_name"] == "Full name"
    assert data["labels"]["consents"]["title"] == "What you have agreed to"


def test_help_given_on_their_behalf_and_their_account_are_included(org_a, coordinator_a):
    person = make_member(org_a)
    services.give_consent(
        person=person,
        actor=coordinator_a,
        purpose="act_on_behalf",
        organisation=org_a,
        how="phone",
        acting_organisation=org_a,
    )
    services.step_out(person=person, actor=coordinator_a, until=None, organisation=org_a)
    data = privacy.subject_access(person)
    assert any(a["description"] == "Paused your involvement" for a in data["done_on_your_behalf"]), data[
        "done_on_your_behalf"
    ]
    assert data["account"]["email"] == person.user.email
    assert {"organisation": org_a.name, "role": "member"}.items() <= data["roles"][0].items()


def test_api_tokens_are_listed_without_their_secret(org_a):
    staff = make_staff(org_a, Role.COORDINATOR)
    person = PersonFactory(user=staff, email=staff.email)
    token, raw = issue_api_token(user=staff, organisation=org_a, role=Role.COORDINATOR, name="Spreadsheet")
    text = json.dumps(privacy.subject_access(person))
    assert "Spreadsheet" in text
    assert raw not in text and ApiToken.objects.get(pk=token.pk).token_hash not in text


def test_the_web_download_is_the_same_document(member_a):
    response = member_client(member_a).get("/me/download/")
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = response.json()
    assert data["profile"]["full_name"] == member_a.full_name
    assert set(data) == set(privacy.subject_access(member_a))


def test_the_api_gives_a_member_the_same_document(member_a, org_a):
    response = member_api(member_a, org_a).get("/api/people/me/data")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["profile"]["full_name"] == member_a.full_name
    assert set(data) == set(privacy.subject_access(member_a))


def test_the_command_writes_the_document_for_someone_who_asked_by_post(org_a, coordinator_a, tmp_path):
    person = make_member(org_a, full_name="Gwen Post")
    Person.objects.filter(pk=person.pk).update(email="gwen@example.org")
    out = StringIO()
    call_command("privacy", "export", "gwen@example.org", stdout=out)
    assert json.loads(out.getvalue())["profile"]["full_name"] == "Gwen Post"
    target = tmp_path / "gwen.json"
    call_command("privacy", "export", str(person.pk), "--output", str(target), stderr=StringIO())
    assert json.loads(target.read_text())["profile"]["full_name"] == "Gwen Post"
    with pytest.raises(CommandError, match="No person"):
        call_command("privacy", "export", "nobody@example.org")


def test_the_member_reads_everything_on_a_page_in_their_language(member_a):
    client = member_client(member_a)
    page = client.get("/me/held/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Everything we hold about you" in text and member_a.full_name in text
    assert "What you have agreed to" in text  # a section title, not a machine key
    client.post("/i18n/setlang/", {"language": "cy", "next": "/me/held/"})
    assert 'lang="cy"' in client.get("/me/held/").content.decode()


def test_the_pdf_is_a_tagged_pdf_in_the_persons_language_and_the_html_holds_the_same_sections(member_a):
    response = member_client(member_a).get("/me/download.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    content = response.content
    assert content.startswith(b"%PDF-") and content.rstrip().endswith(b"%%EOF")
    inflated = content + pdf_streams(content)
    assert b"/StructTreeRoot" in inflated and b"/Lang (en)" in inflated
    html = documents.subject_access_html(member_a, language="cy")
    assert 'lang="cy"' in html and member_a.full_name in html


def test_the_deadline_is_a_calendar_month_moved_off_weekends_and_bank_holidays():
    due = selectors.subject_access_deadline
    assert due(date(2026, 1, 10)) == date(2026, 2, 10)  # the same date next month
    assert due(date(2026, 1, 31)) == date(2026, 3, 2)  # no 31 February; the 28th is a Saturday
    assert due(date(2026, 3, 31)) == date(2026, 4, 30)
    assert due(date(2027, 1, 31)) == date(2027, 3, 1)  # 28 February 2027 is a Sunday
    assert due(date(2026, 3, 25)) == date(2026, 4, 27)  # 25 April is a Saturday
    assert due(date(2026, 4, 25)) == date(2026, 5, 26)  # 25 May is the spring bank holiday
    assert due(date(2026, 3, 3)) == date(2026, 4, 7)  # Good Friday, the weekend and Easter Monday
    assert due(date(2026, 12, 15)) == date(2027, 1, 15)


def test_the_command_makes_a_pdf_and_says_when_the_answer_is_due(org_a, tmp_path):
    person = make_member(org_a, full_name="Gwen Post")
    target = tmp_path / "gwen.pdf"
    err = StringIO()
    call_command(
        "privacy",
        "export",
        str(person.pk),
        "--format",
        "pdf",
        "--received",
        "2026-04-25",
        "-o",
        str(target),
        stderr=err,
    )
    assert target.read_bytes().startswith(b"%PDF-")
    assert "answer by Tuesday 26 May 2026" in err.getvalue()
    with pytest.raises(CommandError, match="needs --output"):
        call_command("privacy", "export", str(person.pk), "--format", "pdf")
    with pytest.raises(CommandError, match="must be a date"):
        call_command("privacy", "export", str(person.pk), "--received", "soon")
