"""Letters for people who prefer post, printed from the messages waiting in the outbox.

Each letter is the message the person would have had by e-mail, already written in their
language, set out as a letter in their format (large print when they asked for it) with their
address, the organisation's contact details and what other apps add to every letter
(``withus.core.letters.notes_for``, such as who their support contact is). A batch is one PDF,
each letter from a new sheet, so a coordinator prints the day's post in one go.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date
from typing import IO

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint.document import Document

from withus.core import letters, pdf
from withus.core.progress import Progress

from ..models import OutgoingMessage


def _language(message: OutgoingMessage) -> str:
    return "cy" if message.person.prefers_welsh else "en"


def render_letters_html(messages: Sequence[OutgoingMessage], *, today: date | None = None) -> str:
    """The HTML of a batch of letters, each in its reader's language and format.

    Read ``person`` and ``organisation`` with the messages (``select_related``): a batch is then
    a query per app adding notes, however many letters it holds.
    """
    if not messages:
        raise ValueError("There are no letters to print.")
    today = today or timezone.localdate()
    notes: dict[str, dict[tuple[int, int], list[str]]] = {}
    for language in {_language(m) for m in messages}:
        with translation.override(language):
            notes[language] = letters.notes_for(
                (m.person_id, m.organisation_id) for m in messages if _language(m) == language and m.organisation_id
            )
    bodies = []
    for message in messages:
        language = _language(message)
        organisation = message.organisation
        # Bodies are written as e-mails, some by templates that escaped them: unescape once, escape on the page.
        text = html.unescape(message.body)
        with translation.override(language):
            bodies.append(
                render_to_string(
                    "people/outbox/letter.html",
                    {
                        "lang": language,
                        "large_print": message.person.needs_large_print,
                        "address_lines": message.person.address_lines(),
                        "today": today,
                        "subject": message.subject,
                        "paragraphs": [p.strip() for p in text.split("\n\n") if p.strip()],
                        "organisation_name": organisation.display_name(language) if organisation else "WithUs",
                        "phone": organisation.contact_phone if organisation else "",
                        "email": organisation.contact_email if organisation else "",
                        "notes": notes[language].get((message.person_id, message.organisation_id or 0), []),
                    },
                )
            )
    languages = {_language(m) for m in messages}
    language = languages.pop() if len(languages) == 1 else "en"
    with translation.override(language):
        return render_to_string("people/outbox/letters.html", {"letters": bodies, "lang": language})


def letters_pdf(messages: Sequence[OutgoingMessage], *, today: date | None = None) -> bytes:
    """One PDF of the letters, each starting on a new page."""
    return pdf.render_pdf(render_letters_html(messages, today=today), settings.SITE_URL)


LAID_OUT_AT_ONCE = 25  # letters laid out together when a batch tells how far it has got


def letters_document(
    messages: Sequence[OutgoingMessage], *, today: date | None = None, progress: Progress | None = None
) -> Document:
    """The letters laid out as one document, a few at a time so ``progress`` hears how far.

    The pages of every part go into one document, so the file is the one ``letters_pdf`` would make,
    each letter from a new sheet.
    """
    if not messages:
        raise ValueError("There are no letters to print.")
    parts = []
    if progress is not None:
        progress(0, len(messages))
    for start in range(0, len(messages), LAID_OUT_AT_ONCE):
        part = messages[start : start + LAID_OUT_AT_ONCE]
        parts.append(pdf.document(render_letters_html(part, today=today), settings.SITE_URL))
        if progress is not None:
            progress(start + len(part), len(messages))
    return parts[0].copy([page for part in parts for page in part.pages])


def write_letters(
    messages: Sequence[OutgoingMessage],
    out: IO[bytes],
    *,
    today: date | None = None,
    progress: Progress | None = None,
) -> None:
    """The letters as one tagged PDF written to ``out`` (``letters_document``), for a prepared file or a command."""
    out.write(pdf.write_pdf(letters_document(messages, today=today, progress=progress)))
