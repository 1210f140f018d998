"""CI says which database a run must use; a run on the wrong one fails instead of passing quietly."""

import os

import pytest
from django.db import connection


@pytest.mark.django_db
def test_runs_on_the_database_ci_asked_for():
    expected = os.environ.get("WITHUS_EXPECT_DATABASE")
    if not expected:
        pytest.skip("WITHUS_EXPECT_DATABASE not set (only CI requires a particular database)")
    assert connection.vendor == expected
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone()[0] == 1
