"""``withus sessions letters``: the day's print batch for people who prefer post (PRODUCT.md §C4)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from tests.meetings.factories import london, make_invitation, make_person, make_session, make_venue
from withus.accounts.models import Organisation
from withus.core import pdf
from withus.meetings.models import Invitation, Session

pytestmark = pytest.mark.django_db

SENT = london(2030, 5, 20, 9, 0)
PRINTED_BEFORE = london(2030, 5, 21, 9, 0)


class Batches:
    """The text of each PDF laid out during a test, one string per document."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    @property
    def last(self) -> str:
        assert self.texts, "no PDF was rendered"
        return self.texts[-1]


@pytest.fixture
def batches(monkeypatch: pytest.MonkeyPatch) -> Batches:
    from weasyprint.formatting_structure.boxes import TextBox

    spy = Batches()
    real = pdf.document

    def recording(html: str, base_url: str) -> Any:
        document = real(html, base_url)
        words = [
            box.text for page in document.pages for box in page._page_box.descendants() if isinstance(box, TextBox)
        ]
        spy.texts.append(re.sub(r"\s+", " ", " ".join(words)))
        return document

    monkeypatch.setattr(pdf, "document", recording)
    return spy


def letters(*args: str) -> str:
    out = StringIO()
    call_command("sessions", "letters", *args, stdout=out)
    return out.getvalue()


def printed_at(*invitations: Invitation) -> list[datetime | None]:
    return [Invitation.objects.get(pk=i.pk).letter_printed_at for i in invitations]


@pytest.fixture
def day(org_a: Organisation) -> dict[str, Invitation]:
    """Invitations to sessions on 12 June 2030 and around it, by who they are for."""
    venue = make_venue(org_a)
    session = make_session(org_a, venue=venue, title="Carers' reference group", starts_at=london(2030, 6, 12, 10, 30))
    other_day = make_session(org_a, venue=venue, starts_at=london(2030, 6, 13, 10, 30))
    org_b = Organisation.objects.create(name="Organisation B", slug="org-b")
    elsewhere = make_session(org_b, title="Ward design workshop", starts_at=london(2030, 6, 12, 14, 0))
    return {
        "post": make_invitation(session, make_person(full_name="Aled Post"), sent_at=SENT),
        "printed": make_invitation(
            session, make_person(full_name="Beca Printed"), sent_at=SENT, letter_printed_at=PRINTED_BEFORE
        ),
        "email": make_invitation(
            session,
            make_person(full_name="Carys Email", preferred_channel="email", email="c@example.org"),
            sent_at=SENT,
        ),
        "not_sent": make_invitation(session, make_person(full_name="Dafydd Planned")),
        "other_day": make_invitation(other_day, make_person(full_name="Elin Tomorrow"), sent_at=SENT),
        "org_b": make_invitation(elsewhere, make_person(full_name="Ffion Other"), sent_at=SENT),
    }


def test_prints_each_pending_letter_once(day: dict[str, Invitation], batches: Batches, tmp_path: Path) -> None:
    output = tmp_path / "batch.pdf"
    out = letters("--date", "2030-06-12", "--output", str(output))

    assert output.read_bytes().startswith(b"%PDF-")
    assert "Wrote 2 letters for sessions on 12 June 2030" in out
    text = batches.last
    assert "Aled Post" in text and "Ffion Other" in text
    for left_out in ("Beca Printed", "Carys Email", "Dafydd Planned", "Elin Tomorrow"):
        assert left_out not in text, left_out
    assert "You are invited: Carers' reference group" in text
    first = printed_at(day["post"], day["org_b"])
    assert all(first)
    assert printed_at(day["printed"]) == [PRINTED_BEFORE]  # untouched
    assert printed_at(day["email"], day["not_sent"], day["other_day"]) == [None, None, None]

    # Run again: nothing is pending, so nothing is printed and nothing changes.
    again = tmp_path / "again.pdf"
    assert "No letters to print for sessions on 12 June 2030." in letters(
        "--date", "2030-06-12", "--output", str(again)
    )
    assert not again.exists()
    assert printed_at(day["post"], day["org_b"]) == first


def test_reprint_includes_printed_letters_without_marking_them_again(
    day: dict[str, Invitation], batches: Batches, tmp_path: Path
) -> None:
    letters("--date", "2030-06-12", "--output", str(tmp_path / "first.pdf"))
    first = printed_at(day["post"], day["printed"], day["org_b"])
    out = letters("--date", "2030-06-12", "--output", str(tmp_path / "reprint.pdf"), "--reprint")
    assert "Wrote 3 letters" in out
    assert "(0 marked printed now)" in out
    for name in ("Aled Post", "Beca Printed", "Ffion Other"):
        assert name in batches.last
    assert printed_at(day["post"], day["printed"], day["org_b"]) == first
    assert first[1] == PRINTED_BEFORE


def test_one_organisation_only(day: dict[str, Invitation], batches: Batches, tmp_path: Path) -> None:
    letters("--date", "2030-06-12", "--organisation", "org-a", "--output", str(tmp_path / "a.pdf"))
    assert "Aled Post" in batches.last
    assert "Ffion Other" not in batches.last
    assert printed_at(day["org_b"]) == [None]


def test_default_output_is_named_after_the_date(
    day: dict[str, Invitation], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    letters("--date", "2030-06-12", "--organisation", "org-a")
    assert (tmp_path / "letters-2030-06-12-org-a.pdf").read_bytes().startswith(b"%PDF-")
    assert [p.name for p in tmp_path.iterdir()] == ["letters-2030-06-12-org-a.pdf"]  # no temporary file left


def test_nothing_is_marked_when_the_pdf_cannot_be_written(day: dict[str, Invitation], tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"Could not write .*No letters were marked printed"):
        letters("--date", "2030-06-12", "--output", str(tmp_path / "no-such-folder" / "batch.pdf"))
    assert printed_at(day["post"], day["org_b"]) == [None, None]


@pytest.mark.parametrize("bad", ["12/06/2030", "2030-02-30", "tomorrow", ""])
def test_a_bad_date_is_a_clear_error(bad: str) -> None:
    with pytest.raises(CommandError, match="--date must be a date written year-month-day, like 2030-06-12"):
        letters("--date", bad)


def test_an_unknown_organisation_is_a_clear_error(day: dict[str, Invitation]) -> None:
    with pytest.raises(CommandError, match="no organisation with the short name 'nope'"):
        letters("--date", "2030-06-12", "--organisation", "nope")


def test_the_date_is_the_date_in_wales(org_a: Organisation, batches: Batches, tmp_path: Path) -> None:
    # 00:30 on 12 June in Wales is 23:30 UTC on the 11th; 23:30 on the 12th is still the 12th.
    early = make_session(org_a, starts_at=london(2030, 6, 12, 0, 30), ends_at=london(2030, 6, 12, 2, 0))
    late = make_session(org_a, starts_at=london(2030, 6, 12, 23, 30), ends_at=london(2030, 6, 13, 1, 0))
    before = make_session(org_a, starts_at=london(2030, 6, 11, 23, 30), ends_at=london(2030, 6, 12, 1, 0))
    make_invitation(early, make_person(full_name="Early Bird"), sent_at=SENT)
    make_invitation(late, make_person(full_name="Night Owl"), sent_at=SENT)
    make_invitation(before, make_person(full_name="Day Before"), sent_at=SENT)
    letters("--date", "2030-06-12", "--output", str(tmp_path / "batch.pdf"))
    assert "Early Bird" in batches.last
    assert "Night Owl" in batches.last
    assert "Day Before" not in batches.last


def test_a_cancelled_session_gets_a_cancellation_letter(org_a: Organisation, batches: Batches, tmp_path: Path) -> None:
    session = make_session(
        org_a,
        title="Ward visit",
        starts_at=london(2030, 6, 12, 11, 0),
        status=Session.Status.CANCELLED,
        cancelled_reason="The ward is closed for repairs.",
    )
    make_invitation(session, make_person(full_name="Gwil Post"), sent_at=SENT)
    letters("--date", "2030-06-12", "--output", str(tmp_path / "batch.pdf"))
    assert "Cancelled: Ward visit" in batches.last
    assert "The ward is closed for repairs." in batches.last
    assert "You are invited" not in batches.last


def test_large_print_and_welsh_letters_in_one_batch(org_a: Organisation, batches: Batches, tmp_path: Path) -> None:
    org_a.name_cy = "Sefydliad A"
    org_a.save()
    session = make_session(org_a, starts_at=london(2030, 6, 12, 10, 30))
    make_invitation(session, make_person(full_name="Gwen Cymraeg", prefers_welsh=True), sent_at=SENT)
    make_invitation(session, make_person(full_name="Huw Large", needs_large_print=True), sent_at=SENT)
    before = timezone.now()
    letters("--date", "2030-06-12", "--output", str(tmp_path / "batch.pdf"))
    assert "Annwyl Gwen Cymraeg," in batches.last
    assert "Dear Huw Large," in batches.last
    marked = Invitation.objects.filter(session=session).values_list("letter_printed_at", flat=True)
    assert all(at is not None and before <= at <= timezone.now() + timedelta(seconds=1) for at in marked)
