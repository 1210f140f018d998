"""Printed leaflets and posters, for reaching people who are not online yet (PRODUCT.md §C2).

They go on the walls and counters of GP surgeries, community mental health teams,
pharmacies, drop-ins and food banks, so they lead with a phone number and a person to
ask for, and carry a QR code and a short link for those who do have a phone. English
unless the address asks for Welsh with ``?lang=cy`` (the same rule as the feeds).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from withus.core.pdf import document as render_document
from withus.core.pdf import qr_code_data_uri, write_pdf

from .feeds import WELSH, requested_language
from .models import Opportunity
from .selectors import BoardFilter, board, public_opportunity

POSTER_LIMIT = 12
POSTER_SIZES = (POSTER_LIMIT, 10, 8, 6)  # tried in turn until the poster fits on one page


def _without_scheme(url: str) -> str:
    """What people type: browsers add the https:// themselves."""
    return url.split("://", 1)[-1]


def _document(request: HttpRequest, template: str, context: dict[str, Any]) -> Any:
    # Looked up in this module at call time, so tests can read the very document laid out.
    html = render_to_string(template, context, request=request)
    return render_document(html, request.build_absolute_uri("/"))


def _pdf_response(document: Any, filename: str) -> HttpResponse:
    return HttpResponse(
        write_pdf(document),
        content_type="application/pdf",
        headers={
            "Content-Disposition": content_disposition_header(False, filename),
            # LocaleMiddleware would label it with the interface language; keep the document's own.
            "Content-Language": translation.get_language(),
        },
    )


def _leaflet_context(request: HttpRequest, opportunity: Opportunity) -> dict[str, Any]:
    organisation = opportunity.organisation
    contact = opportunity.contact
    short_url = request.build_absolute_uri(reverse("opportunities:short_link", args=[opportunity.short_code]))
    return {
        "opportunity": opportunity,
        "title": opportunity.text("title"),
        "purpose": opportunity.text("purpose"),
        "time_commitment": opportunity.text("time_commitment"),
        "reward_details": opportunity.text("reward_details"),
        "accessibility": opportunity.text("accessibility"),
        "organisation_name": str(organisation),
        "contact_name": contact.get_full_name(),
        "phone": organisation.contact_phone,
        # The contact person's own address is already on the public page; use it only when
        # the organisation has no general one, so nobody is left without a way to reply.
        "email": organisation.contact_email or contact.email,
        "short_url": short_url,
        "short_url_text": _without_scheme(short_url),
        "qr_code": qr_code_data_uri(short_url),
    }


@require_safe
def opportunity_leaflet(request: HttpRequest, short_code: str) -> HttpResponse:
    """An A4 leaflet for one public opportunity (drafts and archived ones are 404)."""
    opportunity = public_opportunity(short_code)
    language = requested_language(request)
    with translation.override(language):
        document = _document(request, "opportunities/leaflet.html", _leaflet_context(request, opportunity))
        suffix = "-cy" if language == WELSH else ""
        return _pdf_response(document, f"withus-{opportunity.short_code}{suffix}.pdf")


@dataclass(frozen=True)
class PosterEntry:
    title: str
    organisation: str
    phone: str
    closes_on: date | None
    short_url: str
    short_url_text: str


@require_safe
def board_poster(request: HttpRequest) -> HttpResponse:
    """An A4 poster of up to ``POSTER_LIMIT`` open opportunities, with one QR code to the whole board."""
    language = requested_language(request)
    with translation.override(language):
        opportunities = board(BoardFilter())
        shown = list(opportunities[:POSTER_LIMIT])
        total = opportunities.count() if len(shown) == POSTER_LIMIT else len(shown)
        entries = []
        for opportunity in shown:
            short_url = request.build_absolute_uri(reverse("opportunities:short_link", args=[opportunity.short_code]))
            entries.append(
                PosterEntry(
                    title=opportunity.text("title"),
                    organisation=str(opportunity.organisation),
                    phone=opportunity.organisation.contact_phone,
                    closes_on=opportunity.closes_on,
                    short_url=short_url,
                    short_url_text=_without_scheme(short_url),
                )
            )
        board_url = request.build_absolute_uri(reverse("opportunities:board"))
        context = {
            "board_url": board_url,
            "board_url_text": _without_scheme(board_url),
            "qr_code": qr_code_data_uri(board_url),
        }
        # A poster that spills onto a second sheet is no use on a noticeboard: when long
        # titles, names or translations do not fit, show fewer and say how many more there are.
        for count in sorted({min(size, len(entries)) for size in POSTER_SIZES}, reverse=True):
            document = _document(
                request, "opportunities/poster.html", {**context, "entries": entries[:count], "more": total - count}
            )
            if len(document.pages) == 1:
                break
        filename = "withus-opportunities-cy.pdf" if language == WELSH else "withus-opportunities.pdf"
        return _pdf_response(document, filename)
