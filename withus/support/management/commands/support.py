"""``withus support digest`` (weekly) and ``withus support daily``: the support digest by e-mail, and the
daily round that makes debriefs asking for a call into call requests, escalates calls not returned in
time, hands people back when cover ends, tells coordinators of local help not checked for a year and
reminds members of a planned supervision the day before.

The stale local help is in this round, not ``withus training daily``: the directory is part of support
(``withus.support.localhelp``) and is kept by the same coordinators this round writes to; training's
round is about members' courses expiring.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from withus.accounts.models import Organisation
from withus.support import services
from withus.support.localhelp import services as localhelp_services
from withus.support.planning import services as planning_services
from withus.support.preparation import services as preparation_services


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"--date must be a date written year-month-day, like 2030-06-12; '{value}' is not one."
        ) from None


class Command(BaseCommand):
    help = "Support: e-mail the weekly digest, or run the daily round (escalate calls not returned, end cover)."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        digest = sub.add_parser("digest", help="E-mail each support contact and supervisor their weekly digest")
        digest.add_argument("--organisation", help="Only this organisation (its short name)")
        digest.add_argument("--date", help="The day to judge from (default: today)")
        daily = sub.add_parser(
            "daily", help="Make debriefs asking for a call into call requests; escalate calls not returned; end cover"
        )
        daily.add_argument("--date", help="The day to judge cover from (default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        today = _day(options["date"]) if options.get("date") else None
        if options["action"] == "digest":
            organisation = None
            if options.get("organisation"):
                organisation = Organisation.objects.filter(slug=options["organisation"]).first()
                if organisation is None:
                    raise CommandError(f"There is no organisation called '{options['organisation']}'.")
            sent = services.send_digests(today=today, organisation=organisation)
            self.stdout.write(f"Sent {sent} support digests.")
            return
        from_debriefs = services.calls_from_debriefs()
        escalated = services.escalate_overdue_calls()
        back = services.end_cover(today=today)
        stale = localhelp_services.tell_about_stale(today=today)
        reminded = planning_services.send_reminders()
        givers = preparation_services.remind_givers()
        self.stdout.write(
            f"Escalated {escalated} calls not returned in time; {back} people back after cover; "
            f"{from_debriefs} calls asked for in debriefs made call requests; "
            f"coordinators told of {stale} local help entries not checked for a year; "
            f"{reminded} members reminded of their supervision tomorrow; "
            f"{givers} reminded of a briefing or meet-and-greet they give tomorrow."
        )
