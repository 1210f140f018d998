"""``withus sessions letters --date YYYY-MM-DD``: the day's print batch of letters (C4).

Everyone invited to a session on that date (in Wales) who prefers post, whose invitation
has been sent and whose letter has not been printed yet gets one letter, all in one PDF,
each in their language and format: an invitation with the up-to-date details, or for a
cancelled session a cancellation with the reason. The letters are marked printed only
once the whole PDF is safely on disc, so a full disc or a crash half-way leaves them for
the next batch, never lost; ``--reprint`` prints them all again (a jammed printer)
without touching the dates they were first printed.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateformat import format as format_date

from withus.accounts.models import Organisation
from withus.meetings.documents import batch_letter, letter_invitations, letters_pdf, mark_letters_printed


def parse_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"--date must be a date written year-month-day, like 2030-06-12; '{value}' is not one."
        ) from None


def write_atomically(path: Path, content: bytes | Iterable[bytes]) -> None:
    """Write the whole file or nothing: a half-written PDF must never look like a finished batch.

    ``content`` may come in pieces (a CSV of a year's attendance), written as they come.
    """
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", suffix=".part", delete=False) as handle:
        temporary = Path(handle.name)
        try:
            for piece in [content] if isinstance(content, bytes) else content:
                handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
    try:
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


class Command(BaseCommand):
    help = "Sessions: print the day's batch of letters for everyone who prefers post; take attendance away."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        letters = sub.add_parser(
            "letters",
            help="One PDF of the letters not yet printed for sessions on a date, marked printed once written",
        )
        letters.add_argument("--date", required=True, help="The sessions' date, year-month-day (2030-06-12)")
        letters.add_argument("--organisation", help="Only this organisation's sessions (its short name)")
        letters.add_argument("--output", help="The PDF to write (default: letters-DATE.pdf here)")
        letters.add_argument(
            "--reprint",
            action="store_true",
            help="Include letters already printed (their first printed date is kept)",
        )

        attendance = sub.add_parser(
            "attendance", help="Attendance at the organisation's sessions as CSV or XLSX, one row per person"
        )
        attendance.add_argument("--organisation", required=True, help="The organisation's short name")
        attendance.add_argument("--as", dest="as_email", required=True, help="What this member of staff may see")
        attendance.add_argument("--from", dest="start", help="Sessions starting on or after this day (2030-06-12)")
        attendance.add_argument("--to", dest="end", help="Sessions starting on or before this day")
        attendance.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        attendance.add_argument("--output", required=True, help="The file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "attendance":
            self.attendance(options)
        if options["action"] == "letters":
            self.letters(
                day=parse_day(options["date"]),
                organisation_slug=options.get("organisation") or None,
                output=options.get("output") or None,
                reprint=bool(options.get("reprint")),
            )

    def attendance(self, options: dict[str, Any]) -> None:
        from django.core.exceptions import PermissionDenied

        from withus.accounts.models import User
        from withus.meetings import selectors
        from withus.meetings.documents import attendance_file

        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"There is no organisation with the short name '{options['organisation']}'.")
        user = User.objects.filter(email__iexact=options["as_email"]).first()
        if user is None:
            raise CommandError(f"No user '{options['as_email']}'.")
        start = parse_day(options["start"]) if options.get("start") else None
        end = parse_day(options["end"]) if options.get("end") else None
        if start and end and end < start:
            raise CommandError("--to must be on or after --from.")
        try:
            sessions = selectors.sessions_for_staff(user, organisation)
        except PermissionDenied:
            raise CommandError(f"{user.email} may not see {organisation}'s sessions.") from None
        _name, content = attendance_file(sessions, organisation, options["format"], start=start, end=end)
        path = Path(options["output"])
        try:
            pieces = iter(lambda: content.read(64 * 1024), b"") if options["format"] == "xlsx" else content
            write_atomically(path, (p.encode() if isinstance(p, str) else p for p in pieces))
        except OSError as error:
            raise CommandError(f"Could not write {path}: {error.strerror or error}.") from error
        self.stdout.write(f"Wrote the attendance to {path}.")

    def letters(self, *, day: date, organisation_slug: str | None, output: str | None, reprint: bool) -> None:
        if organisation_slug and not Organisation.objects.filter(slug=organisation_slug).exists():
            raise CommandError(f"There is no organisation with the short name '{organisation_slug}'.")
        invitations = list(letter_invitations(day, organisation_slug=organisation_slug, reprint=reprint))
        day_text = format_date(day, "j F Y")
        if not invitations:
            self.stdout.write(f"No letters to print for sessions on {day_text}.")
            return
        letters = [batch_letter(invitation) for invitation in invitations]
        content = letters_pdf(letters)
        suffix = f"-{organisation_slug}" if organisation_slug else ""
        path = Path(output or f"letters-{day.isoformat()}{suffix}.pdf")
        try:
            write_atomically(path, content)
        except OSError as error:
            raise CommandError(
                f"Could not write {path}: {error.strerror or error}. No letters were marked printed."
            ) from error
        marked = mark_letters_printed([invitation.pk for invitation in invitations])
        count = len(letters)
        self.stdout.write(
            f"Wrote {count} letter{'s' if count != 1 else ''} for sessions on {day_text} to {path}"
            f" ({marked} marked printed now)."
        )
