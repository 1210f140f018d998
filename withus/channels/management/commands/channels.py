"""``withus channels retry|poll|letters``: GOV.UK Notify from the command line.

``retry`` tries again the texts and e-mails a rate limit (429) or a fault at Notify (5xx) held up, whose time has
come; ``poll`` asks Notify the status of each message on its way (for installations whose callbacks are
not set up; safe to run from cron every few minutes); ``letters --organisation SLUG`` sends the waiting
letters through Notify instead of printing them.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from withus.accounts.models import Organisation
from withus.channels import services
from withus.channels.tasks import poll_statuses_task, retry_texts_task
from withus.people.outbox import selectors as outbox_selectors


class Command(BaseCommand):
    help = "GOV.UK Notify: try held-up texts again, ask for delivery statuses, send letters."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        retry = sub.add_parser(
            "retry", help="Try again the texts and e-mails Notify held up (rate limit or a fault at Notify)"
        )
        poll = sub.add_parser("poll", help="Ask Notify how each message on its way is doing")
        for queued in (retry, poll):
            queued.add_argument(
                "--enqueue", action="store_true", help="Put it on the task queue for `withus worker` instead"
            )
        poll.add_argument("--organisation", help="Only this organisation (short name)")
        letters = sub.add_parser("letters", help="Send the waiting letters through Notify instead of printing them")
        letters.add_argument("--organisation", required=True, help="The organisation's short name (slug)")

    def _organisation(self, slug: str | None) -> Organisation | None:
        if not slug:
            return None
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            raise CommandError(f"No organisation '{slug}'.")
        return organisation

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if options.get("enqueue"):
            task = retry_texts_task if action == "retry" else poll_statuses_task
            result = task.enqueue()
            self.stdout.write(f"Queued ({result.id}); `withus worker` runs it.")
            return
        if action == "retry":
            counts = services.retry_due()
            self.stdout.write(
                f"{counts['sent']} sent, {counts['waiting']} still waiting, "
                f"{counts['other_channel']} sent another way, {counts['let_go']} already dealt with."
            )
        elif action == "poll":
            counts = services.poll(organisation=self._organisation(options.get("organisation")))
            self.stdout.write(
                f"{counts['asked']} asked, {counts['changed']} changed, {counts['could_not_ask']} could not be asked."
            )
        else:
            organisation = self._organisation(options["organisation"])
            assert organisation is not None
            ids = outbox_selectors.letter_batch(organisation)
            try:
                sent, problems = services.send_letters(actor=None, organisation=organisation, message_ids=ids)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
            self.stdout.write(f"{sent} letters sent through GOV.UK Notify.")
            for problem in problems:
                self.stderr.write(problem)
