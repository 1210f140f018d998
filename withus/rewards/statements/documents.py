"""A statement as CSV, XLSX, HTML and tagged PDF; the record for a CV as HTML and PDF; in the person's language."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import IO, Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from withus.core import pdf, spreadsheets
from withus.groups.models import Appointment
from withus.people.models import Person
from withus.rewards.models import IncomeLine

from .selectors import WELSH, Statement, StatementTotals, record, statement_lines

CSV_COLUMNS = [
    "section",
    "paid_on",
    "activity_date",
    "organisation",
    "kind",
    "description",
    "expense_category",
    "hours",
    "amount",
    "paid_by",
    "funded_by",
]


STREAM_PIECE = 32 * 1024  # characters of CSV handed on at a time
PLACES = Decimal("0.01")


def statement_csv(person: Person, tax_year_start: date) -> Iterator[str]:
    """The statement for the tax year starting on ``tax_year_start`` as CSV, a row at a time.

    UTF-8, comma separated, a header row, one row per line. A generator: the lines are
    read from the database a chunk at a time (``selectors.statement_lines``) and the
    totals added up as they pass, so a statement of any length streams in little memory.

    Columns:

    - ``section``: ``payment`` (a fee or voucher paid), ``expense`` (an expense repaid),
      ``organisation_total`` or ``total``
    - ``paid_on``: the date it was paid, in Wales (YYYY-MM-DD); blank on total rows
    - ``activity_date``: the date of the activity it was for (YYYY-MM-DD); blank on total rows
    - ``organisation``: the organisation that paid; blank on the overall total rows
    - ``kind``: ``fee``, ``voucher`` or ``expense``; on total rows, ``payments`` or ``expenses``
    - ``description``: what it was for
    - ``expense_category``: for expenses, the kind of expense in words
    - ``hours``: paid hours, for fees and vouchers
    - ``amount``: pounds and pence with two decimal places, no currency sign (e.g. ``1234.50``)
    - ``paid_by``: how it was paid (bank transfer, cash ...), when recorded
    - ``funded_by``: when ``organisation`` paid at arm's length, as an independent host, the
      organisation whose work it was for, which funded it; blank otherwise

    Total rows follow the lines: for each organisation one ``organisation_total`` row
    for payments and one for expenses, then two ``total`` rows. Amounts add up exactly.
    """
    return spreadsheets.csv_pieces(CSV_COLUMNS, statement_rows(person, tax_year_start), piece=STREAM_PIECE)


def _two_places(value: Decimal) -> Decimal:
    # Rounded as ``f"{value:.2f}"`` rounds (half to even), so the CSV reads as it always has.
    return value.quantize(PLACES)


def statement_rows(person: Person, tax_year_start: date) -> Iterator[list[Any]]:
    """The statement's rows (``statement_csv`` lists the columns), typed: dates, ``Decimal`` hours and amounts.

    The CSV and the XLSX are written from these; a blank cell is ``None``.
    """
    totals = StatementTotals()
    for line in statement_lines(person, tax_year_start):
        totals.add(line)
        yield [
            "expense" if line.kind == IncomeLine.Kind.EXPENSE else "payment",
            line.paid_on,
            line.activity_date,
            line.organisation,
            line.kind,
            line.description,
            line.category,
            _two_places(line.hours) if line.kind != IncomeLine.Kind.EXPENSE else None,
            _two_places(line.amount),
            line.method,
            line.funded_by,
        ]
    for total in totals.by_organisation:
        for kind, amount in (("payments", total.payments), ("expenses", total.expenses)):
            yield ["organisation_total", None, None, total.organisation, kind, None, None, None,
                   _two_places(amount), None, None]  # fmt: skip
    for kind, amount in (("payments", totals.payments_total), ("expenses", totals.expenses_total)):
        yield ["total", None, None, None, kind, None, None, None, _two_places(amount), None, None]


def statement_filename(tax_year_start: date, file_format: spreadsheets.FileFormat) -> str:
    year = tax_year_start.year
    return f"statement-{year}-{(year + 1) % 100:02d}.{file_format}"


def statement_xlsx(person: Person, tax_year_start: date) -> IO[bytes]:
    """The statement as an XLSX workbook, at its start: the CSV's columns and rows, in one sheet."""
    year = tax_year_start.year
    title = _("Statement %(year)s") % {"year": f"{year}-{(year + 1) % 100:02d}"}
    return spreadsheets.workbook([spreadsheets.Sheet(title, CSV_COLUMNS, statement_rows(person, tax_year_start))])


def statement_html(statement: Statement, *, today: date | None = None) -> str:
    """The statement's HTML for print, in the person's language."""
    with translation.override(statement.language):
        return render_to_string(
            "rewards/statements/statement.html",
            {
                "lang": statement.language,
                "large_print": statement.person.needs_large_print,
                "name": statement.person.full_name,
                "statement": statement,
                "today": today or timezone.localdate(),
            },
        )


def statement_pdf(statement: Statement) -> bytes:
    """The statement as a tagged PDF."""
    return pdf.render_pdf(statement_html(statement), settings.SITE_URL)


def record_html(person: Person, *, today: date | None = None) -> str:
    contents = record(person)
    with translation.override(contents.language):
        return render_to_string(
            "rewards/statements/record.html",
            {
                "lang": contents.language,
                "large_print": person.needs_large_print,
                "name": person.full_name,
                "record": contents,
                "roles": [_role(a, contents.language) for a in contents.roles],
                "today": today or timezone.localdate(),
            },
        )


def _role(appointment: Appointment, language: str) -> dict[str, Any]:
    group = appointment.group
    name = group.name_cy if language == WELSH and group.name_cy else group.name
    return {
        "group": name,
        "organisation": group.organisation.display_name(language),
        "seat": appointment.get_seat_display(),
        "start": appointment.term_start,
        "end": appointment.ended_on,
        "planned_end": appointment.planned_end,
    }


def record_pdf(person: Person) -> bytes:
    """The record for a CV as a tagged PDF, in the person's language."""
    return pdf.render_pdf(record_html(person), settings.SITE_URL)
