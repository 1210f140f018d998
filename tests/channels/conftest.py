from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import LazySettings

from tests.channels.fake_notify import API_KEY, EMAIL_TEMPLATE, TEXT_TEMPLATE, FakeNotify
from tests.conftest import make_staff
from withus.accounts.models import Organisation, Role, User
from withus.channels.models import NotifySettings

CALLBACK_TOKEN = "callback-token-for-org-a"


@pytest.fixture
def fake_notify(settings: LazySettings) -> Iterator[FakeNotify]:
    """A fake GOV.UK Notify on a free port, with WithUs pointed at it."""
    fake = FakeNotify().start()
    settings.NOTIFY_BASE_URL = fake.base_url
    yield fake
    fake.stop()


@pytest.fixture
def admin_a(org_a: Organisation) -> User:
    return make_staff(org_a, Role.ADMIN, "admin-a@example.org")


@pytest.fixture
def admin_b(org_b: Organisation) -> User:
    return make_staff(org_b, Role.ADMIN, "admin-b@example.org")


@pytest.fixture
def notify_a(org_a: Organisation, fake_notify: FakeNotify) -> NotifySettings:
    """Organisation A sends texts through the fake Notify."""
    return NotifySettings.objects.create(
        organisation=org_a,
        enabled=True,
        api_key=API_KEY,
        text_template_id=TEXT_TEMPLATE,
        email_template_id=EMAIL_TEMPLATE,
        callback_token=CALLBACK_TOKEN,
    )
