"""``withus impact overdue`` (daily) and ``withus impact letters``: the daily round of "you said, we did",
and the print batch of letters for contributors who prefer post.

The round flags each contribution not answered in time to its decision-maker and the
coordinators, asks the owner what changed once a follow-up is due, and tells contributors
when an action from an answer is done. Each happens once per contribution however often
the round runs, so a cron retry or two workers at once never tell anyone twice. It also
writes every open anonymous survey's answers again in a random order, so the order the
database keeps them in says nothing about when each came in.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from withus.accounts.models import Organisation
from withus.impact.contributions import documents, selectors, services
from withus.impact.surveys import services as survey_services


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"--date must be a date written year-month-day, like 2030-06-12; '{value}' is not one."
        ) from None


class Command(BaseCommand):
    help = "Impact: the daily round (contributions not answered in time, follow-ups due), and letters to print."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        overdue = sub.add_parser(
            "overdue",
            help=(
                "Flag contributions not answered in time; ask what changed when a follow-up is due; "
                "shuffle anonymous answers"
            ),
        )
        overdue.add_argument("--date", help="The day to judge from (default: today)")
        letters = sub.add_parser("letters", help="One PDF of the letters not printed yet, marked printed once written")
        letters.add_argument("--organisation", help="Only this organisation (its short name)")
        letters.add_argument("--output", help="The PDF to write (default: impact-letters-DATE.pdf here)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "overdue":
            today = _day(options["date"]) if options.get("date") else None
            done = services.daily_round(today=today)
            self.stdout.write(
                f"Flagged {done.flagged} contributions not answered in time; asked {done.follow_ups_asked} "
                f"owners what changed; told contributors of {done.actions_told} actions done."
            )
            shuffled = survey_services.daily_shuffle()
            self.stdout.write(f"Wrote the answers of {shuffled} open anonymous surveys again in a random order.")
            return
        organisation = None
        if options.get("organisation"):
            organisation = Organisation.objects.filter(slug=options["organisation"]).first()
            if organisation is None:
                raise CommandError(f"There is no organisation called '{options['organisation']}'.")
        notices = list(selectors.letters_to_print(organisation))
        if not notices:
            self.stdout.write("There are no letters to print.")
            return
        output = Path(options.get("output") or f"impact-letters-{timezone.localdate().isoformat()}.pdf")
        output.write_bytes(documents.letters_pdf(notices))
        printed = services.mark_letters_printed(notices)
        self.stdout.write(f"Wrote {printed} letters to {output}.")
