"""Token authentication: every way of not having a good token is a JSON 401."""

import pytest

from tests.accounts.factories import MembershipFactory
from tests.api.helpers import ApiClient, api_as, assert_error, raw_token
from withus.accounts.models import ApiToken, Membership, Organisation, Role, User
from withus.accounts.services import revoke_api_token

pytestmark = pytest.mark.django_db


def test_me_describes_the_token(coordinator_a: User, org_a: Organisation) -> None:
    response = api_as(coordinator_a, org_a).get("/api/me")

    assert response.status_code == 200
    assert response.json() == {
        "email": "coord-a@example.org",
        "organisation": {"id": org_a.pk, "name": "Organisation A"},
        "role": "coordinator",
        "token_name": "test",
    }


def test_me_is_the_organisation_and_role_of_the_token_not_of_the_user(
    coordinator_a: User, org_a: Organisation, org_b: Organisation
) -> None:
    MembershipFactory(user=coordinator_a, organisation=org_b, role=Role.SUPERVISOR)

    body = api_as(coordinator_a, org_b, Role.SUPERVISOR).get("/api/me").json()

    assert body["organisation"]["id"] == org_b.pk
    assert body["role"] == "supervisor"


def test_a_used_token_records_when(coordinator_a: User, org_a: Organisation) -> None:
    client = ApiClient(raw_token(coordinator_a, org_a))
    assert ApiToken.objects.get().last_used_at is None

    client.get("/api/me")

    assert ApiToken.objects.get().last_used_at is not None


@pytest.mark.parametrize("path", ["/api/me", "/api/people", "/api/people/me", "/api/people/1"])
def test_no_token_is_401_json(path: str) -> None:
    response = ApiClient(None).get(path)

    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_token_nobody_issued_is_401(coordinator_a: User, org_a: Organisation) -> None:
    raw_token(coordinator_a, org_a)

    assert_error(ApiClient("wu_not-a-real-token").get("/api/me"), 401, "not_authenticated")


def test_a_token_without_our_prefix_is_401() -> None:
    assert_error(ApiClient("some-other-systems-token").get("/api/me"), 401, "not_authenticated")


def test_another_authorisation_scheme_is_401(coordinator_a: User, org_a: Organisation) -> None:
    raw = raw_token(coordinator_a, org_a)
    client = ApiClient(None)
    client.headers = {"Authorization": f"Token {raw}"}

    assert_error(client.get("/api/me"), 401, "not_authenticated")


def test_a_revoked_token_is_401(coordinator_a: User, org_a: Organisation) -> None:
    client = api_as(coordinator_a, org_a)
    assert client.get("/api/me").status_code == 200

    revoke_api_token(token=ApiToken.objects.get(), actor=coordinator_a)

    assert_error(client.get("/api/me"), 401, "not_authenticated")


def test_a_token_whose_role_was_taken_away_is_401(coordinator_a: User, org_a: Organisation) -> None:
    client = api_as(coordinator_a, org_a)
    Membership.objects.filter(user=coordinator_a, organisation=org_a).delete()

    assert_error(client.get("/api/me"), 401, "not_authenticated")


def test_a_token_of_a_deactivated_user_is_401(coordinator_a: User, org_a: Organisation) -> None:
    client = api_as(coordinator_a, org_a)
    coordinator_a.is_active = False
    coordinator_a.save()

    assert_error(client.get("/api/me"), 401, "not_authenticated")


def test_a_signed_in_browser_session_is_not_an_api_token(coordinator_a: User) -> None:
    client = ApiClient(None)
    client.client.force_login(coordinator_a)

    assert_error(client.get("/api/me"), 401, "not_authenticated")


def test_a_token_used_again_within_the_minute_writes_nothing(coordinator_a, org_a):
    """'Last used' is kept to the minute, so a busy client's reads stay reads."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.api.helpers import raw_token
    from withus.accounts.services import authenticate_api_token

    raw = raw_token(coordinator_a, org_a)
    first = authenticate_api_token(raw)
    assert first is not None and first.last_used_at is not None
    with CaptureQueriesContext(connection) as captured:
        again = authenticate_api_token(raw)
    assert again is not None and again.last_used_at == first.last_used_at
    assert not [q for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("UPDATE")]


def test_every_database_keeps_its_connections_between_requests(settings):
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0
