"""Letters telling contributors who prefer post about each step of what they said (C7).

Each letter is the message the person would have had by e-mail, already written in their
language, set out as a letter in their format (large print when they asked for it) with
their address, the organisation's contact details and what other apps add to every letter
(``withus.core.letters.notes_for``, such as who their support contact is). A batch is one
PDF, each letter from a new sheet.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from withus.core import letters, pdf

from .models import Notice


def _language(notice: Notice) -> str:
    return "cy" if notice.person.prefers_welsh else "en"


def render_letters_html(notices: Sequence[Notice], *, today: date | None = None) -> str:
    """The HTML of a batch of letters, each in its reader's language and format."""
    if not notices:
        raise ValueError("There are no letters to print.")
    today = today or timezone.localdate()
    notes: dict[str, dict[tuple[int, int], list[str]]] = {}
    for language in {_language(n) for n in notices}:
        with translation.override(language):
            notes[language] = letters.notes_for(
                (n.person_id, n.step.contribution.organisation_id) for n in notices if _language(n) == language
            )
    bodies = []
    for notice in notices:
        language = _language(notice)
        organisation = notice.step.contribution.organisation
        with translation.override(language):
            paragraphs = [p.strip() for p in (notice.message.body if notice.message else "").split("\n\n") if p.strip()]
            bodies.append(
                render_to_string(
                    "impact/letters/letter.html",
                    {
                        "lang": language,
                        "large_print": notice.person.needs_large_print,
                        "address_lines": notice.person.address_lines(),
                        "today": today,
                        "subject": notice.message.subject if notice.message else "",
                        "paragraphs": paragraphs,
                        "organisation_name": organisation.display_name(language),
                        "phone": organisation.contact_phone,
                        "email": organisation.contact_email,
                        "notes": notes[language].get((notice.person_id, organisation.pk), []),
                    },
                )
            )
    languages = {_language(n) for n in notices}
    language = languages.pop() if len(languages) == 1 else "en"
    with translation.override(language):
        return render_to_string("impact/letters/batch.html", {"letters": bodies, "lang": language})


def letters_pdf(notices: Sequence[Notice], *, today: date | None = None) -> bytes:
    """One PDF of the letters, each starting on a new page."""
    return pdf.render_pdf(render_letters_html(notices, today=today), settings.SITE_URL)
