"""Supervision, one-to-one and in peer groups, with notes the member reads and adds to; and the
member's own personal development plan."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.conftest import make_member, member_client, staff_client
from tests.support.factories import SupervisionFactory, SupportAssignmentFactory
from tests.support.test_views import date_fields
from withus.accounts.models import Organisation, User
from withus.core import privacy
from withus.people.models import Person
from withus.support import rules, selectors, services
from withus.support.models import DevelopmentGoal, Supervision, SupervisionNote, SupportPart

pytestmark = pytest.mark.django_db
TODAY = date(2030, 6, 12)


def test_the_next_supervision_is_due_the_organisations_weeks_after_the_last() -> None:
    assert rules.supervision_due_on(last_on=TODAY, since=date(2030, 1, 1), every_weeks=8) == TODAY + timedelta(weeks=8)
    assert rules.supervision_due_on(last_on=None, since=TODAY, every_weeks=4) == TODAY + timedelta(weeks=4)
    assert rules.supervision_refusal(on=TODAY + timedelta(days=1), today=TODAY)
    assert rules.supervision_refusal(on=TODAY, today=TODAY) is None
    assert rules.review_date_refusal(review_on=TODAY - timedelta(days=1), today=TODAY)
    assert rules.review_date_refusal(review_on=None, today=TODAY)
    assert rules.review_date_refusal(review_on=TODAY, today=TODAY) is None


def test_a_support_contact_cannot_supervise_the_member(
    worker_a: User, cover_a: User, member_a: Person, org_a: Organisation
) -> None:
    SupportAssignmentFactory(person=member_a, organisation=org_a, staff=worker_a)
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        services.record_supervision(actor=worker_a, organisation=org_a, person=member_a, on=today)
    assert "support contact" in " ".join(refused.value.messages)
    with pytest.raises(ValidationError):
        services.record_supervision(actor=cover_a, organisation=org_a, person=member_a, on=today + timedelta(days=1))
    assert not Supervision.objects.exists()
    services.record_supervision(actor=cover_a, organisation=org_a, person=member_a, on=today, note="Went well")
    assert SupervisionNote.objects.get().text == "Went well"


def test_the_member_reads_the_notes_and_adds_to_them_and_nobody_else_can(
    cover_a: User, member_a: Person, org_a: Organisation
) -> None:
    supervision = services.record_supervision(
        actor=cover_a, organisation=org_a, person=member_a, on=timezone.localdate(), note="We talked about chairing"
    )
    client = member_client(member_a)
    assert "We talked about chairing" in client.get("/me/support/").content.decode()
    page = client.get(f"/me/support/supervision/{supervision.pk}/")
    assert "We talked about chairing" in page.content.decode()
    assert "Write your note" in client.post(f"/me/support/supervision/{supervision.pk}/", {"text": ""}).content.decode()
    client.post(f"/me/support/supervision/{supervision.pk}/", {"text": "I would like more practice"})
    assert SupervisionNote.objects.filter(by_person=member_a).count() == 1
    other = make_member(org_a)
    assert member_client(other).get(f"/me/support/supervision/{supervision.pk}/").status_code == 404
    assert other.user is not None
    with pytest.raises(PermissionDenied):
        services.add_supervision_note(actor=other.user, supervision=supervision, text="Not mine")
    assert (
        "I would like more practice"
        in staff_client(cover_a).get(f"/staff/support/people/{member_a.pk}/").content.decode()
    )


def test_a_peer_supervision_group_meets_and_every_member_reads_its_notes(
    coordinator_a: User, cover_a: User, org_a: Organisation
) -> None:
    members = [make_member(org_a) for _ in range(3)]
    client = staff_client(coordinator_a)
    refused = client.post("/staff/support/groups/", {"name": "", "supervisor": cover_a.pk})
    assert "Give the group a name" in refused.content.decode()
    made = client.post(
        "/staff/support/groups/", {"name": "Peer circle", "supervisor": cover_a.pk, "members": [m.pk for m in members]}
    )
    assert made.status_code == 302
    group_url = made["Location"]
    client.post(group_url, {"note": "Shared what works", **date_fields("on", timezone.localdate())})
    supervision = Supervision.objects.get(kind=Supervision.Kind.PEER_GROUP)
    for member in members:
        assert "Shared what works" in member_client(member).get("/me/support/").content.decode()
    assert member_client(members[0]).get(f"/me/support/supervision/{supervision.pk}/").status_code == 200


def test_supervision_overdue_is_on_the_supervisors_digest(
    worker_a: User, member_a: Person, org_a: Organisation
) -> None:
    long_ago = timezone.now() - timedelta(weeks=12)
    SupportAssignmentFactory(
        person=member_a, organisation=org_a, staff=worker_a, part=SupportPart.SUPERVISOR, starts_at=long_ago
    )
    SupervisionFactory(person=member_a, organisation=org_a, supervisor=worker_a, on=timezone.localdate())
    assert selectors.digest_for(worker_a, org_a) == []
    Supervision.objects.update(on=timezone.localdate() - timedelta(weeks=9))
    [line] = selectors.digest_for(worker_a, org_a)
    assert "supervision_overdue" in line.entry.reasons


def test_the_member_owns_their_development_plan_and_a_past_review_date_is_refused(
    member_a: Person, org_a: Organisation, worker_a: User
) -> None:
    client = member_client(member_a)
    yesterday = timezone.localdate() - timedelta(days=1)
    refused = client.post(
        "/me/support/plan/new/",
        {
            "goal": "Chair a meeting",
            "organisation": org_a.pk,
            "progress": "not_started",
            **date_fields("review_on", yesterday),
        },
    )
    assert "cannot be in the past" in refused.content.decode() and "Chair a meeting" in refused.content.decode()
    assert not DevelopmentGoal.objects.exists()
    later = timezone.localdate() + timedelta(days=60)
    client.post(
        "/me/support/plan/new/",
        {
            "goal": "Chair a meeting",
            "steps": "Watch one first",
            "who_helps": "My supervisor",
            "organisation": org_a.pk,
            "progress": "under_way",
            **date_fields("review_on", later),
        },
    )
    goal = DevelopmentGoal.objects.get()
    assert goal.progress == "under_way"
    assert "Watch one first" in client.get("/me/support/plan/").content.decode()
    with pytest.raises(PermissionDenied):
        services.save_goal(
            actor=worker_a, person=member_a, organisation=org_a, goal="Theirs", review_on=later, existing=goal
        )
    other = make_member(org_a)
    assert member_client(other).get(f"/me/support/plan/{goal.pk}/").status_code == 404


def test_supervision_and_the_plan_are_in_the_download_and_go_with_erasure(
    cover_a: User, member_a: Person, org_a: Organisation
) -> None:
    services.record_supervision(actor=cover_a, organisation=org_a, person=member_a, on=timezone.localdate(), note="N")
    DevelopmentGoal.objects.create(
        person=member_a, organisation=org_a, goal="Chair", review_on=timezone.localdate() + timedelta(days=5)
    )
    document: dict[str, Any] = privacy.subject_access(member_a)
    assert document["supervisions"][0]["notes"] == ["Cai Cover: N"]
    assert document["development_plan"][0]["goal"] == "Chair"
    privacy.erase(member_a)
    assert not Supervision.objects.exists() and not DevelopmentGoal.objects.exists()
