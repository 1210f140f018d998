"""Stories through the API: kept under the member's consent, each use checked against it and logged, a
fee per use through rewards, and the member reading and withdrawing their own."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.api.helpers import api_as, assert_error, member_api
from tests.conftest import make_member
from withus.accounts.models import Organisation, User
from withus.impact.stories.models import Story, StoryUse
from withus.rewards.models import IncomeLine

pytestmark = pytest.mark.django_db


def test_a_coordinator_keeps_a_story_and_logs_its_uses_within_the_consent(
    org_a: Organisation, org_b: Organisation, coordinator_a: User, coordinator_b: User
) -> None:
    member = make_member(org_a, full_name="Alaw Member")
    staff = api_as(coordinator_a, org_a)
    until = (timezone.localdate() + timedelta(days=90)).isoformat()
    body = {"person_id": member.pk, "title": "Finding my voice", "places": ["training"], "until": until}
    assert_error(staff.post("/api/impact/stories", {**body, "places": []}), 422, "invalid")
    assert_error(staff.post("/api/impact/stories", {**body, "places": ["campaign"]}), 422, "invalid")  # no campaign
    made = staff.post("/api/impact/stories", body)
    assert made.status_code == 201, made.content
    story_id = made.json()["id"]
    assert made.json()["places"] == ["training"] and made.json()["uses"] == 0
    assert staff.get("/api/impact/stories").json()["count"] == 1
    # Another organisation sees nothing of it and cannot keep a story of our member.
    other = api_as(coordinator_b, org_b)
    assert other.get(f"/api/impact/stories/{story_id}").status_code == 404
    assert other.post("/api/impact/stories", body).status_code == 404
    today = timezone.localdate().isoformat()
    outside = staff.post(f"/api/impact/stories/{story_id}/uses", {"place": "website", "used_on": today})
    assert_error(outside, 422, "invalid")
    used = staff.post(f"/api/impact/stories/{story_id}/uses", {"place": "training", "used_on": today, "fee": "25.00"})
    assert used.status_code == 201, used.content
    assert used.json()["fee_id"] == IncomeLine.objects.get(person=member).pk
    assert [u["place"] for u in staff.get(f"/api/impact/stories/{story_id}/uses").json()] == ["training"]
    assert staff.get(f"/api/impact/stories/{story_id}").json()["uses"] == 1

    # The member reads it and withdraws consent; every use from then on is refused.
    mine = member_api(member, org_a)
    assert [s["title"] for s in mine.get("/api/me/stories").json()] == ["Finding my voice"]
    withdrawn = mine.post(f"/api/me/stories/{story_id}/withdraw", {})
    assert withdrawn.status_code == 200 and withdrawn.json()["withdrawn_at"]
    again = staff.post(f"/api/impact/stories/{story_id}/uses", {"place": "training", "used_on": today})
    assert_error(again, 422, "invalid")
    assert StoryUse.objects.count() == 1
    someone_else = member_api(make_member(org_a), org_a)
    assert someone_else.post(f"/api/me/stories/{story_id}/withdraw", {}).status_code == 404
    assert_error(mine.get("/api/impact/stories"), 403, "forbidden")
    assert Story.objects.get().withdrawn_at is not None
