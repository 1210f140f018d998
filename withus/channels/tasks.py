"""Background tasks of the channels app, run by ``withus worker`` from the database queue."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from . import services


@task()
def retry_texts_task() -> dict[str, int]:
    """Try again the texts and e-mails a rate limit or a fault at GOV.UK Notify held up. Safe to run often and in
    several workers: each delivery is locked while it is tried."""
    return services.retry_due(now=timezone.now())


@task()
def poll_statuses_task() -> dict[str, int]:
    """Ask GOV.UK Notify how the messages on their way are doing (for when callbacks are not set up)."""
    return services.poll()
