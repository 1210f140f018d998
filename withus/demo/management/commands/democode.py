"""``withus democode EMAIL``: the current authenticator code of a demo account."""

from __future__ import annotations

import time
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from .demo import DEMO_DOMAIN


class Command(BaseCommand):
    help = "Print the current two-step sign-in code of a demo staff account (not in production)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("email")

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].lower()
        if getattr(settings, "PRODUCTION", False) or not email.endswith("@" + DEMO_DOMAIN):
            raise CommandError("Only for demo accounts on a non-production installation.")
        authenticator = Authenticator.objects.filter(user__email=email, type=Authenticator.Type.TOTP).first()
        if authenticator is None:
            raise CommandError(f"{email} has no authenticator.")
        secret = decrypt(authenticator.data["secret"])
        self.stdout.write(format_hotp_value(hotp_value(secret, int(time.time()) // 30)))
