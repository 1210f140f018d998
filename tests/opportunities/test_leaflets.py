"""Printed leaflets and posters (PRODUCT.md §C2 "Reaching people who are not online yet").

The text is read from the very WeasyPrint document each request laid out (a spy on
``leaflets.render_document``), and the bytes sent are checked to be that document as a
PDF: the project has no PDF text extractor among its dependencies.
"""

from __future__ import annotations

import base64
import itertools
import re
import zlib
from datetime import date, timedelta
from typing import Any

import pytest
import qrcode
import qrcode.constants
from django.test import Client
from django.utils import timezone

from withus.accounts.models import Organisation, User
from withus.opportunities import leaflets
from withus.opportunities.models import Opportunity

pytestmark = pytest.mark.django_db

_codes = itertools.count(1)


def make_opportunity(organisation: Organisation, contact: User, **fields: Any) -> Opportunity:
    values: dict[str, Any] = {
        "organisation": organisation,
        "contact": contact,
        "title": "Carers' panel",
        "purpose": "Help us shape carers' support.",
        "intended_outcomes": "Better support for carers.",
        "influence": "Advises the board; the board decides.",
        "level": 3,
        "application_process": "none",
        "time_commitment": "Two hours a month",
        "places": 4,
        "where": "strategic",
        "role_offered": "representative",
        "short_code": f"L{next(_codes):05d}",
        "status": Opportunity.Status.PUBLISHED,
        "published_at": timezone.now(),
    }
    values.update(fields)
    return Opportunity.objects.create(**values)


class Rendered:
    """The WeasyPrint documents laid out during a test, in order."""

    def __init__(self) -> None:
        self.documents: list[Any] = []

    @property
    def last(self) -> Any:
        assert self.documents, "no PDF was rendered"
        return self.documents[-1]

    def text(self) -> str:
        """Every line of text laid out on the last document's pages, joined by spaces."""
        from weasyprint.formatting_structure.boxes import TextBox

        words = [
            box.text for page in self.last.pages for box in page._page_box.descendants() if isinstance(box, TextBox)
        ]
        return re.sub(r"\s+", " ", " ".join(words))

    def links(self) -> set[str]:
        return {target for page in self.last.pages for kind, target, *_ in page.links if kind == "external"}


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> Rendered:
    spy = Rendered()
    real = leaflets.render_document

    def recording(html: str, base_url: str) -> Any:
        document = real(html, base_url)
        spy.documents.append(document)
        return document

    monkeypatch.setattr(leaflets, "render_document", recording)
    return spy


def pdf_streams(pdf: bytes) -> bytes:
    """The PDF's streams, inflated: where a link's address and the tagging live."""
    out = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        try:
            out.append(zlib.decompress(match.group(1)))
        except zlib.error:
            out.append(match.group(1))
    return b"\n".join(out)


def assert_pdf(response: Any, filename: str) -> bytes:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{filename}"'
    pdf = response.content
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    return pdf


@pytest.fixture
def today() -> date:
    return timezone.localdate()


@pytest.fixture
def workshop(org_a: Organisation, coordinator_a: User, today: date) -> Opportunity:
    org_a.contact_phone = "01970 123456"
    org_a.contact_email = "involve@org-a.example"
    org_a.name_cy = "Sefydliad A"
    org_a.save()
    coordinator_a.first_name, coordinator_a.last_name = "Nia", "Rhys"
    coordinator_a.save()
    return make_opportunity(
        org_a,
        coordinator_a,
        title="Ward design workshop",
        title_cy="Gweithdy dylunio wardiau",
        purpose="Tell us what a calm ward looks like.",
        purpose_cy="Dywedwch wrthym sut olwg sydd ar ward dawel.",
        time_commitment="One afternoon",
        time_commitment_cy="Un prynhawn",
        starts_on=date(2030, 3, 4),
        closes_on=today + timedelta(days=10),
        venue="Canolfan y Dref, Aberystwyth",
        reward="fee",
        reward_details="£25 and travel",
    )


# Leaflet --------------------------------------------------------------------------------------


def test_leaflet_is_a_pdf_with_everything_needed_offline(
    client: Client, rendered: Rendered, workshop: Opportunity
) -> None:
    response = client.get(f"/opportunities/{workshop.short_code}/leaflet.pdf")
    pdf = assert_pdf(response, f"withus-{workshop.short_code}.pdf")
    short_link = f"http://testserver/o/{workshop.short_code}"

    text = rendered.text()
    for expected in (
        "Ward design workshop",
        "Tell us what a calm ward looks like.",
        "One afternoon",  # time commitment
        "4 March 2030",  # dates
        "Canolfan y Dref, Aberystwyth",  # where
        "£25 and travel",  # reward
        "01970 123456",  # phone
        "involve@org-a.example",
        "Nia Rhys",  # the person to ask for
        f"testserver/o/{workshop.short_code}",  # the short link, as people type it
    ):
        assert expected in text, expected
    assert short_link in rendered.links()
    # The bytes sent are that document: the short link is a live link in the PDF too.
    assert f"/URI ({short_link})".encode() in pdf + pdf_streams(pdf)
    assert len(rendered.last.pages) == 1


def test_leaflet_has_a_qr_code_and_pdf_metadata(
    client: Client, rendered: Rendered, workshop: Opportunity, monkeypatch: pytest.MonkeyPatch
) -> None:
    encoded: list[str] = []
    real_qr = leaflets.qr_code_data_uri

    def recording_qr(url: str) -> str:
        encoded.append(url)
        return real_qr(url)

    monkeypatch.setattr(leaflets, "qr_code_data_uri", recording_qr)
    pdf = client.get(f"/opportunities/{workshop.short_code}/leaflet.pdf").content
    assert encoded == [f"http://testserver/o/{workshop.short_code}"]
    assert rendered.last.metadata.title == "Ward design workshop – WithUs"
    assert rendered.last.metadata.lang == "en"
    inflated = pdf + pdf_streams(pdf)
    assert b"/Lang (en)" in inflated
    assert b"/StructTreeRoot" in inflated  # tagged for screen readers (PDF/UA)
    assert b"pdfuaid" in inflated
    assert b"/DisplayDocTitle true" in inflated
    # The QR code is a tagged figure with a text alternative.
    assert b"/Alt (QR code: scan it with your phone camera to open this opportunity.)" in inflated


def test_qr_code_encodes_the_address_with_a_quiet_zone() -> None:
    url = "https://withus.example/o/ABC123"
    uri = leaflets.qr_code_data_uri(url)
    assert uri.startswith("data:image/svg+xml;base64,")
    svg = base64.b64decode(uri.split(",", 1)[1]).decode()
    # Medium error correction survives a scuffed or creased print-out.
    expected = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    expected.add_data(url)
    expected.make(fit=True)
    border = 4  # modules of white around the code, which phone cameras need
    dark = {(x + border, y + border) for y, row in enumerate(expected.get_matrix()) for x, on in enumerate(row) if on}
    drawn = {(int(x), int(y)) for x, y in re.findall(r"M(\d+),(\d+)H", svg)}
    assert drawn == dark
    assert uri != leaflets.qr_code_data_uri("https://withus.example/o/ABC124")


def test_welsh_leaflet(client: Client, rendered: Rendered, workshop: Opportunity) -> None:
    response = client.get(f"/opportunities/{workshop.short_code}/leaflet.pdf", {"lang": "cy"})
    assert_pdf(response, f"withus-{workshop.short_code}-cy.pdf")
    assert response["Content-Language"] == "cy"
    text = rendered.text()
    assert "Gweithdy dylunio wardiau" in text
    assert "Dywedwch wrthym sut olwg sydd ar ward dawel." in text
    assert "Un prynhawn" in text
    assert "Sefydliad A" in text
    assert "Mawrth 2030" in text  # dates in Welsh
    assert "Ward design workshop" not in text
    assert rendered.last.metadata.lang == "cy"
    assert rendered.last.metadata.title == "Gweithdy dylunio wardiau – WithUs"


def test_leaflet_without_an_organisation_address_gives_the_contact_person(
    client: Client, rendered: Rendered, org_a: Organisation, coordinator_a: User
) -> None:
    opportunity = make_opportunity(org_a, coordinator_a)
    client.get(f"/opportunities/{opportunity.short_code}/leaflet.pdf")
    assert coordinator_a.email in rendered.text()


def test_closed_opportunity_leaflet_says_so(
    client: Client, rendered: Rendered, org_a: Organisation, coordinator_a: User
) -> None:
    closed = make_opportunity(org_a, coordinator_a, status=Opportunity.Status.CLOSED)
    assert client.get(f"/opportunities/{closed.short_code}/leaflet.pdf").status_code == 200
    assert "This opportunity is closed." in rendered.text()


@pytest.mark.parametrize("status", [Opportunity.Status.DRAFT, Opportunity.Status.ARCHIVED])
def test_only_public_opportunities_can_be_printed(
    client: Client, rendered: Rendered, org_a: Organisation, coordinator_a: User, status: str
) -> None:
    hidden = make_opportunity(org_a, coordinator_a, status=status)
    assert client.get(f"/opportunities/{hidden.short_code}/leaflet.pdf").status_code == 404
    assert client.get("/opportunities/NOSUCH/leaflet.pdf").status_code == 404
    assert rendered.documents == []


def test_leaflet_is_read_only(client: Client, workshop: Opportunity) -> None:
    assert client.post(f"/opportunities/{workshop.short_code}/leaflet.pdf").status_code == 405


def test_text_typed_by_organisations_is_text_not_markup(
    client: Client, rendered: Rendered, org_a: Organisation, coordinator_a: User
) -> None:
    sneaky = make_opportunity(
        org_a,
        coordinator_a,
        title='<img src="file:///etc/passwd"> Tea & talk',
        purpose='<link rel="stylesheet" href="http://169.254.169.254/">',
    )
    client.get(f"/opportunities/{sneaky.short_code}/leaflet.pdf")
    text = rendered.text()
    assert '<img src="file:///etc/passwd"> Tea & talk' in text
    assert "169.254.169.254" in text


def test_rendering_reads_no_files(tmp_path: Any) -> None:
    """Only inline data: images are loaded: a path in the HTML can never read the server's files."""
    from weasyprint.formatting_structure.boxes import ReplacedBox

    picture = tmp_path / "secret.svg"
    picture.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
    )
    inline = leaflets.qr_code_data_uri("https://withus.example/")
    document = leaflets.render_document(
        f'<html lang="en"><img src="{picture.as_uri()}" alt="NOT-READ"><img src="{inline}" alt="QR"></html>',
        "http://testserver/",
    )
    boxes = list(document.pages[0]._page_box.descendants())
    assert sum(isinstance(box, ReplacedBox) for box in boxes) == 1  # the inline QR code only
    assert "NOT-READ" in " ".join(getattr(box, "text", "") for box in boxes)  # alt text stands in for the file


# Poster ---------------------------------------------------------------------------------------


def test_poster_lists_open_opportunities_with_one_qr_code_to_the_board(
    client: Client, rendered: Rendered, workshop: Opportunity, org_a: Organisation, coordinator_a: User, today: date
) -> None:
    draft = make_opportunity(org_a, coordinator_a, title="Secret draft", status=Opportunity.Status.DRAFT)
    past = make_opportunity(org_a, coordinator_a, title="Closed yesterday", closes_on=today - timedelta(days=1))
    response = client.get("/opportunities/poster.pdf")
    pdf = assert_pdf(response, "withus-opportunities.pdf")
    text = rendered.text()
    assert "Ward design workshop" in text
    assert "Organisation A" in text
    assert (today + timedelta(days=10)).strftime("%-d %B %Y") in text  # closing date
    assert f"testserver/o/{workshop.short_code}" in text
    assert "testserver/opportunities/" in text
    assert draft.title not in text
    assert past.title not in text
    assert "http://testserver/opportunities/" in rendered.links()
    assert b"/URI (http://testserver/opportunities/)" in pdf + pdf_streams(pdf)
    assert rendered.last.metadata.title == "Opportunities to get involved – WithUs"


def test_poster_shows_twelve_and_says_how_many_more(
    client: Client, rendered: Rendered, org_a: Organisation, coordinator_a: User, today: date
) -> None:
    for n in range(14):
        make_opportunity(org_a, coordinator_a, title=f"Opportunity number {n:02d}", closes_on=today + timedelta(days=n))
    client.get("/opportunities/poster.pdf")
    text = rendered.text()
    assert [n for n in range(14) if f"Opportunity number {n:02d}" in text] == list(range(12))
    assert "And 2 more opportunities online." in text
    assert len(rendered.last.pages) == 1


def test_poster_never_spills_onto_a_second_sheet(
    client: Client, rendered: Rendered, org_a: Organisation, coordinator_a: User, today: date
) -> None:
    org_a.name = "Betsi Cadwaladr University Health Board Mental Health and Learning Disabilities Division"
    org_a.contact_phone = "03000 123 456"
    org_a.save()
    for n in range(14):
        make_opportunity(
            org_a,
            coordinator_a,
            title=f"Member {n:02d} of the adult mental health services redesign programme reference group",
            closes_on=today + timedelta(days=n),
        )
    client.get("/opportunities/poster.pdf")
    text = rendered.text()
    shown = [n for n in range(14) if f"Member {n:02d} of" in text]
    assert len(rendered.last.pages) == 1
    assert 0 < len(shown) < 12
    assert shown == list(range(len(shown)))  # the soonest to close
    assert f"And {14 - len(shown)} more opportunities online." in text


def test_welsh_poster(client: Client, rendered: Rendered, workshop: Opportunity) -> None:
    response = client.get("/opportunities/poster.pdf", {"lang": "cy"})
    assert_pdf(response, "withus-opportunities-cy.pdf")
    text = rendered.text()
    assert "Gweithdy dylunio wardiau" in text
    assert "Sefydliad A" in text
    assert "Ward design workshop" not in text
    assert rendered.last.metadata.lang == "cy"


def test_empty_poster_still_prints(client: Client, rendered: Rendered) -> None:
    assert_pdf(client.get("/opportunities/poster.pdf"), "withus-opportunities.pdf")
    assert "There are no open opportunities just now." in rendered.text()


def test_poster_queries_do_not_grow_with_the_board(
    client: Client,
    django_assert_max_num_queries: Any,
    org_a: Organisation,
    org_b: Organisation,
    coordinator_a: User,
) -> None:
    for n in range(2 * leaflets.POSTER_LIMIT):
        make_opportunity(org_b if n % 2 else org_a, coordinator_a)
    # One query for the opportunities shown (with their organisations), one to count the rest.
    with django_assert_max_num_queries(2):
        assert client.get("/opportunities/poster.pdf").status_code == 200


def test_leaflet_is_one_query(client: Client, django_assert_max_num_queries: Any, workshop: Opportunity) -> None:
    with django_assert_max_num_queries(1):
        assert client.get(f"/opportunities/{workshop.short_code}/leaflet.pdf").status_code == 200
