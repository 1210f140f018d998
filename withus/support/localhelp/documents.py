"""The directory of local help as a one-page leaflet (tagged PDF), in the reader's language."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint.document import Document

from withus.accounts.models import Organisation
from withus.core import pdf

from . import selectors
from .models import HelpEntry


def leaflet_html(organisation: Organisation, *, language: str, today: date | None = None) -> str:
    entries = list(HelpEntry.objects.filter(organisation=organisation).order_by("kind", "name", "pk"))
    with translation.override(language):
        return render_to_string(
            "support/localhelp/leaflet.html",
            {
                "lang": language,
                "organisation": organisation.display_name(language),
                "groups": selectors.by_kind(entries),
                "today": today or timezone.localdate(),
            },
        )


def leaflet_document(organisation: Organisation, *, language: str) -> Document:
    return pdf.document(leaflet_html(organisation, language=language), settings.SITE_URL)


def leaflet_pdf(organisation: Organisation, *, language: str) -> bytes:
    return pdf.write_pdf(leaflet_document(organisation, language=language))
