"""GET /api/people: search, filters, pagination, and a constant number of queries."""

from typing import Any, get_args

import pytest

from tests.api.helpers import ApiClient, assert_error
from tests.people.factories import PersonFactory, share
from withus.accounts.models import Organisation
from withus.people import selectors
from withus.people.api import NeedCode, ProfileIn
from withus.people.models import Person, Tag
from withus.people.services import PROFILE_FIELDS

pytestmark = pytest.mark.django_db


def person(org: Organisation, name: str, *, tags: tuple[str, ...] = (), **fields: Any) -> Person:
    p = PersonFactory(full_name=name, **fields)
    share(p, org)
    if tags:
        p.tags.set(Tag.objects.filter(slug__in=tags))
    return p


def names(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [p["full_name"] for p in response.json()["items"]]


@pytest.fixture
def register(org_a: Organisation) -> dict[str, Person]:
    return {
        "anwen": person(
            org_a,
            "Anwen Carer",
            perspective="carer",
            local_authority="cardiff",
            email="anwen@example.org",
            tags=("listening", "welsh"),
        ),
        "bryn": person(
            org_a,
            "Bryn Both",
            perspective="both",
            local_authority="powys",
            needs_step_free=True,
            tags=("listening",),
        ),
        "carys": person(
            org_a,
            "Carys User",
            perspective="service_user",
            local_authority="cardiff",
            status=Person.Status.STEPPED_OUT,
            needs_step_free=True,
            needs_large_print=True,
        ),
    }


def test_everyone_sharing_in_name_order(coordinator_api_a: ApiClient, register: dict[str, Person]) -> None:
    response = coordinator_api_a.get("/api/people")

    assert names(response) == ["Anwen Carer", "Bryn Both", "Carys User"]
    assert response.json()["count"] == 3


def test_search_by_name_or_email(coordinator_api_a: ApiClient, register: dict[str, Person]) -> None:
    assert names(coordinator_api_a.get("/api/people", {"q": "bryn"})) == ["Bryn Both"]
    assert names(coordinator_api_a.get("/api/people", {"q": "anwen@example"})) == ["Anwen Carer"]


def test_perspective_includes_people_who_are_both(coordinator_api_a: ApiClient, register: dict[str, Person]) -> None:
    assert names(coordinator_api_a.get("/api/people", {"perspective": "carer"})) == ["Anwen Carer", "Bryn Both"]
    assert names(coordinator_api_a.get("/api/people", {"perspective": "both"})) == ["Bryn Both"]


def test_local_authority_and_status(coordinator_api_a: ApiClient, register: dict[str, Person]) -> None:
    assert names(coordinator_api_a.get("/api/people", {"local_authority": "cardiff"})) == [
        "Anwen Carer",
        "Carys User",
    ]
    assert names(coordinator_api_a.get("/api/people", {"status": "stepped_out"})) == ["Carys User"]


def test_blank_filters_are_ignored(coordinator_api_a: ApiClient, register: dict[str, Person]) -> None:
    response = coordinator_api_a.get("/api/people", {"q": "", "status": "", "local_authority": "", "perspective": ""})

    assert len(names(response)) == 3


def test_every_tag_must_match(coordinator_api_a: ApiClient, register: dict[str, Person]) -> None:
    assert names(coordinator_api_a.get("/api/people", {"tag": ["listening"]})) == ["Anwen Carer", "Bryn Both"]
    assert names(coordinator_api_a.get("/api/people", {"tag": ["listening", "welsh"]})) == ["Anwen Carer"]
    assert names(coordinator_api_a.get("/api/people", {"tag": ["language:welsh"]})) == ["Anwen Carer"]


def test_an_unknown_tag_is_422(coordinator_api_a: ApiClient, register: dict[str, Person]) -> None:
    error = assert_error(coordinator_api_a.get("/api/people", {"tag": ["juggling"]}), 422, "invalid")

    assert list(error["fields"]) == ["tag"]


def test_a_slug_in_two_vocabularies_must_say_which(coordinator_api_a: ApiClient, register: dict[str, Person]) -> None:
    Tag.objects.create(kind="interest", slug="listening", name="Listening (interest)")

    error = assert_error(coordinator_api_a.get("/api/people", {"tag": ["listening"]}), 422, "invalid")
    assert "kind:slug" in error["fields"]["tag"][0]

    assert names(coordinator_api_a.get("/api/people", {"tag": ["skill:listening"]})) == ["Anwen Carer", "Bryn Both"]


def test_every_need_must_match(coordinator_api_a: ApiClient, register: dict[str, Person]) -> None:
    assert names(coordinator_api_a.get("/api/people", {"need": ["step_free"]})) == ["Bryn Both", "Carys User"]
    assert names(coordinator_api_a.get("/api/people", {"need": ["step_free", "large_print"]})) == ["Carys User"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "gone"}, "status"),
        ({"perspective": "patient"}, "perspective"),
        ({"local_authority": "bristol"}, "local_authority"),
        ({"need": ["wheelchair"]}, "need"),
        ({"q": "x" * 101}, "q"),
        ({"limit": 0}, "limit"),
        ({"limit": 201}, "limit"),
        ({"offset": -1}, "offset"),
    ],
)
def test_bad_filters_are_422_naming_the_parameter(
    coordinator_api_a: ApiClient, params: dict[str, Any], field: str
) -> None:
    error = assert_error(coordinator_api_a.get("/api/people", params), 422, "invalid")

    assert list(error["fields"]) == [field]


def test_limit_and_offset(coordinator_api_a: ApiClient, register: dict[str, Person]) -> None:
    response = coordinator_api_a.get("/api/people", {"limit": 2, "offset": 1})

    assert names(response) == ["Bryn Both", "Carys User"]
    assert response.json()["count"] == 3
    assert names(coordinator_api_a.get("/api/people", {"limit": 2})) == ["Anwen Carer", "Bryn Both"]


def test_list_items_carry_needs_and_tags(coordinator_api_a: ApiClient, register: dict[str, Person]) -> None:
    items = {p["full_name"]: p for p in coordinator_api_a.get("/api/people").json()["items"]}

    assert items["Carys User"]["needs"] == ["large_print", "step_free"]
    assert sorted(t["slug"] for t in items["Anwen Carer"]["tags"]) == ["listening", "welsh"]
    assert "address" not in items["Anwen Carer"]


def test_list_queries_do_not_grow_with_the_number_of_people(
    coordinator_api_a: ApiClient, org_a: Organisation, django_assert_num_queries: Any
) -> None:
    def add_people(count: int, start: int) -> None:
        for i in range(start, start + count):
            person(org_a, f"Person {i:03}", needs_step_free=True, tags=("listening", "welsh"))

    add_people(2, 0)
    # token, its membership, the user's roles, tag lookup, count, page, tags of the page, and one
    # insert recording what the page showed of whom (the last-used stamp is written once a minute)
    with django_assert_num_queries(8):
        response = coordinator_api_a.get("/api/people", {"tag": ["listening"], "need": ["step_free"]})
    assert response.json()["count"] == 2

    add_people(30, 2)
    with django_assert_num_queries(8):
        response = coordinator_api_a.get("/api/people", {"tag": ["listening"], "need": ["step_free"]})
    assert response.json()["count"] == 32
    assert len(response.json()["items"]) == 32
    assert all(len(item["tags"]) == 2 for item in response.json()["items"])


def test_need_codes_are_the_selectors_needs() -> None:
    # The API's list of needs must stay the same as the filter's.
    assert set(get_args(NeedCode)) == set(selectors.NEED_FIELDS)


def test_profile_input_is_the_services_profile_fields() -> None:
    # A profile field added to the service should be settable through the API too.
    assert set(ProfileIn.model_fields) - {"tags"} == set(PROFILE_FIELDS)
