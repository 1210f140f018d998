"""Keep every API answer JSON and every bad input a 4xx, before and after django-ninja sees the request."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

API_PREFIX = "/api/"
# A NUL character sent raw, or escaped in JSON (an escaped backslash before "u0000" is not one).
NUL_IN_JSON = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")


def api_error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"code": code, "message": message, "fields": {}}, status=status)


class ApiInputGuardMiddleware:
    """Refuse, as JSON, what would otherwise fail deep inside: bodies too large and NUL characters.

    A body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is a 413 (Django would raise
    ``RequestDataTooBig`` when the body is first read). A NUL character in the path, the
    query or the body is a 422: SQLite would store it or look for it and PostgreSQL
    refuse it, so neither may see it. Web forms already refuse NUL characters through
    Django's own validator.

    Multipart bodies carry files (a story's recording), which may be larger and are
    binary: they are allowed up to ``WITHUS_MAX_UPLOAD_BYTES``, are not read here, and the
    service that takes the file checks its size and content.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PREFIX):
            refusal = self.refusal(request)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    def refusal(self, request: HttpRequest) -> HttpResponse | None:
        multipart = request.META.get("CONTENT_TYPE", "").startswith("multipart/form-data")
        limit = settings.WITHUS_MAX_UPLOAD_BYTES if multipart else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit is not None and length > limit:
            return api_error(
                413,
                "too_large",
                _("What you sent is too large: send at most %(size)s MB.") % {"size": round(limit / 1_000_000, 1)},
            )
        query = request.META.get("QUERY_STRING", "")
        body = request.body if length and not multipart else b""
        # The path too: a short code or id in it is looked up as it was sent.
        if "\x00" in request.path or b"\x00" in unquote_to_bytes(query) or b"\x00" in body or NUL_IN_JSON.search(body):
            return api_error(422, "invalid", _("What you sent contains a NUL character, which text cannot hold."))
        return None


class ApiMethodNotAllowedMiddleware:
    """Answer the 405 that django-ninja gives in plain text as JSON too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 405
            and request.path.startswith(API_PREFIX)
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            json_response = api_error(405, "method_not_allowed", _("This address does not accept that method."))
            if response.has_header("Allow"):
                json_response["Allow"] = response["Allow"]
            return json_response
        return response
