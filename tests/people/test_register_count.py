"""The register's lists count who shares with the organisation on the consents' index, and count right."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.api.helpers import ApiClient
from tests.conftest import staff_client
from tests.people.factories import PersonFactory, share
from withus.accounts.models import Organisation, User
from withus.people import selectors
from withus.people.api import PeopleQuery
from withus.people.models import ConsentRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(org_a: Organisation, org_b: Organisation) -> None:
    for i in range(4):
        share(PersonFactory(full_name=f"Shares {i}", perspective="carer"), org_a)
    share(PersonFactory(full_name="Shares elsewhere"), org_b)
    left = PersonFactory(full_name="Stopped sharing")
    share(left, org_a)
    ConsentRecord.objects.filter(person=left).update(withdrawn_at=timezone.now())
    PersonFactory(full_name="Shares with nobody")


def counts_of_people(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"] and '"people_person"' in q["sql"]]


def test_the_whole_list_is_counted_without_reading_the_register(register: None, coordinator_a: User) -> None:
    client = staff_client(coordinator_a)
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/staff/people/")
    assert response.context["page"].paginator.count == 4
    assert counts_of_people(captured) == []


def test_a_narrowed_list_is_counted_by_its_own_query(register: None, coordinator_a: User) -> None:
    client = staff_client(coordinator_a)
    response = client.get("/staff/people/", {"q": "Shares 1"})
    assert response.context["page"].paginator.count == 1
    response = client.get("/staff/people/", {"perspective": "carer"})
    assert response.context["page"].paginator.count == 4


def test_the_api_counts_the_same_way(register: None, coordinator_api_a: ApiClient) -> None:
    with CaptureQueriesContext(connection) as captured:
        response = coordinator_api_a.get("/api/people")
    assert response.json()["count"] == 4 and len(response.json()["items"]) == 4
    assert counts_of_people(captured) == []
    assert coordinator_api_a.get("/api/people", {"q": "Shares 2"}).json()["count"] == 1
    assert coordinator_api_a.get("/api/people", {"limit": 1, "offset": 3}).json()["count"] == 4


@pytest.mark.parametrize("name", [f.name for f in fields(selectors.PeopleFilter)])
def test_every_filter_field_narrows(name: str) -> None:
    values: dict[str, Any] = {"tags": (1,), "needs": ("audio",)}
    assert selectors.PeopleFilter(**{name: values.get(name, "x")}).narrows()
    assert not selectors.PeopleFilter().narrows()


@pytest.mark.parametrize("name", list(PeopleQuery.model_fields))
def test_every_api_query_field_narrows(name: str) -> None:
    values: dict[str, Any] = {"tag": ["listening"], "need": ["audio"], "perspective": "carer"}
    values.update({"local_authority": "cardiff", "status": "active"})
    assert PeopleQuery(**{name: values.get(name, "x")}).narrows()
    assert not PeopleQuery().narrows()
