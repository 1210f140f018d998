"""Pages anyone may read without signing in, kept for a short while (PRODUCT §Running at scale).

A public page (the board, an opportunity, the feeds) is the same for every visitor who
is not signed in, in one language, on one day. ``public_page`` keeps its answer for at
most ``KEPT_FOR`` seconds, each web process its own copy (the ``public-pages`` cache), and
``changed()`` makes every kept copy in every process and instance stale at once, through
a version number in the shared cache: the apps call it when something a public page
shows is published, changed or closed, so a change shows on the next request, and a
page is never more than ``KEPT_FOR`` seconds old otherwise.

Only visitors with no session are served a kept page: anyone signed in, or with
messages waiting, gets the page made for them.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import get_language

VERSION_KEY = "withus:public-pages:version"
KEPT_FOR = 60  # seconds: the longest a public page may be out of date


def changed() -> None:
    """Something public pages show has changed: no kept page is served again."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, secrets.randbelow(2**31), None)


def _version() -> int:
    # A fresh number when the shared cache has none (first start, a restored database), so
    # copies kept before are never taken for current ones.
    version = cache.get_or_set(VERSION_KEY, lambda: secrets.randbelow(2**31), None)
    return int(version if version is not None else 0)


def _key(request: HttpRequest) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"withus:public-page:{_version()}:{get_language()}:{timezone.localdate().isoformat()}:{path}"


def _may_keep(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES  # a message waiting to be shown on the next page
        and not request.user.is_authenticated
    )


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve the view's answer from the shared cache to visitors without a session, for up to ``KEPT_FOR`` s."""

    @wraps(view)
    def kept(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _may_keep(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        copies = caches["public-pages"]
        found = copies.get(key)
        if found is not None:
            content, headers = found
            response = HttpResponse(content)
            for name, value in headers.items():
                response[name] = value
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            headers = {name: value for name, value in response.items() if name.lower() in KEPT_HEADERS}
            copies.set(key, (response.content, headers), KEPT_FOR)
        return response

    return kept


KEPT_HEADERS = {"content-type", "content-language", "content-disposition", "x-robots-tag"}
