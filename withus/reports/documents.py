"""A published version as a tagged PDF and its tables as CSV, both from the frozen snapshot."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from withus.core import pdf

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


def tables_csv(sections: list[dict[str, Any]]) -> str:
    """Every table of the report, one after another, each headed by its section and title."""
    out = io.StringIO()
    writer = csv.writer(out)
    for section in sections:
        for table in section["data"].get("tables", []):
            writer.writerow([section["title"], table["title"]])
            writer.writerow(table["columns"])
            for row in table["rows"]:
                writer.writerow(["" if v is None else v for v in row])
            writer.writerow([])
    return out.getvalue()
