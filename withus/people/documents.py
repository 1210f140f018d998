"""Everything held about a person as a document they can read: a page, and a PDF to print or keep."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from withus.core import pdf, privacy

from . import selectors
from .models import Person


def language_of(person: Person) -> str:
    return "cy" if person.prefers_welsh else "en"


def subject_access_context(person: Person, *, received: date | None = None) -> dict[str, object]:
    """What the page and the PDF show, in the language in force."""
    return {
        "name": person.full_name,
        "sections": privacy.readable(person),
        "generated": timezone.localtime(),
        "received": received,
        "due": selectors.subject_access_deadline(received) if received else None,
        "lang": translation.get_language() or "en",
    }


def subject_access_pdf(person: Person, *, language: str | None = None, received: date | None = None) -> bytes:
    """A tagged PDF of everything held, in ``language`` (the person's own when not given)."""
    with translation.override(language or language_of(person)):
        html = render_to_string("privacy/subject_access_pdf.html", subject_access_context(person, received=received))
    return pdf.render_pdf(html, settings.SITE_URL)


def subject_access_html(person: Person, *, language: str | None = None, received: date | None = None) -> str:
    """The same document as a standalone HTML file, for a request answered by e-mail."""
    with translation.override(language or language_of(person)):
        return render_to_string("privacy/subject_access_pdf.html", subject_access_context(person, received=received))
