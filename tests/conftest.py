from __future__ import annotations

import io
import os
from collections.abc import Iterator
from typing import Any

import pytest
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client, RequestFactory
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from tests.accounts.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.api.helpers import ApiClient, api_as
from tests.people.factories import PersonFactory, share
from withus.accounts.models import Organisation, Role, User
from withus.people.models import Person

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

# CI's property tests are reproducible: the same examples on every run (derandomized), a bounded
# number of them, and no deadline (a shared CI machine is slow now and then). Examples a search has
# found are kept beside their tests as @example(...), so they are tried on every run too. Run with
# HYPOTHESIS_PROFILE=dev (the default off CI) to search afresh.
hypothesis_settings.register_profile("ci", derandomize=True, max_examples=100, deadline=None, print_blob=True)
hypothesis_settings.register_profile("dev", deadline=None)
hypothesis_settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI", "").lower() == "true" else "dev")
)


@pytest.fixture(autouse=True)
def _each_test_starts_in_english() -> Iterator[None]:
    """A request in Welsh leaves Welsh active in the thread (LocaleMiddleware never resets it): undo that."""
    yield
    translation.deactivate()


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


def run_worker() -> None:
    """``withus worker --batch``, keeping the test run's signal handlers (the worker sets its own)."""
    import signal

    from django.core.management import call_command

    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("worker", "--batch", stdout=io.StringIO())
    finally:
        for s, handler in handlers.items():
            signal.signal(s, handler)


def staff_client(user: User) -> Client:
    """A client signed in as a staff user who has passed MFA."""
    client = Client()
    client.force_login(user)
    take_second_step(client, user)
    return client


def take_second_step(client: Client, user: User) -> None:
    """Record in the client's session that ``user`` entered an authenticator code, as allauth does."""
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    request = RequestFactory().get("/")
    request.session = client.session
    record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
    request.session.save()


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


@pytest.fixture(autouse=True)
def _no_public_page_kept_from_another_test() -> None:
    """Each process keeps copies of public pages; a test starts with none."""
    from django.core.cache import caches

    caches["public-pages"].clear()
