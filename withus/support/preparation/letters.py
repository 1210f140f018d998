"""What preparation adds to what a member is sent about a session: the briefing and
meet-and-greet they are offered, who gives it, when, where, and how to say yes or no."""

from __future__ import annotations

from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _

from withus.meetings.calendar import LONDON

from . import selectors
from .models import Preparation


def line_for(offer: selectors.Offer) -> str:
    """One offer in words, in the language in force."""
    preparation = offer.preparation
    at = preparation.at.astimezone(LONDON)
    if preparation.kind == Preparation.Kind.BRIEFING:
        text = _(
            "Before the session, %(name)s can go through the papers with you and tell you what to expect: "
            "%(day)s at %(time)s, %(how)s, %(where)s."
        )
    else:
        text = _("%(name)s can meet you when you arrive and show you around: %(day)s at %(time)s, %(how)s, %(where)s.")
    line = text % {
        "name": preparation.supporter_name,
        "day": format_date(at, "l j F Y"),
        "time": format_date(at, "P"),
        "how": preparation.get_how_display().lower(),
        "where": preparation.where,
    }
    if offer.wanted is True:
        line += " " + _("You told us you would like this.")
    elif offer.wanted is False:
        line += " " + _("You told us you do not need this; tell us if you change your mind.")
    else:
        line += " " + _("Tell us if you would like this, on your sessions page or by phone.")
    return line


def session_notes(pairs: set[tuple[int, int]]) -> dict[tuple[int, int], list[str]]:
    """For each (person id, session id), a line for each briefing or meet-and-greet offered."""
    return {key: [line_for(offer) for offer in offers] for key, offers in selectors.offers_for_letters(pairs).items()}
