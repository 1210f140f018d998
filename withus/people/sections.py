"""The sections of a person's profile, in the order a new member fills them in."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

SECTION_TITLES = {
    "about": _("About you"),
    "experience": _("Your experience"),
    "skills": _("Skills, interests and when you are free"),
    "contact": _("How we contact you"),
    "needs": _("What you need to take part"),
    "wellbeing": _("When you are unwell"),
    "equality": _("Equality monitoring"),
}


def section_title(slug: str) -> str:
    title = SECTION_TITLES.get(slug)
    return str(title) if title is not None else ""
