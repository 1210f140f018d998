from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client

from tests.api.helpers import ApiClient, api_as
from tests.factories import MembershipFactory, OrganisationFactory, PersonFactory, UserFactory, share
from withus.accounts.models import Organisation, Role, User
from withus.people.models import Person

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture
def org_a() -> Organisation:
    return OrganisationFactory(name="Organisation A", slug="org-a")


@pytest.fixture
def org_b() -> Organisation:
    return OrganisationFactory(name="Organisation B", slug="org-b")


def make_staff(organisation: Organisation, role: str = Role.COORDINATOR, email: str | None = None) -> User:
    user = UserFactory(**({"email": email} if email else {}))
    MembershipFactory(user=user, organisation=organisation, role=role)
    TOTP.activate(user, TOTP_SECRET)
    return user


def make_member(*organisations: Organisation, **fields: Any) -> Person:
    user = UserFactory()
    person = PersonFactory(user=user, email=user.email, **fields)
    for organisation in organisations:
        share(person, organisation)
    return person


@pytest.fixture
def coordinator_a(org_a: Organisation) -> User:
    return make_staff(org_a, Role.COORDINATOR, "coord-a@example.org")


@pytest.fixture
def coordinator_b(org_b: Organisation) -> User:
    return make_staff(org_b, Role.COORDINATOR, "coord-b@example.org")


def staff_client(user: User) -> Client:
    """A client signed in as a staff user who has passed MFA."""
    client = Client()
    client.force_login(user)
    session = client.session
    session["withus_mfa_ok"] = True
    session.save()
    return client


def member_client(person: Person) -> Client:
    client = Client()
    assert person.user is not None
    client.force_login(person.user)
    return client


@pytest.fixture
def member_a(org_a: Organisation) -> Person:
    return make_member(org_a, full_name="Alaw Member")


@pytest.fixture
def member_b(org_b: Organisation) -> Person:
    return make_member(org_b, full_name="Bedwyr Member")


@pytest.fixture
def coordinator_api_a(coordinator_a: User, org_a: Organisation) -> ApiClient:
    """An API client with a coordinator token for organisation A."""
    return api_as(coordinator_a, org_a)
