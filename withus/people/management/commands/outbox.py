"""``withus outbox list|letters|done|call --organisation SLUG``: the letters, calls and texts waiting at an
organisation for people who do not use e-mail, from the command line.

``list`` shows what waits, oldest first (``--kind calls``: in the call list's order, with the tries so
far). ``letters`` writes the oldest waiting letters (up to 200)
as one PDF to print, each in its reader's language and format; with ``--posted`` it records them as
posted once the file is written. ``done ID...`` records letters posted, calls made or texts sent.
``call ID... --outcome reached|left_message|no_answer|try_again [--note ...] [--try-after ...]`` records
one call about those messages and how it went (``people.outbox.rules`` says which outcomes finish it).
With ``--as`` the work is that member of staff's (they must coordinate at the organisation);
without it, the server's operator's. Whose address or phone number was shown is recorded, as on
the web.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from withus.accounts.models import Organisation, User
from withus.accounts.roles import COORDINATING
from withus.accounts.selectors import require
from withus.core import progress
from withus.people.models import CallAttempt, OutgoingMessage
from withus.people.outbox import documents, rules, selectors, services


class Command(BaseCommand):
    help = "The outbox: letters to print and post, calls to make and texts to send."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="Show the letters, calls and texts waiting, oldest first")
        letters = sub.add_parser(
            "letters", help=f"Write the oldest waiting letters (up to {selectors.LETTER_BATCH}) as one PDF"
        )
        letters.add_argument("-o", "--output", help="The PDF to write (default: letters-DATE.pdf here)")
        letters.add_argument("--posted", action="store_true", help="Record the letters as posted once written")
        done = sub.add_parser("done", help="Record letters posted, calls made or texts sent")
        done.add_argument("ids", nargs="+", type=int, help="The numbers `list` shows")
        call = sub.add_parser("call", help="Record how a call went, for these waiting messages to one person")
        call.add_argument("ids", nargs="+", type=int, help="The numbers `list` shows (one call may cover several)")
        call.add_argument("--outcome", required=True, choices=CallAttempt.Outcome.values, help="How the call went")
        call.add_argument("--note", default="", help="A short note (up to 500 characters)")
        call.add_argument("--try-after", dest="try_after", help="With try_again: when to ring again (2026-03-27T14:30)")
        for action in (listing, letters, done, call):
            action.add_argument("--organisation", required=True, help="The organisation's short name (slug)")
            action.add_argument("--as", dest="as_email", help="Do it as this member of staff (e-mail)")
        listing.add_argument("--kind", choices=sorted(selectors.WAITING), help="Only letters, calls or texts")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation '{options['organisation']}'.")
        actor = None
        if options.get("as_email"):
            actor = User.objects.filter(email__iexact=options["as_email"]).first()
            if actor is None:
                raise CommandError(f"No user '{options['as_email']}'.")
            try:
                require(actor, organisation, COORDINATING)
            except PermissionDenied:
                raise CommandError(f"{actor.email} does not coordinate at {organisation}.") from None
        getattr(self, f"_{options['action']}")(actor, organisation, options)

    def _list(self, actor: User | None, organisation: Organisation, options: dict[str, Any]) -> None:
        if options.get("kind") == "calls":
            waiting = [m for call in selectors.call_list(organisation) for m in call.messages]
        else:
            waiting = list(selectors.waiting(organisation, options.get("kind")).prefetch_related(selectors.attempts()))
        if not waiting:
            self.stdout.write("Nothing is waiting.")
            return
        for message in waiting:
            person = message.person
            if message.status == OutgoingMessage.Status.TO_PRINT:
                how = "letter to " + ", ".join(person.address_lines() or ["(no address held)"])
            else:
                verb = "call" if message.status == OutgoingMessage.Status.TO_CALL else "text"
                how = f"{verb} {person.phone or '(no phone number held)'}"
                how += self._tries(list(message.call_attempts.all()))
            self.stdout.write(f"{message.pk}\t{person.display_name}\t{how}\t{message.subject}")
        services.record_contacts_shown(reader=actor, organisation=organisation, shown=waiting)

    def _tries(self, attempts: list[CallAttempt]) -> str:
        if not attempts:
            return ""
        said = [f"{len(attempts)} tries, {rules.no_answers(attempts)} no answer"]
        after = rules.try_after(attempts)
        if after is not None:
            said.append(f"try after {timezone.localtime(after):%Y-%m-%d %H:%M}")
        if rules.may_need_letter(attempts):
            said.append("a letter may reach them better")
        return " (" + "; ".join(said) + ")"

    def _letters(self, actor: User | None, organisation: Organisation, options: dict[str, Any]) -> None:
        waiting = list(
            selectors.waiting(organisation, "letters").select_related("organisation")[: selectors.LETTER_BATCH]
        )
        if not waiting:
            self.stdout.write("There are no letters waiting to be printed.")
            return
        output = Path(options.get("output") or f"letters-{timezone.localdate().isoformat()}.pdf")
        with output.open("wb") as out:
            documents.write_letters(waiting, out, progress=progress.bar(self.stderr, "Laying out letters"))
        services.record_contacts_shown(reader=actor, organisation=organisation, shown=waiting)
        self.stdout.write(f"Wrote {len(waiting)} letters to {output}.")
        if options["posted"]:
            services.mark_done(actor=actor, organisation=organisation, message_ids=[m.pk for m in waiting])
            self.stdout.write(f"Recorded {len(waiting)} letters as posted.")

    def _done(self, actor: User | None, organisation: Organisation, options: dict[str, Any]) -> None:
        try:
            marked = services.mark_done(actor=actor, organisation=organisation, message_ids=options["ids"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"Recorded {len(marked)} as done.")

    def _call(self, actor: User | None, organisation: Organisation, options: dict[str, Any]) -> None:
        try_after = None
        if options.get("try_after"):
            try_after = parse_datetime(options["try_after"])
            if try_after is None:
                raise CommandError("--try-after must be a date and time, for example 2026-03-27T14:30.")
            if timezone.is_naive(try_after):
                try_after = timezone.make_aware(try_after)
        try:
            recorded = services.record_call(
                actor=actor,
                organisation=organisation,
                message_ids=options["ids"],
                outcome=options["outcome"],
                note=options["note"],
                try_after=try_after,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        left = "done" if rules.finishes(options["outcome"]) else "still to call"
        self.stdout.write(f"Recorded {options['outcome']} for {len(recorded)} messages: {left}.")
