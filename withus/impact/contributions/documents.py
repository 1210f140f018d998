"""Letters telling contributors who prefer post about each step of what they said (C7).

Each is the message the person was sent, printed as every waiting letter is
(``withus.people.outbox.documents``): in their language and format, with their address.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.conf import settings

from withus.core import pdf
from withus.people.outbox import documents as outbox_documents

from .models import Notice


def render_letters_html(notices: Sequence[Notice], *, today: date | None = None) -> str:
    """The HTML of a batch of letters, each in its reader's language and format."""
    return outbox_documents.render_letters_html([n.message for n in notices if n.message is not None], today=today)


def letters_pdf(notices: Sequence[Notice], *, today: date | None = None) -> bytes:
    """One PDF of the letters, each starting on a new page."""
    return pdf.render_pdf(render_letters_html(notices, today=today), settings.SITE_URL)
