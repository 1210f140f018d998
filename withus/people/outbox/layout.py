"""Whether a laid-out letter fits GOV.UK Notify's letter specification, checked before it is sent to Notify.

Notify prints precompiled letters only if they are A4 portrait, no longer than ten pages, with nothing
outside the printable area: 15 mm in from each side and 5 mm from the top and bottom; and, on the first
page, only in four places: the top band (for a logo), the right-hand column (the sender's details), the
address window, and the body from 95 mm down. The address in the window must have 3 to 7 lines. The same
places suit a window envelope, so the print batch is laid out the same way (``letters.html``).

The check reads where WeasyPrint put every line of text and every image, so a long name, a long e-mail
address or large print that pushes text out of its place is found before Notify refuses the letter.
Measurements are in millimetres from the page's top left corner; Notify allows 1 mm for rounding.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from weasyprint.document import Document
from weasyprint.formatting_structure import boxes

MM_PER_PX = 25.4 / 96  # WeasyPrint lays out in CSS pixels
A4 = (210.0, 297.0)
MAX_PAGES = 10
ADDRESS_LINES = (3, 7)
LEEWAY = 1.0


@dataclass(frozen=True)
class Area:
    left: float
    top: float
    right: float
    bottom: float

    def holds(self, left: float, top: float, right: float, bottom: float) -> bool:
        return (
            left >= self.left - LEEWAY
            and top >= self.top - LEEWAY
            and right <= self.right + LEEWAY
            and bottom <= self.bottom + LEEWAY
        )


PRINTABLE = Area(15.0, 5.0, 195.0, 292.0)
ADDRESS_WINDOW = Area(24.6, 39.5, 120.0, 66.3)
FIRST_PAGE = (
    Area(15.0, 5.0, 125.0, 30.0),  # the top band, for a logo or the sender's name
    Area(125.0, 5.0, 195.0, 95.0),  # the sender's details, down the right-hand side
    ADDRESS_WINDOW,
    Area(15.0, 95.0, 195.0, 292.0),  # the letter itself
)


def _walk(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", ()):
        yield from _walk(child)


def _mm(box: Any) -> tuple[float, float, float, float]:
    left, top = box.position_x * MM_PER_PX, box.position_y * MM_PER_PX
    return left, top, left + box.margin_width() * MM_PER_PX, top + box.margin_height() * MM_PER_PX


def _inked(page_box: Any) -> Iterator[Any]:
    """What puts ink on the page: each run of text, each image."""
    for box in _walk(page_box):
        if (isinstance(box, boxes.TextBox) and box.text.strip()) or isinstance(box, boxes.ReplacedBox):
            yield box


def _classes(box: Any) -> set[str]:
    element = getattr(box, "element", None)
    return set((element.get("class") or "").split()) if element is not None else set()


def problems(document: Document) -> list[str]:
    """What in this one letter Notify would refuse, in plain words; empty when it fits."""
    found: list[str] = []
    pages = document.pages
    if len(pages) > MAX_PAGES:
        found.append(
            _("The letter is %(count)d pages long; GOV.UK Notify prints letters of up to %(most)d pages.")
            % {"count": len(pages), "most": MAX_PAGES}
        )
    for number, page in enumerate(pages, start=1):
        size = (page.width * MM_PER_PX, page.height * MM_PER_PX)
        if any(abs(a - b) > 2 for a, b in zip(size, A4, strict=True)):
            found.append(_("Page %(page)d is not A4 portrait.") % {"page": number})
            continue
        page_box = page._page_box
        areas = FIRST_PAGE if number == 1 else (PRINTABLE,)
        outside = [box for box in _inked(page_box) if not any(area.holds(*_mm(box)) for area in areas)]
        if outside:
            words = " ".join(box.text.strip() for box in outside if isinstance(box, boxes.TextBox))[:80]
            found.append(
                _("On page %(page)d, some of the letter is outside the area Notify prints: “%(words)s”.")
                % {"page": number, "words": words}
            )
        if number == 1:
            found += _address_problems(page_box)
    return found


def _address_problems(page_box: Any) -> list[str]:
    address = next((box for box in _walk(page_box) if "address" in _classes(box)), None)
    if address is None:
        return [_("The letter has no address on its first page.")]
    lines = [box for box in _walk(address) if isinstance(box, boxes.LineBox)]
    least, most = ADDRESS_LINES
    if not least <= len(lines) <= most:
        return [
            _(
                "The address takes %(count)d lines; GOV.UK Notify needs %(least)d to %(most)d, "
                "with the postcode last. Check the person's postal address."
            )
            % {"count": len(lines), "least": least, "most": most}
        ]
    return []
