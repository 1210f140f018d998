"""What accounts do when someone signs in: the second step, and the security events an admin reviews."""

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


def signed_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    from .models import SecurityEvent
    from .services import record_security_event

    record_security_event(kind=SecurityEvent.Kind.SIGNED_IN, request=request, user=user)


def sign_in_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any) -> None:
    """A wrong password: for the account tried, if there is one (the password itself is never passed on)."""
    from .models import SecurityEvent, User
    from .services import record_security_event

    tried = str(credentials.get("email") or credentials.get("username") or "").strip().lower()
    user = User.objects.filter(email=tried).first() if tried else None
    record_security_event(
        kind=SecurityEvent.Kind.SIGN_IN_FAILED, request=request, user=user, detail="" if user else "unknown account"
    )


def second_step_failed(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    from .models import SecurityEvent
    from .services import record_security_event

    record_security_event(kind=SecurityEvent.Kind.SECOND_STEP_FAILED, request=request, user=user)
