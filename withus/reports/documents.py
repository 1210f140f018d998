"""A published version as a tagged PDF and its tables as CSV or XLSX, all from the frozen snapshot.

The CSV and the workbook read the same tables (``_tables``), with counts already held back
where the section's data was made: nothing here recomputes or un-hides a figure.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import IO, Any, Literal

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from withus.core import pdf, spreadsheets

from .models import Version
from .presentation import sections_for_display


def version_html(version: Version, language: str) -> str:
    frozen = version.snapshot["languages"][language]
    with translation.override(language):
        return render_to_string(
            "reports/pdf.html",
            {"lang": language, "report": frozen, "version": version, "sections": sections_for_display(frozen)},
        )


def version_pdf(version: Version, language: str, base_url: str) -> bytes:
    return pdf.render_pdf(version_html(version, language), base_url)


def _tables(sections: list[dict[str, Any]]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    for section in sections:
        for table in section["data"].get("tables", []):
            yield section, table


def tables_csv(sections: list[dict[str, Any]]) -> str:
    """Every table of the report, one after another, each headed by its section and title."""
    out = io.StringIO()
    writer = spreadsheets.writer(out)
    for section, table in _tables(sections):
        writer.writerow([section["title"], table["title"]])
        writer.writerow(table["columns"])
        writer.writerows(table["rows"])
        writer.writerow([])
    return out.getvalue()


def tables_sheets(sections: list[dict[str, Any]]) -> list[spreadsheets.Sheet]:
    """A contents sheet (which sheet holds which section's table, and what an empty count means), then the tables."""
    taken: set[str] = set()
    contents_title = spreadsheets.sheet_title(_("Contents"), taken)
    contents: list[list[Any]] = []
    sheets: list[spreadsheets.Sheet] = []
    for section, table in _tables(sections):
        title = str(table["title"])
        name = spreadsheets.sheet_title(title[:1].upper() + title[1:], taken)
        held_back = section["data"].get("held_back", "")
        contents.append([name, section["title"], title, held_back, "; ".join(table.get("sources", []))])
        sheets.append(spreadsheets.Sheet(name, table["columns"], table["rows"]))
    columns = [_("Sheet"), _("Section"), _("Table"), _("An empty count means"), _("Sources")]
    return [spreadsheets.Sheet(contents_title, columns, contents), *sheets]


TableFormat = Literal["csv", "xlsx"]
TABLE_FORMATS: dict[str, TableFormat] = {"csv": "csv", "xlsx": "xlsx"}
CONTENT_TYPES: dict[str, str] = {"csv": "text/csv; charset=utf-8", "xlsx": spreadsheets.XLSX_CONTENT_TYPE}


def tables_file(sections: list[dict[str, Any]], language: str, file_format: TableFormat) -> IO[bytes]:
    """The tables as a CSV or an XLSX file, at its start; the workbook's own headings are in ``language``."""
    with translation.override(language):
        if file_format == "csv":
            return io.BytesIO(tables_csv(sections).encode())
        return spreadsheets.workbook(tables_sheets(sections))


def version_tables(version: Version, language: str, file_format: TableFormat) -> tuple[str, IO[bytes]]:
    """A published version's tables in ``language``, and the file's name: the web, the API and the CLI use this."""
    report = version.report
    name = f"annual-report-{report.organisation.slug}-{report.year}-v{version.number}-{language}.{file_format}"
    return name, tables_file(version.snapshot["languages"][language]["sections"], language, file_format)
