"""``withus restore FILE --yes``: replace the database with a backup (SQLite), after checking the backup is whole.

Erasures made after the backup was taken are applied again from the erasure log
(``withus privacy replay``), so that a restore never brings back someone who asked to go.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from withus.core import backup


class Command(BaseCommand):
    help = "Replace the SQLite database with an encrypted backup made by `withus backup`."
    requires_system_checks: list[str] = []  # the database being replaced may not pass them

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--yes", action="store_true", help="Confirm: everything since the backup is lost.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"]:
            raise CommandError(
                "Restoring replaces the database: everything changed since the backup is lost. "
                "Stop the product (and the worker), then run again with --yes."
            )
        source = Path(options["file"])
        if not source.exists():
            raise CommandError(f"No backup at {source}.")
        try:
            backup.restore(source)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        # A backup from an older release is brought up to this one.
        call_command("migrate", interactive=False, verbosity=0)
        # Erasures made since the backup are in the erasure log, kept apart from it: apply them again.
        call_command("privacy", "replay", stdout=self.stdout)
        self.stdout.write(f"Restored the database from {source}. Start the product again.")
