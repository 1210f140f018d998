"""``withus independence daily``: the independence risk register's daily round.

It adds each risk the records show (once per finding) and tells the owner of each risk whose
review date has passed, once per review date, so a cron retry or two workers at once never add a
risk twice or tell anyone twice.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from withus.concerns.independence import services


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"--date must be a date written year-month-day, like 2030-06-12; '{value}' is not one."
        ) from None


class Command(BaseCommand):
    help = "The independence risk register: add the risks the records show, and tell owners of reviews missed."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        daily = sub.add_parser(
            "daily", help="Add the risks the records show; tell owners of risks past their review (once each)"
        )
        daily.add_argument("--date", help="The day to judge from (default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        today = _day(options["date"]) if options.get("date") else None
        done = services.daily_round(today=today)
        self.stdout.write(
            f"Added {done.added} risks the records show ({done.no_longer_found} no longer shown); "
            f"told owners of {done.overdue_told} risks past their review."
        )
