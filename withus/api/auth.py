"""Token authentication for the API: ``Authorization: Bearer wu_...``.

A token carries one role in one organisation. That organisation is the only one
an operation works in: no operation reads an organisation from the URL or the
body, so a client cannot reach another organisation's data by naming it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from withus.accounts.models import ApiToken, Role
from withus.accounts.roles import MEMBERS
from withus.accounts.services import authenticate_api_token
from withus.people import selectors as people_selectors
from withus.people.models import Person

from .errors import ApiError


class ApiTokenAuth(HttpBearer):
    """Sets ``request.auth`` to the active :class:`ApiToken`; anything else is a 401."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        return authenticate_api_token(token.strip())


def token_of(request: HttpRequest) -> ApiToken:
    """The token that authenticated this request."""
    token = getattr(request, "auth", None)
    if not isinstance(token, ApiToken):
        # Only reachable if an operation is mounted without ApiTokenAuth: fail closed.
        raise PermissionDenied
    return token


def require_role(request: HttpRequest, *roles: str) -> ApiToken:
    """The request's token, if it was issued for one of ``roles``; otherwise 403.

    The token's role limits what it can do even when its user holds other roles in
    the organisation: a member token never does staff work.
    """
    token = token_of(request)
    if token.role not in roles:
        raise PermissionDenied(
            _("This API token is for the role “%(role)s”, which cannot do this.") % {"role": Role(token.role).label}
        )
    return token


def member_person(request: HttpRequest) -> tuple[ApiToken, Person]:
    """With a member token, the person the token's user is; 404 if they have no profile."""
    token = require_role(request, *MEMBERS)
    person = people_selectors.own_person(token.user)
    if person is None:
        raise ApiError(404, "not_found", _("You do not have a member profile."))
    return token, person
