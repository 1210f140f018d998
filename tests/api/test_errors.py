"""Every error is JSON with a code and a message; invalid input also names its fields."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from tests.api.helpers import ApiClient, assert_error, member_api
from withus.accounts.models import Organisation
from withus.api.errors import field_messages_from_django, field_messages_from_pydantic
from withus.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/api/nothing-here", "/api/people/1/extra", "/api/people/me/"])
def test_a_path_we_do_not_have_is_json_404(path: str) -> None:
    assert_error(ApiClient(None).get(path), 404, "not_found")


def test_a_path_parameter_of_the_wrong_type_is_422(coordinator_api_a: ApiClient) -> None:
    error = assert_error(coordinator_api_a.get("/api/people/abc"), 422, "invalid")

    assert list(error["fields"]) == ["person_id"]


def test_an_unexpected_failure_is_json_500_and_logged(
    org_a: Organisation, member_a: Person, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    client = member_api(member_a, org_a)

    def broken(user: Any) -> Person:
        raise RuntimeError("database on fire")

    monkeypatch.setattr("withus.people.selectors.own_person", broken)

    body = assert_error(client.get("/api/people/me"), 500, "server_error")

    assert "fire" not in body["message"]
    assert any(record.name == "django.request" and record.exc_info for record in caplog.records)


def test_a_services_field_errors_become_fields_and_general_errors_the_message() -> None:
    general, fields = field_messages_from_django(
        ValidationError({"__all__": ["Not like that."], "how": ["Say how."], "keep_details": ["Agree first."]})
    )

    assert general == ["Not like that."]
    assert fields == {"how": ["Say how."], "keep_details": ["Agree first."]}


def test_a_services_error_without_fields_is_the_message() -> None:
    assert field_messages_from_django(ValidationError("Unknown fields: x")) == (["Unknown fields: x"], {})


def test_pydantic_locations_become_the_clients_field_names() -> None:
    errors = [
        {"type": "missing", "loc": ("body", "payload", "how"), "msg": "Field required"},
        {
            "type": "string_too_long",
            "loc": ("body", "payload", "tags", "skill", 0),
            "msg": "",
            "ctx": {"max_length": 60},
        },
        {"type": "enum", "loc": ("query", "filters", "need", 0), "msg": "", "ctx": {"expected": "'audio'"}},
        {"type": "int_parsing", "loc": ("path", "person_id"), "msg": "Input should be an integer"},
        {"type": "model_attributes_type", "loc": ("body", "payload"), "msg": "Input should be an object"},
        {"type": "something_new", "loc": ("query", "q"), "msg": "Pydantic's own words"},
    ]

    assert field_messages_from_pydantic(errors) == {
        "how": ["This is required."],
        "tags.skill.0": ["Use 60 characters or fewer."],
        "need": ["Choose one of: 'audio'."],
        "person_id": ["Use a whole number."],
        "body": ["Use an object with named fields."],
        "q": ["Pydantic's own words"],
    }


def test_a_number_or_a_time_that_is_not_valid_is_explained_in_our_words(member_a: Person, org_a: Organisation) -> None:
    """An amount, miles or a time of the wrong kind or size gets a message to show, not pydantic's own English."""
    client = member_api(member_a, org_a)
    claim = {"category": "mileage", "activity_date": "2025-06-01"}

    not_numbers = client.post("/api/me/claims/expenses", {**claim, "amount": "twelve", "miles": []})
    too_long = client.post("/api/me/claims/expenses", {**claim, "amount": "12345678901", "miles": "12.25"})

    assert assert_error(not_numbers, 422, "invalid")["fields"] == {
        "amount": ["Use a number, for example 12.50."],
        "miles": ["Use a number, for example 12.50."],
    }
    assert assert_error(too_long, 422, "invalid")["fields"] == {
        "amount": ["Too many digits: the most is 10."],
        "miles": ["Too many digits after the decimal point: the most is 1."],
    }


def test_a_time_that_is_not_one_is_explained_in_our_words() -> None:
    errors = [
        {"type": "datetime_from_date_parsing", "loc": ("body", "payload", "starts_at"), "msg": "input is too short"},
        {"type": "decimal_whole_digits", "loc": ("body", "payload", "miles"), "msg": "", "ctx": {"whole_digits": 5}},
    ]

    assert field_messages_from_pydantic(errors) == {
        "starts_at": ["Use a date and time like 2025-04-06T10:30:00."],
        "miles": ["Too many digits before the decimal point: the most is 5."],
    }


def test_wrong_method_is_json_405(client):
    response = client.put("/api/people", data="{}", content_type="application/json")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


HUGE = 9223372036854775808  # one past the largest 64-bit integer


@pytest.mark.parametrize("path", ["/api/opportunities", "/api/people"])
def test_an_offset_past_any_list_is_422_not_a_server_error(path: str, coordinator_api_a: ApiClient) -> None:
    error = assert_error(coordinator_api_a.get(path, {"offset": HUGE}), 422, "invalid")
    assert "offset" in error["fields"]
    assert_error(ApiClient(None).get("/api/opportunities", {"offset": HUGE}), 422, "invalid")


def test_an_id_too_large_for_the_database_is_a_client_error(coordinator_api_a: ApiClient) -> None:
    response = coordinator_api_a.get(f"/api/people/{HUGE}")
    assert response.status_code in (404, 422), response.content
    assert response["Content-Type"].startswith("application/json")
    response = coordinator_api_a.patch(f"/api/people/{HUGE}", {"phone": "01234 567890"})
    assert response.status_code in (404, 422), response.content


def test_a_body_too_large_is_413_json(coordinator_api_a: ApiClient, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
    body = '{"full_name": "' + "x" * 3_000_000 + '"}'
    error = assert_error(coordinator_api_a.post("/api/people", body), 413, "too_large")
    assert "MB" in error["message"]


@pytest.mark.parametrize(
    "body",
    ['{"full_name": "Nia\\u0000 Jones", "perspective": "carer"}', '{"full_name": "Nia\\\\\\u0000"}'],
)
def test_a_nul_character_is_refused_before_it_reaches_the_database(coordinator_api_a: ApiClient, body: str) -> None:
    assert_error(coordinator_api_a.post("/api/people", body), 422, "invalid")
    assert not Person.objects.filter(full_name__startswith="Nia").exists()


def test_an_escaped_backslash_before_u0000_is_just_text(member_a: Person, org_a: Organisation) -> None:
    client = member_api(member_a, org_a)
    response = client.patch("/api/people/me", '{"pronouns": "a\\\\u0000b"}')
    assert response.status_code == 200, response.content
    member_a.refresh_from_db()
    assert member_a.pronouns == "a\\u0000b"


def test_a_nul_character_in_the_query_is_refused() -> None:
    assert_error(ApiClient(None).get("/api/opportunities", {"q": "care\x00"}), 422, "invalid")


@pytest.mark.parametrize("path", ["/api/opportunities/a%00b", "/api/opportunities/%00/responses", "/api/people/%00"])
def test_a_nul_character_in_the_path_is_refused_before_it_reaches_the_database(
    path: str, member_a: Person, org_a: Organisation
) -> None:
    """PostgreSQL refuses a NUL in a short code it is asked to look up; SQLite would look for it."""
    client = member_api(member_a, org_a)
    response = client.post(path, {}) if path.endswith("responses") else client.get(path)

    body = assert_error(response, 422, "invalid")
    assert "NUL" in body["message"]


def _documented(method: str, path: str) -> set[str]:
    document = ApiClient(None).get("/api/openapi.json").json()
    return {str(code) for code in document["paths"][path][method]["responses"]}


def test_an_operation_with_nothing_to_send_still_refuses_a_nul_as_documented(
    member_a: Person, org_a: Organisation
) -> None:
    """GET /api/me takes no parameters, but a client can still add a query with a NUL in it."""
    assert_error(member_api(member_a, org_a).get("/api/me", {"x": "\x00"}), 422, "invalid")

    assert "422" in _documented("get", "/api/me")


def test_an_operation_without_a_body_still_refuses_one_too_large_as_documented(
    coordinator_api_a: ApiClient, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = coordinator_api_a.post("/api/actions/1/done", "x" * 2000)

    assert_error(response, 413, "too_large")
    assert "413" in _documented("post", "/api/actions/{action_id}/done")
