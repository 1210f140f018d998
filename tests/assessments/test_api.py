from __future__ import annotations

import pytest

from tests.api.helpers import api_as, assert_error, member_api
from tests.assessments.helpers import four_pi, open_4pi, score_all
from tests.conftest import make_member
from tests.meetings.factories import SessionFactory
from withus.accounts.models import Organisation, User
from withus.assessments import services

pytestmark = pytest.mark.django_db


def test_scores_through_the_api_are_blind_until_closed_for_coordinators_too(
    org_a: Organisation, coordinator_a: User
) -> None:
    scored = open_4pi(org_a, coordinator_a)
    score_all(scored, members=0, staff=2)
    coordinator = api_as(coordinator_a, org_a)
    member = member_api(scored.members[0], org_a)
    path = f"/api/assessments/{scored.assessment.pk}/scores"
    own = member.get(path).json()["items"]
    assert {s["user_id"] for s in own} == {scored.member_users[0].pk}
    assert {s["user_id"] for s in coordinator.get(path).json()["items"]} == {coordinator_a.pk}
    assert coordinator.post(f"/api/assessments/{scored.assessment.pk}/close", {}).status_code == 200
    assert len({s["user_id"] for s in member.get(path, {"limit": 100}).json()["items"]}) == 4


def test_bad_scores_through_the_api_are_refused(org_a: Organisation, org_b: Organisation, coordinator_a: User) -> None:
    scored = open_4pi(org_a, coordinator_a)
    member = member_api(scored.members[0], org_a)
    item = scored.items[0]
    path = f"/api/assessments/{scored.assessment.pk}/scores/{item.pk}"
    body = assert_error(member.post(path, {"value": 7}), 422, "invalid")
    assert "value" in body["fields"]
    other = SessionFactory(organisation=org_b)
    assert (
        "evidence_session"
        in assert_error(member.post(path, {"value": 1, "evidence_session": other.pk}), 422, "invalid")["fields"]
    )
    assert member.post(path, {"value": 1, "evidence": "papers late"}).status_code == 200
    services.close_scoring(actor=coordinator_a, assessment=scored.assessment)
    assert_error(member.post(path, {"value": 2}), 422, "invalid")


def test_members_see_only_assessments_they_were_invited_to(org_a: Organisation, coordinator_a: User) -> None:
    scored = open_4pi(org_a, coordinator_a)
    stranger = member_api(make_member(org_a), org_a)
    assert stranger.get("/api/assessments").json()["items"] == []
    assert_error(stranger.get(f"/api/assessments/{scored.assessment.pk}"), 404, "not_found")
    invited = member_api(scored.members[0], org_a)
    assert [a["id"] for a in invited.get("/api/assessments").json()["items"]] == [scored.assessment.pk]
    assert_error(invited.post(f"/api/assessments/{scored.assessment.pk}/close", {}), 403, "forbidden")


def test_a_coordinator_opens_agrees_and_plans_actions_through_the_api(org_a: Organisation, coordinator_a: User) -> None:
    api = api_as(coordinator_a, org_a)
    frameworks = api.get("/api/frameworks", {"limit": 100}).json()["items"]
    assert "4pi" in {f["code"] for f in frameworks}
    opened = api.post(
        "/api/assessments",
        {"framework": four_pi().pk, "title": "4PI 2026", "period_start": "2026-01-01", "period_end": "2026-12-31"},
    )
    assert opened.status_code == 201
    pk = opened.json()["id"]
    member = make_member(org_a)
    assert member.user is not None
    assert api.post(f"/api/assessments/{pk}/scorers", {"user": member.user.pk, "side": "member"}).status_code == 201
    item = four_pi().items.first()
    assert item is not None
    member_api(member, org_a).post(f"/api/assessments/{pk}/scores/{item.pk}", {"value": 0, "evidence": "no"})
    assert api.post(f"/api/assessments/{pk}/close", {}).status_code == 200
    agreed = api.post(f"/api/assessments/{pk}/agreements", {"item": item.pk, "value": 1})
    assert agreed.json()["agreed_by"] == coordinator_a.pk
    action = api.post(
        f"/api/assessments/{pk}/actions",
        {
            "item": item.pk,
            "description": "Agree the purpose with members",
            "owner": coordinator_a.pk,
            "due_on": "2099-01-01",
            "monitoring": "Reviewed quarterly",
        },
    )
    assert action.status_code == 201, action.content
    assert api.get("/api/assessment-actions").json()["items"][0]["monitoring"] == "Reviewed quarterly"
    assert api.get(f"/api/assessments/{pk}/progress").json()["previous_id"] is None


def test_another_organisations_assessment_is_not_found(
    org_a: Organisation, org_b: Organisation, coordinator_a: User, coordinator_b: User
) -> None:
    scored = open_4pi(org_a, coordinator_a)
    assert_error(api_as(coordinator_b, org_b).get(f"/api/assessments/{scored.assessment.pk}"), 404, "not_found")
