"""Helpers for API tests: tokens, a client that sends them, and error checks."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from withus.accounts.models import Organisation, Role, User
from withus.accounts.services import authenticate_api_token, issue_api_token
from withus.people.models import Person


def raw_token(user: User, organisation: Organisation, role: str = Role.COORDINATOR) -> str:
    """Issue a token for a role the user holds and return its one-time text."""
    _token, raw = issue_api_token(user=user, organisation=organisation, role=role, name="test")
    return raw


class ApiClient:
    """A test client that sends ``Authorization: Bearer <token>`` and JSON bodies."""

    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, data: dict[str, Any] | None = None) -> Any:
        return self.client.get(path, data or {}, headers=self.headers)

    def post(self, path: str, body: Any) -> Any:
        payload = body if isinstance(body, str | bytes) else json.dumps(body)
        return self.client.post(path, payload, content_type="application/json", headers=self.headers)

    def patch(self, path: str, body: Any) -> Any:
        payload = body if isinstance(body, str | bytes) else json.dumps(body)
        return self.client.patch(path, payload, content_type="application/json", headers=self.headers)


def api_as(user: User, organisation: Organisation, role: str = Role.COORDINATOR) -> ApiClient:
    """A client with a token already in use, as most are.

    A token's first use in an hour is written down as a security event (one more
    query); using it once here keeps query counts the same from a test's first request.
    """
    raw = raw_token(user, organisation, role)
    authenticate_api_token(raw)
    return ApiClient(raw)


def member_api(person: Person, organisation: Organisation) -> ApiClient:
    assert person.user is not None
    return api_as(person.user, organisation, Role.MEMBER)


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    """The response is a JSON error with this status and code, and a message to show."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert body["code"] == code
    assert isinstance(body["message"], str)
    assert body["message"]
    return body
