"""Feeds of the public board (PRODUCT.md §C2): RSS, Atom and iCalendar.

Feeds are English unless the address asks for Welsh with ``?lang=cy``. They are fetched
by feed readers and calendar apps rather than people, so the language is part of the
address (stable, cacheable, subscribable) and never guessed from cookies or headers.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.dateformat import format as format_date
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import linebreaks
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from icalendar import Calendar, Event

from .models import Opportunity
from .selectors import BoardFilter, board

if TYPE_CHECKING:
    # django-stubs makes Feed generic in its item and object; Django's own class is not subscriptable.
    BoardFeed = Feed[Opportunity, None]
else:
    BoardFeed = Feed

FEED_LIMIT = 100
WELSH = "cy"
ENGLISH = "en"


def requested_language(request: HttpRequest) -> str:
    """The language a feed or print-out was asked for: Welsh with ``?lang=cy``, otherwise English."""
    return WELSH if request.GET.get("lang") == WELSH else ENGLISH


class _OpportunitiesFeed(BoardFeed):
    """Open opportunities across every organisation, newest board order, at most ``FEED_LIMIT``."""

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # One Feed instance serves every request, so the language lives in the
        # translation override for this call, never on ``self``.
        language = requested_language(request)
        with translation.override(language):
            response = super().__call__(request, *args, **kwargs)
        # LocaleMiddleware would label it with the interface language; keep the feed's own.
        response.headers["Content-Language"] = language
        return response

    def title(self) -> str:
        return _("Opportunities to get involved") + " – WithUs"

    def link(self) -> str:
        return reverse("opportunities:board")

    def description(self) -> str:
        return _(
            "Open opportunities for people with lived experience of mental illness, and carers, "
            "to get involved in mental health services."
        )

    def items(self) -> list[Opportunity]:
        return list(board(BoardFilter())[:FEED_LIMIT])

    def item_title(self, item: Opportunity) -> str:
        return item.text("title")

    def item_description(self, item: Opportunity) -> str:
        # Readers treat descriptions as HTML: escape the organisation's plain text and keep its paragraphs.
        return linebreaks(item.text("purpose"), autoescape=True)

    def item_link(self, item: Opportunity) -> str:
        return reverse("opportunities:detail", args=[item.short_code])

    def item_author_name(self, item: Opportunity) -> str:
        return str(item.organisation)

    def item_categories(self, item: Opportunity) -> list[str]:
        return [str(item.get_level_display())]

    def item_pubdate(self, item: Opportunity) -> datetime:
        return item.published_at or item.created_at

    def item_updateddate(self, item: Opportunity) -> datetime:
        return item.updated_at


class OpportunitiesRssFeed(_OpportunitiesFeed):
    feed_type = Rss201rev2Feed


class OpportunitiesAtomFeed(_OpportunitiesFeed):
    feed_type = Atom1Feed

    def subtitle(self) -> str:
        return self.description()


def _event(request: HttpRequest, opportunity: Opportunity) -> Event | None:
    """One all-day event: the activity's dates, or else its closing date; None when it has neither."""
    title = opportunity.text("title")
    if opportunity.starts_on:
        start = opportunity.starts_on
        last = opportunity.ends_on if opportunity.ends_on and opportunity.ends_on >= start else start
        summary = title
    elif opportunity.closes_on:
        start = last = opportunity.closes_on
        summary = _("Closing date: %(title)s") % {"title": title}
    else:
        return None
    end = last + timedelta(days=1)  # DTEND of an all-day event is the day after (RFC 5545 §3.6.1)
    url = request.build_absolute_uri(reverse("opportunities:detail", args=[opportunity.short_code]))
    description = "\n\n".join(
        part
        for part in (
            opportunity.text("purpose"),
            f"{_('Organisation')}: {opportunity.organisation}",
            f"{_('Time needed')}: {opportunity.text('time_commitment')}",
            f"{_('Closing date')}: {format_date(opportunity.closes_on, 'j F Y')}" if opportunity.closes_on else "",
            url,
        )
        if part
    )
    location = str(opportunity.get_location_display())
    if opportunity.venue:
        location = f"{location}: {opportunity.venue}"
    return Event.new(
        uid=f"opportunity-{opportunity.pk}@withus",
        summary=summary,
        description=description,
        start=start,
        end=end,
        url=url,
        location=location,
        # DTSTAMP of a published calendar is when the information last changed (RFC 5545 §3.8.7.2).
        stamp=opportunity.updated_at.astimezone(UTC),
    )


@require_safe
def ical_feed(request: HttpRequest) -> HttpResponse:
    """Every open opportunity with a date, as an iCalendar people can subscribe to."""
    language = requested_language(request)
    with translation.override(language):
        opportunities = board(BoardFilter()).filter(Q(starts_on__isnull=False) | Q(closes_on__isnull=False))
        calendar = Calendar.new(
            prodid="-//WithUs//Opportunities//EN",
            uid=f"withus-opportunities-{language}",
            name=_("Opportunities to get involved") + " – WithUs",
            description=_("Dates of open opportunities, and their closing dates."),
            url=request.build_absolute_uri(reverse("opportunities:board")),
            refresh_interval=timedelta(hours=12),
            subcomponents=[event for o in opportunities if (event := _event(request, o)) is not None],
        )
    filename = "withus-opportunities-cy.ics" if language == WELSH else "withus-opportunities.ics"
    return HttpResponse(
        calendar.to_ical(),
        content_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": content_disposition_header(False, filename), "Content-Language": language},
    )
