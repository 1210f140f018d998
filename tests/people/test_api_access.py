"""Who may read whom: the token's organisation and role decide, never the URL or body."""

import pytest

from tests.accounts.factories import MembershipFactory
from tests.api.helpers import api_as, assert_error, member_api
from tests.conftest import make_member, make_staff
from tests.people.factories import PersonFactory, share
from withus.accounts.models import Organisation, Role, User
from withus.people.models import ConsentRecord, EqualityMonitoring, Person, WellbeingPlan

pytestmark = pytest.mark.django_db


def test_coordinator_reads_someone_who_shares_with_their_organisation(
    coordinator_a: User, org_a: Organisation, member_a: Person
) -> None:
    response = api_as(coordinator_a, org_a).get(f"/api/people/{member_a.pk}")

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == member_a.pk
    assert body["full_name"] == "Alaw Member"
    assert body["may_act_on_behalf"] is False


def test_may_act_on_behalf_follows_the_consent(coordinator_a: User, org_a: Organisation) -> None:
    person = PersonFactory()
    share(person, org_a, act_on_behalf=True)

    body = api_as(coordinator_a, org_a).get(f"/api/people/{person.pk}").json()

    assert body["may_act_on_behalf"] is True


def test_coordinator_of_a_cannot_read_someone_who_shares_only_with_b(
    coordinator_a: User, org_a: Organisation, member_b: Person
) -> None:
    response = api_as(coordinator_a, org_a).get(f"/api/people/{member_b.pk}")

    body = assert_error(response, 404, "not_found")
    assert "Bedwyr" not in response.content.decode()
    assert body["message"]


def test_an_id_that_does_not_exist_is_the_same_404(coordinator_a: User, org_a: Organisation) -> None:
    # Guessing ids tells a client nothing: unknown and unshared look alike.
    assert_error(api_as(coordinator_a, org_a).get("/api/people/999999"), 404, "not_found")


def test_staff_of_both_organisations_sees_only_the_tokens_organisation(
    coordinator_a: User, org_a: Organisation, org_b: Organisation, member_b: Person
) -> None:
    MembershipFactory(user=coordinator_a, organisation=org_b, role=Role.COORDINATOR)

    assert_error(api_as(coordinator_a, org_a).get(f"/api/people/{member_b.pk}"), 404, "not_found")
    assert api_as(coordinator_a, org_b).get(f"/api/people/{member_b.pk}").status_code == 200


def test_withdrawn_sharing_ends_access(coordinator_a: User, org_a: Organisation, member_a: Person) -> None:
    client = api_as(coordinator_a, org_a)
    assert client.get(f"/api/people/{member_a.pk}").status_code == 200

    ConsentRecord.objects.filter(person=member_a, organisation=org_a).delete()

    assert_error(client.get(f"/api/people/{member_a.pk}"), 404, "not_found")


def test_list_holds_only_people_sharing_with_the_tokens_organisation(
    coordinator_a: User, org_a: Organisation, member_a: Person, member_b: Person
) -> None:
    body = api_as(coordinator_a, org_a).get("/api/people").json()

    assert [p["id"] for p in body["items"]] == [member_a.pk]
    assert body["count"] == 1


def test_supervisor_may_read(org_a: Organisation, member_a: Person) -> None:
    supervisor = make_staff(org_a, Role.SUPERVISOR)
    client = api_as(supervisor, org_a, Role.SUPERVISOR)

    assert client.get("/api/people").status_code == 200
    assert client.get(f"/api/people/{member_a.pk}").status_code == 200


@pytest.mark.parametrize("role", [Role.BUDGET_HOLDER, Role.DECISION_MAKER])
def test_other_staff_roles_may_not_read_the_register(org_a: Organisation, member_a: Person, role: str) -> None:
    user = make_staff(org_a, role)
    client = api_as(user, org_a, role)

    assert_error(client.get("/api/people"), 403, "forbidden")
    assert_error(client.get(f"/api/people/{member_a.pk}"), 403, "forbidden")


def test_member_token_gets_403_on_staff_endpoints(org_a: Organisation, member_a: Person) -> None:
    other = make_member(org_a, full_name="Other Member")
    client = member_api(member_a, org_a)

    assert_error(client.get("/api/people"), 403, "forbidden")
    assert_error(client.get(f"/api/people/{other.pk}"), 403, "forbidden")
    assert_error(client.get(f"/api/people/{member_a.pk}"), 403, "forbidden")
    assert_error(client.patch(f"/api/people/{other.pk}", {"full_name": "Changed"}), 403, "forbidden")
    assert_error(
        client.post(
            "/api/people",
            {
                "full_name": "New",
                "perspective": "carer",
                "how": "paper",
                "keep_details": True,
                "act_on_behalf": True,
            },
        ),
        403,
        "forbidden",
    )
    other.refresh_from_db()
    assert other.full_name == "Other Member"
    assert Person.objects.count() == 2


def test_member_token_of_someone_who_is_also_a_coordinator_still_gets_403(
    coordinator_a: User, org_a: Organisation, member_a: Person
) -> None:
    # The token's role decides, not every role its user holds.
    PersonFactory(user=coordinator_a)
    MembershipFactory(user=coordinator_a, organisation=org_a, role=Role.MEMBER)

    assert_error(api_as(coordinator_a, org_a, Role.MEMBER).get("/api/people"), 403, "forbidden")


def test_member_reads_only_their_own_profile(org_a: Organisation, member_a: Person) -> None:
    make_member(org_a, full_name="Other Member")

    response = member_api(member_a, org_a).get("/api/people/me")

    assert response.status_code == 200
    assert response.json()["id"] == member_a.pk
    assert response.json()["full_name"] == "Alaw Member"


def test_staff_token_gets_403_on_own_profile_endpoints(coordinator_a: User, org_a: Organisation) -> None:
    assert_error(api_as(coordinator_a, org_a).get("/api/people/me"), 403, "forbidden")


def test_a_member_account_without_a_profile_gets_404(org_a: Organisation) -> None:
    user = make_staff(org_a, Role.MEMBER)

    body = assert_error(api_as(user, org_a, Role.MEMBER).get("/api/people/me"), 404, "not_found")
    assert "profile" in body["message"]


def test_reads_never_carry_special_category_data(coordinator_a: User, org_a: Organisation, member_a: Person) -> None:
    WellbeingPlan.objects.create(
        person=member_a, what_helps="QUIET-ROOM-SECRET", who_to_contact="SISTER-SECRET", visible_to="coordinators"
    )
    EqualityMonitoring.objects.create(person=member_a, ethnicity="mixed", religion="buddhist", disabled="yes")
    staff = api_as(coordinator_a, org_a)

    responses = [
        staff.get("/api/people"),
        staff.get(f"/api/people/{member_a.pk}"),
        member_api(member_a, org_a).get("/api/people/me"),
    ]

    for response in responses:
        assert response.status_code == 200
        text = response.content.decode()
        for secret in ("QUIET-ROOM-SECRET", "SISTER-SECRET", "buddhist", "mixed", "wellbeing", "ethnicity", "religion"):
            assert secret not in text
