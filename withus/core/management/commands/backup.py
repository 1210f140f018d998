"""``withus backup FILE``: an encrypted copy of the database (SQLite), safe to take while the product runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from withus.core import backup


class Command(BaseCommand):
    help = "Write an encrypted backup of the SQLite database to FILE (PostgreSQL: see docs/operations.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Where to write the backup, e.g. /backups/withus-2026-12-01.backup")

    def handle(self, *args: Any, **options: Any) -> None:
        target = Path(options["file"])
        try:
            size = backup.backup(target)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Backed up {size:,} bytes of data to {target}, encrypted. Keep it apart from WITHUS_ENCRYPTION_KEY."
        )
