from __future__ import annotations

import pytest

from tests.conftest import make_staff
from withus.accounts.models import Organisation, Role, User


@pytest.fixture
def worker_a(org_a: Organisation) -> User:
    """A supervisor at organisation A, who can be named as a member's support contact or supervisor."""
    user = make_staff(org_a, Role.SUPERVISOR, "wyn@example.org")
    user.first_name, user.last_name = "Wyn", "Worker"
    user.save()
    return user


@pytest.fixture
def cover_a(org_a: Organisation) -> User:
    user = make_staff(org_a, Role.SUPERVISOR, "cai@example.org")
    user.first_name, user.last_name = "Cai", "Cover"
    user.save()
    return user


@pytest.fixture
def lead_a(org_a: Organisation) -> User:
    return make_staff(org_a, Role.SAFEGUARDING_LEAD, "lead@example.org")
