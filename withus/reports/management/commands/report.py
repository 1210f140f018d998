"""``withus report draft|publish|tables --organisation SLUG --year YEAR ...``: the annual engagement report.

``draft`` starts the year's report from the records (or says it is already started);
``publish`` freezes a new version at its stable address, refused while any section lacks
its narrative in English or Welsh. Both act as the member of staff given with ``--as``,
or else as the organisation's longest-standing coordinator or administrator, and
are refused to anyone who may not do it on the web.

``tables --format csv|xlsx --output FILE [--version N] [--language en|cy]`` writes a published
version's tables (the latest unless ``--version``) as the public download does: only
published versions, which anyone may read, so it acts as nobody.
"""

from __future__ import annotations

import shutil
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404
from django.urls import reverse

from withus.accounts.models import Membership, Organisation, User
from withus.accounts.roles import COORDINATING
from withus.reports import documents, selectors, services
from withus.reports.models import AnnualReport


class Command(BaseCommand):
    help = "The annual engagement report: draft it from the records, publish a new version, or write its tables."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        for name, text in (("draft", "Draft the year's report"), ("publish", "Publish a new version")):
            action = sub.add_parser(name, help=text)
            action.add_argument("--organisation", required=True, help="The organisation's short name (slug)")
            action.add_argument("--year", required=True, type=int, help="The tax year it starts: 2026 for 2026/27")
            action.add_argument("--as", dest="as_email", help="Act as this member of staff (e-mail)")
        tables = sub.add_parser("tables", help="Write a published version's tables as CSV or XLSX")
        tables.add_argument("--organisation", required=True, help="The organisation's short name (slug)")
        tables.add_argument("--year", required=True, type=int, help="The tax year it starts: 2026 for 2026/27")
        tables.add_argument("--version", dest="number", type=int, help="The version (the latest if not given)")
        tables.add_argument("--language", choices=["en", "cy"], default="en", help="English or Welsh (en)")
        tables.add_argument("--format", choices=sorted(documents.TABLE_FORMATS), default="xlsx", help="csv or xlsx")
        tables.add_argument("--output", required=True, help="The file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation has the short name {options['organisation']!r}.")
        if options["action"] == "tables":
            self._tables(organisation, options)
            return
        actor = self._actor(organisation, options["as_email"])
        year = options["year"]
        try:
            if options["action"] == "draft":
                report = services.draft(actor=actor, organisation=organisation, year=year)
                empty = services.empty_sections(report)
                self.stdout.write(
                    f"The {year} report is drafted. Sections still to write: {', '.join(empty) or 'none'}."
                )
                return
            found = AnnualReport.objects.filter(organisation=organisation, year=year).first()
            if found is None:
                raise CommandError(f"There is no {year} report: draft it first.")
            version = services.publish(actor=actor, report=found)
        except PermissionDenied as error:
            raise CommandError(f"{actor.email} may not do this at {organisation.name}.") from error
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        address = reverse("reports:public_version", args=[organisation.slug, year, version.number])
        self.stdout.write(f"Version {version.number} is published at {settings.SITE_URL.rstrip('/')}{address}")

    def _tables(self, organisation: Organisation, options: dict[str, Any]) -> None:
        try:
            version = selectors.published_version(organisation, options["year"], options["number"])
        except Http404 as error:
            year, number = options["year"], options["number"]
            if number:
                raise CommandError(f"Version {number} of the {year} report is not published.") from error
            raise CommandError(f"No version of the {year} report is published.") from error
        _name, file = documents.version_tables(version, options["language"], options["format"])
        with file, open(options["output"], "wb") as out:
            shutil.copyfileobj(file, out)
        self.stdout.write(f"The tables of version {version.number} are written to {options['output']}.")

    def _actor(self, organisation: Organisation, email: str | None) -> User:
        if email:
            user = User.objects.filter(email__iexact=email).first()
            if user is None:
                raise CommandError(f"No account has the e-mail {email}.")
            return user
        membership = (
            Membership.objects.filter(organisation=organisation, role__in=COORDINATING)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if membership is not None:
            return membership.user
        raise CommandError("The organisation has no administrator or coordinator: give --as EMAIL.")
