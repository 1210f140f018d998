"""The printed documents of leaving well: the thank-you certificate, and the letter that offers a
step-down role to someone who prefers post (the certificate comes with it). Both are tagged PDF
in the member's language, made as the certificate of attendance is (``withus.core.pdf``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from withus.core import pdf

from .models import LeavingOffer


def language_of(offer: LeavingOffer) -> str:
    return "cy" if offer.person.prefers_welsh else "en"


def _context(offer: LeavingOffer, language: str) -> dict[str, Any]:
    organisation = offer.organisation
    signed_by = offer.offered_by.get_full_name() if offer.offered_by is not None else ""
    return {
        "lang": language,
        "offer": offer,
        "name": offer.person.full_name,
        "organisation_name": organisation.display_name(language),
        "role": offer.served_as,
        "served_from": offer.served_from,
        "served_until": offer.served_until,
        "signed_by": signed_by,
        "issued": timezone.localdate(),
        "phone": organisation.contact_phone,
        "email": organisation.contact_email,
        "address_lines": offer.person.address_lines(),
        "large_print": offer.person.needs_large_print,
        "site_url": settings.SITE_URL,
    }


def certificate_html(offer: LeavingOffer, *, language: str | None = None) -> str:
    language = language or language_of(offer)
    with translation.override(language):
        return render_to_string("support/leaving/certificate.html", _context(offer, language))


def certificate_pdf(offer: LeavingOffer, *, language: str | None = None) -> bytes:
    """A thank-you certificate naming the organisation, the role served in and its dates (the member's language
    unless ``language`` is given)."""
    return pdf.render_pdf(certificate_html(offer, language=language), settings.SITE_URL)


def letter_pdf(offer: LeavingOffer) -> bytes:
    """The letter offering the step-down role, how to answer it, and the certificate on its own page."""
    language = language_of(offer)
    with translation.override(language):
        html = render_to_string("support/leaving/letter.html", _context(offer, language))
    return pdf.render_pdf(html, settings.SITE_URL)
