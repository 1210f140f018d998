from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse


@dataclass(frozen=True)
class ConfiguredSite:
    """The site as e-mails name it: from settings, never from the host a request happened to reach."""

    name: str
    domain: str


def configured_site() -> ConfiguredSite:
    return ConfiguredSite(name=settings.SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc or settings.SITE_URL)


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]  # allauth ships no type hints
    def get_login_redirect_url(self, request: HttpRequest) -> str:
        return reverse("home")

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        # allauth would say "Hello from 127.0.0.1!" (the request's host) without django.contrib.sites.
        super().send_mail(template_prefix, email, {"current_site": configured_site(), **context})

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        # allauth counts failed sign-ins per account under the host the request came to: every
        # instance behind a proxy that sends its own address as the host, and every name in
        # ALLOWED_HOSTS, would count five tries of its own. One count per account, wherever it is tried.
        login = str(credentials.get("email", credentials.get("username", ""))).lower()
        return f"{configured_site().domain}:{login}"
