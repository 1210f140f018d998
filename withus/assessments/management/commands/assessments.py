"""``withus assessments remind``: remind owners of assessment actions due or overdue (daily, from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from withus.assessments.reminders import send_due_reminders


class Command(BaseCommand):
    help = "remind: e-mail the owners of actions from assessments that are due soon or overdue, each once."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("what", choices=["remind"])

    def handle(self, *args: Any, **options: Any) -> None:
        counts = send_due_reminders(now=timezone.now())
        self.stdout.write(f"actions due: {counts['action_due']}")
        self.stdout.write(f"actions overdue: {counts['action_overdue']}")
        if counts["failed"]:
            raise CommandError(f"{counts['failed']} reminders could not be sent; they are tried again next run.")
