"""Printed letters and certificates of attendance (PRODUCT.md §C4).

As in tests/opportunities/test_leaflets.py, text is read from the very WeasyPrint
document laid out (a spy on ``withus.core.pdf.document``), and the bytes returned are
checked to be a PDF: the project has no PDF text extractor among its dependencies.
Run ``python -m withus.core.compilemessages`` first (``make test`` does) for the Welsh.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.utils import translation

from tests.meetings.factories import (
    london,
    make_attendance,
    make_contact,
    make_paper,
    make_person,
    make_session,
    make_venue,
)
from withus.accounts.models import Organisation
from withus.core import pdf
from withus.meetings.documents import (
    Letter,
    certificate_pdf,
    hours_and_minutes,
    letters_pdf,
    render_letters_html,
    when_in_words,
)
from withus.meetings.models import Attendance, Session

pytestmark = pytest.mark.django_db

PT = 4 / 3  # WeasyPrint measures in CSS pixels: 1pt = 4/3 px


class Rendered:
    """The WeasyPrint documents laid out during a test, in order."""

    def __init__(self) -> None:
        self.documents: list[Any] = []

    @property
    def last(self) -> Any:
        assert self.documents, "no PDF was rendered"
        return self.documents[-1]

    def text_boxes(self, page: Any) -> list[Any]:
        from weasyprint.formatting_structure.boxes import TextBox

        return [box for box in page._page_box.descendants() if isinstance(box, TextBox) and box.text.strip()]

    def page_texts(self) -> list[str]:
        return [re.sub(r"\s+", " ", " ".join(box.text for box in self.text_boxes(page))) for page in self.last.pages]

    def text(self) -> str:
        return " ".join(self.page_texts())

    def font_sizes(self, page_numbers: list[int]) -> set[float]:
        """The sizes of the text on the given pages (0-based), in points."""
        return {
            round(box.style["font_size"] / PT, 1) for n in page_numbers for box in self.text_boxes(self.last.pages[n])
        }


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> Rendered:
    spy = Rendered()
    real = pdf.document

    def recording(html: str, base_url: str) -> Any:
        document = real(html, base_url)
        spy.documents.append(document)
        return document

    monkeypatch.setattr(pdf, "document", recording)
    return spy


def assert_pdf(content: bytes) -> None:
    assert content.startswith(b"%PDF-")
    assert content.rstrip().endswith(b"%%EOF")


@pytest.fixture
def organisation(org_a: Organisation) -> Organisation:
    org_a.contact_phone = "01970 123456"
    org_a.contact_email = "involve@org-a.example"
    org_a.name_cy = "Sefydliad A"
    org_a.save()
    return org_a


@pytest.fixture
def session(organisation: Organisation) -> Session:
    venue = make_venue(
        organisation,
        name="Canolfan y Dref",
        address="Heol y Wig\nAberystwyth",
        parking="no",
        notes="The side door has a ramp.",
    )
    return make_session(
        organisation,
        make_contact(first_name="Nia", last_name="Rhys"),
        venue=venue,
        title="Carers' reference group",
        title_cy="Grŵp cyfeirio gofalwyr",
        starts_at=london(2030, 6, 12, 10, 30),
        ends_at=london(2030, 6, 12, 13, 0),
        agenda=("Welcome and introductions", "How people are involved", "The new crisis line"),
    )


def pages_starting_with(texts: list[str], prefix: str) -> list[int]:
    return [n for n, text in enumerate(texts) if text.startswith(prefix)]


# Letters --------------------------------------------------------------------------------------


def test_invitation_letter_says_what_when_where_and_whom_to_ask(rendered: Rendered, session: Session) -> None:
    person = make_person(full_name="Alaw Jones", address="2 Stryd Fawr\nAberystwyth", postcode="sy23 3ab")
    content = letters_pdf([Letter(person=person, session=session, kind="invitation")], today=date(2030, 5, 20))
    assert_pdf(content)
    text = rendered.text()
    for expected in (
        "Alaw Jones 2 Stryd Fawr Aberystwyth SY23 3AB",  # the address block
        "20 May 2030",  # the date of the letter
        "You are invited: Carers' reference group",
        "Dear Alaw Jones,",
        "Wednesday 12 June 2030, 10:30 a.m. to 1 p.m.",
        "Canolfan y Dref",
        "Heol y Wig",
        "Step-free access throughout: Yes",
        "Public transport at the start and end of the day: Yes",
        "Parking, including accessible spaces: No",
        "A hearing loop: Yes",
        "The side door has a ramp.",
        "Welcome and introductions",
        "The new crisis line",
        "Nia Rhys",
        "01970 123456",
        "involve@org-a.example",
        "Tell us what you need to take part",
        "expenses",
    ):
        assert expected.lower() in text.lower(), expected
    assert rendered.last.metadata.lang == "en"
    assert rendered.last.metadata.title


def test_each_letter_starts_on_a_new_page(rendered: Rendered, session: Session) -> None:
    long_session = make_session(
        session.organisation, agenda=tuple(f"Agenda item number {n}" for n in range(1, 40)), title="Long meeting"
    )
    people = [make_person(full_name=f"Reader {n}") for n in range(3)]
    letters_pdf(
        [
            Letter(person=people[0], session=session, kind="invitation"),
            Letter(person=people[1], session=long_session, kind="invitation"),  # runs onto a second page
            Letter(person=people[2], session=session, kind="reminder"),
        ]
    )
    texts = rendered.page_texts()
    starts = pages_starting_with(texts, "Organisation A")  # each letter opens with the sender's name
    assert len(starts) == 3
    assert len(texts) > 3
    for start, person in zip(starts, people, strict=True):
        assert f"Dear {person.full_name}," in texts[start]
    # The long letter's second page belongs to it, and the next letter waits for a fresh sheet.
    assert starts[2] - starts[1] >= 2
    assert "Agenda item number 39" in " ".join(texts[starts[1] : starts[2]])


def test_large_print_letter_is_18pt_and_more_and_others_12pt_and_more(rendered: Rendered, session: Session) -> None:
    ordinary = make_person(full_name="Ordinary Print")
    large = make_person(full_name="Large Print", needs_large_print=True)
    letters_pdf(
        [
            Letter(person=ordinary, session=session, kind="invitation"),
            Letter(person=large, session=session, kind="invitation"),
        ]
    )
    texts = rendered.page_texts()
    large_start = pages_starting_with(texts, "Organisation A")[1]
    ordinary_pages = list(range(large_start))
    large_pages = list(range(large_start, len(texts)))
    assert "Dear Large Print," in " ".join(texts[n] for n in large_pages)
    assert min(rendered.font_sizes(large_pages)) >= 18
    assert min(rendered.font_sizes(ordinary_pages)) >= 12
    assert min(rendered.font_sizes(ordinary_pages)) < 18  # ordinary letters are not all large print
    assert len(large_pages) >= len(ordinary_pages)  # bigger type takes more paper


def test_welsh_letter_is_in_welsh(rendered: Rendered, session: Session) -> None:
    welsh = make_person(full_name="Gwen Morgan", prefers_welsh=True)
    english = make_person(full_name="Jane Smith")
    items = [
        Letter(person=welsh, session=session, kind="invitation"),
        Letter(person=english, session=session, kind="invitation"),
    ]
    html = render_letters_html(items)
    assert '<article class="letter" lang="cy">' in html
    assert '<article class="letter" lang="en">' in html
    letters_pdf(items)
    texts = rendered.page_texts()
    english_start = pages_starting_with(texts, "Organisation A")[0]
    welsh_text = " ".join(texts[:english_start])
    english_text = " ".join(texts[english_start:])
    assert welsh_text.startswith("Sefydliad A")  # the organisation's Welsh name
    assert "Annwyl Gwen Morgan," in welsh_text  # "Dear ...," from the catalogue
    assert "Grŵp cyfeirio gofalwyr" in welsh_text  # the session's Welsh title
    assert "Dydd Mercher 12 Mehefin 2030" in welsh_text  # the date in Welsh
    assert "Pryd" in welsh_text and "Ble" in welsh_text  # "When" and "Where"
    assert "Dear Jane Smith," in english_text
    assert "Wednesday 12 June 2030" in english_text
    assert "Annwyl" not in english_text


def test_cancellation_letter_gives_the_reason(rendered: Rendered, session: Session) -> None:
    session.status = Session.Status.CANCELLED
    session.cancelled_reason = "The venue has flooded."
    session.save()
    # The sending services pass the reason as the note too: it is printed once.
    letters_pdf(
        [Letter(person=make_person(), session=session, kind="cancellation", extra_text="The venue has flooded.")]
    )
    text = rendered.text()
    assert "Cancelled: Carers' reference group" in text
    assert text.count("The venue has flooded.") == 1
    assert "Please do not travel to it." in text
    assert "Wednesday 12 June 2030" in text  # which session it was


def test_papers_letter_lists_the_papers(rendered: Rendered, session: Session) -> None:
    make_paper(session, "Minutes of the May meeting")
    make_paper(session, "Crisis line proposal")
    letters_pdf([Letter(person=make_person(), session=session, kind="papers")])
    text = rendered.text()
    assert "Papers for Carers' reference group" in text
    assert "Minutes of the May meeting" in text
    assert "Crisis line proposal" in text


def test_change_letter_carries_the_coordinators_note(rendered: Rendered, session: Session) -> None:
    note = "We have moved to the larger room on the first floor."
    letters_pdf([Letter(person=make_person(), session=session, kind="change", extra_text=note)])
    text = rendered.text()
    assert "A change to Carers' reference group" in text
    assert note in text


def test_online_letter_has_the_link_and_a_qr_code(rendered: Rendered, organisation: Organisation) -> None:
    from weasyprint.formatting_structure.boxes import ReplacedBox

    session = make_session(organisation, online=True)
    letters_pdf([Letter(person=make_person(), session=session, kind="invitation")])
    assert "https://meet.example.org/carers" in rendered.text()
    boxes = [box for page in rendered.last.pages for box in page._page_box.descendants()]
    assert sum(isinstance(box, ReplacedBox) for box in boxes) == 1


def test_letters_are_checked() -> None:
    with pytest.raises(ValueError, match="no letters"):
        letters_pdf([])
    with pytest.raises(ValueError, match="kind must be one of"):
        Letter(person=make_person(), session=Session(), kind="postcard")  # type: ignore[arg-type]


def test_when_in_words_is_local_time() -> None:
    # 09:30 UTC is 10:30 in Wales in summer.
    assert (
        when_in_words(london(2030, 7, 1, 10, 30), london(2030, 7, 1, 12, 0)) == "Monday 1 July 2030, 10:30 a.m. to noon"
    )
    assert when_in_words(london(2030, 7, 1, 17, 0), london(2030, 7, 2, 13, 0)) == (
        "Monday 1 July 2030, 5 p.m., to Tuesday 2 July 2030, 1 p.m."
    )
    with translation.override("cy"):
        assert when_in_words(london(2030, 3, 31, 10, 30), london(2030, 3, 31, 12, 0)).startswith("Dydd Sul 31 Mawrth")


# Certificates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "words"),
    [(150, "2 hours 30 minutes"), (60, "1 hour"), (61, "1 hour 1 minute"), (45, "45 minutes"), (0, "0 minutes")],
)
def test_hours_and_minutes(minutes: int, words: str) -> None:
    assert hours_and_minutes(minutes) == words


def test_certificate_names_the_person_and_the_session(rendered: Rendered, session: Session) -> None:
    person = make_person(full_name="Alaw Jones", preferred_name="Al")
    attendance = make_attendance(session, person, role=Attendance.Role.CHAIR, minutes_present=150)
    content = certificate_pdf(attendance)
    assert_pdf(content)
    text = rendered.text()
    for expected in (
        "Certificate of attendance",
        "Alaw Jones",
        "Carers' reference group",
        "Wednesday 12 June 2030",
        "Organisation A",
        "2 hours 30 minutes",
        "Chair",
    ):
        assert expected in text, expected
    assert len(rendered.last.pages) == 1
    assert rendered.last.metadata.title == "Certificate of attendance: Alaw Jones – WithUs"


def test_welsh_certificate(rendered: Rendered, session: Session) -> None:
    attendance = make_attendance(session, make_person(full_name="Gwen Morgan"), minutes_present=90)
    with translation.override("cy"):
        certificate_pdf(attendance)
    text = rendered.text()
    assert "Grŵp cyfeirio gofalwyr" in text
    assert "Sefydliad A" in text
    assert "12 Mehefin 2030" in text
    assert rendered.last.metadata.lang == "cy"


def test_no_certificate_without_attending(session: Session) -> None:
    attendance = make_attendance(session, make_person(), status=Attendance.Status.APOLOGIES)
    with pytest.raises(ValueError, match="only for someone who attended"):
        certificate_pdf(attendance)
