"""The pages a signed-in person can reach, gathered on their home page and the staff home page.

The header keeps a handful of links, which fit the screen of an old phone and read quickly
with a screen reader. Every app registers its own pages here (in its ``AppConfig.ready``),
each under a section with a line saying what it is for, so a new part of the product adds its
pages without touching the header or another app's list.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Text = str | Promise

# A member's own pages, in the order their home page shows them.
MEMBER_SECTIONS: dict[str, Text] = {
    "taking_part": _("Taking part"),
    "voice": _("Your voice"),
    "support": _("Support and learning"),
    "money": _("Payments and benefits"),
    "account": _("Your details and account"),
}
# Staff pages, in the order the staff home page shows them.
STAFF_SECTIONS: dict[str, Text] = {
    "people": _("People"),
    "involvement": _("Involvement"),
    "voice": _("Voice and impact"),
    "support": _("Support and learning"),
    "money": _("Payments"),
    "organisation": _("Organisation"),
}


@dataclass(frozen=True)
class Page:
    """One page on a home page: where it is (a URL name), what it is called, what it is for.

    ``staff`` pages are listed on the staff home page to those holding one of ``roles`` in the
    organisation they are working in (every staff role when ``roles`` is empty); the others on a
    member's home page, and only to someone with a member profile when ``needs_profile``.
    """

    section: str
    url_name: str
    title: Text
    description: Text
    staff: bool = False
    roles: tuple[str, ...] = ()
    needs_profile: bool = True
    order: int = 100


PAGES: list[Page] = []


def register(*pages: Page) -> None:
    for page in pages:
        sections = STAFF_SECTIONS if page.staff else MEMBER_SECTIONS
        if page.section not in sections:
            home = "staff" if page.staff else "member"
            raise ValueError(f"{page.url_name}: the {home} home page has no section {page.section!r}")
        if page not in PAGES:
            PAGES.append(page)


def member_sections(*, has_profile: bool) -> list[tuple[Text, list[Page]]]:
    """A member's home page: each section's title and its pages."""
    return _sections(MEMBER_SECTIONS, [p for p in PAGES if not p.staff and (has_profile or not p.needs_profile)])


def staff_sections(roles: set[str]) -> list[tuple[Text, list[Page]]]:
    """The staff home page for someone holding ``roles`` in the organisation they work in."""
    return _sections(STAFF_SECTIONS, [p for p in PAGES if p.staff and (not p.roles or roles & set(p.roles))])


def _sections(titles: dict[str, Text], pages: list[Page]) -> list[tuple[Text, list[Page]]]:
    found = []
    for key, title in titles.items():
        listed = sorted((p for p in pages if p.section == key), key=lambda p: p.order)
        if listed:
            found.append((title, listed))
    return found
