"""``withus interests list --organisation SLUG`` and ``withus interests review`` (daily): the register
of interests from the command line.

``list`` writes the organisation's register (every current declaration of its members and staff)
as tab-separated lines, with ``--as`` what that member of staff may see. ``review`` asks each holder
of declarations not reviewed in a year whether they are still right, once per review.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from withus.accounts.models import Organisation, User
from withus.concerns.interests import selectors, services
from withus.concerns.interests.models import Interest


class Command(BaseCommand):
    help = "The register of interests: list an organisation's, and ask for the yearly review (daily)."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="The organisation's current declarations, tab-separated")
        listing.add_argument("--organisation", required=True, help="The organisation's short name (slug)")
        listing.add_argument("--as", dest="as_email", help="What this member of staff may see (e-mail)")
        review = sub.add_parser("review", help="Ask holders of declarations not reviewed in a year (daily)")
        review.add_argument("--date", help="The day to judge from, year-month-day (default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "review":
            try:
                today = date.fromisoformat(options["date"]) if options.get("date") else None
            except ValueError:
                raise CommandError(f"--date must be written year-month-day; '{options['date']}' is not.") from None
            asked = services.remind_reviews(today=today)
            self.stdout.write(f"Asked {asked} people whether their declared interests are still right.")
            return
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation '{options['organisation']}'.")
        if options.get("as_email"):
            viewer = User.objects.filter(email__iexact=options["as_email"]).first()
            if viewer is None:
                raise CommandError(f"No user '{options['as_email']}'.")
            try:
                found = selectors.register(viewer, organisation)
            except PermissionDenied:
                raise CommandError(f"{viewer.email} may not see the register of {organisation}.") from None
        else:
            found = selectors.operator_register(organisation)
        self.stdout.write("body\tdeclared_by\tstaff\tkind\tdescription\tfrom\tuntil\thow\treviewed_on")
        for interest in found.iterator(chunk_size=500):
            self.stdout.write("\t".join(_row(interest)))


def _row(interest: Interest) -> list[str]:
    def clean(text: str) -> str:
        return " ".join(text.split())

    return [
        clean(interest.body),
        clean(interest.holder_name),
        "yes" if interest.user_id else "no",
        interest.kind,
        clean(interest.description),
        interest.starts_on.isoformat() if interest.starts_on else "",
        interest.ends_on.isoformat() if interest.ends_on else "",
        interest.how,
        interest.reviewed_on.isoformat(),
    ]
