"""``withus concerns overdue`` (daily): tell handlers and coordinators of concerns whose clock has run out;
``withus concerns summary`` prints a year's summary as the annual report shows it."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from withus.accounts.models import Organisation
from withus.accounts.selectors import small_number_threshold
from withus.concerns import selectors, services


def _shown(count: int | None, threshold: int) -> str:
    return f"fewer than {threshold}" if count is None else str(count)


class Command(BaseCommand):
    help = "Concerns: flag overdue ones (run daily from cron; each lateness is flagged once), or print a summary."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        overdue = sub.add_parser("overdue", help="Flag concerns whose acknowledgement or response is late")
        overdue.add_argument("--date", help="Act as if today were this date (YYYY-MM-DD)")
        summary = sub.add_parser("summary", help="A year's concerns, small numbers suppressed")
        summary.add_argument("--organisation", required=True, help="The organisation's slug")
        summary.add_argument("--year", type=int, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "summary":
            organisation = Organisation.objects.filter(slug=options["organisation"]).first()
            if organisation is None:
                raise CommandError("No organisation has that slug.")
            found = selectors.yearly_summary(organisation, options["year"])
            n = small_number_threshold(organisation)
            self.stdout.write(f"Concerns received in {found.year}: {_shown(found.total, n)}")
            for name, count in {**found.by_kind, **found.by_outcome}.items():
                self.stdout.write(f"  {name}: {_shown(count, n)}")
            self.stdout.write(f"  closed: {_shown(found.closed, n)}; actions: {_shown(found.actions, n)}")
            return
        today = None
        if options.get("date"):
            try:
                today = date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("Give the date as YYYY-MM-DD.") from None
        flags = services.flag_overdue(today=today)
        for flag in flags:
            self.stdout.write(f"{flag.concern.reference}: {flag.late} was due {flag.due_on:%d %B %Y}")
        self.stdout.write(f"Flagged {len(flags)} overdue concerns.")
