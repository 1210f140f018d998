"""The responses to an opportunity as a file (CSV or XLSX) for staff to take away: web, API and CLI use this.

The same fields as the staff list and the API give: who, where their response has got to, its
place on the waiting list and when it was sent and decided. Never what they wrote about their
health or the support they need.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import IO

from django.utils import timezone
from django.utils.translation import gettext as _

from withus.core import spreadsheets

from . import selectors
from .models import Opportunity

APPLICATION_COLUMNS = ["application_id", "person", "status", "reason", "waiting_position", "submitted_at", "decided_at"]


def application_rows(opportunity: Opportunity) -> Iterator[list[object]]:
    """One row per response staff may see, in the staff list's order; dates as dates, positions as numbers."""
    found = selectors.applications_for(opportunity).prefetch_related(None)
    for application in found.iterator(chunk_size=2000):
        yield [
            application.pk,
            application.person.full_name,
            application.get_status_display(),
            application.status_reason,
            application.waiting_position,
            application.submitted_at,
            application.decided_at,
        ]


def applications_file(opportunity: Opportunity, file_format: spreadsheets.FileFormat) -> tuple[str, IO[bytes]]:
    """The opportunity's responses as CSV or XLSX, and the file's name."""
    name = f"withus-opportunity-{opportunity.pk}-responses-{timezone.localdate().isoformat()}.{file_format}"
    rows = application_rows(opportunity)
    if file_format == "xlsx":
        return name, spreadsheets.workbook([spreadsheets.Sheet(_("Responses"), APPLICATION_COLUMNS, rows)])
    return name, io.BytesIO("".join(spreadsheets.csv_pieces(APPLICATION_COLUMNS, rows)).encode())
