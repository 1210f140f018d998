import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.test import Client
from django.urls import reverse

from tests.conftest import TOTP_SECRET, make_staff, member_client, staff_client
from withus.accounts.models import ApiToken, Membership, Role, User

pytestmark = pytest.mark.django_db


def current_code() -> str:
    return format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30))


def test_staff_sign_in_needs_the_authenticator_code(org_a):
    make_staff(org_a, Role.COORDINATOR, "carys@example.org")
    client = Client()
    response = client.post(reverse("account_login"), {"login": "carys@example.org", "password": "a-good-long-password"})
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get("/staff/people/").status_code == 302  # not signed in yet
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert response.status_code == 200
    response = client.post(reverse("mfa_authenticate"), {"code": current_code()})
    assert response.status_code == 302
    assert client.get("/staff/people/").status_code == 200


def test_logins_are_rate_limited(member_a):
    # A member has no second step, so without the limit the sixth try would sign in.
    email = member_a.user.email
    control = Client()
    control.post(reverse("account_login"), {"login": email, "password": "a-good-long-password"})
    assert "_auth_user_id" in control.session
    control.logout()
    client = Client()
    for _ in range(5):
        client.post(reverse("account_login"), {"login": email, "password": "wrong-password"})
    response = client.post(reverse("account_login"), {"login": email, "password": "a-good-long-password"})
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


def test_passwords_are_hashed_with_argon2(settings):
    import withus.settings as product_settings

    # The test settings use a fast hasher; the product's own settings must use Argon2.
    settings.PASSWORD_HASHERS = product_settings.PASSWORD_HASHERS
    user = User.objects.create_user(email="a@example.org", password="a-good-long-password")
    assert user.password.startswith("argon2$")
    assert user.check_password("a-good-long-password")


def test_admin_grants_and_removes_staff_roles(org_a):
    admin = make_staff(org_a, Role.ADMIN, "admin@example.org")
    client = staff_client(admin)
    response = client.post(
        "/staff/organisation/staff/add/", {"email": "New.Person@Example.org", "role": "budget_holder"}
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="new.person@example.org", role="budget_holder")
    assert membership.organisation == org_a
    client.post(f"/staff/organisation/staff/{membership.pk}/remove/")
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_the_last_admin_cannot_be_removed(org_a):
    admin = make_staff(org_a, Role.ADMIN, "admin@example.org")
    client = staff_client(admin)
    membership = Membership.objects.get(user=admin, role=Role.ADMIN)
    response = client.post(f"/staff/organisation/staff/{membership.pk}/remove/", follow=True)
    assert "at least one admin" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_grant_role_form_errors(org_a):
    client = staff_client(make_staff(org_a, Role.ADMIN))
    response = client.post("/staff/organisation/staff/add/", {"email": "not-an-email", "role": ""})
    page = response.content.decode()
    assert "There is a problem" in page and "Choose a role." in page
    assert 'value="not-an-email"' in page


def test_coordinator_cannot_manage_staff_or_settings(org_a, coordinator_a):
    client = staff_client(coordinator_a)
    assert client.get("/staff/organisation/").status_code == 200
    assert client.get("/staff/organisation/staff/add/").status_code == 403
    assert client.get("/staff/organisation/settings/").status_code == 403


def test_admin_changes_settings_and_bad_input_is_kept(org_a):
    client = staff_client(make_staff(org_a, Role.ADMIN))
    response = client.post(
        "/staff/organisation/settings/", {"name": "", "name_cy": "Sefydliad A", "contact_email": "x"}
    )
    page = response.content.decode()
    assert "Enter the organisation" in page and 'value="Sefydliad A"' in page
    org_a.refresh_from_db()
    assert org_a.name_cy == ""
    client.post(
        "/staff/organisation/settings/",
        {"name": "Org A", "name_cy": "Sefydliad A", "contact_email": "a@example.org", "contact_phone": ""},
    )
    org_a.refresh_from_db()
    assert org_a.name_cy == "Sefydliad A"


def test_member_issues_and_revokes_an_api_token(member_a):
    client = member_client(member_a)
    membership = Membership.objects.get(user=member_a.user)
    response = client.post("/staff/tokens/", {"name": "my app", "membership": str(membership.pk)})
    page = response.content.decode()
    token = ApiToken.objects.get(user=member_a.user)
    raw = page.split('class="panel-code">')[1].split("<")[0]
    assert raw.startswith("wu_")
    assert token.token_hash == ApiToken.hash(raw)
    assert raw not in str(token.__dict__)
    client.post(f"/staff/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_language_choice_is_remembered(client):
    response = client.post("/i18n/setlang/", {"language": "cy", "next": "/"})
    assert response.cookies["withus_language"].value == "cy"
    page = client.get("/").content.decode()
    assert '<html lang="cy">' in page


def test_a_password_alone_never_opens_staff_pages_whatever_the_way_in(org_a):
    """Signed in without the second step (say, a login that skipped it), staff are asked for their code."""
    staff = make_staff(org_a, Role.ADMIN, "alys@example.org")
    client = Client()
    client.force_login(staff)  # a session with a password step only
    for path in ("/staff/people/", "/staff/tokens/", "/django-admin/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(reverse("mfa_reauthenticate")), (path, response["Location"])
    response = client.post(reverse("mfa_reauthenticate"), {"code": current_code()})
    assert response.status_code == 302
    assert client.get("/staff/people/").status_code == 200


def test_another_persons_authenticator_in_the_session_does_not_count(org_a):
    staff = make_staff(org_a, Role.COORDINATOR, "carys@example.org")
    other = make_staff(org_a, Role.COORDINATOR, "sion@example.org")
    client = Client()
    client.force_login(staff)
    session = client.session
    session["account_authentication_methods"] = [
        {"method": "mfa", "at": time.time(), "id": other.authenticator_set.get().pk, "type": "totp"}
    ]
    session.save()
    assert client.get("/staff/people/").status_code == 302


def test_the_admin_sign_in_is_the_products_own(org_a):
    """The admin's own login form would take a password alone, and was not rate limited."""
    make_staff(org_a, Role.ADMIN, "alys@example.org")
    User.objects.filter(email="alys@example.org").update(is_staff=True)
    client = Client()
    response = client.get("/django-admin/login/?next=/django-admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    response = client.post(
        "/django-admin/login/?next=/django-admin/", {"username": "alys@example.org", "password": "a-good-long-password"}
    )
    assert "_auth_user_id" not in client.session
    # Through the product's sign-in, the second step is asked for.
    response = client.post(reverse("account_login"), {"login": "alys@example.org", "password": "a-good-long-password"})
    assert response["Location"] == reverse("mfa_authenticate")


@pytest.mark.django_db(transaction=True)  # allauth says the authenticator was added once it is committed
def test_setting_an_authenticator_up_counts_as_the_second_step(org_a):
    staff = User.objects.create_user(email="new@example.org", password="a-good-long-password")
    Membership.objects.create(user=staff, organisation=org_a, role=Role.COORDINATOR)
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
    client = Client()
    client.post(reverse("account_login"), {"login": "new@example.org", "password": "a-good-long-password"})
    assert client.get("/staff/people/")["Location"] == reverse("mfa_activate_totp")
    client.post(reverse("account_reauthenticate"), {"password": "a-good-long-password"})  # allauth asks first
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200, page.get("Location")
    secret = page.context["form"].secret
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    response = client.post(reverse("mfa_activate_totp"), {"code": code})
    assert response.status_code == 302
    assert client.get("/staff/people/").status_code == 200


def test_behind_a_proxy_one_visitors_failures_do_not_lock_everyone_out(member_a, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    attacker, visitor = Client(REMOTE_ADDR="10.0.0.1"), Client(REMOTE_ADDR="10.0.0.1")  # both via the proxy
    for number in range(25):
        attacker.post(
            reverse("account_login"),
            {"login": f"guess{number}@example.org", "password": "wrong-password"},
            headers={"x-forwarded-for": "203.0.113.9"},
        )
    visitor.post(
        reverse("account_login"),
        {"login": member_a.user.email, "password": "a-good-long-password"},
        headers={"x-forwarded-for": "198.51.100.7"},
    )
    assert "_auth_user_id" in visitor.session


def test_failures_are_limited_per_account_whatever_the_address(member_a):
    email = member_a.user.email
    for number in range(5):
        Client(REMOTE_ADDR=f"192.0.2.{number + 1}").post(
            reverse("account_login"), {"login": email, "password": "wrong-password"}
        )
    client = Client(REMOTE_ADDR="192.0.2.99")
    client.post(reverse("account_login"), {"login": email, "password": "a-good-long-password"})
    assert "_auth_user_id" not in client.session


def test_the_proxy_count_and_client_header_come_from_the_environment(monkeypatch):
    import importlib

    import withus.settings

    monkeypatch.setenv("WITHUS_TRUSTED_PROXY_COUNT", "2")
    monkeypatch.setenv("WITHUS_CLIENT_IP_HEADER", "X-Real-IP")
    try:
        configured = importlib.reload(withus.settings)
        assert configured.ALLAUTH_TRUSTED_PROXY_COUNT == 2
        assert configured.ALLAUTH_TRUSTED_CLIENT_IP_HEADER == "X-Real-IP"
    finally:
        monkeypatch.undo()
        importlib.reload(withus.settings)


def test_failed_logins_are_counted_per_account_whichever_host_they_come_to(member_a):
    # Several instances behind a proxy that sends each its own address as the host, or one
    # installation with several names, are one site: an account's five tries are five in all.
    email = member_a.user.email
    client = Client()
    hosts = ["127.0.0.1", "localhost", "testserver"]
    for attempt in range(5):
        client.post(
            reverse("account_login"), {"login": email, "password": "wrong-password"}, HTTP_HOST=hosts[attempt % 3]
        )
    response = client.post(
        reverse("account_login"), {"login": email, "password": "a-good-long-password"}, HTTP_HOST="localhost"
    )
    assert "Too many failed" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_failed_logins_are_still_counted_when_the_shared_cache_is_busy(member_a):
    # Other visitors' limits fill the shared cache meanwhile (two hundred password resets are
    # four hundred entries); Django's default of 300 entries then deleted a third of them.
    from django.core.cache import cache

    email = member_a.user.email
    client = Client()
    for _ in range(4):
        client.post(reverse("account_login"), {"login": email, "password": "wrong-password"})
    cache.set_many(
        {f"allauth:rl:allauth.account:reset_password:20/m/ip:ip:10.1.{n // 250}.{n % 250}": [0.0] for n in range(400)},
        300,
    )
    client.post(reverse("account_login"), {"login": email, "password": "wrong-password"})
    response = client.post(reverse("account_login"), {"login": email, "password": "a-good-long-password"})
    assert "Too many failed" in response.content.decode()
    assert "_auth_user_id" not in client.session
