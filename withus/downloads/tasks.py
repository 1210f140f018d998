"""Background work of prepared files, run by ``withus worker``."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def prepare_file_task(prepared_id: int) -> str:
    """Write a file someone asked for (a long register, a batch of letters), saving how far it has got."""
    return services.prepare(prepared_id)
