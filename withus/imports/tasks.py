"""Background work of imports, run by ``withus worker``: checking and importing a large register."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def check_rows_task(import_id: int) -> dict[str, int]:
    """Check every row of a large register (the dry run), saving how far it has got as it goes."""
    return services.run_check(import_id)


@task()
def import_rows_task(import_id: int, actor_id: int) -> dict[str, int]:
    """Write a large register's good rows, in one transaction, as ``services.confirm`` does for a small one."""
    return services.run_import(import_id, actor_id)
