"""``withus privacy export PERSON``: everything held about one person, as JSON.

For answering a subject access request that arrives by post or phone, from someone
who does not sign in: the same document the member downloads from "My details".
PERSON is the person's id or e-mail address.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from withus.accounts.models import SecurityEvent
from withus.accounts.services import record_security_event
from withus.core import privacy
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


class Command(BaseCommand):
    help = "Everything held about one person (subject access), as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser("export", help="Write everything held about a person as JSON.")
        export.add_argument("person", help="The person's id or e-mail address.")
        export.add_argument("--output", "-o", help="File to write (default: standard output).")

    def handle(self, *args: Any, **options: Any) -> None:
        person = find_person(options["person"])
        text = json.dumps(privacy.subject_access(person), indent=2, ensure_ascii=False)
        record_security_event(kind=SecurityEvent.Kind.EXPORT, detail=f"person {person.pk} (withus privacy export)")
        if options["output"]:
            Path(options["output"]).write_text(text + "\n", encoding="utf-8")
            self.stderr.write(f"Wrote everything held about person {person.pk} to {options['output']}.")
        else:
            self.stdout.write(text)
