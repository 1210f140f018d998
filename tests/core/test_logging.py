"""A refused request is one line in the log; a server error keeps its traceback."""

from __future__ import annotations

import logging

import pytest

from tests.conftest import member_client

pytestmark = pytest.mark.django_db


def test_a_forbidden_page_is_logged_without_a_traceback(member_a, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert member_client(member_a).get("/staff/people/").status_code == 403
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.levelno == logging.WARNING and "Forbidden" in record.getMessage()
    assert record.exc_info is None


def test_a_server_error_keeps_its_traceback() -> None:
    from withus.core.logging import NoTracebackForClientErrors

    try:
        raise RuntimeError("broken")
    except RuntimeError:
        import sys

        record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "boom", (), sys.exc_info())
    record.status_code = 500
    assert NoTracebackForClientErrors().filter(record) and record.exc_info is not None
