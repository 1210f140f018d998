"""``withus benefits check PERSON``: the benefits guard's view of the current and next periods."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from withus.people.models import Person
from withus.rewards.guard import selectors


class Command(BaseCommand):
    help = "Show what the benefits guard sees for a person (by id or e-mail) this period and next."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="The guard's view of the current and next periods")
        check.add_argument("person", help="The person's id or e-mail address")

    def handle(self, *args: Any, **options: Any) -> None:
        ref = options["person"]
        person = (
            Person.objects.filter(pk=int(ref)).first()
            if ref.isdigit()
            else Person.objects.filter(email__iexact=ref).first()
        )
        if person is None:
            raise CommandError(f"No person '{ref}'.")
        periods = selectors.this_period_and_next(person, on=timezone.localdate())
        if not periods:
            self.stdout.write(f"{person.full_name} has not declared any benefits.")
            return
        for view in periods:
            self.stdout.write(self.describe("current", view.declaration, view.current))
        for view in periods:
            self.stdout.write(self.describe("next", view.declaration, view.following))

    def describe(self, label: str, declaration: Any, v: Any) -> str:
        lines = [f"{declaration.get_benefit_display()} — {label} period {v.period_start} to {v.period_end}"]
        lines.append(f"  counted so far (fees and vouchers, not expenses): £{v.counted_before}")
        if v.limit is None:
            lines.append("  limit: no figure on record — add this year's row to the reference table")
        else:
            stale = " (MAY BE OUT OF DATE: no row covers this period)" if v.stale else ""
            extra = f", under {v.limit.hours_limit} hours" if v.limit.hours_limit is not None else ""
            lines.append(f"  limit: £{v.limit.amount}{extra} — {v.limit.source}, from {v.limit.valid_from}{stale}")
            if v.limit.meaning:
                lines.append(f"  what it means: {v.limit.meaning}")
            if v.limit.notes:
                lines.append(f"  notes: {v.limit.notes}")
            room = v.limit.amount - v.counted_before
            lines.append(
                f"  room left before the limit: £{max(room, 0):.2f}" if room >= 0 else f"  OVER by £{-room:.2f}"
            )
        if v.hours_over:
            lines.append(f"  hours: {v.hours_with_offer} — the weekly hours condition is broken")
        return "\n".join(lines)
