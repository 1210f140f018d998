"""Everything held about a person as a document they can read: a page, and a PDF to print or keep."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from itertools import islice
from typing import IO, Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from withus.accounts.models import Organisation
from withus.core import pdf, privacy, spreadsheets
from withus.core.progress import Progress, counted

from . import selectors, services
from .models import Person, SensitiveRead


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


# ---- The register as a file -------------------------------------------------------------------

REGISTER_COLUMNS = ["name", "offline", "experience", "area", "contact_by", "needs", "status"]
REGISTER_CHUNK = 2000  # people read, and their reading recorded, at a time
REGISTER_PIECE = 64 * 1024  # characters of CSV handed on at a time


def register_filename(organisation: Organisation, file_format: spreadsheets.FileFormat = "csv") -> str:
    return f"withus-{organisation.slug}-people-{timezone.localdate().isoformat()}.{file_format}"


def register_rows(
    reader: Any,
    organisation: Organisation,
    people_filter: selectors.PeopleFilter | None = None,
    progress: Progress | None = None,
) -> Iterator[list[Any]]:
    """The people list, as ``reader`` sees it at ``organisation``, a row at a time: the CSV's and the XLSX's rows.

    The same people as the list page (``selectors.people_for_staff``: only those who
    share their details with the organisation, and only for staff who may see the
    register), in the same order, narrowed by the same filters, with the same columns
    in the reader's language:

    - ``name``: the person's full name
    - ``offline``: ``offline`` when they do not use computers, else blank
    - ``experience``, ``area``, ``contact_by``, ``status``: as the list shows them
    - ``needs``: their format and access needs, separated by ``; ``

    ``reader`` None is the server's operator at the command line (``withus people
    export``), who sees whoever shares with the organisation. Everyone written out has
    their needs recorded as read, in a file, a chunk at a time. The permission is
    checked here, before the first row, so a refusal is a refusal, not a broken file.
    ``progress``, if given, is told how many people are written of how many, a chunk at a time.
    """
    people = (
        selectors.people_sharing_with(organisation)
        if reader is None
        else selectors.people_for_staff(reader, organisation)
    )
    if people_filter is not None:
        people = selectors.filter_people(people, people_filter)
    # The list's order; not its tags, which the file does not show (prefetched a chunk at a time,
    # they held some 40 MB more for 100,000 people).
    total = people.count() if progress is not None else 0
    rows = _register_rows(reader, organisation, selectors.with_list_data(people).prefetch_related(None))
    return rows if progress is None else counted(rows, total, progress, every=REGISTER_CHUNK)


def register_csv(
    reader: Any, organisation: Organisation, people_filter: selectors.PeopleFilter | None = None
) -> Iterator[str]:
    """The people list (``register_rows``) as CSV (UTF-8, a header row), a piece at a time."""
    return spreadsheets.csv_pieces(
        REGISTER_COLUMNS, register_rows(reader, organisation, people_filter), piece=REGISTER_PIECE
    )


def register_xlsx(
    reader: Any, organisation: Organisation, people_filter: selectors.PeopleFilter | None = None
) -> IO[bytes]:
    """The people list (``register_rows``) as an XLSX workbook, at its start: one sheet, the CSV's columns."""
    rows = register_rows(reader, organisation, people_filter)
    return spreadsheets.workbook([spreadsheets.Sheet(_("People"), REGISTER_COLUMNS, rows)])


def write_register(
    reader: Any,
    organisation: Organisation,
    out: IO[bytes],
    *,
    people_filter: selectors.PeopleFilter | None = None,
    file_format: spreadsheets.FileFormat = "csv",
    progress: Progress | None = None,
) -> None:
    """The people list written to ``out`` as CSV or XLSX, telling ``progress`` how far: a prepared file's,
    and the command line's, with a progress bar."""
    rows = register_rows(reader, organisation, people_filter, progress)
    if file_format == "xlsx":
        with spreadsheets.workbook([spreadsheets.Sheet(_("People"), REGISTER_COLUMNS, rows)]) as book:
            shutil.copyfileobj(book, out)
        return
    for piece in spreadsheets.csv_pieces(REGISTER_COLUMNS, rows, piece=REGISTER_PIECE):
        out.write(piece.encode("utf-8"))


def _labels(field: str) -> dict[str, str]:
    """A field's choices in the language in force, worked out once for the whole file, not once a row."""
    choices = getattr(Person._meta.get_field(field), "choices", None) or []
    return {str(value): str(label) for value, label in choices}


def _register_rows(reader: Any, organisation: Organisation, people: Any) -> Iterator[list[Any]]:
    offline = str(_("offline"))
    perspective, area, channel, status = (
        _labels(f) for f in ("perspective", "local_authority", "preferred_channel", "status")
    )
    needs = [
        (f, str(getattr(Person._meta.get_field(f), "verbose_name", f)))
        for f in (*Person.FORMAT_NEEDS, *Person.ACCESS_NEEDS)
    ]
    found = people.iterator(chunk_size=REGISTER_CHUNK)
    while chunk := list(islice(found, REGISTER_CHUNK)):
        services.record_reads(
            reader=reader,
            organisation=organisation,
            people=chunk,
            what=[SensitiveRead.What.NEEDS],
            via=SensitiveRead.Via.EXPORT,
        )
        for person in chunk:
            yield [
                person.full_name,
                offline if person.does_not_use_computers else "",
                perspective.get(person.perspective, person.perspective),
                area.get(person.local_authority, person.local_authority),
                channel.get(person.preferred_channel, person.preferred_channel),
                "; ".join(label for f, label in needs if getattr(person, f)),
                status.get(person.status, person.status),
            ]
