"""Every page carries a Content-Security-Policy that allows no inline script or style."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import member_client

pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.parametrize("path", ["/", "/opportunities/", "/accounts/login/", "/api/docs"])
def test_public_pages_forbid_inline_script_and_style(path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 200, path
    directives = policy(response)
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_a_members_pages_carry_it_too(member_a) -> None:
    response = member_client(member_a).get("/me/")
    assert response.status_code == 200
    assert policy(response)["default-src"] == ["'self'"]


def test_the_api_documentation_loads_its_viewer_from_this_site() -> None:
    page = Client().get("/api/docs").content.decode()
    assert "cdn." not in page and "/static/ninja/" in page
