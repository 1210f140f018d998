from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .selectors import current_organisation, is_staff_anywhere, staff_organisations


def roles(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"is_staff_user": False}
    return {
        "is_staff_user": is_staff_anywhere(user),
        "staff_organisations": staff_organisations(user),
        "current_organisation": current_organisation(request),
    }
