"""View guards: a view that needs a staff role says which, and gets the organisation."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from .selectors import current_organisation, has_role


def staff_required(*roles: str) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """Let through a signed-in user holding one of ``roles`` in their current organisation.

    The organisation is passed to the view as ``organisation``; it always comes
    from the user's own roles, never from the URL.
    """

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            organisation = current_organisation(request)
            if organisation is None or not has_role(request.user, organisation, *roles):
                raise PermissionDenied
            return view(request, *args, organisation=organisation, **kwargs)

        return wrapped

    return decorator
