"""``withus remind``: send the reminders that are due (sessions, papers, actions), for cron."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from withus.meetings.reminders import send_due_reminders
from withus.meetings.tasks import send_reminders_task

LABELS = {
    "session": "session reminders",
    "papers": "papers reminders",
    "action_due": "actions due",
    "action_overdue": "actions overdue",
    "failed": "failed (tried again next run)",
}


class Command(BaseCommand):
    help = (
        "Send the reminders due now: sessions tomorrow, papers not sent, actions due or overdue. "
        "Run it from cron, say hourly; a reminder is never sent twice, however often it runs."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Put the work on the task queue for `withus worker` instead of doing it now.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            result = send_reminders_task.enqueue()
            self.stdout.write(f"Queued the reminders task ({result.id}); `withus worker` runs it.")
            return
        counts = send_due_reminders(now=timezone.now())
        for kind, label in LABELS.items():
            self.stdout.write(f"{label}: {counts[kind]}")
        if counts["failed"]:
            # A non-zero exit makes cron report it; the reminders themselves are retried on the next run.
            raise CommandError(f"{counts['failed']} reminders could not be sent; see the log.")
