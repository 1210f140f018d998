"""``withus people export --organisation SLUG [--format csv|xlsx] [-o FILE] [--as EMAIL]``: the people register.

CSV by default; ``--format xlsx`` writes a workbook with the same columns, and needs ``-o``.

The same people, order and columns as the people list shows (``documents.register_csv``),
written a chunk at a time, so a register of any size fits in little memory. With ``--as``
the file is what that member of staff may see at the organisation (they must be able to
see the register there); without it the command acts as the server's operator and writes
everyone who shares their details with the organisation. Either way, whose needs went into
the file is recorded, as for the list page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from withus.accounts.models import Organisation, User
from withus.core import progress, spreadsheets
from withus.people import documents


class Command(BaseCommand):
    help = "The people register: export it as CSV or XLSX."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="Write the people list of an organisation as CSV")
        export.add_argument("--organisation", required=True, help="The organisation's short name (slug)")
        export.add_argument("-o", "--output", help="Write to this file instead of standard output")
        export.add_argument("--format", choices=sorted(spreadsheets.FILE_FORMATS), default="csv", help="csv or xlsx")
        export.add_argument("--as", dest="as_email", help="Write what this member of staff may see (e-mail)")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation '{options['organisation']}'.")
        reader = None
        if options.get("as_email"):
            reader = User.objects.filter(email__iexact=options["as_email"]).first()
            if reader is None:
                raise CommandError(f"No user '{options['as_email']}'.")
        refused = f"{options['as_email']} may not see the people register of {organisation}."
        if options["format"] == "xlsx" and not options.get("output"):
            raise CommandError("An XLSX file cannot go to standard output: give --output FILE.")
        if options.get("output"):
            # To a file, with a progress bar on stderr: the same writer as a file prepared in the background.
            try:
                with Path(options["output"]).open("wb") as out:
                    documents.write_register(
                        reader,
                        organisation,
                        out,
                        file_format=options["format"],
                        progress=progress.bar(self.stderr, "Writing people"),
                    )
            except PermissionDenied as error:
                Path(options["output"]).unlink(missing_ok=True)
                raise CommandError(refused) from error
            self.stderr.write(f"Wrote {options['output']}")
            return
        try:
            pieces = documents.register_csv(reader, organisation)
        except PermissionDenied as error:
            raise CommandError(refused) from error
        for piece in pieces:
            self.stdout.write(piece, ending="")
