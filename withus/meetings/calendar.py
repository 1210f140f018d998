"""Sessions as iCalendar (RFC 5545): invitations by e-mail, and each member's own feed (C4).

001 §Arranging Meetings asks for invitations that need no particular software: an
.ics attachment opens in Outlook, Google Calendar, Apple Calendar and Thunderbird alike.

Times are written as local wall-clock times in Europe/London (``DTSTART;TZID=Europe/London``)
with the zone's definition included, so a 10:30 meeting reads 10:30 in every app and on
either side of a clock change. The definition is the standing Europe/London rule (the
last Sundays of March and October) rather than one generated from the tz database:
icalendar 7.3 writes the March onset in summer time (02:00) where RFC 5545 §3.6.5 wants
the local time before the change (01:00), and the rule form is what Outlook and Google
themselves send.

The language is the caller's: call these inside ``translation.override`` for the reader.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from icalendar import STATUS, Calendar, Event, Timezone, vCalAddress

from withus.people.models import Person

from .models import CalendarFeedToken, Invitation, Session, Venue

LONDON = ZoneInfo("Europe/London")
PRODID = "-//WithUs//Meetings//EN"
FEED_REFRESH = timedelta(hours=6)
METHODS = ("REQUEST", "CANCEL")

# Europe/London since 1996, when the UK and the EU settled on the last Sundays of March
# and October at 01:00 UTC. The DTSTART of each part is the onset in the local time before
# the change (RFC 5545 §3.6.5): 01:00 GMT in March, 02:00 BST in October.
EUROPE_LONDON_VTIMEZONE = """BEGIN:VTIMEZONE
TZID:Europe/London
BEGIN:DAYLIGHT
TZNAME:BST
TZOFFSETFROM:+0000
TZOFFSETTO:+0100
DTSTART:19810329T010000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZNAME:GMT
TZOFFSETFROM:+0100
TZOFFSETTO:+0000
DTSTART:19961027T020000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE
"""


def london_timezone() -> Timezone:
    """The VTIMEZONE that every DTSTART and DTEND we write refers to."""
    component = Timezone.from_ical(EUROPE_LONDON_VTIMEZONE.replace("\n", "\r\n"))
    assert isinstance(component, Timezone)
    return component


def session_title(session: Session) -> str:
    """The title in the current language (the Welsh title when reading Welsh and there is one)."""
    return str(session)


def venue_accessibility(venue: Venue) -> list[tuple[str, str]]:
    """The venue's accessibility answers as (question, answer) pairs, in the current language."""
    return [
        (
            str(capfirst(getattr(Venue._meta.get_field(name), "verbose_name", name))),
            str(getattr(venue, f"get_{name}_display")()),
        )
        for name in ("step_free", "public_transport", "parking", "hearing_loop")
    ]


def one_line(text: str) -> str:
    """A postal address typed over several lines, on one line."""
    return ", ".join(line.strip().rstrip(",") for line in text.splitlines() if line.strip())


def session_location(session: Session) -> str:
    """Where: the venue's name and address, or else the online link."""
    if session.venue is not None:
        return ", ".join(part for part in (str(session.venue), one_line(session.venue.address)) if part)
    return session.online_link


def contact_name(session: Session) -> str:
    return session.contact.get_full_name() or session.contact.email


def session_description(session: Session) -> str:
    """Plain text for DESCRIPTION: what happens, where, how to get in, and whom to ask."""
    parts: list[str] = []
    if session.status == Session.Status.CANCELLED:
        cancelled = _("This session has been cancelled.")
        parts.append(f"{cancelled} {session.cancelled_reason}".strip())
    parts.append(f"{session.get_kind_display()} – {session.organisation}")
    agenda = list(session.agenda.all())
    if agenda:
        lines = [f"{number}. {item}" for number, item in enumerate(agenda, start=1)]
        parts.append("\n".join([_("Agenda") + ":", *lines]))
    if session.venue is not None:
        where = [f"{_('Where')}: {session_location(session)}"]
        where += [f"{question}: {answer}" for question, answer in venue_accessibility(session.venue)]
        if session.venue.notes_shown:
            where.append(session.venue.notes_shown)
        parts.append("\n".join(where))
    if session.online_link:
        join_online = _("Join online")
        parts.append(f"{join_online}: {session.online_link}")
    organisation = session.organisation
    contact_label = _("Contact")
    contact = [f"{contact_label}: {contact_name(session)}", session.contact.email]
    if organisation.contact_phone:
        contact.append(f"{_('Phone')}: {organisation.contact_phone}")
    parts.append("\n".join(line for line in contact if line))
    return "\n\n".join(parts)


def _attendee(invitation: Invitation) -> vCalAddress | None:
    person = invitation.person
    email = person.email if person is not None else invitation.email
    if not email:
        return None
    name = person.display_name if person is not None else invitation.name
    # RSVP=FALSE: replies are recorded in WithUs, not collected from calendar apps' e-mails.
    return vCalAddress.new(
        email, cn=name or None, role="REQ-PARTICIPANT", partstat="NEEDS-ACTION", cutype="INDIVIDUAL", rsvp=False
    )


def _event(
    session: Session,
    *,
    stamp: datetime,
    status: STATUS,
    sequence: int | None = None,
    summary: str | None = None,
    attendee: Invitation | None = None,
) -> Event:
    contact = session.contact
    attendees = [address] if attendee is not None and (address := _attendee(attendee)) else None
    return Event.new(
        uid=f"session-{session.pk}@withus",
        summary=summary or session_title(session),
        start=session.starts_at.astimezone(LONDON),
        end=session.ends_at.astimezone(LONDON),
        location=session_location(session) or None,
        description=session_description(session),
        organizer=vCalAddress.new(contact.email, cn=contact_name(session)) if contact.email else None,
        attendees=attendees,
        status=status,
        sequence=sequence,
        stamp=stamp.astimezone(UTC),
        url=session.online_link or None,
        last_modified=session.updated_at.astimezone(UTC),
    )


def invitation_ics(
    session: Session, *, method: str = "REQUEST", sequence: int = 0, attendee: Invitation | None = None
) -> bytes:
    """One session as an iCalendar message to attach to an e-mail (RFC 5546 iTIP).

    ``method`` is REQUEST for an invitation or a change, CANCEL for a cancellation (the
    event then has STATUS:CANCELLED). ``sequence`` must go up with every change the
    people invited are told about, so calendar apps replace the old copy instead of adding
    a second. ``attendee``, when given, names the person the message is for (iTIP wants
    an ATTENDEE in a REQUEST; Gmail and Outlook match the event to the reader by it).
    The ORGANIZER is the session's contact person, so replies from calendar apps reach them.
    """
    method = method.upper()
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    if sequence < 0:
        raise ValueError("sequence cannot be negative")
    event = _event(
        session,
        stamp=timezone.now(),
        status=STATUS.CANCELLED if method == "CANCEL" else STATUS.CONFIRMED,
        sequence=sequence,
        attendee=attendee,
    )
    ical: bytes = Calendar.new(prodid=PRODID, method=method, subcomponents=[london_timezone(), event]).to_ical()
    return ical


def a_year_before(moment: datetime) -> datetime:
    """The same local date and time a year earlier (28 February for 29 February)."""
    local = moment.astimezone(LONDON)
    try:
        earlier = local.replace(year=local.year - 1)
    except ValueError:
        earlier = local.replace(year=local.year - 1, day=28)
    return earlier


def feed_invitations(person: Person, *, now: datetime) -> list[Invitation]:
    """The person's invitations to sessions from a year ago onwards, soonest first, in two queries."""
    return list(
        Invitation.objects.filter(person=person, session__starts_at__gte=a_year_before(now))
        .select_related("session__venue", "session__contact", "session__organisation")
        .prefetch_related("session__agenda")
        .order_by("session__starts_at", "session__pk")
    )


def personal_feed(person: Person, *, now: datetime) -> bytes:
    """A member's own calendar to subscribe to: every session they are invited to, upcoming or
    in the last 12 months, in their language (Welsh when they prefer it).

    Cancelled sessions stay in the feed as STATUS:CANCELLED with "Cancelled:" before the
    title, rather than vanishing: a member who planned their week around a meeting sees that
    it is off, not just a gap. Two queries, however many sessions.
    """
    language = "cy" if person.prefers_welsh else "en"
    with translation.override(language):
        events = []
        for invitation in feed_invitations(person, now=now):
            session = invitation.session
            cancelled = session.status == Session.Status.CANCELLED
            summary = _("Cancelled: %(title)s") % {"title": session_title(session)} if cancelled else None
            events.append(
                _event(
                    session,
                    # A published calendar's DTSTAMP is when the event last changed (RFC 5545 §3.8.7.2).
                    stamp=session.updated_at,
                    status=STATUS.CANCELLED if cancelled else STATUS.CONFIRMED,
                    summary=summary,
                )
            )
        calendar = Calendar.new(
            prodid=PRODID,
            method="PUBLISH",
            subcomponents=[london_timezone(), *events],
            name=_("My sessions") + " – WithUs",
            description=_("The meetings and activities you are invited to."),
            refresh_interval=FEED_REFRESH,
        )
        # Outlook reads its own name for the refresh interval.
        calendar.add("X-PUBLISHED-TTL", FEED_REFRESH)
        ical: bytes = calendar.to_ical()
        return ical


@require_safe
def personal_feed_view(request: HttpRequest, token: str) -> HttpResponse:
    """The personal feed at its secret address; 404 for an unknown or revoked address.

    Calendar apps cannot sign in, so the address is the key: it is never shown to anyone
    but its owner, and revoking it (``CalendarFeedToken.revoked_at``) shuts it at once.
    """
    feed = CalendarFeedToken.objects.select_related("person").filter(token=token, revoked_at__isnull=True).first()
    if feed is None:
        raise Http404
    body = personal_feed(feed.person, now=timezone.now())
    return HttpResponse(
        body,
        content_type="text/calendar; charset=utf-8",
        headers={
            "Content-Disposition": content_disposition_header(False, "withus.ics"),
            "Content-Language": "cy" if feed.person.prefers_welsh else "en",
            # The address is a secret: no shared cache may keep a copy, no search engine list it.
            "Cache-Control": "private, no-store",
            "X-Robots-Tag": "noindex",
        },
    )
