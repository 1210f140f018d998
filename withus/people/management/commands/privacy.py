"""``withus privacy export PERSON``: everything held about one person, for a request made in writing.

For answering a subject access request that arrives by post or phone, from someone
who does not sign in: the same document the member reads and downloads from "My
details", as JSON (for another system), HTML or PDF (to send to the person, in their
language). PERSON is the person's id or e-mail address. ``--received`` gives the day
the request arrived, and the answer says when it is due (one calendar month later).
Every export is written down as a security event.
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
from withus.people import documents, selectors
from withus.people.models import Person


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

    def handle(self, *args: Any, **options: Any) -> None:
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
