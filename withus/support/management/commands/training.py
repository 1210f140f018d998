"""``withus training expiring`` (daily): warn people whose training needs refreshing soon, and their coordinators."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from withus.support.training import services


class Command(BaseCommand):
    help = "Training: warn members and coordinators of training that expires soon (run daily from cron)."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        expiring = sub.add_parser("expiring", help="Warn of training that needs refreshing soon (each once)")
        expiring.add_argument("--date", help="Act as if today were this date (YYYY-MM-DD)")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options.get("date"):
            try:
                today = date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("Give the date as YYYY-MM-DD.") from None
        warned = services.warn_expiring(today=today)
        self.stdout.write(f"Warned {warned} people of training that needs refreshing soon.")
