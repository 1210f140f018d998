"""``withus privacy export|erase|purge|replay|letters``: subject access and erasure from the command line.

``export PERSON``: everything held about one person, for a request made in writing.

For answering a subject access request that arrives by post or phone, from someone
who does not sign in: the same document the member reads and downloads from "My
details", as JSON (for another system), HTML or PDF (to send to the person, in their
language). PERSON is the person's id or e-mail address. ``--received`` gives the day
the request arrived, and the answer says when it is due (one calendar month later).
Every export is written down as a security event.

``erase PERSON --yes``: erase a person on a written request (without ``--yes`` it only
says what would go and stay). ``purge`` (daily, from cron): finish erasures that waited
for a payment, and remove payment ledgers whose 6 years are up. ``replay``: after a
backup is restored, apply again every erasure in the erasure log. ``letters --output
FILE``: the confirmation letters to print for people who asked by post.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from withus.accounts.models import SecurityEvent
from withus.accounts.services import record_security_event
from withus.core import privacy
from withus.people import documents, erasure, selectors
from withus.people.models import Erasure, Person


def find_person(ref: str) -> Person:
    """A person by id, or by an e-mail address only one person has."""
    if ref.isdigit():
        person = Person.objects.filter(pk=int(ref)).first()
    else:
        matches = list(Person.objects.filter(email__iexact=ref.strip())[:2])
        if len(matches) > 1:
            raise CommandError(f"More than one person has the e-mail address {ref}: give their id instead.")
        person = matches[0] if matches else None
    if person is None:
        raise CommandError(f"No person {ref}.")
    return person


def received_on(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--received must be a date like 2026-12-01, not {text!r}.") from None


class Command(BaseCommand):
    help = "Everything held about one person (subject access), as JSON, HTML or PDF."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser("export", help="Write everything held about a person.")
        export.add_argument("person", help="The person's id or e-mail address.")
        export.add_argument("--format", choices=["json", "html", "pdf"], default="json")
        export.add_argument("--output", "-o", help="File to write (default: standard output; needed for pdf).")
        export.add_argument("--received", help="The day the request arrived (YYYY-MM-DD), to say when it is due.")
        export.add_argument("--language", choices=["en", "cy"], help="Default: the person's own.")
        erase = actions.add_parser("erase", help="Erase a person's details on a written request.")
        erase.add_argument("person", help="The person's id or e-mail address.")
        erase.add_argument("--waive-unpaid", action="store_true", help="They give up approved fees not yet paid.")
        erase.add_argument("--received", help="The day the request arrived (YYYY-MM-DD), for the record.")
        erase.add_argument("--yes", action="store_true", help="Do it. Without this, only say what would happen.")
        purge = actions.add_parser("purge", help="Finish waiting erasures; remove ledgers whose time is up (daily).")
        purge.add_argument("--today", help="The day to count from (YYYY-MM-DD); default today.")
        replay = actions.add_parser("replay", help="Apply the erasure log again, after restoring a backup.")
        replay.add_argument("--log", help="The erasure log (default: WITHUS_ERASURE_LOG).")
        letters = actions.add_parser("letters", help="Print the confirmation letters of erasures.")
        letters.add_argument("--output", "-o", required=True, help="The PDF file to write.")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "erase":
            return self.erase(options)
        if action == "purge":
            return self.purge(options)
        if action == "replay":
            found = erasure.replay(Path(options["log"]) if options["log"] else None)
            self.stdout.write(
                f"Erased again: {len(found.applied)}. Already erased or not in this database: {len(found.already)}."
            )
            return None
        if action == "letters":
            return self.letters(options["output"])
        return self.export(options)

    def erase(self, options: dict[str, Any]) -> None:
        person = find_person(options["person"])
        if person.erased_at is not None:
            raise CommandError(f"Person {person.pk} has already been erased.")
        found = erasure.plan(person)
        for item in found.kept:
            until = f"{item.until:%d %B %Y}" if item.until else "-"
            self.stdout.write(f"Stays, without identity: {item.what} ({item.count}), until {until}.")
        for owed in found.owed:
            on_way = "" if owed.can_waive else " (already sent to the bank)"
            self.stdout.write(f"Owed to them: {owed.what}, {owed.count}, £{owed.total}{on_way}.")
        if not options["yes"]:
            self.stdout.write("Nothing erased: run again with --yes to erase.")
            return
        done = erasure.request_erasure(person=person, via=Erasure.Via.COMMAND, waive_unpaid=options["waive_unpaid"])
        received = received_on(options["received"])
        noted = f" (request received {received:%d %B %Y})" if received else ""
        if done.status == Erasure.Status.DONE:
            self.stdout.write(f"Erased: reference {done.reference}{noted}. Confirmation: {done.confirmation}.")
        else:
            self.stdout.write(
                f"Waiting: reference {done.reference}{noted}. It is done once what is owed has been paid "
                "(withus privacy purge, daily)."
            )

    def purge(self, options: dict[str, Any]) -> None:
        today = received_on(options["today"])
        done = erasure.purge(today)
        lines = sum(done.ledger_lines.values())
        self.stdout.write(
            f"Erasures finished: {done.erased}. Payment lines removed: {lines}. "
            f"Records of erased people removed: {done.records_removed}."
        )

    def letters(self, output: str) -> None:
        waiting = erasure.letters_to_print()
        if not waiting:
            self.stdout.write("No confirmation letters to print.")
            return
        path = Path(output)
        try:
            path.write_bytes(erasure.letters_pdf(waiting))
        except OSError as error:
            raise CommandError(
                f"Could not write {path}: {error.strerror or error}. No letter was marked printed."
            ) from None
        erasure.mark_letters_printed(waiting)
        self.stdout.write(f"Wrote {len(waiting)} confirmation letters to {path}; their addresses have been removed.")

    def export(self, options: dict[str, Any]) -> None:
        person = find_person(options["person"])
        received = received_on(options["received"])
        output = options["output"]
        kind = options["format"]
        if kind == "pdf" and not output:
            raise CommandError("A PDF needs --output FILE.")
        if kind == "json":
            content: str | bytes = json.dumps(privacy.subject_access(person), indent=2, ensure_ascii=False) + "\n"
        elif kind == "html":
            content = documents.subject_access_html(person, language=options["language"], received=received)
        else:
            content = documents.subject_access_pdf(person, language=options["language"], received=received)
        record_security_event(kind=SecurityEvent.Kind.EXPORT, detail=f"person {person.pk} (withus privacy export)")
        if output:
            path = Path(output)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
            self.stderr.write(f"Wrote everything held about person {person.pk} to {output}.")
        else:
            self.stdout.write(str(content), ending="")
        if received:
            self.stderr.write(
                f"Received {received:%d %B %Y}: answer by {selectors.subject_access_deadline(received):%A %d %B %Y}."
            )
