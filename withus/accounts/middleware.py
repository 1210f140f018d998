"""Staff take the second step (an authenticator code) in every session, whichever way they signed in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from .selectors import is_staff_anywhere

# Paths a staff user may reach before the second step: signing in and setting the
# authenticator up (allauth), switching language, static files, and the API (tokens).
ALLOWED_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/api/")


def second_step_taken(request: HttpRequest) -> bool:
    """Whether the signed-in user entered an authenticator code of their own in this session.

    Having an authenticator is not enough: allauth records each step taken in the
    session, and only a recorded "mfa" step with one of the user's authenticators counts.
    """
    user: Any = request.user
    used = {
        record.get("id")
        for record in get_authentication_records(request, user)
        if isinstance(record, dict) and record.get("method") == "mfa"
    }
    used.discard(None)
    return bool(used) and Authenticator.objects.filter(user=user, pk__in=used).exists()


class StaffMfaMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user: Any = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(ALLOWED_PREFIXES)
            and (is_staff_anywhere(user) or user.is_superuser)
            and not second_step_taken(request)
        ):
            if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                return redirect(reverse("mfa_reauthenticate") + "?" + urlencode({"next": request.get_full_path()}))
            return redirect("mfa_activate_totp")
        return self.get_response(request)
