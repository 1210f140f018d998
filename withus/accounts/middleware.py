"""Staff roles must use multi-factor authentication (TOTP)."""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from .selectors import is_staff_anywhere

# Paths a staff user without MFA may still reach: setting MFA up, signing out,
# switching language and static files.
ALLOWED_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/api/")


class StaffMfaMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(ALLOWED_PREFIXES)
            and (is_staff_anywhere(user) or user.is_superuser)
            and not request.session.get("withus_mfa_ok")
        ):
            if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                request.session["withus_mfa_ok"] = True
            else:
                return redirect("mfa_activate_totp")
        return self.get_response(request)
