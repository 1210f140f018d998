from __future__ import annotations

import pytest

from tests.conftest import make_member
from tests.reports.test_annual_report import YEAR, story, write_everything
from withus.accounts.models import Organisation, User
from withus.core import privacy
from withus.people.models import Person
from withus.reports import services
from withus.reports.models import Comment, Version

pytestmark = pytest.mark.django_db


def test_a_members_comments_are_in_their_subject_access_and_go_when_they_are_erased(
    org_a: Organisation, coordinator_a: User, member_a: Person
) -> None:
    report = services.draft(actor=coordinator_a, organisation=org_a, year=YEAR)
    services.invite(actor=coordinator_a, report=report, person=member_a)
    assert member_a.user is not None
    services.comment(author=member_a.user, report=report, section="reach", text="Say more about carers.")
    exported = {s.key: s for s in privacy.sections(member_a)}
    assert exported["annual_report_comments"].records[0]["text"] == "Say more about carers."
    from withus.reports import privacy as report_privacy

    report_privacy.erase(member_a)
    assert not Comment.objects.exists()
    assert not report.invited.exists()


def test_erasing_a_member_takes_their_story_out_of_published_versions(org_a: Organisation, coordinator_a: User) -> None:
    member = make_member(org_a, full_name="Ceri Jones")
    story(org_a, member, ["annual_report"], named=True)
    report = services.draft(actor=coordinator_a, organisation=org_a, year=YEAR)
    write_everything(coordinator_a, report)
    services.publish(actor=coordinator_a, report=report)
    from withus.reports import privacy as report_privacy

    report_privacy.erase(member)
    snapshot = Version.objects.get().snapshot
    assert "Ceri Jones" not in str(snapshot) and "Finding my voice" not in str(snapshot)
