"""The outbox's letters are laid out to GOV.UK Notify's letter specification (which also fits a window
envelope), and ``layout.problems`` finds a letter that is not: checked on WeasyPrint's own layout."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from weasyprint.document import Document

from withus.core import pdf
from withus.people.outbox import layout


def _letter(**changes: Any) -> Document:
    context: dict[str, Any] = {
        "lang": "en",
        "large_print": False,
        "address_lines": ["Siân Post", "3 Heol y Nant", "Aberystwyth", "SY23 1AA"],
        "today": date(2026, 12, 6),
        "subject": "You are invited to the forum",
        "paragraphs": ["We meet on Tuesday at the library. " * 30] * 5,
        "organisation_name": "Hywel Dda Mental Health Forum",
        "phone": "01970 123456",
        "email": "involvement@forum.example.org",
        "notes": ["Your support contact is Ann."],
        **changes,
    }
    body = render_to_string("people/outbox/letter.html", context)
    return pdf.document(
        render_to_string("people/outbox/letters.html", {"letters": [body], "lang": context["lang"]}), settings.SITE_URL
    )


def _address(document: Document) -> tuple[float, float, float, float]:
    page_box = document.pages[0]._page_box
    box = next(b for b in layout._walk(page_box) if "address" in layout._classes(b))
    return layout._mm(box)


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"large_print": True},
        {"lang": "cy", "subject": "Gwahoddiad i'r fforwm"},
        {"address_lines": ["Name", "Flat 2", "3 Heol y Nant", "Penparcau", "Aberystwyth", "Ceredigion", "SY23 1AA"]},
        {
            "organisation_name": "The West Wales and Borderlands Mental Health Involvement Forum and Carers Network",
            "email": "a-long-address-for-the-involvement-team@a-long-domain-name.example.org",
        },
    ],
)
def test_letters_fit_notifys_printable_areas_with_the_address_in_the_window(changes: dict[str, Any]) -> None:
    document = _letter(**changes)
    assert layout.problems(document) == []
    left, top, right, bottom = _address(document)
    window = layout.ADDRESS_WINDOW
    assert window.left <= left and window.top <= top and right <= window.right and bottom <= window.bottom


def test_an_address_of_too_few_or_too_many_lines_is_found() -> None:
    short = layout.problems(_letter(address_lines=["Sam Short", "Flat 2"]))
    assert len(short) == 1 and "takes 2 lines" in short[0]
    long = layout.problems(_letter(address_lines=["Name", *[f"Line {n}" for n in range(7)], "SY23 1AA"]))
    assert any("takes 9 lines" in p for p in long) and any("outside the area" in p for p in long)


def test_text_pushed_out_of_its_place_and_a_long_letter_are_found() -> None:
    # A sender's name so long it runs out of the top band into the space above the address window.
    crowded = layout.problems(_letter(organisation_name="Forum " * 40))
    assert any("On page 1" in p and "outside the area" in p for p in crowded)
    too_long = layout.problems(_letter(paragraphs=["We meet on Tuesday at the library. " * 60] * 40))
    assert any("pages long" in p for p in too_long)
