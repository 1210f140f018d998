from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from tests.api.helpers import api_as, member_api
from tests.conftest import make_member
from tests.meetings.factories import make_session
from withus.accounts.models import Organisation, User
from withus.people.models import Person
from withus.support.preparation.models import Preparation, PreparationAnswer

from .factories import NOW, STARTS, invited, make_preparation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen() -> object:
    with time_machine.travel(NOW, tick=False):
        yield


def test_a_coordinator_arranges_and_reads_a_briefing(org_a: Organisation, coordinator_a: User) -> None:
    session = make_session(org_a)
    newcomer = invited(session, make_member(org_a, full_name="Newydd"))
    api = api_as(coordinator_a, org_a)
    at = (STARTS - timedelta(days=1)).isoformat()
    body = {"by_staff": coordinator_a.pk, "at": at, "how": "video", "where": "https://meet.example.org/b"}
    response = api.post(f"/api/staff/sessions/{session.pk}/preparation/briefing", body)
    assert response.status_code == 200, response.json()
    assert response.json()["offered"] == [{"person": newcomer.pk, "name": "Newydd", "wanted": None}]
    listed = api.get(f"/api/staff/sessions/{session.pk}/preparation").json()
    assert [p["kind"] for p in listed] == ["briefing"]


def test_bad_input_is_refused_and_nothing_written(
    org_a: Organisation, coordinator_a: User, coordinator_b: User, member_b: Person
) -> None:
    session = make_session(org_a)
    api = api_as(coordinator_a, org_a)
    late = {"by_staff": coordinator_a.pk, "at": (STARTS + timedelta(hours=1)).isoformat(), "where": "Room 2"}
    response = api.post(f"/api/staff/sessions/{session.pk}/preparation/briefing", late)
    assert response.status_code == 422
    assert "A briefing must be before the session starts." in str(response.json())
    outsider = {"by_person": member_b.pk, "at": (STARTS - timedelta(days=1)).isoformat(), "where": "Room 2"}
    response = api.post(f"/api/staff/sessions/{session.pk}/preparation/briefing", outsider)
    assert response.status_code == 422
    assert "shares their details with your organisation" in str(response.json())
    assert not Preparation.objects.exists()


def test_another_organisations_session_is_not_found(
    org_a: Organisation, org_b: Organisation, coordinator_b: User
) -> None:
    session = make_session(org_a)
    api = api_as(coordinator_b, org_b)
    assert api.get(f"/api/staff/sessions/{session.pk}/preparation").status_code == 404
    body = {"by_staff": coordinator_b.pk, "at": (STARTS - timedelta(days=1)).isoformat(), "where": "Room 2"}
    assert api.post(f"/api/staff/sessions/{session.pk}/preparation/briefing", body).status_code == 404


def test_a_member_reads_and_answers_their_own_offers(org_a: Organisation, coordinator_a: User) -> None:
    member = make_member(org_a)
    other = make_member(org_a)
    session = make_session(org_a)
    invited(session, member)
    briefing = make_preparation(session, Preparation.Kind.BRIEFING, by_staff=coordinator_a)
    api = member_api(member, org_a)
    assert [o["id"] for o in api.get("/api/me/preparation").json()] == [briefing.pk]
    response = api.post(f"/api/me/preparation/{briefing.pk}/answer", {"wanted": True})
    assert response.status_code == 200 and response.json()["wanted"] is True
    assert (
        member_api(other, org_a).post(f"/api/me/preparation/{briefing.pk}/answer", {"wanted": True}).status_code == 404
    )
    assert PreparationAnswer.objects.get().person == member
