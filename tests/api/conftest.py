from __future__ import annotations

import pytest

from tests.api.helpers import ApiClient, api_as
from withus.accounts.models import Organisation, User


@pytest.fixture
def coordinator_api_a(coordinator_a: User, org_a: Organisation) -> ApiClient:
    return api_as(coordinator_a, org_a)
