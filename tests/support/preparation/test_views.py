from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import make_member, member_client, staff_client
from tests.meetings.factories import make_session
from withus.accounts.models import Organisation, User
from withus.meetings.models import Session
from withus.people.models import Person
from withus.support.preparation.models import Preparation, PreparationAnswer

from .factories import NOW, STARTS, invited, make_preparation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
BRIEFING, MEET = Preparation.Kind.BRIEFING, Preparation.Kind.MEET_AND_GREET


@pytest.fixture
def frozen() -> object:
    with time_machine.travel(NOW, tick=False):
        yield


def _session_with(org: Organisation, coordinator: User, people: int) -> Session:
    session = make_session(org)
    for n in range(people):
        invited(session, make_member(org, full_name=f"Person {n:03}"))
    make_preparation(session, BRIEFING, by_staff=coordinator)
    make_preparation(session, MEET, by_staff=coordinator)
    return session


def _count(client: object, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)  # type: ignore[attr-defined]
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_staff_see_who_is_offered_in_the_same_queries_for_3_or_30(org_a: Organisation, coordinator_a: User) -> None:
    client = staff_client(coordinator_a)
    small = _session_with(org_a, coordinator_a, 3)
    large = _session_with(org_a, coordinator_a, 30)
    few, page = _count(client, f"/staff/sessions/{small.pk}/preparation/")
    many, _page = _count(client, f"/staff/sessions/{large.pk}/preparation/")
    assert few == many
    assert "Person 002" in page and "Not answered yet" in page
    few, page = _count(client, f"/staff/sessions/{small.pk}/")
    many, _page = _count(client, f"/staff/sessions/{large.pk}/")
    assert few == many
    assert "Pre-meeting briefing" in page and "Arrange preparation" in page


def test_another_organisations_session_is_not_found(org_a: Organisation, coordinator_b: User) -> None:
    session = make_session(org_a)
    client = staff_client(coordinator_b)
    assert client.get(f"/staff/sessions/{session.pk}/preparation/").status_code == 404
    assert client.get(f"/staff/sessions/{session.pk}/preparation/briefing/").status_code == 404


def _form(supporter: User, **fields: str) -> dict[str, str]:
    at = STARTS - timedelta(days=2)
    data = {
        "by_staff": str(supporter.pk),
        "by_person": "",
        "at_day": str(at.day),
        "at_month": str(at.month),
        "at_year": str(at.year),
        "at_time": "14:00",
        "how": "in_person",
        "where": "The Hub, room 2",
    }
    data.update(fields)
    return data


def test_a_coordinator_arranges_a_briefing_on_the_web(org_a: Organisation, coordinator_a: User) -> None:
    session = make_session(org_a)
    client = staff_client(coordinator_a)
    url = f"/staff/sessions/{session.pk}/preparation/briefing/"
    assert client.get(url).status_code == 200
    response = client.post(url, _form(coordinator_a))
    assert response.status_code == 302, response.context["form"].errors
    preparation = Preparation.objects.get()
    assert (preparation.kind, preparation.by_staff, preparation.where) == (BRIEFING, coordinator_a, "The Hub, room 2")


def test_a_briefing_after_the_session_starts_is_refused_keeping_what_was_typed(
    org_a: Organisation, coordinator_a: User
) -> None:
    session = make_session(org_a)
    client = staff_client(coordinator_a)
    response = client.post(
        f"/staff/sessions/{session.pk}/preparation/briefing/",
        _form(coordinator_a, at_day=str(STARTS.day), at_time="11:00", where="Upstairs"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "A briefing must be before the session starts." in page
    assert 'value="Upstairs"' in page
    assert not Preparation.objects.exists()


def test_a_member_sees_their_offer_on_their_sessions_page_in_the_same_queries(
    org_a: Organisation, coordinator_a: User
) -> None:
    member = make_member(org_a)
    client = member_client(member)
    first = _session_with(org_a, coordinator_a, 0)
    invited(first, member)
    few, page = _count(client, "/me/sessions/")
    assert "a briefing to go through the papers" in page
    for _n in range(5):
        invited(_session_with(org_a, coordinator_a, 0), member)
    many, _page = _count(client, "/me/sessions/")
    assert few == many


def test_a_member_says_yes_from_their_session_page(org_a: Organisation, coordinator_a: User) -> None:
    member = make_member(org_a)
    session = make_session(org_a)
    invited(session, member)
    briefing = make_preparation(session, BRIEFING, by_staff=coordinator_a)
    client = member_client(member)
    response = client.post(f"/me/sessions/preparation/{briefing.pk}/", {"wanted": "yes"})
    assert response.status_code == 302
    assert PreparationAnswer.objects.get(person=member).wanted is True
    assert "You said yes." in client.get("/me/sessions/preparation/").content.decode()
    response = client.post(f"/me/sessions/preparation/{briefing.pk}/", {"wanted": "maybe"})
    assert response.status_code == 400
    assert PreparationAnswer.objects.get(person=member).wanted is True


def test_a_member_cannot_answer_what_they_were_not_offered(
    org_a: Organisation, coordinator_a: User, member_a: Person
) -> None:
    session = make_session(org_a)
    briefing = make_preparation(session, BRIEFING, by_staff=coordinator_a)
    response = member_client(member_a).post(f"/me/sessions/preparation/{briefing.pk}/", {"wanted": "yes"})
    assert response.status_code == 404
    assert not PreparationAnswer.objects.exists()


def test_the_member_and_staff_pages_are_in_welsh(org_a: Organisation, coordinator_a: User) -> None:
    member = make_member(org_a)
    session = make_session(org_a)
    invited(session, member)
    make_preparation(session, BRIEFING, by_staff=coordinator_a)
    client = member_client(member)
    client.cookies["withus_language"] = "cy"
    page = client.get("/me/sessions/preparation/").content.decode()
    assert "Paratoi ar gyfer eich sesiynau" in page and "Ie, os gwelwch yn dda" in page
    staff = staff_client(coordinator_a)
    staff.cookies["withus_language"] = "cy"
    page = staff.get(f"/staff/sessions/{session.pk}/preparation/").content.decode()
    assert "Sesiwn friffio cyn y cyfarfod" in page and "Heb ateb eto" in page
