"""``withus encryption check`` / ``withus encryption rotate``: the encryption key and stored data."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from withus.core import encryption


class Command(BaseCommand):
    help = "Check that the encryption key reads the stored data, or re-encrypt it all with the current key."
    requires_system_checks: list[str] = []  # "check" must run, and explain, even when the key is wrong

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("check", help="Say whether the configured key reads what is stored.")
        actions.add_parser(
            "rotate",
            help="Re-encrypt every stored value with the first key of WITHUS_ENCRYPTION_KEY "
            "(old keys go in WITHUS_ENCRYPTION_KEY_FALLBACKS until this has run).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        readable = encryption.key_reads_stored_data()
        if readable is False:
            raise CommandError(
                "The encryption key cannot read the stored data. Set WITHUS_ENCRYPTION_KEY to the key it "
                "was encrypted with, or add that key to WITHUS_ENCRYPTION_KEY_FALLBACKS."
            )
        if options["action"] == "check":
            self.stdout.write("The encryption key reads the stored data." if readable else "Nothing is stored yet.")
            return
        result = encryption.rotate()
        self.stdout.write(f"Re-encrypted {result.values} stored values with the current key.")
        if result.unreadable:
            raise CommandError(f"{result.unreadable} stored values could not be read with any configured key.")
