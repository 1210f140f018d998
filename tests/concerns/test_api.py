from __future__ import annotations

import pytest
from django.test import Client

from tests.api.helpers import api_as, assert_error, member_api
from tests.concerns.factories import raise_one
from tests.conftest import make_staff
from withus.accounts.models import Organisation, Role, User
from withus.concerns import services
from withus.concerns.models import Concern
from withus.people.models import Person

pytestmark = pytest.mark.django_db


def _post(path: str, body: dict[str, object]) -> object:
    return Client().post(path, body, content_type="application/json")


def test_anyone_raises_an_anonymous_concern_and_follows_it_up_by_pin(org_a: Organisation, coordinator_a: User) -> None:
    refused = _post(f"/api/concerns/raise/{org_a.slug}", {"about": "process", "text": " ", "anonymous": True})
    assert_error(refused, 422, "invalid")
    assert not Concern.objects.exists()
    raised = _post(f"/api/concerns/raise/{org_a.slug}", {"about": "process", "text": "Late papers", "anonymous": True})
    assert raised.status_code == 201  # type: ignore[attr-defined]
    body = raised.json()  # type: ignore[attr-defined]
    concern = Concern.objects.get(reference=body["reference"])
    services.move(actor=coordinator_a, concern=concern, stage="acknowledged", told="We have it")
    followed = _post("/api/concerns/follow-up", {"reference": body["reference"], "pin": body["pin"]})
    assert followed.status_code == 200  # type: ignore[attr-defined]
    assert followed.json()["told"][0]["told"] == "We have it"  # type: ignore[attr-defined]
    written = _post(
        "/api/concerns/follow-up/message", {"reference": body["reference"], "pin": body["pin"], "text": "Thanks"}
    )
    assert written.json()["messages"] == ["Thanks"]  # type: ignore[attr-defined]


def test_wrong_pins_are_limited(org_a: Organisation) -> None:
    raised = raise_one(org_a, anonymous=True)
    for _i in range(5):
        assert_error(
            _post("/api/concerns/follow-up", {"reference": raised.concern.reference, "pin": "1"}), 404, "not_found"
        )
    limited = _post("/api/concerns/follow-up", {"reference": raised.concern.reference, "pin": raised.pin or ""})
    assert_error(limited, 429, "too_many_tries")


def test_a_concern_about_a_staff_member_is_hidden_from_them_in_the_api(
    org_a: Organisation, coordinator_a: User
) -> None:
    colleague = make_staff(org_a, Role.COORDINATOR, "colleague@example.org")
    concern = raise_one(org_a, about="staff").concern
    services.name_subject(actor=coordinator_a, concern=concern, about_staff=colleague)
    theirs = api_as(colleague, org_a)
    assert theirs.get("/api/staff/concerns").json()["items"] == []
    assert_error(theirs.get(f"/api/staff/concerns/{concern.pk}"), 404, "not_found")
    assert_error(
        theirs.post(f"/api/staff/concerns/{concern.pk}/stage", {"stage": "acknowledged", "told": "x"}), 404, "not_found"
    )
    handler = api_as(coordinator_a, org_a)
    assert [c["reference"] for c in handler.get("/api/staff/concerns").json()["items"]] == [concern.reference]


def test_staff_record_move_and_extend_and_an_extension_needs_its_agreed_date(
    org_a: Organisation, coordinator_a: User
) -> None:
    api = api_as(coordinator_a, org_a)
    recorded = api.post(
        "/api/staff/concerns",
        {
            "channel": "letter",
            "about": "process",
            "text": "By letter",
            "raiser_name": "Ann",
            "raiser_contact": "1 Stryd",
        },
    )
    assert recorded.status_code == 201
    concern = Concern.objects.get()
    assert concern.recorded_by == coordinator_a and concern.channel == "letter"
    moved = api.post(f"/api/staff/concerns/{concern.pk}/stage", {"stage": "acknowledged", "told": "Got your letter"})
    assert moved.status_code == 200 and moved.json()["stage"] == "acknowledged"
    refused = api.post(f"/api/staff/concerns/{concern.pk}/extension", {"respond_by": "2099-01-01", "reason": "Busy"})
    assert_error(refused, 422, "invalid")
    assert not concern.extensions.exists()


def test_a_member_reads_their_own_concerns(org_a: Organisation, member_a: Person) -> None:
    raise_one(org_a, raised_by=member_a)
    raise_one(org_a, anonymous=True)
    items = member_api(member_a, org_a).get("/api/me/concerns").json()["items"]
    assert len(items) == 1
