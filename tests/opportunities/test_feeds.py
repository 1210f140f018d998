"""The board's RSS, Atom and iCalendar feeds (PRODUCT.md §C2 "public searchable board")."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from withus.accounts.models import Organisation, User
from withus.opportunities.models import Opportunity

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
_codes = itertools.count(1)


def make_opportunity(organisation: Organisation, contact: User, **fields: Any) -> Opportunity:
    values: dict[str, Any] = {
        "organisation": organisation,
        "contact": contact,
        "title": "Carers' panel",
        "purpose": "Help us shape carers' support.",
        "intended_outcomes": "Better support for carers.",
        "influence": "Advises the board; the board decides.",
        "level": 3,
        "application_process": "none",
        "time_commitment": "Two hours a month",
        "places": 4,
        "where": "strategic",
        "role_offered": "representative",
        "short_code": f"F{next(_codes):05d}",
        "status": Opportunity.Status.PUBLISHED,
        "published_at": timezone.now(),
    }
    values.update(fields)
    return Opportunity.objects.create(**values)


@pytest.fixture
def today() -> date:
    return timezone.localdate()


@pytest.fixture
def opportunities(org_a: Organisation, coordinator_a: User, today: date) -> dict[str, Opportunity]:
    """One of each kind the feeds must tell apart."""
    return {
        "dated": make_opportunity(
            org_a,
            coordinator_a,
            title="Ward design workshop",
            title_cy="Gweithdy dylunio wardiau",
            purpose="Tell us what a calm ward looks like.",
            purpose_cy="Dywedwch wrthym sut olwg sydd ar ward dawel.",
            starts_on=today + timedelta(days=20),
            ends_on=today + timedelta(days=21),
            closes_on=today + timedelta(days=10),
            venue="Canolfan y Dref, Aberystwyth",
        ),
        "closing_only": make_opportunity(
            org_a,
            coordinator_a,
            title="Recruitment panel member",
            title_cy="Aelod o'r panel recriwtio",
            closes_on=today + timedelta(days=5),
        ),
        "undated": make_opportunity(org_a, coordinator_a, title="Newsletter reader"),
        "closes_today": make_opportunity(org_a, coordinator_a, title="Last-day survey", closes_on=today),
        "draft": make_opportunity(
            org_a, coordinator_a, title="Secret draft", status=Opportunity.Status.DRAFT, starts_on=today
        ),
        "past": make_opportunity(
            org_a,
            coordinator_a,
            title="Closed yesterday",
            closes_on=today - timedelta(days=1),
            starts_on=today + timedelta(days=3),
        ),
        "archived": make_opportunity(
            org_a, coordinator_a, title="Old archived one", status=Opportunity.Status.ARCHIVED, starts_on=today
        ),
    }


OPEN = {"dated", "closing_only", "undated", "closes_today"}


def rss_items(body: bytes) -> list[ElementTree.Element]:
    root = ElementTree.fromstring(body)
    assert root.tag == "rss"
    return root.findall("./channel/item")


def atom_entries(body: bytes) -> list[ElementTree.Element]:
    root = ElementTree.fromstring(body)
    assert root.tag == f"{ATOM}feed"
    return root.findall(f"{ATOM}entry")


# RSS and Atom ---------------------------------------------------------------------------------


def test_rss_lists_only_open_opportunities(client: Client, opportunities: dict[str, Opportunity]) -> None:
    response = client.get("/opportunities/feed.rss")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    items = rss_items(response.content)
    assert {item.findtext("title") for item in items} == {opportunities[k].title for k in OPEN}
    dated = next(i for i in items if i.findtext("title") == "Ward design workshop")
    assert dated.findtext("link") == f"http://testserver/opportunities/{opportunities['dated'].short_code}/"
    assert "calm ward" in (dated.findtext("description") or "")
    assert ElementTree.fromstring(response.content).findtext("./channel/language") == "en"


def test_atom_lists_only_open_opportunities(client: Client, opportunities: dict[str, Opportunity]) -> None:
    response = client.get("/opportunities/feed.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    entries = atom_entries(response.content)
    assert {e.findtext(f"{ATOM}title") for e in entries} == {opportunities[k].title for k in OPEN}
    dated = next(e for e in entries if e.findtext(f"{ATOM}title") == "Ward design workshop")
    link = dated.find(f"{ATOM}link")
    assert link is not None
    assert link.get("href") == f"http://testserver/opportunities/{opportunities['dated'].short_code}/"
    assert "calm ward" in (dated.findtext(f"{ATOM}summary") or "")


def test_organisation_text_is_escaped_not_markup(client: Client, org_a: Organisation, coordinator_a: User) -> None:
    make_opportunity(org_a, coordinator_a, title="Tea & talk <b>", purpose="Bring <script>x</script> & ideas")
    items = rss_items(client.get("/opportunities/feed.rss").content)
    assert items[0].findtext("title") == "Tea & talk <b>"
    description = items[0].findtext("description") or ""
    assert "<script>" not in description
    assert "&lt;script&gt;" in description


@pytest.mark.parametrize("address", ["/opportunities/feed.rss", "/opportunities/feed.atom"])
def test_welsh_feeds_use_the_welsh_text(client: Client, opportunities: dict[str, Opportunity], address: str) -> None:
    response = client.get(address, {"lang": "cy"})
    body = response.content.decode()
    assert "Gweithdy dylunio wardiau" in body
    assert "Dywedwch wrthym sut olwg sydd ar ward dawel." in body
    # No Welsh title yet: the English one stands in rather than a gap.
    assert "Newsletter reader" in body
    assert "Ward design workshop" not in body
    if address.endswith(".rss"):
        assert ElementTree.fromstring(response.content).findtext("./channel/language") == "cy"
    else:
        assert ElementTree.fromstring(response.content).get("{http://www.w3.org/XML/1998/namespace}lang") == "cy"


def test_feeds_are_english_unless_asked(client: Client, opportunities: dict[str, Opportunity]) -> None:
    # A Welsh interface cookie does not change what a feed reader receives at the same address.
    client.cookies["withus_language"] = "cy"
    body = client.get("/opportunities/feed.rss").content.decode()
    assert "Ward design workshop" in body
    assert "Gweithdy dylunio wardiau" not in body


# iCalendar ------------------------------------------------------------------------------------


def parse_calendar(client: Client, **query: str) -> Calendar:
    response = client.get("/opportunities/calendar.ics", query)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def test_calendar_has_one_event_per_open_dated_opportunity(
    client: Client, opportunities: dict[str, Opportunity], today: date
) -> None:
    calendar = parse_calendar(client)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    expected = {f"opportunity-{opportunities[k].pk}@withus" for k in ("dated", "closing_only", "closes_today")}
    assert set(events) == expected  # not the undated one, the draft, the archived or the past one

    dated = events[f"opportunity-{opportunities['dated'].pk}@withus"]
    assert str(dated["SUMMARY"]) == "Ward design workshop"
    # All-day: plain dates, and DTEND is the day after the last day.
    assert dated.decoded("DTSTART") == today + timedelta(days=20)
    assert dated.decoded("DTEND") == today + timedelta(days=22)
    assert str(dated["URL"]) == f"http://testserver/opportunities/{opportunities['dated'].short_code}/"
    assert "calm ward" in str(dated["DESCRIPTION"])
    assert "Aberystwyth" in str(dated["LOCATION"])

    closing = events[f"opportunity-{opportunities['closing_only'].pk}@withus"]
    assert str(closing["SUMMARY"]) == "Closing date: Recruitment panel member"
    assert closing.decoded("DTSTART") == today + timedelta(days=5)
    assert closing.decoded("DTEND") == today + timedelta(days=6)


def test_calendar_uids_are_stable_between_fetches(client: Client, opportunities: dict[str, Opportunity]) -> None:
    first = [(str(e["UID"]), e.decoded("DTSTAMP")) for e in parse_calendar(client).walk("VEVENT")]
    second = [(str(e["UID"]), e.decoded("DTSTAMP")) for e in parse_calendar(client).walk("VEVENT")]
    assert first == second


def test_single_day_event_without_an_end(client: Client, org_a: Organisation, coordinator_a: User, today: date) -> None:
    one_day = make_opportunity(org_a, coordinator_a, title="Open day", starts_on=today + timedelta(days=3))
    (event,) = parse_calendar(client).walk("VEVENT")
    assert str(event["UID"]) == f"opportunity-{one_day.pk}@withus"
    assert event.decoded("DTSTART") == today + timedelta(days=3)
    assert event.decoded("DTEND") == today + timedelta(days=4)


def test_welsh_calendar(client: Client, opportunities: dict[str, Opportunity]) -> None:
    calendar = parse_calendar(client, lang="cy")
    summaries = {str(e["UID"]): str(e["SUMMARY"]) for e in calendar.walk("VEVENT")}
    assert summaries[f"opportunity-{opportunities['dated'].pk}@withus"] == "Gweithdy dylunio wardiau"
    closing = summaries[f"opportunity-{opportunities['closing_only'].pk}@withus"]
    assert "Aelod o'r panel recriwtio" in closing
    assert "Recruitment panel member" not in closing


# Queries stay flat as the board grows ------------------------------------------------------------


@pytest.mark.parametrize(
    "address", ["/opportunities/feed.rss", "/opportunities/feed.atom", "/opportunities/calendar.ics"]
)
def test_feed_queries_do_not_grow_with_the_board(
    client: Client,
    django_assert_max_num_queries: Any,
    org_a: Organisation,
    org_b: Organisation,
    coordinator_a: User,
    today: date,
    address: str,
) -> None:
    make_opportunity(org_a, coordinator_a, starts_on=today, closes_on=today)
    with CaptureQueriesContext(connection) as few:
        assert client.get(address).status_code == 200
    for n in range(15):
        make_opportunity(org_b if n % 2 else org_a, coordinator_a, starts_on=today, closes_on=today)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(address)
    if address.endswith(".rss"):
        assert len(rss_items(response.content)) == 16
    elif address.endswith(".atom"):
        assert len(atom_entries(response.content)) == 16
    else:
        assert len(Calendar.from_ical(response.content).walk("VEVENT")) == 16
