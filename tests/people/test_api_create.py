"""POST /api/people: assisted registration, with the consent the person gave."""

from typing import Any

import pytest

from tests.api.helpers import ApiClient, api_as, assert_error
from tests.conftest import make_staff
from withus.accounts.models import Organisation, Role, User
from withus.people.models import AssistedAction, ConsentRecord, Person

pytestmark = pytest.mark.django_db


def valid_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "full_name": "Ceri Jones",
        "preferred_name": "Ceri",
        "perspective": "carer",
        "phone": "01234 567890",
        "local_authority": "powys",
        "preferred_channel": "phone",
        "needs_large_print": True,
        "does_not_use_computers": True,
        "tags": {"skill": ["listening"], "language": ["welsh"]},
        "how": "in_person",
        "keep_details": True,
        "act_on_behalf": True,
        "consent_notes": "Agreed at the Llandrindod drop-in.",
    }
    body.update(changes)
    return body


def test_coordinator_registers_someone_with_their_consent(
    coordinator_api_a: ApiClient, coordinator_a: User, org_a: Organisation
) -> None:
    response = coordinator_api_a.post("/api/people", valid_body())

    assert response.status_code == 201, response.content
    body = response.json()
    person = Person.objects.get(pk=body["id"])
    assert person.full_name == "Ceri Jones"
    assert person.local_authority == "powys"
    assert person.preferred_channel == "phone"
    assert person.needs_large_print is True
    assert person.registered_by == coordinator_a
    assert person.user is None
    assert sorted(t.slug for t in person.tags.all()) == ["listening", "welsh"]
    consents = {(c.purpose, c.organisation_id, c.how) for c in person.consents.all()}
    assert consents == {
        (ConsentRecord.Purpose.KEEP_DETAILS, None, "in_person"),
        (ConsentRecord.Purpose.SHARE_WITH_ORGANISATION, org_a.pk, "in_person"),
        (ConsentRecord.Purpose.ACT_ON_BEHALF, org_a.pk, "in_person"),
    }
    assert AssistedAction.objects.filter(person=person, actor=coordinator_a, organisation=org_a).exists()
    assert body["may_act_on_behalf"] is True
    assert body["needs"] == ["large_print"]
    assert {t["slug"] for t in body["tags"]} == {"listening", "welsh"}


def test_the_new_person_shares_with_the_tokens_organisation_only(
    coordinator_a: User, org_a: Organisation, org_b: Organisation
) -> None:
    # An organisation named in the body is refused, never used.
    response = api_as(coordinator_a, org_a).post("/api/people", valid_body(organisation=org_b.pk))
    assert_error(response, 422, "invalid")
    assert Person.objects.count() == 0

    response = api_as(coordinator_a, org_a).post("/api/people", valid_body())
    person = Person.objects.get(pk=response.json()["id"])
    assert set(person.consents.exclude(organisation=None).values_list("organisation_id", flat=True)) == {org_a.pk}


def test_admin_may_register(org_a: Organisation) -> None:
    admin = make_staff(org_a, Role.ADMIN)

    assert api_as(admin, org_a, Role.ADMIN).post("/api/people", valid_body()).status_code == 201


def test_supervisor_may_not_register(org_a: Organisation) -> None:
    supervisor = make_staff(org_a, Role.SUPERVISOR)

    assert_error(api_as(supervisor, org_a, Role.SUPERVISOR).post("/api/people", valid_body()), 403, "forbidden")
    assert Person.objects.count() == 0


@pytest.mark.parametrize("missing", ["how", "keep_details", "act_on_behalf"])
def test_missing_consent_is_422_naming_the_field_and_writes_nothing(coordinator_api_a: ApiClient, missing: str) -> None:
    body = valid_body()
    del body[missing]

    error = assert_error(coordinator_api_a.post("/api/people", body), 422, "invalid")

    assert list(error["fields"]) == [missing]
    assert error["fields"][missing]
    assert Person.objects.count() == 0
    assert ConsentRecord.objects.count() == 0


def test_consent_not_given_is_422_from_the_service_and_writes_nothing(coordinator_api_a: ApiClient) -> None:
    error = assert_error(
        coordinator_api_a.post("/api/people", valid_body(keep_details=False, act_on_behalf=False)), 422, "invalid"
    )

    assert set(error["fields"]) == {"keep_details", "act_on_behalf"}
    assert "keeping their details" in error["fields"]["keep_details"][0]
    assert Person.objects.count() == 0
    assert ConsentRecord.objects.count() == 0
    assert AssistedAction.objects.count() == 0


def test_consent_given_online_cannot_be_recorded_by_a_coordinator(coordinator_api_a: ApiClient) -> None:
    error = assert_error(coordinator_api_a.post("/api/people", valid_body(how="online")), 422, "invalid")

    assert list(error["fields"]) == ["how"]
    assert Person.objects.count() == 0


def test_malformed_json_is_400_json(coordinator_api_a: ApiClient) -> None:
    assert_error(coordinator_api_a.post("/api/people", '{"full_name": "Ceri", '), 400, "malformed_json")
    assert Person.objects.count() == 0


def test_a_body_that_is_not_an_object_is_422(coordinator_api_a: ApiClient) -> None:
    assert_error(coordinator_api_a.post("/api/people", "[1, 2]"), 422, "invalid")


def test_an_over_long_name_is_422(coordinator_api_a: ApiClient) -> None:
    error = assert_error(coordinator_api_a.post("/api/people", valid_body(full_name="x" * 151)), 422, "invalid")

    assert list(error["fields"]) == ["full_name"]
    assert "150" in error["fields"]["full_name"][0]
    assert Person.objects.count() == 0


def test_a_name_of_the_longest_length_is_fine(coordinator_api_a: ApiClient) -> None:
    assert coordinator_api_a.post("/api/people", valid_body(full_name="x" * 150)).status_code == 201


def test_a_blank_name_is_422(coordinator_api_a: ApiClient) -> None:
    error = assert_error(coordinator_api_a.post("/api/people", valid_body(full_name="   ")), 422, "invalid")

    assert list(error["fields"]) == ["full_name"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("perspective", "patient"),
        ("local_authority", "bristol"),
        ("preferred_channel", "fax"),
        ("experience_timing", "someday"),
        ("needs_audio", "perhaps"),
        ("postcode", "X" * 11),
    ],
)
def test_choices_and_lengths_are_checked(coordinator_api_a: ApiClient, field: str, value: str) -> None:
    error = assert_error(coordinator_api_a.post("/api/people", valid_body(**{field: value})), 422, "invalid")

    assert list(error["fields"]) == [field]
    assert Person.objects.count() == 0


def test_an_invalid_email_is_422_from_model_validation(coordinator_api_a: ApiClient) -> None:
    error = assert_error(coordinator_api_a.post("/api/people", valid_body(email="not-an-address")), 422, "invalid")

    assert list(error["fields"]) == ["email"]
    assert Person.objects.count() == 0


def test_an_unknown_tag_is_422_and_writes_nothing(coordinator_api_a: ApiClient) -> None:
    error = assert_error(
        coordinator_api_a.post("/api/people", valid_body(tags={"skill": ["listening", "juggling"]})), 422, "invalid"
    )

    assert list(error["fields"]) == ["tags.skill"]
    assert "juggling" in error["fields"]["tags.skill"][0]
    assert Person.objects.count() == 0


def test_a_tag_from_another_vocabulary_is_unknown(coordinator_api_a: ApiClient) -> None:
    error = assert_error(coordinator_api_a.post("/api/people", valid_body(tags={"area": ["welsh"]})), 422, "invalid")

    assert list(error["fields"]) == ["tags.area"]


def test_a_field_we_do_not_know_is_422(coordinator_api_a: ApiClient) -> None:
    error = assert_error(coordinator_api_a.post("/api/people", valid_body(registered_by=1)), 422, "invalid")

    assert list(error["fields"]) == ["registered_by"]
