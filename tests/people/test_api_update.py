"""PATCH: a member changes their own profile; a coordinator changes someone's, acting for them."""

import pytest

from tests.api.helpers import api_as, assert_error, member_api
from tests.conftest import make_staff
from tests.people.factories import PersonFactory, share
from withus.accounts.models import Organisation, Role, User
from withus.people.models import AssistedAction, Person, Tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def assisted_a(org_a: Organisation) -> Person:
    """Someone who shares with organisation A and has agreed that A acts for them."""
    person = PersonFactory(full_name="Dafydd Assisted", phone="01234 000000", pronouns="he/him")
    share(person, org_a, act_on_behalf=True)
    person.tags.set([Tag.objects.get(kind="skill", slug="listening"), Tag.objects.get(kind="language", slug="welsh")])
    return person


def test_coordinator_changes_only_the_fields_sent(coordinator_a: User, org_a: Organisation, assisted_a: Person) -> None:
    response = api_as(coordinator_a, org_a).patch(
        f"/api/people/{assisted_a.pk}", {"phone": "07700 900000", "needs_step_free": True}
    )

    assert response.status_code == 200, response.content
    assisted_a.refresh_from_db()
    assert assisted_a.phone == "07700 900000"
    assert assisted_a.needs_step_free is True
    assert assisted_a.full_name == "Dafydd Assisted"
    assert assisted_a.pronouns == "he/him"
    assert response.json()["needs"] == ["step_free"]


def test_coordinator_change_is_shown_to_the_person(
    coordinator_a: User, org_a: Organisation, assisted_a: Person
) -> None:
    api_as(coordinator_a, org_a).patch(f"/api/people/{assisted_a.pk}", {"preferred_name": "Dai"})

    action = AssistedAction.objects.get(person=assisted_a)
    assert action.actor == coordinator_a
    assert action.organisation == org_a


def test_null_or_blank_clears_an_optional_field(coordinator_a: User, org_a: Organisation, assisted_a: Person) -> None:
    client = api_as(coordinator_a, org_a)

    client.patch(f"/api/people/{assisted_a.pk}", {"pronouns": None, "phone": ""})

    assisted_a.refresh_from_db()
    assert assisted_a.pronouns == ""
    assert assisted_a.phone == ""


def test_null_for_a_required_field_is_422(coordinator_a: User, org_a: Organisation, assisted_a: Person) -> None:
    error = assert_error(
        api_as(coordinator_a, org_a).patch(f"/api/people/{assisted_a.pk}", {"full_name": None, "phone": "1"}),
        422,
        "invalid",
    )

    assert list(error["fields"]) == ["full_name"]
    assisted_a.refresh_from_db()
    assert assisted_a.full_name == "Dafydd Assisted"
    assert assisted_a.phone == "01234 000000"


def test_tags_sent_replace_only_that_vocabulary(coordinator_a: User, org_a: Organisation, assisted_a: Person) -> None:
    response = api_as(coordinator_a, org_a).patch(
        f"/api/people/{assisted_a.pk}", {"tags": {"skill": ["writing", "training"]}}
    )

    assert response.status_code == 200, response.content
    assert sorted((t.kind, t.slug) for t in assisted_a.tags.all()) == [
        ("language", "welsh"),
        ("skill", "training"),
        ("skill", "writing"),
    ]


def test_without_consent_to_act_for_them_is_403_and_nothing_changes(
    coordinator_a: User, org_a: Organisation, member_a: Person
) -> None:
    body = assert_error(
        api_as(coordinator_a, org_a).patch(f"/api/people/{member_a.pk}", {"full_name": "Changed"}), 403, "forbidden"
    )

    assert "agreed" in body["message"]
    member_a.refresh_from_db()
    assert member_a.full_name == "Alaw Member"


def test_someone_of_another_organisation_is_404(coordinator_b: User, org_b: Organisation, assisted_a: Person) -> None:
    assert_error(
        api_as(coordinator_b, org_b).patch(f"/api/people/{assisted_a.pk}", {"full_name": "Changed"}), 404, "not_found"
    )
    assisted_a.refresh_from_db()
    assert assisted_a.full_name == "Dafydd Assisted"


def test_supervisor_may_not_change_anyone(org_a: Organisation, assisted_a: Person) -> None:
    supervisor = make_staff(org_a, Role.SUPERVISOR)

    assert_error(
        api_as(supervisor, org_a, Role.SUPERVISOR).patch(f"/api/people/{assisted_a.pk}", {"full_name": "X"}),
        403,
        "forbidden",
    )


def test_member_changes_their_own_profile(org_a: Organisation, member_a: Person) -> None:
    response = member_api(member_a, org_a).patch(
        "/api/people/me", {"preferred_name": "Al", "local_authority": "gwynedd", "tags": {"language": ["welsh"]}}
    )

    assert response.status_code == 200, response.content
    member_a.refresh_from_db()
    assert member_a.preferred_name == "Al"
    assert member_a.local_authority == "gwynedd"
    assert [t.slug for t in member_a.tags.all()] == ["welsh"]
    assert response.json()["tags"][0]["slug"] == "welsh"
    assert not AssistedAction.objects.filter(person=member_a).exists()


def test_member_input_is_checked(org_a: Organisation, member_a: Person) -> None:
    error = assert_error(
        member_api(member_a, org_a).patch("/api/people/me", {"preferred_name": "x" * 81, "status": "left"}),
        422,
        "invalid",
    )

    assert set(error["fields"]) == {"preferred_name", "status"}
    member_a.refresh_from_db()
    assert member_a.preferred_name == ""


def test_member_patch_with_malformed_json_is_400(org_a: Organisation, member_a: Person) -> None:
    assert_error(member_api(member_a, org_a).patch("/api/people/me", "{not json"), 400, "malformed_json")
