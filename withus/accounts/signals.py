"""Setting an authenticator up counts as this session's second step."""

from __future__ import annotations

from typing import Any

from allauth.account.internal.flows.login import record_authentication
from django.http import HttpRequest


def second_step_on_activation(sender: Any, request: HttpRequest, user: Any, authenticator: Any, **kwargs: Any) -> None:
    """Activating a TOTP authenticator means the user has just entered a valid code from it.

    allauth records a step only when a code is entered to sign in or re-authenticate;
    without this a new member of staff would be asked for a second code straight after
    setting their authenticator up.
    """
    if request is not None and getattr(request, "session", None) is not None:
        record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type, activated=True)
