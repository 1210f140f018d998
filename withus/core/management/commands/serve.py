"""``withus serve``: run WithUs on $PORT (default 8000)."""

from __future__ import annotations

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve WithUs: Django's server when developing, gunicorn in production."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        address = f"{options['host']}:{options['port']}"
        if settings.DEBUG:
            call_command("runserver", address, use_reloader=False)
            return
        call_command("collectstatic", interactive=False, verbosity=0)
        os.execvp(  # noqa: S606 -- replaces this process with gunicorn, no shell involved
            sys.executable,
            [
                sys.executable,
                "-m",
                "gunicorn",
                "withus.wsgi:application",
                "--bind",
                address,
                "--workers",
                str(options["workers"]),
            ],
        )
