"""``withus worker``: run background tasks (reminders and the like) from the database queue.

A thin front to django-tasks-db's ``db_worker`` with defaults for running under a
process supervisor. Several workers may run at once, on one machine or many (with
PostgreSQL): each task is claimed by one worker only.
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run background tasks from the database queue (django-tasks-db's db_worker) until stopped."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--queue-name", default="default", help="Queues to work on, comma-separated; '*' for all (default: default)"
        )
        parser.add_argument(
            "--interval",
            default="2",
            help="Seconds to wait before looking again when the queue is empty (default: 2)",
        )
        parser.add_argument("--batch", action="store_true", help="Run every task waiting now, then stop")
        parser.add_argument("--max-tasks", help="Stop after running this many tasks")
        parser.add_argument("--worker-id", help="A name for this worker, unique among the workers (default: random)")
        # Off unless asked: the reloader restarts the worker in the middle of a task when code changes.
        parser.add_argument("--reload", action="store_true", help="Restart when the code changes (development)")

    def handle(self, *args: Any, **options: Any) -> None:
        # Passed as command-line words, so db_worker checks them exactly as it checks its own.
        argv = ["--queue-name", options["queue_name"], "--interval", options["interval"]]
        argv.append("--reload" if options["reload"] else "--no-reload")
        if options["batch"]:
            # A run that empties the queue and stops (from cron, say) has no herd of workers to spread out.
            argv += ["--batch", "--no-startup-delay"]
        if options["max_tasks"]:
            argv += ["--max-tasks", options["max_tasks"]]
        if options["worker_id"]:
            argv += ["--worker-id", options["worker_id"]]
        call_command("db_worker", *argv, verbosity=options["verbosity"], stdout=self.stdout, stderr=self.stderr)
