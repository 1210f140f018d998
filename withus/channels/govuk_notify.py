"""GOV.UK Notify's API, through its own client library (notifications-python-client), and its errors as ours.

The client signs each request with a JWT made from the API key (``iss`` the service ID, ``iat`` now,
HS256 with the key's secret). ``WITHUS_NOTIFY_BASE_URL`` points it elsewhere (tests run a fake Notify).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

import requests
from django.conf import settings
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

from . import rules


@dataclass
class NotifyError(Exception):
    """Notify refused a request, or could not be reached (status 503, as the client library reports it)."""

    status_code: int
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def try_again(self) -> bool:
        return rules.try_again(self.status_code)

    @property
    def plain(self) -> str:
        return rules.plain_error(self.status_code, self.errors)

    def __str__(self) -> str:
        return f"{self.status_code}: {self.errors}"


def _errors_of(error: APIError) -> list[dict[str, Any]]:
    try:
        body = error.response.json() if error.response is not None else {}
    except ValueError:
        body = {}
    found = body.get("errors") if isinstance(body, dict) else None
    if isinstance(found, list):
        return [e for e in found if isinstance(e, dict)]
    return [{"error": "Error", "message": str(error.message)}]


class Notify:
    """One organisation's Notify service, reached with its API key."""

    def __init__(self, api_key: str) -> None:
        if not rules.key_is_well_formed(api_key):
            raise NotifyError(403, [{"error": "AuthError", "message": "Invalid API key"}])
        self.client = NotificationsAPIClient(  # type: ignore[no-untyped-call]  # the library has no type hints
            api_key.strip(), base_url=settings.NOTIFY_BASE_URL, timeout=settings.NOTIFY_TIMEOUT
        )

    def _call(self, method: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
        try:
            answer = getattr(self.client, method)(*args, **kwargs)
        except APIError as error:
            raise NotifyError(error.status_code, _errors_of(error)) from error
        except requests.RequestException as error:  # the library wraps these, but a stray one is a fault too
            raise NotifyError(503, [{"error": "RequestError", "message": str(error)}]) from error
        return answer if isinstance(answer, dict) else {}

    def send_text(self, *, phone_number: str, template_id: str, body: str, reference: str) -> dict[str, Any]:
        """POST /v2/notifications/sms with ``((body))`` filled in."""
        return self._call(
            "send_sms_notification",
            phone_number=phone_number,
            template_id=template_id,
            personalisation={"body": body},
            reference=reference,
        )

    def send_email(
        self, *, email_address: str, template_id: str, subject: str, body: str, reference: str
    ) -> dict[str, Any]:
        """POST /v2/notifications/email with ``((subject))`` and ``((body))`` filled in."""
        return self._call(
            "send_email_notification",
            email_address=email_address,
            template_id=template_id,
            personalisation={"subject": subject, "body": body},
            reference=reference,
        )

    def send_letter(self, *, reference: str, pdf: bytes) -> dict[str, Any]:
        """POST /v2/notifications/letter, precompiled: our PDF, base64 encoded, with a reference."""
        return self._call("send_precompiled_letter_notification", reference=reference, pdf_file=io.BytesIO(pdf))

    def notification(self, notification_id: str) -> dict[str, Any]:
        """GET /v2/notifications/{id}: its status now, among other things."""
        return self._call("get_notification_by_id", notification_id)

    def template(self, template_id: str) -> dict[str, Any]:
        """GET /v2/template/{id}: to check that a template exists in the service."""
        return self._call("get_template", template_id)
