"""Sign-ins, wrong passwords and codes, tokens and exports are recorded for the organisation's admin."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.test_views import current_code
from tests.api.helpers import api_as, raw_token
from tests.conftest import make_staff, member_client, staff_client
from withus.accounts.models import ApiToken, Role, SecurityEvent

pytestmark = pytest.mark.django_db


def kinds(**filters: object) -> list[str]:
    return list(SecurityEvent.objects.filter(**filters).order_by("at", "pk").values_list("kind", flat=True))


def test_a_staff_sign_in_with_a_wrong_password_and_a_wrong_code_is_recorded(org_a):
    staff = make_staff(org_a, Role.COORDINATOR, "carys@example.org")
    client = Client(REMOTE_ADDR="192.0.2.8")
    client.post(reverse("account_login"), {"login": "carys@example.org", "password": "wrong-password"})
    client.post(reverse("account_login"), {"login": "carys@example.org", "password": "a-good-long-password"})
    client.post(reverse("mfa_authenticate"), {"code": "000000"})
    client.post(reverse("mfa_authenticate"), {"code": current_code()})
    assert kinds(user=staff) == ["sign_in_failed", "second_step_failed", "signed_in"]
    assert SecurityEvent.objects.filter(user=staff, kind="sign_in_failed").get().address == "192.0.2.8"


def test_a_wrong_password_for_no_account_is_recorded_without_one():
    Client().post(reverse("account_login"), {"login": "nobody@example.org", "password": "wrong-password"})
    event = SecurityEvent.objects.get()
    assert event.kind == "sign_in_failed" and event.user is None and event.detail == "unknown account"
    assert "wrong-password" not in event.detail


def test_tokens_made_used_and_revoked_are_recorded_and_use_at_most_hourly(org_a, coordinator_a):
    raw = raw_token(coordinator_a, org_a)
    client = Client()
    for _ in range(3):
        client.get("/api/me", headers={"Authorization": f"Bearer {raw}"})
    assert kinds(organisation=org_a) == ["token_issued", "token_used"]
    token = ApiToken.objects.get(user=coordinator_a)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=token.last_used_at - timedelta(hours=2))
    client.get("/api/me", headers={"Authorization": f"Bearer {raw}"})
    assert kinds(organisation=org_a).count("token_used") == 2


def test_a_download_of_everything_is_recorded(org_a, member_a):
    member_client(member_a).get("/me/download/")
    api_as(member_a.user, org_a, Role.MEMBER).get("/api/people/me/data")
    assert kinds(kind="export") == ["export", "export"]


def test_the_admin_sees_their_staffs_events_and_nobody_else_does(org_a, org_b, coordinator_a, member_a):
    other_staff = make_staff(org_b, Role.COORDINATOR, "bryn@example.org")
    Client().post(reverse("account_login"), {"login": "bryn@example.org", "password": "wrong-password"})
    Client().post(reverse("account_login"), {"login": coordinator_a.email, "password": "wrong-password"})
    Client().post(reverse("account_login"), {"login": member_a.user.email, "password": "wrong-password"})
    admin = make_staff(org_a, Role.ADMIN)
    page = staff_client(admin).get("/staff/organisation/security/")
    assert page.status_code == 200
    text = page.content.decode()
    assert coordinator_a.email in text
    assert other_staff.email not in text and member_a.user.email not in text  # not their staff
    assert staff_client(coordinator_a).get("/staff/organisation/security/").status_code == 403
