"""Printed documents: HTML laid out by WeasyPrint as tagged, accessible PDF.

Leaflets, posters, letters and certificates all go through here, so every PDF the
product makes is tagged (PDF/UA-1: a title, a language and a structure tree that screen
readers and reflow tools can read) and none of them can make the server fetch anything.
"""

from __future__ import annotations

import base64

import qrcode
import qrcode.constants
import weasyprint
from qrcode.image.svg import SvgPathImage
from weasyprint.document import Document

# Tagged PDF with a title and a language, so screen readers and reflow tools can read it.
PDF_VARIANT = "pdf/ua-1"


def safe_url_fetcher() -> weasyprint.URLFetcher:
    """A fetcher that loads nothing but inline ``data:`` URIs.

    The HTML holds text that organisations and members typed; refusing every other
    protocol means a stray address in it can never make the server fetch a file or a URL.
    """
    return weasyprint.URLFetcher(allowed_protocols={"data"})


def document(html: str, base_url: str) -> Document:
    """Lay out the HTML with WeasyPrint (the pages, their boxes and text: what tests read)."""
    return weasyprint.HTML(string=html, base_url=base_url, url_fetcher=safe_url_fetcher()).render(
        pdf_variant=PDF_VARIANT
    )


def write_pdf(laid_out: Document) -> bytes:
    """The laid-out document as tagged PDF bytes."""
    pdf: bytes | None = laid_out.write_pdf(pdf_variant=PDF_VARIANT)
    assert pdf is not None  # write_pdf returns the bytes when given no target
    return pdf


def render_pdf(html: str, base_url: str) -> bytes:
    """The HTML as a tagged PDF, fetching nothing but inline data: images."""
    return write_pdf(document(html, base_url))


def qr_code_data_uri(url: str) -> str:
    """An SVG QR code for ``url``, as a data URI for an <img> (vector: sharp at any print size)."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4, image_factory=SvgPathImage)
    code.add_data(url)
    code.make(fit=True)
    svg = code.make_image().to_string(encoding="unicode")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")
