"""``withus opportunities export --format csv|xlsx [--output FILE]``, ``responses ID --output FILE``, ``notify``,
and ``check-draw ID``.

``export`` writes every opportunity (an XLSX needs ``--output``); ``check-draw`` re-runs a recorded draw.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from withus.core import spreadsheets
from withus.opportunities import documents, selectors, services
from withus.opportunities.models import Draw, Opportunity

EXPORT_COLUMNS = [
    "id",
    "short_code",
    "organisation",
    "title",
    "title_cy",
    "status",
    "level",
    "application_process",
    "where",
    "role_offered",
    "local_authority",
    "location",
    "reward",
    "places",
    "reserves",
    "starts_on",
    "ends_on",
    "closes_on",
    "responses",
    "selected",
    "requires_dbs",
    "co_produced",
]


class Command(BaseCommand):
    help = "Opportunities: export them, or tell members of new ones that fit (run daily from cron)."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="Write every opportunity as CSV or XLSX")
        export.add_argument("--format", choices=sorted(spreadsheets.FILE_FORMATS), default="csv", help="csv or xlsx")
        export.add_argument("--organisation", help="Only this organisation (its short name)")
        export.add_argument("--output", help="File to write (default: standard output)")
        responses = sub.add_parser("responses", help="Write the responses to one opportunity as CSV or XLSX")
        responses.add_argument("opportunity", type=int, help="The opportunity's number (as in its page's address)")
        responses.add_argument("--format", choices=sorted(spreadsheets.FILE_FORMATS), default="csv")
        responses.add_argument("--output", required=True, help="File to write")
        sub.add_parser("notify", help="Tell members about new opportunities that fit them")
        check = sub.add_parser(
            "check-draw", help="Draw again with a recorded draw's seed and inputs, and say whether the result matches"
        )
        check.add_argument("draw", type=int, help="The draw's number (as in its page's address)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "notify":
            told = services.send_opportunity_alerts()
            self.stdout.write(f"Told {told} people about new opportunities.")
            return
        if options["action"] == "check-draw":
            self.check_draw(options["draw"])
            return
        if options["action"] == "responses":
            self.responses(options["opportunity"], spreadsheets.FILE_FORMATS[options["format"]], options["output"])
            return
        qs = (
            Opportunity.objects.select_related("organisation")
            .annotate(
                responses=Count("applications", filter=~Q(applications__status="draft")),
                selected=Count("applications", filter=Q(applications__status="selected")),
            )
            .order_by("organisation__name", "pk")
        )
        if options.get("organisation"):
            qs = qs.filter(organisation__slug=options["organisation"])
            if not qs.exists() and not Opportunity.objects.filter(organisation__slug=options["organisation"]).exists():
                raise CommandError(f"No opportunities for organisation '{options['organisation']}'.")
        if options["format"] == "xlsx":
            if not options.get("output"):
                raise CommandError("An XLSX file cannot go to standard output: give --output FILE.")
            book = spreadsheets.workbook([spreadsheets.Sheet(_("Opportunities"), EXPORT_COLUMNS, self.rows(qs))])
            with book, open(options["output"], "wb") as target:
                shutil.copyfileobj(book, target)
        elif options.get("output"):
            with open(options["output"], "w", newline="", encoding="utf-8") as handle:
                self.write(handle, qs)
        else:
            self.write(sys.stdout, qs)

    def responses(self, pk: int, file_format: spreadsheets.FileFormat, output: str) -> None:
        """The same file as the opportunity's page and the API give (``documents.applications_file``)."""
        opportunity = Opportunity.objects.select_related("organisation").filter(pk=pk).first()
        if opportunity is None:
            raise CommandError(f"No opportunity {pk}.")
        _name, file = documents.applications_file(opportunity, file_format)
        with file, open(output, "wb") as target:
            shutil.copyfileobj(file, target)
        self.stdout.write(f"Wrote the responses to {opportunity.title} to {output}.")

    def check_draw(self, pk: int) -> None:
        """Print what the check found; exit with an error unless the result matches, so scripts can rely on it."""
        record = Draw.objects.select_related("opportunity__organisation").filter(pk=pk).first()
        if record is None:
            raise CommandError(f"No draw {pk}.")
        check = selectors.check_draw(record)
        self.stdout.write(
            f"Draw {record.pk} for {record.opportunity.title} ({record.opportunity.organisation.name}), "
            f"drawn {record.drawn_at:%Y-%m-%d %H:%M}, seed {record.seed}, {record.places} places."
        )
        for difference in check.differences:
            self.stdout.write(
                f"{difference.label}: recorded {difference.recorded!r}, drawing again gives {difference.recomputed!r}"
            )
        if not check.matches:
            raise CommandError(check.summary)
        self.stdout.write(check.summary)

    def write(self, handle: Any, qs: Any) -> None:
        writer = spreadsheets.writer(handle)
        writer.writerow(EXPORT_COLUMNS)
        writer.writerows(self.rows(qs))

    def rows(self, qs: Any) -> Iterator[list[Any]]:
        """Each opportunity's row, typed (dates as dates, counts as numbers), for the CSV and the XLSX alike."""
        for o in qs.iterator(chunk_size=2000):
            yield [
                o.pk,
                o.short_code,
                o.organisation.name,
                o.title,
                o.title_cy,
                o.status,
                o.level,
                o.application_process,
                o.where,
                o.role_offered,
                o.local_authority,
                o.location,
                o.reward,
                o.places,
                o.reserves,
                o.starts_on,
                o.ends_on,
                o.closes_on,
                o.responses,
                o.selected,
                o.requires_dbs,
                o.co_produced,
            ]
