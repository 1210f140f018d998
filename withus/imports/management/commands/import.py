"""``withus import people FILE --organisation SLUG --as EMAIL [--mapping NAME] [--dry-run]``: bring an existing
register in from the command line, as the page does.

The columns are matched by the saved mapping ``--mapping`` names, or else guessed from their names (the
match is printed). Every row is checked first; ``--dry-run`` stops there and prints what would happen and
every row with a problem. Without it the good rows are imported in one transaction; rows that match someone
registered are skipped unless ``--duplicates merge`` or ``keep_apart`` says otherwise. ``withus import undo
ID`` takes an import back within its undo period; ``withus import list`` shows the organisation's imports.
``withus import opportunities FILE`` and ``withus import attendance FILE`` bring history in the same way
(opportunities run before WithUs; who came to past meetings, once the people are registered).
The work is the admin's that ``--as`` names, and is done here, however long the file, with a progress bar.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from withus.accounts.models import Organisation, User
from withus.accounts.roles import ADMINISTERING
from withus.accounts.selectors import require
from withus.core import progress
from withus.imports import rules, selectors, services
from withus.imports.models import Kind, LawfulBasis, RegisterImport


class Command(BaseCommand):
    help = "Bring an existing register in from a CSV or XLSX file, check it first, and undo it."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        people = sub.add_parser("people", help="Import people from a CSV or XLSX register")
        people.add_argument("file", help="The CSV (UTF-8) or XLSX file")
        people.add_argument("--mapping", help="A mapping saved on the import page, by its name")
        people.add_argument("--save-mapping", dest="save_mapping", default="", help="Remember this match by this name")
        people.add_argument("--lawful-basis", dest="lawful_basis", choices=LawfulBasis.values, default="consent")
        people.add_argument("--basis-note", dest="basis_note", default="", help="Where the lawful basis is recorded")
        people.add_argument("--dry-run", action="store_true", help="Check every row and write nothing")
        people.add_argument(
            "--duplicates", choices=services.DECISIONS, default="skip", help="Rows matching someone registered"
        )
        people.add_argument("--no-welcome", action="store_true", help="Send no welcome to the people added")
        history = []
        for kind, text in (
            ("opportunities", "Import opportunities run before WithUs (closed, or drafts if still to come)"),
            ("attendance", "Import who came to past meetings (the people must be registered first)"),
        ):
            found = sub.add_parser(kind, help=text)
            found.add_argument("file", help="The CSV (UTF-8) or XLSX file")
            found.add_argument("--mapping", help="A mapping saved on the import page, by its name")
            found.add_argument("--save-mapping", dest="save_mapping", default="", help="Remember this match by name")
            found.add_argument("--dry-run", action="store_true", help="Check every row and write nothing")
            found.set_defaults(lawful_basis="", basis_note="", duplicates="skip", no_welcome=True)
            history.append(found)
        undo = sub.add_parser("undo", help="Undo an import as a whole")
        undo.add_argument("id", type=int, help="The import's number (as `list` shows)")
        listing = sub.add_parser("list", help="The organisation's imports")
        for action in (people, *history, undo, listing):
            action.add_argument("--organisation", required=True, help="The organisation's short name (slug)")
            action.add_argument("--as", dest="as_email", required=True, help="An admin of the organisation (e-mail)")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation '{options['organisation']}'.")
        actor = User.objects.filter(email__iexact=options["as_email"]).first()
        if actor is None:
            raise CommandError(f"No user '{options['as_email']}'.")
        try:
            require(actor, organisation, ADMINISTERING)
        except PermissionDenied:
            raise CommandError(f"{actor.email} is not an admin of {organisation}.") from None
        try:
            getattr(self, f"_{options['action']}")(actor, organisation, options)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None

    def _progress(self, done: int, total: int) -> None:
        progress.bar(self.stderr, "Checking rows")(done, total)

    def _people(self, actor: User, organisation: Organisation, options: dict[str, Any]) -> None:
        self._bring_in(actor, organisation, options, Kind.PEOPLE)

    def _opportunities(self, actor: User, organisation: Organisation, options: dict[str, Any]) -> None:
        self._bring_in(actor, organisation, options, Kind.OPPORTUNITIES)

    def _attendance(self, actor: User, organisation: Organisation, options: dict[str, Any]) -> None:
        self._bring_in(actor, organisation, options, Kind.ATTENDANCE)

    def _bring_in(self, actor: User, organisation: Organisation, options: dict[str, Any], kind: str) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No file '{path}'.")
        found = services.upload(
            actor=actor, organisation=organisation, data=path.read_bytes(), file_name=path.name, kind=kind
        )
        mapping = found.column_mapping
        fields = rules.fields_of(kind)
        if options.get("mapping"):
            saved = selectors.mappings_of(organisation, kind).filter(name=options["mapping"]).first()
            if saved is None:
                services.abandon(actor=actor, register_import=found)
                raise CommandError(f"No saved mapping '{options['mapping']}'.")
            by_name = {rules.key(h): i for i, h in enumerate(found.headers)}
            missing = [h for h in saved.columns if rules.key(h) not in by_name]
            if missing:
                services.abandon(actor=actor, register_import=found)
                raise CommandError(
                    f"The file has no column {', '.join(repr(h) for h in missing)} that the mapping uses."
                )
            mapping = {by_name[rules.key(h)]: f for h, f in saved.columns.items()}
        for index, header in enumerate(found.headers):
            field = mapping.get(index)
            label = fields[field].label if field in fields else "(not imported)"
            self.stdout.write(f"  {rules.column_letter(index)} {header!r} -> {label}")
        try:
            found = services.set_mapping(
                actor=actor,
                register_import=found,
                mapping=mapping,
                lawful_basis=options["lawful_basis"],
                lawful_basis_note=options["basis_note"],
                mapping_name=options["save_mapping"],
                send_welcome=not options["no_welcome"],
                progress=self._progress,
                background=False,
            )
        except ValidationError:
            services.abandon(actor=actor, register_import=found)
            raise
        for problem in selectors.problems(found):
            self.stdout.write(f"row {problem['row']} {problem['name']!r}: {'; '.join(problem['problems'])}")
        matches = [c for c in found.checks if kind == Kind.PEOPLE and c["match"] is not None and not c["problems"]]
        for match in matches:
            self.stdout.write(f"row {match['row']} matches person {match['match']} by {match['match_by']}")
        if options["dry_run"]:
            found = services.decide(
                actor=actor, register_import=found, decisions={m["row"]: options["duplicates"] for m in matches}
            )
            self._counts(found, "Would add")
            services.abandon(actor=actor, register_import=found)
            self.stdout.write("Dry run: nothing was written.")
            return
        found = services.confirm(
            actor=actor,
            register_import=found,
            decisions={m["row"]: options["duplicates"] for m in matches},
            progress=self._progress,
            background=False,
        )
        self._counts(found, "Added")
        self.stdout.write(
            f"Import {found.pk}: undo it with `withus import undo {found.pk}` until {found.undo_until:%Y-%m-%d %H:%M}."
        )

    def _counts(self, found: RegisterImport, verb: str) -> None:
        c = found.counts
        sessions = f", with {c['sessions']} past sessions" if "sessions" in c else ""
        self.stdout.write(
            f"{verb} {c['added']}{sessions}, updated {c['updated']}, skipped {c['skipped']} "
            f"({c['problems']} with a problem) of {c['rows']} rows."
        )

    def _undo(self, actor: User, organisation: Organisation, options: dict[str, Any]) -> None:
        found = selectors.imports_of(actor, organisation).filter(pk=options["id"]).first()
        if found is None:
            raise CommandError(f"No import {options['id']} at {organisation}.")
        services.undo(actor=actor, register_import=found)
        self.stdout.write(f"Import {found.pk} is undone.")

    def _list(self, actor: User, organisation: Organisation, options: dict[str, Any]) -> None:
        for found in selectors.imports_of(actor, organisation)[:100]:
            c = found.counts
            self.stdout.write(
                f"{found.pk}\t{found.created_at:%Y-%m-%d}\t{found.get_kind_display()}\t{found.get_status_display()}\t"
                f"{found.file_name}\t"
                f"added {c.get('added', 0)}, updated {c.get('updated', 0)}, skipped {c.get('skipped', 0)}"
            )
