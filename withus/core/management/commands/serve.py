"""``withus serve``: run WithUs on $PORT (default 8000).

It brings the database up to date first. Several instances started at once (docs/deployment.md,
"Running several instances") take turns at that: on PostgreSQL under an advisory lock, on
SQLite under a lock file beside the database, so two never apply the same migration together.
``--no-migrate`` leaves the database alone, for installations that migrate in a release step.
"""

from __future__ import annotations

import fcntl
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection

# pg_advisory_lock's key: any fixed number, the same in every instance ("WithUs" in ASCII).
MIGRATION_LOCK = 0x576974685573


@contextmanager
def migration_lock() -> Iterator[None]:
    """Held while this instance migrates: another instance starting now waits for it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [MIGRATION_LOCK])
            try:
                yield
            finally:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_LOCK])
        return
    settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    with open(settings.VAR_DIR / "migrate.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


class Command(BaseCommand):
    help = "Serve WithUs: Django's server when developing, gunicorn in production."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
        parser.add_argument(
            "--no-migrate",
            action="store_true",
            help="Do not bring the database up to date first (it was migrated in a release step).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_migrate"]:
            with migration_lock():
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
