"""The record of involvement for a CV (the statements' record) lists training, with dates and certificates."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import make_member, member_client
from tests.meetings.factories import london
from tests.support.training.factories import approved_learning, attend, make_course, run_course
from withus.rewards.statements.documents import record_html

pytestmark = pytest.mark.django_db


def test_the_record_for_a_cv_lists_training_with_dates_and_certificates(org_a, coordinator_a):
    member = make_member(org_a)
    course = make_course(org_a, title="Recruitment panel training", refresh_months=24)
    attendance = attend(run_course(course, coordinator_a, london(2025, 3, 4)), member)
    approved_learning(member, make_course(org_a, title="Safeguarding", refresh_months=None), timezone.localdate())
    html = record_html(member)
    assert "Recruitment panel training" in html and "4 March 2025" in html and "current to 4 March 2027" in html
    assert f"/me/attendance/{attendance.pk}/certificate.pdf" in html
    assert "Safeguarding" in html and "Elsewhere" in html
    assert "No training completed yet." not in html
    response = member_client(member).get("/me/record.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")


def test_the_record_is_in_the_members_language(org_a, coordinator_a):
    member = make_member(org_a, prefers_welsh=True)
    course = make_course(org_a, title="Panel training", title_cy="Hyfforddiant panel")
    approved_learning(member, course, timezone.localdate() - timedelta(days=3))
    html = record_html(member)
    assert "Hyfforddiant panel" in html and "Panel training" not in html
    assert 'lang="cy"' in html


def test_the_members_training_page_links_to_the_record(org_a):
    member = make_member(org_a)
    page = member_client(member).get("/me/training/").content.decode()
    assert 'href="/me/record.pdf"' in page
