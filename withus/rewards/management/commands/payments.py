"""``withus payments``: payment batches from the command line.

- ``withus payments batch --organisation SLUG --method bank_transfer [--as EMAIL]``
  gathers the approved claims of one method into a new batch and prints its id and total.
- ``withus payments export BATCH [--format csv|xlsx] [--output FILE] [--copy] [--as EMAIL]``
  writes the payment file (a CSV to standard output without ``--output``; an XLSX needs
  ``--output``). The first export, in either format, marks the batch exported; after that
  only ``--copy`` works, and every row says COPY.
- ``withus payments budgets --organisation SLUG [--format csv|xlsx] [--output FILE]`` writes
  the organisation's budgets as the budgets page shows them (holder, allocation, committed,
  spent, remaining).
- ``withus payments paid BATCH --as EMAIL`` records that the batch was paid. Who paid it
  is always named.

Without ``--as`` a command acts as the server's operator: the audit log records no user.
With it, the user must be a budget holder or admin of the batch's organisation.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from withus.accounts.models import Organisation, User
from withus.core import spreadsheets
from withus.rewards.errors import message
from withus.rewards.finance import documents, selectors, services
from withus.rewards.models import PaymentBatch


class Command(BaseCommand):
    help = "Payment batches: gather approved claims, export the payment file, record payment."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        batch = sub.add_parser("batch", help="Gather approved claims of one payment method into a new batch")
        batch.add_argument("--organisation", required=True, help="The organisation's slug")
        batch.add_argument("--method", required=True, choices=[str(m) for m in services.BATCH_METHODS])
        batch.add_argument("--as", dest="as_email", help="Act as this user (e-mail)")
        export = sub.add_parser("export", help="Write a batch's payment file (CSV or XLSX)")
        export.add_argument("batch", type=int)
        export.add_argument("--format", choices=sorted(spreadsheets.FILE_FORMATS), default="csv", help="csv or xlsx")
        export.add_argument("--output", help="Write to this file instead of standard output")
        export.add_argument("--copy", action="store_true", help="A copy of a file already exported, marked COPY")
        export.add_argument("--as", dest="as_email", help="Act as this user (e-mail)")
        budgets = sub.add_parser("budgets", help="Write an organisation's budgets (CSV or XLSX)")
        budgets.add_argument("--organisation", required=True, help="The organisation's slug")
        budgets.add_argument("--format", choices=sorted(spreadsheets.FILE_FORMATS), default="csv", help="csv or xlsx")
        budgets.add_argument("--output", help="Write to this file instead of standard output")
        paid = sub.add_parser("paid", help="Record that a batch has been paid")
        paid.add_argument("batch", type=int)
        paid.add_argument("--as", dest="as_email", required=True, help="The user who checked the payment (e-mail)")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = self._user(options.get("as_email"))
        try:
            if options["action"] == "batch":
                organisation = Organisation.objects.filter(slug=options["organisation"]).first()
                if organisation is None:
                    raise CommandError(f"No organisation '{options['organisation']}'.")
                batch = services.create_batch(actor=actor, organisation=organisation, method=options["method"])
                lines, total = selectors.figures(batch)
                self.stdout.write(f"Batch {batch.pk}: {lines} line(s), total £{total}")
            elif options["action"] == "export":
                # Refused before the export, which would mark the batch exported.
                self._needs_output(options)
                filename, file = services.export_batch(
                    actor=actor,
                    batch=self._batch(options["batch"]),
                    copy=options["copy"],
                    file_format=options["format"],
                )
                self._write(filename, file, options)
            elif options["action"] == "budgets":
                self._needs_output(options)
                organisation = Organisation.objects.filter(slug=options["organisation"]).first()
                if organisation is None:
                    raise CommandError(f"No organisation '{options['organisation']}'.")
                self._write(*documents.budgets_file(organisation, options["format"]), options)
            else:
                assert actor is not None
                batch = services.mark_paid(actor=actor, batch=self._batch(options["batch"]))
                self.stdout.write(f"Batch {batch.pk} marked paid by {actor.email} at {batch.paid_at:%Y-%m-%d %H:%M}")
        except ValidationError as error:
            raise CommandError(message(error)) from error
        except PermissionDenied as error:
            raise CommandError(str(error) or "Not allowed.") from error

    def _needs_output(self, options: dict[str, Any]) -> None:
        if options["format"] == "xlsx" and not options.get("output"):
            raise CommandError("An XLSX file cannot go to standard output: give --output FILE.")

    def _write(self, filename: str, file: IO[bytes], options: dict[str, Any]) -> None:
        with file:
            if options.get("output"):
                with Path(options["output"]).open("wb") as target:
                    shutil.copyfileobj(file, target)
                self.stderr.write(f"Wrote {options['output']} ({filename})")
            else:
                text = io.TextIOWrapper(file, encoding="utf-8", newline="")
                for chunk in iter(lambda: text.read(64 * 1024), ""):
                    self.stdout.write(chunk, ending="")

    def _user(self, email: str | None) -> User | None:
        if not email:
            return None
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No user '{email}'.")
        return user

    def _batch(self, pk: int) -> PaymentBatch:
        batch = PaymentBatch.objects.filter(pk=pk).first()
        if batch is None:
            raise CommandError(f"No batch {pk}.")
        return batch
