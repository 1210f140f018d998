"""iCalendar for sessions: e-mailed invitations and each member's own feed (PRODUCT.md §C4).

Everything sent is parsed back with icalendar, the way a calendar app would read it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import path
from django.utils import timezone, translation
from icalendar import Calendar, Event

from tests.meetings.factories import LONDON, london, make_invitation, make_person, make_session, make_venue
from withus.accounts.models import Organisation
from withus.meetings import calendar
from withus.meetings.models import CalendarFeedToken, Session
from withus.people.models import Person
from withus.urls import urlpatterns as product_urlpatterns

pytestmark = pytest.mark.django_db

# The feed's address as the meetings app wires it; these tests use their own URLconf so
# that they exercise ``personal_feed_view`` alone.
# The product's own URLs too: a 404 is shown in the site's layout, which links to them.
urlpatterns = [path("calendar/<str:token>.ics", calendar.personal_feed_view), *product_urlpatterns]
feed_urls = pytest.mark.urls("tests.meetings.test_calendar")


def parse(ics: bytes) -> Calendar:
    parsed = Calendar.from_ical(ics)
    assert isinstance(parsed, Calendar)
    return parsed


def utc(moment: date | datetime) -> datetime:
    assert isinstance(moment, datetime)
    return moment.astimezone(UTC)


def only_event(parsed: Calendar) -> Event:
    assert len(parsed.events) == 1
    return parsed.events[0]


@pytest.fixture
def organisation(org_a: Organisation) -> Organisation:
    org_a.contact_phone = "01970 123456"
    org_a.name_cy = "Sefydliad A"
    org_a.save()
    return org_a


# Invitations ----------------------------------------------------------------------------------


def test_invitation_is_a_request_with_the_session_in_local_time(organisation: Organisation) -> None:
    venue = make_venue(organisation, name="Canolfan y Dref", address="Heol y Wig\nAberystwyth\nSY23 2LN")
    session = make_session(
        organisation,
        venue=venue,
        title="Carers' reference group",
        starts_at=london(2030, 6, 12, 10, 30),
        ends_at=london(2030, 6, 12, 13, 0),
        agenda=("Welcome", "How people are involved"),
    )
    person = make_person(full_name="Alaw Jones", email="alaw@example.org", preferred_channel="email")
    invitation = make_invitation(session, person)

    ics = calendar.invitation_ics(session, sequence=3, attendee=invitation)

    parsed = parse(ics)
    assert parsed["METHOD"] == "REQUEST"
    event = only_event(parsed)
    assert event["UID"] == f"session-{session.pk}@withus"
    assert event["SEQUENCE"] == 3
    assert event["STATUS"] == "CONFIRMED"
    assert event["SUMMARY"] == "Carers' reference group"
    assert event.start == london(2030, 6, 12, 10, 30)
    assert event.end == london(2030, 6, 12, 13, 0)
    assert b"DTSTART;TZID=Europe/London:20300612T103000" in ics
    assert b"DTEND;TZID=Europe/London:20300612T130000" in ics
    assert [tz.tz_name for tz in parsed.timezones] == ["Europe/London"]
    assert event["LOCATION"] == "Canolfan y Dref, Heol y Wig, Aberystwyth, SY23 2LN"
    description = str(event["DESCRIPTION"])
    for expected in (
        "1. Welcome",
        "2. How people are involved",
        "Nia Rhys",
        session.contact.email,
        "01970 123456",
        "Step-free access throughout: Yes",
        "Parking, including accessible spaces: No",
    ):
        assert expected in description, expected
    assert str(event["ORGANIZER"]) == f"mailto:{session.contact.email}"
    assert event["ORGANIZER"].params["CN"] == "Nia Rhys"
    assert str(event["ATTENDEE"]) == "mailto:alaw@example.org"
    assert event.DTSTAMP.tzinfo is not None


def test_cancellation_is_a_cancel_with_status_cancelled(organisation: Organisation) -> None:
    session = make_session(organisation, status=Session.Status.CANCELLED, cancelled_reason="The room flooded.")
    parsed = parse(calendar.invitation_ics(session, method="CANCEL", sequence=4))
    assert parsed["METHOD"] == "CANCEL"
    event = only_event(parsed)
    assert event["UID"] == f"session-{session.pk}@withus"  # the same event, so apps remove it
    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 4
    assert "The room flooded." in str(event["DESCRIPTION"])


def test_a_change_keeps_the_uid_and_raises_the_sequence(organisation: Organisation) -> None:
    session = make_session(organisation)
    first = only_event(parse(calendar.invitation_ics(session)))
    session.starts_at = london(2030, 6, 19, 11, 0)
    session.ends_at = london(2030, 6, 19, 13, 0)
    session.save()
    changed = only_event(parse(calendar.invitation_ics(session, sequence=1)))
    assert changed["UID"] == first["UID"]
    assert (first["SEQUENCE"], changed["SEQUENCE"]) == (0, 1)
    assert changed.start == london(2030, 6, 19, 11, 0)


@pytest.mark.parametrize("method", ["PUBLISH", "REPLY", ""])
def test_only_request_and_cancel_are_sent(organisation: Organisation, method: str) -> None:
    with pytest.raises(ValueError, match="REQUEST, CANCEL"):
        calendar.invitation_ics(make_session(organisation), method=method)


def test_a_session_across_the_october_clock_change(organisation: Organisation) -> None:
    # Clocks go back at 02:00 BST on 27 October 2030: 00:30 to 03:00 on the clock is 3½ hours.
    session = make_session(
        organisation, starts_at=london(2030, 10, 27, 0, 30), ends_at=london(2030, 10, 27, 3, 0), kind="event"
    )
    ics = calendar.invitation_ics(session)
    assert b"DTSTART;TZID=Europe/London:20301027T003000" in ics
    assert b"DTEND;TZID=Europe/London:20301027T030000" in ics
    event = only_event(parse(ics))
    assert utc(event.start) == datetime(2030, 10, 26, 23, 30, tzinfo=UTC)  # still summer time
    assert utc(event.end) == datetime(2030, 10, 27, 3, 0, tzinfo=UTC)  # winter time again
    assert utc(event.end) - utc(event.start) == timedelta(hours=3, minutes=30)


def test_a_session_on_the_last_sunday_of_march_keeps_its_wall_clock_time(organisation: Organisation) -> None:
    # Clocks go forward at 01:00 GMT on 31 March 2030; a 10:30 session is 10:30 summer time.
    session = make_session(organisation, starts_at=london(2030, 3, 31, 10, 30), ends_at=london(2030, 3, 31, 12, 30))
    ics = calendar.invitation_ics(session)
    assert b"DTSTART;TZID=Europe/London:20300331T103000" in ics
    assert b"DTEND;TZID=Europe/London:20300331T123000" in ics
    event = only_event(parse(ics))
    assert utc(event.start) == datetime(2030, 3, 31, 9, 30, tzinfo=UTC)


def test_the_vtimezone_sent_agrees_with_the_tz_database() -> None:
    """Apps without their own copy of Europe/London use the VTIMEZONE: it must change at 01:00 UTC."""
    # Built from the definition itself (icalendar would otherwise look the TZID up by name).
    sent = calendar.london_timezone().to_tz(lookup_tzid=False)
    assert not isinstance(sent, ZoneInfo)
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    while moment < datetime(2036, 1, 1, tzinfo=UTC):
        assert moment.astimezone(sent).utcoffset() == moment.astimezone(LONDON).utcoffset(), moment
        # Every half hour through March and October, where the changes are; every day otherwise.
        moment += timedelta(minutes=30) if moment.month in (3, 10) else timedelta(days=1)


def test_summary_is_in_the_readers_language(organisation: Organisation) -> None:
    session = make_session(organisation, title="Carers' reference group", title_cy="Grŵp cyfeirio gofalwyr")
    with translation.override("cy"):
        event = only_event(parse(calendar.invitation_ics(session)))
    assert event["SUMMARY"] == "Grŵp cyfeirio gofalwyr"
    assert "Sefydliad A" in str(event["DESCRIPTION"])


def test_online_session_has_the_link_as_its_location(organisation: Organisation) -> None:
    session = make_session(organisation, online=True)
    event = only_event(parse(calendar.invitation_ics(session)))
    assert event["LOCATION"] == "https://meet.example.org/carers"
    assert event["URL"] == "https://meet.example.org/carers"


# The personal feed ----------------------------------------------------------------------------


def feed_token(person: Person, **fields: Any) -> CalendarFeedToken:
    return CalendarFeedToken.objects.create(person=person, token=CalendarFeedToken.new_token(), **fields)


def uids(ics: bytes) -> list[str]:
    return [str(event["UID"]) for event in parse(ics).events]


def test_feed_has_upcoming_and_last_twelve_months_of_the_persons_sessions(organisation: Organisation) -> None:
    now = london(2030, 6, 1, 9, 0)
    person = make_person()
    other = make_person()
    venue = make_venue(organisation)
    upcoming = make_session(organisation, venue=venue, starts_at=london(2030, 6, 12))
    recent = make_session(organisation, venue=venue, starts_at=london(2029, 6, 2))
    too_old = make_session(organisation, venue=venue, starts_at=london(2029, 5, 31))
    not_invited = make_session(organisation, venue=venue, starts_at=london(2030, 7, 1))
    for session in (upcoming, recent, too_old):
        make_invitation(session, person)
    make_invitation(not_invited, other)

    ics = calendar.personal_feed(person, now=now)

    assert uids(ics) == [f"session-{recent.pk}@withus", f"session-{upcoming.pk}@withus"]
    parsed = parse(ics)
    assert parsed["METHOD"] == "PUBLISH"
    assert parsed.events[1].start == london(2030, 6, 12)
    assert uids(calendar.personal_feed(other, now=now)) == [f"session-{not_invited.pk}@withus"]


def test_feed_keeps_cancelled_sessions_marked_cancelled(organisation: Organisation) -> None:
    person = make_person()
    session = make_session(
        organisation, title="Ward visit", status=Session.Status.CANCELLED, cancelled_reason="Staff shortage."
    )
    make_invitation(session, person)
    event = only_event(parse(calendar.personal_feed(person, now=london(2030, 6, 1))))
    assert event["STATUS"] == "CANCELLED"
    assert event["SUMMARY"] == "Cancelled: Ward visit"
    assert "Staff shortage." in str(event["DESCRIPTION"])


def test_feed_is_in_welsh_for_people_who_prefer_welsh(organisation: Organisation) -> None:
    person = make_person(prefers_welsh=True)
    make_invitation(make_session(organisation, title="Panel", title_cy="Panel y gwanwyn"), person)
    ics = calendar.personal_feed(person, now=london(2030, 6, 1))
    assert only_event(parse(ics))["SUMMARY"] == "Panel y gwanwyn"


@feed_urls
def test_feed_view_serves_an_active_address(client: Client, organisation: Organisation) -> None:
    person = make_person()
    session = make_session(organisation, starts_at=timezone.now().astimezone(LONDON) + timedelta(days=20))
    make_invitation(session, person)
    token = feed_token(person)
    response = client.get(f"/calendar/{token.token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    assert uids(response.content) == [f"session-{session.pk}@withus"]


@feed_urls
def test_feed_view_is_404_for_a_revoked_or_unknown_address(client: Client, organisation: Organisation) -> None:
    person = make_person()
    make_invitation(make_session(organisation), person)
    revoked = feed_token(person, revoked_at=timezone.now())
    assert client.get(f"/calendar/{revoked.token}.ics").status_code == 404
    assert client.get("/calendar/not-a-real-token.ics").status_code == 404
    assert client.post(f"/calendar/{feed_token(person).token}.ics").status_code == 405


@feed_urls
def test_feed_view_lists_only_the_owners_sessions(client: Client, organisation: Organisation) -> None:
    owner, someone_else = make_person(), make_person()
    start = timezone.now().astimezone(LONDON) + timedelta(days=30)
    mine = make_session(organisation, starts_at=start)
    theirs = make_session(organisation, starts_at=start)
    make_invitation(mine, owner)
    make_invitation(theirs, someone_else)
    response = client.get(f"/calendar/{feed_token(owner).token}.ics")
    assert uids(response.content) == [f"session-{mine.pk}@withus"]


@feed_urls
def test_feed_queries_do_not_grow_with_sessions(client: Client, organisation: Organisation) -> None:
    person = make_person()
    token = feed_token(person)
    venue = make_venue(organisation)
    start = timezone.now().astimezone(LONDON) + timedelta(days=30)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/calendar/{token.token}.ics").status_code == 200
        return len(queries)

    make_invitation(make_session(organisation, venue=venue, starts_at=start), person)
    with_one = count_queries()
    for n in range(1, 8):
        make_invitation(make_session(organisation, starts_at=start + timedelta(days=n), online=n % 2 == 0), person)
    with_eight = count_queries()
    assert len(uids(client.get(f"/calendar/{token.token}.ics").content)) == 8
    assert with_eight == with_one
    assert with_one <= 3  # the address, the invitations with their sessions, the agendas
