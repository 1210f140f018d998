"""Background tasks of the meetings app, run by ``withus worker`` from the database queue."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from .reminders import send_due_reminders


@task()
def send_reminders_task() -> dict[str, int]:
    """Send the reminders due now. Safe to run as often as you like and in several workers at once:
    each reminder is sent at most once (see ``reminders``). Returns the counts, kept with the task result."""
    return send_due_reminders(now=timezone.now())
