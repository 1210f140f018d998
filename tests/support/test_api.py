"""Support through the API: staff within their organisation, members their own, the same rules as the web."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.api.helpers import api_as, assert_error, member_api
from tests.conftest import make_staff
from tests.support.factories import ContactFactory, SupportAssignmentFactory
from withus.accounts.models import Organisation, Role, User
from withus.people.models import Person
from withus.support.models import (
    CallRequest,
    Contact,
    SupervisionGroup,
    SupportAssignment,
    SupportPart,
    SupportSettings,
)

pytestmark = pytest.mark.django_db


def test_a_coordinator_assigns_through_the_api_and_the_rules_hold(
    coordinator_a: User, member_a: Person, org_a: Organisation, worker_a: User
) -> None:
    api = api_as(coordinator_a, org_a)
    url = f"/api/support/people/{member_a.pk}/assignments"
    made = api.post(url, {"part": "supervisor", "staff": worker_a.pk, "reason": "New member"})
    assert made.status_code == 201, made.content
    assert made.json()["staff"]["name"] == "Wyn Worker"
    refused = assert_error(
        api.post(url, {"part": "support_contact", "staff": worker_a.pk, "reason": "x"}), 422, "invalid"
    )
    assert "staff" in refused["fields"]
    assert_error(api.post(url, {"part": "support_contact", "staff": 10**6, "reason": "x"}), 422, "invalid")
    assert SupportAssignment.objects.count() == 1
    read = api.get(f"/api/support/people/{member_a.pk}").json()
    assert read["supervisor"]["staff"]["email"] == worker_a.email and read["support_contact"] is None


def test_staff_of_another_organisation_find_nothing(
    coordinator_b: User, member_a: Person, org_b: Organisation, worker_a: User
) -> None:
    api = api_as(coordinator_b, org_b)
    assert_error(api.get(f"/api/support/people/{member_a.pk}"), 404, "not_found")
    assert_error(
        api.post(f"/api/support/people/{member_a.pk}/contacts", {"on": timezone.localdate().isoformat(), "note": "x"}),
        404,
        "not_found",
    )
    assert not Contact.objects.exists()


def test_contacts_a_future_date_is_refused_and_safeguarding_notes_only_reach_the_lead(
    worker_a: User, lead_a: User, member_a: Person, org_a: Organisation
) -> None:
    api = api_as(worker_a, org_a, Role.SUPERVISOR)
    url = f"/api/support/people/{member_a.pk}/contacts"
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert "on" in assert_error(api.post(url, {"on": tomorrow}), 422, "invalid")["fields"]
    today = timezone.localdate().isoformat()
    assert api.post(url, {"on": today, "kind": "visit", "note": "Fine"}).status_code == 201
    assert api.post(url, {"on": today, "note": "Worry", "safeguarding": True}).status_code == 201
    assert [c["note"] for c in api.get(f"/api/support/people/{member_a.pk}").json()["contacts"]] == ["Fine"]
    lead = api_as(lead_a, org_a, Role.SAFEGUARDING_LEAD)
    notes = {c["note"] for c in lead.get(f"/api/support/people/{member_a.pk}").json()["contacts"]}
    assert notes == {"Fine", "Worry"}
    mine = member_api(member_a, org_a).get("/api/support/me/contacts").json()
    assert [c["note"] for c in mine] == ["Fine"]


def test_a_member_reads_their_support_asks_for_a_call_and_chooses_check_ins(
    member_a: Person, org_a: Organisation, worker_a: User, mailoutbox: list[Any]
) -> None:
    SupportAssignmentFactory(person=member_a, organisation=org_a, staff=worker_a)
    api = member_api(member_a, org_a)
    assert api.get("/api/support/me").json()[0]["support_contact"]["email"] == worker_a.email
    asked = api.post("/api/support/me/calls", {"note": "Please call"})
    assert asked.status_code == 201 and CallRequest.objects.get().how == "online"
    assert mailoutbox[-1].to == [worker_a.email]
    response = api.client.put(
        "/api/support/me/check-ins", '{"every_days": 3}', content_type="application/json", headers=api.headers
    )
    assert response.status_code == 422
    response = api.client.put(
        "/api/support/me/check-ins", '{"every_days": 30}', content_type="application/json", headers=api.headers
    )
    assert response.json() == {"every_days": 30}
    assert_error(api.get(f"/api/support/people/{member_a.pk}"), 403, "forbidden")


def test_handover_and_the_digest_through_the_api(
    coordinator_a: User, member_a: Person, org_a: Organisation, worker_a: User, cover_a: User
) -> None:
    SupportAssignmentFactory(
        person=member_a, organisation=org_a, staff=worker_a, starts_at=timezone.now() - timedelta(days=40)
    )
    ContactFactory(person=member_a, organisation=org_a, on=timezone.localdate() - timedelta(days=35))
    digest = api_as(worker_a, org_a, Role.SUPERVISOR).get("/api/support/digest").json()
    assert digest == [
        {
            "person_id": member_a.pk,
            "name": member_a.full_name,
            "parts": ["support_contact"],
            "reasons": ["no_contact"],
            "days_since_contact": 35,
        }
    ]
    api = api_as(coordinator_a, org_a)
    until = (timezone.localdate() + timedelta(days=7)).isoformat()
    same_day = timezone.localdate().isoformat()
    body = {"from_staff": worker_a.pk, "to_staff": cover_a.pk, "reason": "Leave"}
    assert (
        "until"
        in assert_error(api.post("/api/support/handover", {**body, "until": same_day}), 422, "invalid")["fields"]
    )
    assert api.post("/api/support/handover", {**body, "until": until}).json() == {"handed": 1}
    assert SupportAssignment.objects.get(ended_at__isnull=True, part=SupportPart.SUPPORT_CONTACT).staff == cover_a


def test_supervision_and_the_plan_through_the_api(
    cover_a: User, worker_a: User, member_a: Person, org_a: Organisation
) -> None:
    SupportAssignmentFactory(person=member_a, organisation=org_a, staff=worker_a)
    today = timezone.localdate().isoformat()
    url = f"/api/support/people/{member_a.pk}/supervisions"
    assert_error(api_as(worker_a, org_a, Role.SUPERVISOR).post(url, {"on": today}), 422, "invalid")
    made = api_as(cover_a, org_a, Role.SUPERVISOR).post(url, {"on": today, "note": "Good"})
    assert made.status_code == 201, made.content
    member = member_api(member_a, org_a)
    [supervision] = member.get("/api/support/me/supervisions").json()
    assert supervision["notes"][0]["text"] == "Good"
    added = member.post(f"/api/support/me/supervisions/{supervision['id']}/notes", {"text": "Mine too"})
    assert [n["text"] for n in added.json()["notes"]] == ["Good", "Mine too"]
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    assert (
        "review_on"
        in assert_error(member.post("/api/support/me/plan", {"goal": "Chair", "review_on": past}), 422, "invalid")[
            "fields"
        ]
    )
    later = (timezone.localdate() + timedelta(days=30)).isoformat()
    goal = member.post("/api/support/me/plan", {"goal": "Chair", "review_on": later}).json()
    changed = member.client.put(
        f"/api/support/me/plan/{goal['id']}",
        f'{{"goal": "Chair a meeting", "review_on": "{later}", "progress": "done"}}',
        content_type="application/json",
        headers=member.headers,
    )
    assert changed.json()["progress"] == "done"
    assert [g["goal"] for g in member.get("/api/support/me/plan").json()] == ["Chair a meeting"]


def test_mentoring_through_the_api(coordinator_a: User, org_a: Organisation, org_b: Organisation) -> None:
    from tests.conftest import make_member

    new, mentor, elsewhere = make_member(org_a), make_member(org_a), make_member(org_b)
    api = api_as(coordinator_a, org_a)
    today = timezone.localdate()
    body = {"new_member": new.pk, "mentor": mentor.pk, "starts_on": today.isoformat()}
    wrong = api.post("/api/support/mentoring", {**body, "review_on": today.isoformat()})
    assert "review_on" in assert_error(wrong, 422, "invalid")["fields"]
    outsider = api.post(
        "/api/support/mentoring", {**body, "mentor": elsewhere.pk, "review_on": (today + timedelta(days=9)).isoformat()}
    )
    assert_error(outsider, 404, "not_found")
    made = api.post("/api/support/mentoring", {**body, "review_on": (today + timedelta(days=9)).isoformat()})
    assert made.status_code == 201, made.content
    assert api.get("/api/support/mentoring").json()["count"] == 1
    member = member_api(mentor, org_a)
    pair_id = made.json()["id"]
    checked = member.post(f"/api/support/me/mentoring/{pair_id}/check-ins", {"on": today.isoformat(), "note": "Good"})
    assert checked.json()["check_ins"][0]["note"] == "Good"
    assert [m["id"] for m in member_api(new, org_a).get("/api/support/me/mentoring").json()] == [pair_id]


def test_peer_supervision_groups_through_the_api_for_this_organisation_only(
    coordinator_a: User, coordinator_b: User, org_a: Organisation, org_b: Organisation, worker_a: User
) -> None:
    from tests.conftest import make_member

    one, two, elsewhere = make_member(org_a), make_member(org_a), make_member(org_b)
    api = api_as(coordinator_a, org_a)
    body = {"name": "Tuesday peer group", "supervisor": worker_a.pk, "members": [one.pk, two.pk]}
    assert_error(api.post("/api/support/supervision-groups", {**body, "members": []}), 422, "invalid")
    assert api.post("/api/support/supervision-groups", {**body, "members": [elsewhere.pk]}).status_code == 404
    outsider = assert_error(
        api.post("/api/support/supervision-groups", {**body, "supervisor": coordinator_b.pk}), 422, "invalid"
    )
    assert "supervisor" in outsider["fields"]
    assert not SupervisionGroup.objects.exists()
    made = api.post("/api/support/supervision-groups", body)
    assert made.status_code == 201, made.content
    group_id = made.json()["id"]
    assert {m["id"] for m in made.json()["members"]} == {one.pk, two.pk}
    assert [g["name"] for g in api.get("/api/support/supervision-groups").json()["items"]] == ["Tuesday peer group"]
    assert api_as(coordinator_b, org_b).get("/api/support/supervision-groups").json()["items"] == []
    url = f"/api/support/supervision-groups/{group_id}/supervisions"
    assert api_as(coordinator_b, org_b).get(url).status_code == 404
    supervisor = api_as(worker_a, org_a, Role.SUPERVISOR)
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert "on" in assert_error(supervisor.post(url, {"on": str(tomorrow)}), 422, "invalid")["fields"]
    held = supervisor.post(url, {"on": str(timezone.localdate()), "note": "Talked about boundaries"})
    assert held.status_code == 201, held.content
    assert [n["text"] for n in api.get(url).json()[0]["notes"]] == ["Talked about boundaries"]


def test_the_organisations_support_settings_through_the_api_within_their_limits(
    coordinator_a: User, org_a: Organisation
) -> None:
    admin = make_staff(org_a, Role.ADMIN, "admin-a@example.org")
    assert api_as(coordinator_a, org_a).get("/api/support/settings").json() == {
        "contact_every_days": 30,
        "supervision_every_weeks": 8,
        "call_within_hours": 48,
    }
    api = api_as(admin, org_a, Role.ADMIN)

    def put(body: dict[str, int], as_api: Any = api) -> Any:
        return as_api.client.put(
            "/api/support/settings", json.dumps(body), content_type="application/json", headers=as_api.headers
        )

    good = {"contact_every_days": 14, "supervision_every_weeks": 6, "call_within_hours": 24}
    assert put(good, api_as(coordinator_a, org_a)).status_code == 403
    refused = assert_error(put({**good, "contact_every_days": 0, "call_within_hours": 500}), 422, "invalid")
    assert set(refused["fields"]) == {"contact_every_days", "call_within_hours"}
    assert not SupportSettings.objects.exists()
    assert put(good).json() == good
    assert api_as(coordinator_a, org_a).get("/api/support/settings").json() == good
